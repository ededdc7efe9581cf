"""Export PDF from the app: choose language, profile, marking and file; the export runs on the
database worker with a busy indicator, then offers to open the folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

from fieldkit.i18n import ENGLISH, SPANISH, _, current_language
from fieldkit.services.quarterly import build_quarterly_report
from fieldkit.services.reports import (
    PROFILE_CONTENTS,
    PROFILE_LABELS,
    Profile,
    Report,
    ReportOptions,
)
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.preferences import REPORT_AUTHOR, REPORT_LANGUAGE, REPORT_MARKING
from fieldkit.ui.ui_locale import ui_locale

REPORT_KINDS = ("visit", "case", "grant")


class ReportOptionsDialog(QDialog):
    """Language, profile (shareable first), marking and author; period dates, or a quarter and
    post, when asked."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        period: bool,
        quarterly: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export PDF"))
        self.language = QComboBox()
        self.language.addItem("English", ENGLISH)
        self.language.addItem("Español (México)", SPANISH)
        chosen = ctx.preferences.get(REPORT_LANGUAGE) or current_language()
        self.language.setCurrentIndex(self.language.findData(chosen))
        self.profile = QComboBox()
        for profile in (Profile.SHAREABLE, Profile.INTERNAL):
            self.profile.addItem(_(PROFILE_LABELS[profile]), profile.value)
        # What the chosen profile includes, in plain words, under the choice.
        self.profile_contents = QLabel()
        self.profile_contents.setWordWrap(True)
        self.profile_contents.setMinimumWidth(420)
        self.profile.currentIndexChanged.connect(self._on_profile_changed)
        self._on_profile_changed()
        self.marking = QLineEdit(ctx.preferences.get(REPORT_MARKING))
        self.author = QLineEdit(ctx.preferences.get(REPORT_AUTHOR))
        today = dt.date.today()
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        form = QFormLayout(self)
        for label, widget in (
            (_("Report language"), self.language),
            (_("Profile"), self.profile),
            (_("Marking on every page"), self.marking),
            (_("Prepared by"), self.author),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
            if widget is self.profile:
                form.addRow("", self.profile_contents)
        if period:
            for label, date_edit in ((_("From"), self.start), (_("To"), self.end)):
                date_edit.setLocale(ui_locale())  # the popup's month and day names too
                date_edit.setCalendarPopup(True)
                date_edit.calendarWidget().setLocale(ui_locale())
                date_edit.setAccessibleName(label)
                form.addRow(label, date_edit)
        self.scope = scope_chooser(ctx)  # reviewer mode: whose visits the summary counts
        if period and ctx.reviewer.reviewer:
            form.addRow(_("Whose work"), self.scope)
        self._add_quarter_rows(ctx, form, today, shown=quarterly)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._ctx = ctx

    def _add_quarter_rows(
        self, ctx: AppContext, form: QFormLayout, today: dt.date, *, shown: bool
    ) -> None:
        """Year, quarter and post for the quarterly report (made always, shown when asked)."""
        self.year = QSpinBox()
        self.year.setRange(2020, 2100)
        self.year.setValue(today.year)
        self.quarter = QComboBox()
        for number in (1, 2, 3, 4):
            self.quarter.addItem(_("Quarter {quarter}").format(quarter=number), number)
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.post = QLineEdit()
        # A reviewer chooses among the posts HQ's directory names, and the report keeps to
        # the records of that post's attachés; on an attaché's laptop the post is a label.
        self.post_scope = post_chooser(ctx)
        if shown:
            post_widget = self.post_scope if ctx.reviewer.reviewer else self.post
            quarter_rows: tuple[tuple[str, QWidget], ...] = (
                (_("Year"), self.year),
                (_("Quarter"), self.quarter),
                (_("Post"), post_widget),
            )
            for row_label, row_widget in quarter_rows:
                row_widget.setAccessibleName(row_label)
                form.addRow(row_label, row_widget)

    def _on_profile_changed(self) -> None:
        profile = Profile(self.profile.currentData())
        self.profile_contents.setText(_(PROFILE_CONTENTS[profile]))
        self.profile.setAccessibleDescription(self.profile_contents.text())

    def options(self) -> ReportOptions:
        preferences = self._ctx.preferences
        preferences.set(REPORT_MARKING, self.marking.text())
        preferences.set(REPORT_AUTHOR, self.author.text())
        preferences.set(REPORT_LANGUAGE, str(self.language.currentData()))
        return ReportOptions(
            language=str(self.language.currentData()),
            profile=Profile(self.profile.currentData()),
            marking=preferences.get(REPORT_MARKING),
            author=preferences.get(REPORT_AUTHOR),
            generated_at=dt.datetime.now().astimezone(),
        )

    def quarter_choice(self) -> tuple[int, int, str, frozenset[str] | None]:
        """(year, quarter, post, the nodes of its attachés or None for all) for the quarterly
        report."""
        if self._ctx.reviewer.reviewer:
            post, nodes = self.post_scope.currentData()
            return self.year.value(), int(self.quarter.currentData()), post, nodes
        return self.year.value(), int(self.quarter.currentData()), self.post.text().strip(), None

    def scope_choice(self) -> tuple[frozenset[str] | None, str]:
        """The nodes whose visits the period summary counts (None: all) and its caption."""
        nodes, caption = self.scope.currentData()
        return nodes, caption

    def period(self) -> tuple[dt.date, dt.date]:
        start, end = self.start.date(), self.end.date()
        return (
            dt.date(start.year(), start.month(), start.day()),
            dt.date(end.year(), end.month(), end.day()),
        )


def scope_chooser(ctx: AppContext) -> QComboBox:
    """All attachés, each attaché, each post: whose work a reviewer's period summary counts."""
    combo = QComboBox()
    combo.setAccessibleName(_("Whose work"))
    combo.addItem(_("All attachés"), (None, ""))
    for name, nodes in ctx.reviewer.attaches():
        combo.addItem(name, (nodes, _("Attaché: {name}").format(name=name)))
    for post, nodes in ctx.reviewer.posts():
        caption = _("Post: {post}").format(post=post)
        combo.addItem(caption, (nodes, caption))
    return combo


def post_chooser(ctx: AppContext) -> QComboBox:
    """All posts, then each post HQ's directory names: a reviewer's quarterly report scope."""
    combo = QComboBox()
    combo.setAccessibleName(_("Post"))
    combo.addItem(_("All posts"), ("", None))
    for post, nodes in ctx.reviewer.posts():
        combo.addItem(post, (post, nodes))
    return combo


def export_pdf(ctx: AppContext, parent: QWidget, kind: str, record_id: str | None) -> None:
    """Ask for options and a file, export on the worker, then offer to open the folder.
    `kind` is visit, case or grant with its `record_id`, or "period" or "quarterly" with None."""
    dialog = ReportOptionsDialog(
        ctx, period=kind == "period", quarterly=kind == "quarterly", parent=parent
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    options = dialog.options()
    start, end = dialog.period()
    authors, scope = dialog.scope_choice()
    year, quarter, post, post_nodes = dialog.quarter_choice()
    suggested = f"{kind}-{dt.date.today().isoformat()}.pdf"
    path, _filter = QFileDialog.getSaveFileName(parent, _("Export PDF"), suggested, "PDF (*.pdf)")
    if not path:
        return
    target = Path(path)
    busy = QProgressDialog(_("Writing the report…"), "", 0, 0, parent)
    busy.setCancelButton(None)
    busy.setMinimumDuration(300)

    def work(vault: Vault) -> int:
        reports = vault.reports
        report: Report
        if kind == "period":
            report = reports.period_report(start, end, options, authors=authors, scope=scope)
        elif kind == "quarterly":
            report = build_quarterly_report(
                vault.records, year, quarter, post, options, authors=post_nodes
            )
        else:
            assert record_id is not None
            report = getattr(reports, f"{kind}_report")(record_id, options)
        return reports.export_pdf(report, target)

    def done(_size: int) -> None:
        busy.close()
        box = QMessageBox(parent)
        box.setWindowTitle(_("Export PDF"))
        box.setText(_("Report written to {path}.").format(path=target))
        open_pdf = box.addButton(_("&Open the PDF"), QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton(_("Open folder"), QMessageBox.ButtonRole.ActionRole)
        close = box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(close)
        box.setDefaultButton(open_pdf)
        box.exec()
        if box.clickedButton() is open_pdf:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        elif box.clickedButton() is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))

    def failed(error: BaseException) -> None:
        busy.close()
        ctx.tasks.report_error(error)

    ctx.call(work, done, failed, receiver=parent)
