"""Travel mode in the app: the FieldKit menu's "Prepare for travel…" and "Return from
travel", a dialog that says what will leave the laptop, and the status bar's badge that says
the vault is in travel mode. The work runs on the sync worker (it waits on headquarters)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.errors import UserFacingError
from fieldkit.i18n import _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext

RunNetwork = Callable[..., None]


class TravelDialog(QDialog):
    """What "Prepare for travel" does, and whether cases and reports leave too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Prepare for travel"))
        text = QLabel(
            _(
                "FieldKit syncs with headquarters, then removes from this laptop every "
                "interview and attachment headquarters already holds, leaving nothing of them "
                'on the disk. Only headquarters can give them back: choose "Return from '
                'travel" once you are past the border. Nothing is removed while changes are '
                "unsent or conflicts wait."
            )
        )
        text.setWordWrap(True)
        self.cases = QCheckBox(_("Remove cases too"))
        self.tips = QCheckBox(_("Remove reports (tips) too"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Prepare for travel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.cases, self.tips, buttons):
            layout.addWidget(widget)


class TravelFlow(QObject):
    sig_travel_changed = Signal(bool)  # the vault is now (not) in travel mode

    def __init__(self, ctx: AppContext, run_network: RunNetwork, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._run_network = run_network
        self._window = window

    def refresh(self) -> None:
        """Read whether the open vault is in travel mode (on unlock)."""
        if self._ctx.vault is None:
            self.sig_travel_changed.emit(False)
            return
        self._ctx.call(
            lambda vault: vault.travel.status().active, self.sig_travel_changed.emit, None, self
        )

    def prepare(self) -> TravelDialog | None:
        if self._ctx.vault is None:
            return None
        dialog = TravelDialog(self._window)
        dialog.accepted.connect(
            lambda: self._prepare(dialog.cases.isChecked(), dialog.tips.isChecked())
        )
        dialog.open()
        return dialog

    def _prepare(self, cases: bool, tips: bool) -> None:
        def work(vault: Vault) -> dict[str, int]:
            return vault.travel.prepare(cases=cases, tips=tips)

        self._run_network(work, self._on_prepared, self._on_failed, self)

    def _on_prepared(self, counts: dict[str, int]) -> None:
        self._changed(True)
        text = _("{count} records were removed from this laptop. Headquarters keeps them.")
        self._tell(QMessageBox.Icon.Information, text.format(count=sum(counts.values())))

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, _("Travel mode"), text, QMessageBox.StandardButton.Ok, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def return_from_travel(self) -> None:
        if self._ctx.vault is None:
            return

        def work(vault: Vault) -> int:
            return vault.travel.return_from_travel()

        self._run_network(work, lambda _fields: self._changed(False), self._on_failed, self)

    def _changed(self, travelling: bool) -> None:
        self.sig_travel_changed.emit(travelling)
        for kind in KINDS:
            self._ctx.notify_changed(kind)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self._tell(QMessageBox.Icon.Warning, error.message)
        else:
            self._ctx.tasks.report_error(error)


def travel_badge_text() -> str:
    return _("✈ Travel mode")
