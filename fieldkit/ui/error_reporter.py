"""The one place errors reach a person. A user-caused error says what happened and what to
do; anything else is a bug: logged, and shown in a crash dialog whose diagnostics carry no
record contents (exception type and code locations only, never messages or values)."""

from __future__ import annotations

import logging
import platform
import sys
import traceback

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit import __version__
from fieldkit.errors import UserFacingError
from fieldkit.i18n import _

log = logging.getLogger(__name__)


def diagnostics(error: BaseException) -> str:
    """Versions and the code path of `error`, with no message text or variable values."""
    frames = traceback.extract_tb(error.__traceback__)
    where = [f"  {f.filename.rsplit('fieldkit', 1)[-1]}:{f.lineno} in {f.name}" for f in frames]
    return "\n".join(
        [
            f"FieldKit {__version__}, Python {platform.python_version()}, PySide6 {pyside_version}",
            f"{platform.system()} {platform.release()} ({platform.machine()})",
            f"{type(error).__module__}.{type(error).__qualname__}",
            *where,
        ]
    )


class CrashDialog(QDialog):
    def __init__(self, error: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("FieldKit hit an unexpected problem"))
        text = QLabel(
            _(
                "Something went wrong inside FieldKit. What you typed is still here. The "
                "details below hold no record contents; copy them for your IT contact."
            )
        )
        text.setWordWrap(True)
        self.details = QPlainTextEdit(diagnostics(error))
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Diagnostics"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy diagnostics"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.setAccessibleName(_("Copy diagnostics"))
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.details, buttons):
            layout.addWidget(widget)

    def _on_copy_clicked(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


class ErrorReporter:
    """Shows errors over `parent`. Tests may replace `show_dialog` to capture instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def __call__(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            log.info("refused: %s", type(error).__name__)
            QMessageBox.warning(self.parent, _("FieldKit"), error.message)
            return
        log.error("unexpected error: %s", type(error).__name__, exc_info=error)
        self.show_dialog(CrashDialog(error, self.parent))

    def show_dialog(self, dialog: QDialog) -> None:
        dialog.exec()


def install_excepthook(reporter: ErrorReporter) -> None:
    """Unexpected exceptions in Qt slots reach the same crash dialog instead of vanishing."""

    def hook(kind: type[BaseException], error: BaseException, tb: object) -> None:
        reporter(error)

    sys.excepthook = hook
