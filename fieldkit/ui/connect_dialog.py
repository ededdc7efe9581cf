"""Connect to headquarters: the address and the one-time enrolment code, then the certificate
fingerprint to compare with the one headquarters gave (nothing is sent before the person
confirms it), then the result. Network calls run on the sync worker, never the UI thread;
problems are shown in place, in the words of the SyncError that explains them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import EnrolmentRefused, HqAddressInsecure, UserFacingError
from fieldkit.i18n import N_, _
from fieldkit.services.sync import CertificatePreview, HqConnection
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.hq_address import grouped_fingerprint, hex_only, hq_url_problem
from fieldkit.ui.sync_status import TOKEN_PLACES
from fieldkit.ui.theme import problem_style

NetworkRunner = Callable[..., None]  # SyncWorker.run_network
NEED_ADDRESS = N_("Enter the headquarters address.")
NEED_CODE = N_("Enter the enrolment code headquarters gave you.")
CONTACTING = N_("Contacting headquarters…")
MATCHES = N_("The fingerprints are the same.")
DIFFERS = N_("The fingerprints differ. Do not connect; call headquarters.")


def _problem_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(problem_style())
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(text: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    return button


class ConnectDialog(QDialog):
    sig_connected = Signal(object)  # HqConnection

    def __init__(
        self, ctx: AppContext, network: NetworkRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._network = network
        self._preview: CertificatePreview | None = None
        self._connecting = False
        self.setWindowTitle(_("Connect to headquarters"))
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._address_page())
        self.pages.addWidget(self._fingerprint_page())
        self.pages.addWidget(self._result_page())
        self.busy = _wrapped(_(CONTACTING))
        self.busy.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.busy)
        # Enter is each page's primary action; set once the buttons are in the dialog, which
        # then gives the default back to it whenever focus leaves another button.
        self._primary = (self.next_button, self.connect_button, self.close_button)
        self._primary[0].setDefault(True)
        ctx.sig_locked.connect(self._on_ctx_locked)  # never left open over the lock screen
        ctx.call(lambda v: v.sync.saved_address(), self._on_address_loaded, receiver=self)

    # --- pages ----------------------------------------------------------------------------

    def _address_page(self) -> QWidget:
        page = QWidget()
        intro = _wrapped(
            _(
                "Headquarters gives you three things: its address, a one-time enrolment code "
                "and the fingerprint of its certificate. FieldKit first shows you the "
                "certificate it sees, so you can compare it before the code is sent."
            )
        )
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://hq.example.org")
        self.address.setAccessibleName(_("Headquarters address"))
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKMN-PQRS-TVWX")
        self.code.setAccessibleName(_("Enrolment code"))
        self.address_problem = _problem_label()
        self.next_button = _button(_("&Next: check the certificate"), _("Check the certificate"))
        self.cancel_button = _button(_("Cancel"), _("Cancel"))
        form = QFormLayout()
        form.addRow(_("Headquarters address"), self.address)
        form.addRow(_("Enrolment code"), self.code)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.address_problem)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        for edit in (self.address, self.code):
            edit.textEdited.connect(lambda _text: self._show(self.address_problem, None))
            edit.returnPressed.connect(self._on_next_button_clicked)
        return page

    def _fingerprint_page(self) -> QWidget:
        page = QWidget()
        self.presented = _wrapped()
        self.fingerprint = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)  # pairs line up, so lines compare at a glance
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName(_("Certificate fingerprint"))
        self.fingerprint.setStyleSheet("padding: 8px; background: palette(base);")
        # Its four lines are compared one by one: the layout may never squeeze it.
        self.fingerprint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.compare_hint = _wrapped(
            _(
                "Compare it, pair by pair, with the fingerprint headquarters gave you (on paper "
                "or by phone, not in an email that came with the code). Connect only if they "
                "are the same: a different one can mean someone is listening in between."
            )
        )
        self.given = QLineEdit()
        self.given.setPlaceholderText(_("Optional: paste the fingerprint you were given"))
        self.given.setAccessibleName(_("Fingerprint headquarters gave you"))
        self.given_result = _wrapped()
        self.given_result.hide()
        self.confirm = QCheckBox(_("The fingerprint matches the one headquarters gave me"))
        self.confirm.setAccessibleName(self.confirm.text())
        self.connect_problem = _problem_label()
        self.back_button = _button(_("&Back"), _("Back to the address and code"))
        self.connect_button = _button(_("&Connect"), _("Send the code and connect"))
        self.connect_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(page)
        shown: tuple[QWidget, ...] = (
            self.presented,
            self.fingerprint,
            self.compare_hint,
            self.given,
            self.given_result,
            self.confirm,
            self.connect_problem,
        )
        for widget in shown:
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.confirm.toggled.connect(lambda _on: self._update_connect_button())
        self.given.textChanged.connect(lambda _text: self._on_given_changed())
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.connect_button.clicked.connect(self._on_connect_button_clicked)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.outcome = _wrapped()
        self.outcome.setAccessibleName(_("Connection result"))
        self.token_place = _wrapped()
        after = _wrapped(
            _(
                "FieldKit now syncs every few minutes while the vault is unlocked and "
                "headquarters answers, and whenever you press F5."
            )
        )
        self.close_button = _button(_("Close"), _("Close"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        for widget in (self.outcome, self.token_place, after):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.close_button.clicked.connect(self.accept)
        return page

    # --- step one: the address and the code -------------------------------------------------

    def _on_address_loaded(self, url: str | None) -> None:
        if url and not self.address.isModified() and not self.address.text():
            self.address.setText(url)

    def _on_next_button_clicked(self) -> None:
        url, code = self.address.text().strip(), self.code.text().strip()
        problem = (
            _(NEED_ADDRESS) if not url else hq_url_problem(url) or (None if code else _(NEED_CODE))
        )
        if problem:
            self._show(self.address_problem, problem)
            (self.code if url and not hq_url_problem(url) else self.address).setFocus()
            return
        self._busy(True)
        self._network(
            lambda v: v.sync.preview(url),
            self._on_preview_done,
            lambda error: self._on_failed(self.address_problem, error),
            self,
        )

    def _on_preview_done(self, preview: CertificatePreview) -> None:
        self._busy(False)
        self._preview = preview
        self.confirm.setChecked(False)
        self.given.clear()
        self._show(self.connect_problem, None)
        self.presented.setText(
            _("Headquarters at {url} presents this certificate fingerprint (SHA-256):").format(
                url=preview.address.url
            )
        )
        tls = preview.fingerprint is not None
        self.fingerprint.setText(grouped_fingerprint(preview.fingerprint or ""))
        comparing: tuple[QWidget, ...] = (
            self.fingerprint,
            self.compare_hint,
            self.given,
            self.confirm,
        )
        for widget in comparing:
            widget.setVisible(tls)
        if not tls:
            self.presented.setText(
                _(
                    "{url} is on this computer and uses no certificate (for testing only). "
                    "Nothing to compare."
                ).format(url=preview.address.url)
            )
        self._update_connect_button()
        self._show_page(1)
        (self.confirm if tls else self.connect_button).setFocus()

    # --- step two: compare, then connect ------------------------------------------------------

    def _given_matches(self) -> bool | None:
        given = hex_only(self.given.text())
        if not given or self._preview is None or self._preview.fingerprint is None:
            return None
        return given == hex_only(self._preview.fingerprint)

    def _on_given_changed(self) -> None:
        matches = self._given_matches()
        shown = self.given_result.isVisible()
        self.given_result.setVisible(matches is not None)
        self.given_result.setText(_(MATCHES) if matches else _(DIFFERS))
        self.given_result.setStyleSheet("" if matches else problem_style())
        self._update_connect_button()
        if self.given_result.isVisible() != shown:
            self.adjustSize()  # room for the message; nothing above it is squeezed

    def _update_connect_button(self) -> None:
        preview = self._preview
        if preview is None:
            self.connect_button.setEnabled(False)
            return
        compared = preview.fingerprint is None or self.confirm.isChecked()
        self.connect_button.setEnabled(
            compared and self._given_matches() is not False and not self._connecting
        )

    def _on_back_button_clicked(self) -> None:
        self._show_page(0)
        self.code.setFocus()

    def _on_connect_button_clicked(self) -> None:
        preview = self._preview
        if preview is None or not self.connect_button.isEnabled():
            return
        code = self.code.text().strip()
        expected = self.given.text().strip() or None

        def connect(vault: Vault) -> HqConnection:
            return vault.sync.connect(preview, code, expected_fingerprint=expected)

        self._connecting = True
        self._busy(True)
        self._network(connect, self._on_connected, self._on_connect_failed, self)

    def _on_connect_failed(self, error: BaseException) -> None:
        self._connecting = False
        if isinstance(error, EnrolmentRefused | HqAddressInsecure):
            self._show_page(0)  # the code (or address) is what needs changing
            self._on_failed(self.address_problem, error)
            self.code.setFocus()
            self.code.selectAll()
            return
        self._on_failed(self.connect_problem, error)

    # --- step three: the result ---------------------------------------------------------------

    def _on_connected(self, connection: HqConnection) -> None:
        self._connecting = False
        self._busy(False)
        self.code.clear()  # used once; it is worth nothing now, but keep no copy around
        self.outcome.setText(
            _("Connected to headquarters at {url} as “{name}”.").format(
                url=connection.url, name=connection.device_name
            )
        )
        self.token_place.setText(_(TOKEN_PLACES.get(connection.token_place, "")))
        self._show_page(2)
        self.close_button.setFocus()
        self.sig_connected.emit(connection)

    # --- shared -----------------------------------------------------------------------------

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._primary[index].setDefault(True)
        self.adjustSize()  # the fingerprint page is taller than the address page

    def _on_failed(self, where: QLabel, error: BaseException) -> None:
        self._busy(False)
        self._connecting = False
        self._update_connect_button()
        if isinstance(error, UserFacingError):
            self._show(where, error.message)
        else:
            self._ctx.tasks.report_error(error)

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.address, self.code, self.next_button, self.back_button, self.given):
            widget.setEnabled(not busy)
        self.confirm.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self._update_connect_button()

    @staticmethod
    def _show(label: QLabel, message: str | None) -> None:
        label.setText(message or "")
        label.setVisible(bool(message))

    def reject(self) -> None:
        if self._connecting:  # the code is on its way: wait for the answer, then close
            return
        super().reject()

    def _on_ctx_locked(self) -> None:
        self.code.clear()
        self._connecting = False
        super().reject()


def open_connect_dialog(
    ctx: AppContext, network: NetworkRunner, parent: QWidget, on_connected: Callable[[Any], None]
) -> ConnectDialog:
    dialog = ConnectDialog(ctx, network, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_connected.connect(on_connected)
    dialog.open()
    return dialog
