"""Today: what is due (follow-up actions, case deadlines and clocks, grantee reports), what
changed lately, and the sync state."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from fieldkit.errors import VaultLocked
from fieldkit.i18n import _, format_date
from fieldkit.services.today import TodaySummary, today_summary
from fieldkit.ui.context import AppContext
from fieldkit.ui.theme import PROBLEM, colour, muted

SHOWN = 25


class TodayView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.heading = QLabel()
        self.body = QTextBrowser()
        self.body.setAccessibleName(_("Today"))
        self.body.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self._stale = False
        ctx.sig_records_changed.connect(lambda _kind: self._on_ctx_records_changed())

    def _on_ctx_records_changed(self) -> None:
        # Today reads every open follow-up: refresh only when someone is looking at it.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        if self._ctx.vault is None:
            return
        self._ctx.call(
            lambda v: today_summary(v.read_only_records),
            self._show,
            self._on_failed,
            receiver=self,
            runner=self._ctx.summaries,
        )

    def _on_failed(self, error: BaseException) -> None:
        if not isinstance(error, VaultLocked):  # locked while it ran: nothing to show
            self._ctx.tasks.report_error(error)

    def clear_for_lock(self) -> None:
        self.body.clear()

    def _show(self, summary: TodaySummary) -> None:
        today = dt.date.today()
        self.heading.setText(f"<h2>{html.escape(_('Today'))} · {format_date(today)}</h2>")
        overdue, quiet = colour(PROBLEM).name(), muted(QPalette.ColorRole.Base).name()
        rows = []
        for item in summary.due[:SHOWN]:
            due = format_date(item.due) if item.due else _("no date")
            style = f' style="color:{overdue}"' if item.overdue(today) else ""
            rows.append(
                f"<tr><td{style}>{html.escape(due)}</td><td>{html.escape(item.what)}</td>"
                f"<td>{html.escape(item.record.title)}</td></tr>"
            )
        due_html = (
            f"<table cellpadding='4'>{''.join(rows)}</table>"
            if rows
            else f"<p>{html.escape(_('Nothing is due.'))}</p>"
        )
        recent = "".join(
            f"<li>{html.escape(record.title)} <span style='color:{quiet}'>· "
            f"{html.escape(_(record.LABEL))}</span></li>"
            for record in summary.recent
        )
        due_title = _("Due: follow-up actions, case deadlines and clocks, grantee reports")
        self.body.setHtml(
            f"<h3>{html.escape(due_title)}</h3>{due_html}"
            f"<h3>{html.escape(_('Recently changed'))}</h3><ul>{recent}</ul>"
        )
