"""The interface language, offered on the screens before the vault is open (first run, unlock),
so a first run in Spanish never needs an English screen first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from fieldkit.i18n import ENGLISH, SPANISH, _, current_language

# Each language named in itself, so it can be found whatever the interface shows.
LANGUAGE_NAMES = ((ENGLISH, "English"), (SPANISH, "Español (México)"))


class LanguageChooser(QWidget):
    """ "Language: [English ▾]", aligned right; says which language the person chose."""

    sig_language_chosen = Signal(str)  # the language code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        for code, name in LANGUAGE_NAMES:
            self.combo.addItem(name, code)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current_language())))
        self.combo.setAccessibleName(_("Language"))
        label = QLabel(_("&Language"), self)
        label.setBuddy(self.combo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(label)
        row.addWidget(self.combo, 0, Qt.AlignmentFlag.AlignRight)
        self.combo.activated.connect(self._on_combo_activated)

    def _on_combo_activated(self, index: int) -> None:
        code = str(self.combo.itemData(index))
        if code != current_language():
            self.sig_language_chosen.emit(code)
