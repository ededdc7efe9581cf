"""The colours FieldKit fixes itself, under a light and a dark palette: every text colour reads
(WCAG AA: 4.5:1) against what it sits on, and the consent box, the detail pane and the grant
chart take the dark variants when the OS is dark, also when it turns dark while they are open."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QFrame

from fieldkit.domain.choices import CaseStage
from fieldkit.domain.records import Case, Interview, Visit
from fieldkit.services.vault import Vault
from fieldkit.ui import theme
from fieldkit.ui.context import AppContext
from fieldkit.ui.detail_view import DetailView
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.items_editor import ItemsEditor
from fieldkit.ui.summaries import case_summary_html, disbursement_chart
from fieldkit.ui.sync_bar import SyncStatusBar
from tests.ui.scenes import make_context
from tests.ui.test_summaries import GRANT

AA_TEXT = 4.5  # WCAG 1.4.3, normal text
AA_GRAPHICS = 3.0  # WCAG 1.4.11, lines of a chart
Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor | str, b: QColor | str) -> float:
    high, low = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_measured_as_wcag_does() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def use(palette: QPalette) -> None:
    QApplication.setPalette(palette)
    QApplication.processEvents()


@pytest.fixture
def restore_palette(qapp: QApplication) -> Iterator[None]:
    original = QPalette(qapp.palette())
    yield
    use(original)


@pytest.fixture
def light(qapp: QApplication, restore_palette: None) -> QPalette:
    use(qapp.style().standardPalette())
    return QGuiApplication.palette()


@pytest.fixture
def dark(restore_palette: None) -> QPalette:
    use(theme.dark_palette())
    return QGuiApplication.palette()


@pytest.fixture(params=["light", "dark"])
def either(request: pytest.FixtureRequest) -> QPalette:
    palette: QPalette = request.getfixturevalue(request.param)
    return palette


@pytest.fixture
def ctx(qapp: QApplication, vault: Vault, tmp_path: Path) -> Iterator[AppContext]:
    errors: list[BaseException] = []
    context = make_context(vault, tmp_path, errors)
    yield context
    context.tasks.shutdown()
    assert errors == []


def test_the_palettes_are_told_apart(light: QPalette) -> None:
    assert not theme.is_dark()
    assert theme.colour(theme.PROBLEM).name() == theme.PROBLEM.light
    use(theme.dark_palette())
    assert theme.is_dark()
    assert theme.colour(theme.PROBLEM).name() == theme.PROBLEM.dark


def test_every_text_colour_reads_on_its_background(either: QPalette) -> None:
    def role(r: QPalette.ColorRole) -> QColor:
        return either.color(r)

    c = theme.colour
    pairs = {  # text: (foreground, background)
        "problem on a window": (c(theme.PROBLEM), role(Role.Window)),
        "problem in a document": (c(theme.PROBLEM), role(Role.Base)),
        "problem in the consent box": (c(theme.PROBLEM), c(theme.PROMINENT)),
        "text in the consent box": (role(Role.WindowText), c(theme.PROMINENT)),
        "text of a cell with a problem": (role(Role.Text), c(theme.PROBLEM_CELL)),
        "notice in a document": (c(theme.NOTICE), role(Role.Base)),
        "done stage in a document": (c(theme.DONE), role(Role.Base)),
        "current stage": (role(Role.Base), c(theme.ACCENT)),
        "muted on a window": (theme.muted(), role(Role.Window)),
        "muted in a document": (theme.muted(Role.Base), role(Role.Base)),
        "items table header": (role(Role.ButtonText), role(Role.Button)),
        "a search match": (role(Role.Text), c(theme.MATCH)),
    }
    low = {
        name: round(contrast(fore, back), 2)
        for name, (fore, back) in pairs.items()
        if contrast(fore, back) < AA_TEXT
    }
    assert low == {}


def test_muted_text_is_not_the_faint_placeholder(light: QPalette) -> None:
    # Qt's placeholder colour is half-transparent text: about 4:1 on white, too faint to read.
    assert theme.muted().name() != light.color(Role.PlaceholderText).name()
    assert contrast(theme.muted(), light.color(Role.Window)) >= AA_TEXT


def prominent_fill(editor: RecordEditor) -> str:
    frame = editor.findChild(QFrame, "prominent")
    assert frame is not None
    image = frame.grab().toImage()
    return image.pixelColor(5, image.height() // 2).name()  # inside the border, left margin


def test_consent_box_follows_the_palette(qtbot, ctx: AppContext, light: QPalette) -> None:  # type: ignore[no-untyped-def]
    editor = RecordEditor(ctx, Interview)
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    editor.show()
    editor.fields["pseudonym"].show_problem("Pseudonym is required.")
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    assert prominent_fill(editor) == theme.PROMINENT.light

    use(theme.dark_palette())  # the OS turns dark with the editor open
    assert prominent_fill(editor) == theme.PROMINENT.dark
    problem = editor.fields["pseudonym"]._problem
    assert problem.palette().color(Role.WindowText).name() == theme.PROBLEM.dark
    notes = editor.fields["notes"].edit  # type: ignore[attr-defined]
    assert notes.palette().color(Role.Base).name() == theme.dark_palette().color(Role.Base).name()
    assert theme.PROBLEM.dark in bar.conflicts.styleSheet()
    for label in (editor.title_label, editor.status_label):
        text = label.palette().color(Role.WindowText)
        assert contrast(text, theme.dark_palette().color(Role.Window)) >= AA_TEXT, label.text()

    fresh = RecordEditor(ctx, Interview)
    qtbot.addWidget(fresh)
    fresh.resize(900, 700)
    assert prominent_fill(fresh) == theme.PROMINENT.dark


def char_colour(view: DetailView, text: str) -> str:
    found = view.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 1)
    return cursor.charFormat().foreground().color().name()


def test_detail_pane_uses_the_dark_colours(qtbot, dark: QPalette) -> None:  # type: ignore[no-untyped-def]
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(Interview(pseudonym="Huizache", deleted=True))
    assert char_colour(view, "This record is deleted.") == theme.PROBLEM.dark
    assert char_colour(view, "Open the interview to read its notes.") == theme.NOTICE.dark
    assert char_colour(view, "Interview") == theme.muted(Role.Base).name()
    for light_only in (theme.PROBLEM.light, theme.NOTICE.light, "#5f6b7a", "#eef1f4"):
        assert light_only not in view.toHtml()


def test_detail_pane_turns_dark_with_the_os(qtbot, light: QPalette) -> None:  # type: ignore[no-untyped-def]
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(Interview(pseudonym="Huizache"))
    notice = "Open the interview to read its notes."
    assert char_colour(view, notice) == theme.NOTICE.light
    use(theme.dark_palette())
    assert char_colour(view, notice) == theme.NOTICE.dark


def test_current_case_stage_uses_the_dark_accent(dark: QPalette) -> None:
    html = case_summary_html(Case(stage=CaseStage.UNDER_REVIEW))
    assert f"background:{theme.ACCENT.dark}" in html
    assert theme.ACCENT.light not in html


def test_problem_cells_are_tinted_for_the_dark(qtbot, dark: QPalette) -> None:  # type: ignore[no-untyped-def]
    items = ItemsEditor(Visit.spec("follow_ups"))
    qtbot.addWidget(items)
    items.set_plain([{"action": ""}, {"action": "Enviar la minuta"}])
    items.mark_cells([(0, "action")])
    column = [spec.name for spec in items.columns].index("action")
    assert items.table.item(0, column).background().color().name() == theme.PROBLEM_CELL.dark
    assert items.table.item(1, column).background().color().name() != theme.PROBLEM_CELL.dark


def line_contrasts(image: QImage) -> list[float]:
    """For each horizontal line of a chart (a band of rows with many drawn pixels), the
    contrast of its strongest pixel against the background (its edges are blended)."""
    background = image.pixelColor(0, 0).name()
    bands: list[float] = []
    in_band = False
    for y in range(image.height()):
        row = [image.pixelColor(x, y).name() for x in range(image.width())]
        drawn = [colour for colour in row if colour != background]
        if len(drawn) < 100:
            in_band = False
            continue
        best = max(contrast(colour, background) for colour in set(drawn))
        if in_band:
            bands[-1] = max(bands[-1], best)
        else:
            bands.append(best)
        in_band = True
    return bands


def test_chart_lines_stand_out_from_its_background(either: QPalette) -> None:
    image = disbursement_chart(GRANT)
    assert image.pixelColor(0, 0).name() == either.color(Role.Base).name()
    lines = line_contrasts(image)
    assert len(lines) >= 3  # the award, two steps of disbursements (the first on the axis)
    assert [round(c, 2) for c in lines if c < AA_GRAPHICS] == []


def test_chart_has_no_light_palette_colours_in_the_dark(dark: QPalette) -> None:
    counts = Counter(
        disbursement_chart(GRANT).pixelColor(x, y).name()
        for x in range(0, 420, 2)
        for y in range(170)
    )
    assert counts.most_common(1)[0][0] == theme.dark_palette().color(Role.Base).name()
    assert theme.ACCENT.dark in counts
    assert theme.ACCENT.light not in counts and "#ffffff" not in counts
