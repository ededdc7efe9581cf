"""PyInstaller's own hook for PySide6.QtPrintSupport, trimmed before the binaries' dependencies are
analysed (so a dropped plug-in's libraries are not collected either): bundle_rules.py."""

from bundle_rules import trimmed_pairs
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trimmed_pairs(binaries)
datas = trimmed_pairs(datas)
