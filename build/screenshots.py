"""Screenshots of every main screen, in English and Spanish, with demo data, at 1366x768
(a common agency-laptop size), into docs/screenshots/; and a few in English under a dark
palette, as an OS in dark mode gives (en-dark-*.png).

    .venv/bin/python build/screenshots.py          (make screenshots)
    .venv/bin/python build/screenshots.py --dark   (only the dark ones)
    .venv/bin/python build/screenshots.py --only interview-editor,visits   (only these)

Runs Qt offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from fieldkit.app import application, register_fonts
from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.records import Case, Facility, Interview, Visit
from fieldkit.errors import LeaseExpired
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services import hq_connection
from fieldkit.services import sync as sync_service
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.reviewing import Author, ReviewerView
from fieldkit.services.sync import CertificatePreview
from fieldkit.services.vault import Vault, create_vault
from fieldkit.store import outbox, replica
from fieldkit.sync.pinning import parse_address
from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.search_dialog import SearchDialog
from fieldkit.ui.theme import dark_palette

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1366, 768)
PASSPHRASE = "screenshot passphrase"
HQ_URL = "https://hq.ilab.example.gov"
# A made-up certificate fingerprint for the connect dialog (no server runs here).
FINGERPRINT = ":".join(
    f"{byte:02X}" for byte in hashlib.sha256(b"FieldKit screenshot certificate").digest()
)
DARK_SCREENS = frozenset({"today", "grants", "interview-editor"})


def settle(app: QApplication, until: Callable[[], bool] | None = None, rounds: int = 400) -> None:
    """Let queued work (the database worker's callbacks) reach the window."""
    for _ in range(rounds):
        app.processEvents()
        if until is not None and until():
            break
        QApplication.instance().thread().msleep(5)  # type: ignore[union-attr]
    for _ in range(20):
        app.processEvents()


def shoot(
    app: QApplication, ctrl: AppController, prefix: str, keep: Callable[[str], bool]
) -> list[Path]:
    """Walk through the screens, saving those `keep` accepts as `prefix`-name.png."""
    w = ctrl.window
    saved = []

    def grab(name: str) -> None:
        settle(app)
        if not keep(name):
            return
        path = OUT / f"{prefix}-{name}.png"
        w.grab().save(str(path))
        saved.append(path)

    grab("unlock")
    w.unlock.passphrase.setText(PASSPHRASE)
    w.unlock.unlock_button.click()
    settle(app, lambda: w.stack.currentWidget() is w.workspace)
    settle(app, lambda: bool(w.sync_state.text()))
    grab("today")
    ctrl.travel.sig_travel_changed.emit(True)  # what the status bar shows in travel mode
    grab("travel-mode")
    ctrl.travel.sig_travel_changed.emit(False)
    for index, name in enumerate(
        ("facilities", "visits", "interviews", "cases", "tips", "grants", "organizations"),
        start=1,
    ):
        w.workspace.go_to(index)
        page = list(w.workspace.kind_pages.values())[index - 1]
        settle(app, lambda page=page: page.records.model.rowCount() > 0)
        page.records.table.selectRow(0)
        grab(name)
    visits = w.workspace.kind_pages[Visit.KIND]
    w.workspace.go_to(2)
    visits.open_editor(visits.records.model.record_at(0))
    grab("visit-editor")
    interviews = w.workspace.kind_pages[Interview.KIND]
    w.workspace.go_to(3)
    interviews.open_editor(interviews.records.model.record_at(0))
    grab("interview-editor")
    model = interviews.records.model
    shared = [model.record_at(row) for row in range(model.rowCount())]
    interviews.open_editor(next(i for i in shared if getattr(i, "sharing_summary", "")))
    settle(app)
    editor = interviews.editor
    assert editor is not None
    bar = editor.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())  # the summary for sharing, after the notes
    grab("interview-editor-sharing")
    interviews.close_editor()
    shoot_reviewer_interview(app, ctrl, grab)
    w.workspace.go_to(0)  # Today behind the sync dialogs
    saved += shoot_sync_dialogs(app, ctrl, prefix, keep)
    ctrl.lock()
    grab("locked")
    w.unlock.show_lease_expired(LeaseExpired().message)  # a vault past HQ's lease
    grab("lease-expired")
    w.unlock.reset()
    return saved


def shoot_reviewer_interview(
    app: QApplication, ctrl: AppController, grab: Callable[[str], None]
) -> None:
    """Reviewer mode on an interview another attaché wrote: the badge, the attaché and post
    columns, and the details saying it cannot be changed here; then the interview opened
    (Enter) in the read-only reader, its banner saying whose it is."""
    ctx = ctrl.ctx
    page = ctrl.window.workspace.kind_pages[Interview.KIND]
    records = page.records
    author = records.model.record_at(0)
    assert author is not None
    ctx.reviewer = ReviewerView(
        True, {author.author_device: Author("Ana Pérez", "Ciudad de México")}, "hq-reviewer"
    )
    ctx.sig_reviewer_changed.emit()
    settle(app, lambda: records.model.rowCount() > 0)
    records.table.selectRow(0)
    grab("reviewer-interview")
    model = records.model
    rows = [model.record_at(row) for row in range(model.rowCount())]
    # One with risk and safe-contact notes, read where the form opens.
    chosen = next(r for r in rows if isinstance(r, Interview) and r.risk_notes and r.safe_contact)
    records.request_edit(chosen)
    reader = page.editor
    assert reader is not None and reader.read_only
    grab("reviewer-interview-reader")
    page.close_editor()
    ctx.reviewer = ReviewerView()
    ctx.sig_reviewer_changed.emit()
    settle(app, lambda: records.model.rowCount() > 0)


TITLE_BAR = 28


def shoot_welcome(app: QApplication, root: Path, settings: QSettings, prefix: str) -> Path:
    """The first-run screen (no vault yet), with its language chooser."""
    ctrl = AppController(root, Preferences(settings))
    ctrl.window.resize(*SIZE)
    ctrl.start()
    settle(app)
    path = OUT / f"{prefix}-welcome.png"
    ctrl.window.grab().save(str(path))
    ctrl.shutdown()
    ctrl.window.close()
    return path


def grab_over_window(window: QWidget, dialog: QDialog) -> QPixmap:
    """The window, dimmed, with `dialog` over its centre under a plain title bar (offscreen
    there is no window manager to draw one)."""
    picture = window.grab()
    shot = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 60))
    left = max(0, (picture.width() - shot.width()) // 2)
    top = max(TITLE_BAR, (picture.height() - shot.height() + TITLE_BAR) // 2)
    title = QRect(left, top - TITLE_BAR, shot.width(), TITLE_BAR)
    painter.fillRect(title, QColor("#3b4252"))
    painter.setPen(QColor("white"))
    painter.drawText(title, Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
    painter.drawPixmap(QPoint(left, top), shot)
    painter.setPen(QColor("#3b4252"))
    painter.drawRect(QRect(left, top - TITLE_BAR, shot.width() - 1, shot.height() + TITLE_BAR - 1))
    painter.end()
    return picture


def shoot_sync_dialogs(
    app: QApplication, ctrl: AppController, prefix: str, keep: Callable[[str], bool]
) -> list[Path]:
    """Connect to headquarters (at the fingerprint step), conflicts, and the sync log."""
    saved = []

    def grab(name: str, dialog: QDialog) -> None:
        settle(app)
        if keep(name):
            path = OUT / f"{prefix}-{name}.png"
            grab_over_window(ctrl.window, dialog).save(str(path))
            saved.append(path)
        dialog.reject()
        settle(app)

    connect = ctrl.open_connect()
    assert connect is not None
    connect.address.setText(HQ_URL)
    connect.code.setText("7KQ2-M9XD-4HTP-WR8C-N3VB")
    preview = CertificatePreview(parse_address(HQ_URL), "(certificate)", FINGERPRINT)
    connect._on_preview_done(preview)
    grab("connect", connect)
    conflicts = ctrl.open_conflicts()
    assert conflicts is not None
    settle(app, lambda: conflicts.loaded)
    if keep("conflicts-short"):
        # A short field's compact view, with two short-field conflicts ticked together.
        rows = [conflicts.conflicts.item(n) for n in range(conflicts.conflicts.count())]
        short = [r for r in rows if r.flags() & Qt.ItemFlag.ItemIsUserCheckable]
        for row in short[:2]:
            row.setCheckState(Qt.CheckState.Checked)
        conflicts.conflicts.setCurrentItem(short[0])
        settle(app)
        path = OUT / f"{prefix}-conflicts-short.png"
        grab_over_window(ctrl.window, conflicts).save(str(path))
        saved.append(path)
        for row in short[:2]:
            row.setCheckState(Qt.CheckState.Unchecked)
        conflicts.conflicts.setCurrentRow(0)
    grab("conflicts", conflicts)
    log = ctrl.open_sync_log()
    assert log is not None
    settle(app, lambda: log.loaded)
    grab("sync-log", log)
    ctrl.open_search()
    search = ctrl.window.findChild(SearchDialog)
    assert search is not None
    search.query.setText(SEARCH_TEXT)
    settle(app, lambda: search.results.topLevelItemCount() > 0)
    settle(app)
    grab("search", search)
    imported = ctrl.open_import()
    assert imported is not None
    imported.set_file(import_sample(), "facility")
    settle(app, lambda: imported.table.rowCount() > 0)
    grab("import", imported)
    return saved


SEARCH_TEXT = "legitim"
IMPORT_ROWS = (  # facilities as a spreadsheet saves them: Windows-1252, semicolons
    ("name", "employer", "sector", "state", "municipality", "unions"),
    ("Planta Norte", "Autopartes del Bajío, S.A. de C.V.", "Automotriz", "San Luis Potosí",
     "Villa de Reyes", "SNTMMSSRM; Independiente"),
    ("Ensambles Puebla", "Ensambles Poblanos", "autopartes", "PUEBLA", "Cuautlancingo", ""),
    ("Llantas del Noreste", 'Llantas "El Águila"', "Rubber and tires", "nuevo leon", "Apodaca",
     "Sindicato Único"),
    ("Maquila Juárez", "Confecciones del Norte", "Prendas de vestir", "CHH", "Juárez", ""),
    ("Textiles del Sur", "Hilados Oaxaqueños", "Prendas de vestir", "Oaxca", "Tlacolula", ""),
    ("PLANTA NORTE", "Autopartes del Bajío", "Automotriz", "SLP", "Villa de Reyes", ""),
    ("", "Sin nombre", "autos", "Sonora", "Hermosillo", ""),
)  # fmt: skip


def import_sample() -> Path:
    folder = Path(tempfile.gettempdir()) / "importar"
    folder.mkdir(exist_ok=True)
    path = folder / "centros.csv"
    lines = [";".join(f'"{c}"' if ";" in c or '"' in c else c for c in (
        cell.replace('"', '""') for cell in row)) for row in IMPORT_ROWS]  # fmt: skip
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path


def stage_sync(vault: Vault) -> None:
    """Make the demo vault look like one that has synced for a while: connected (no token, so
    nothing really syncs), a few rounds in the log, two conflicting edits and a refused
    change. Written straight into the vault, as a real round would have."""
    store = vault.store
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    visit = vault.records.list(Visit, limit=1)[0]
    case = vault.records.list(Case, limit=1)[0]
    facility = vault.records.list(Facility, limit=1)[0]
    clock = int(now.timestamp() * 1000) << 16
    with store._writing() as db:
        db.execute("UPDATE journal SET sent = 1")
        # Another facility was edited since the last round: it waits to be sent.
        db.execute(
            "UPDATE journal SET sent = 0 WHERE seq = (SELECT max(seq) FROM journal "
            "WHERE kind = 'facility' AND record_id != ?)",
            [facility.id],
        )
        # HQ refused one field of a visit sent earlier (its record entry, as a push sends it).
        refused, record_id = db.execute(
            "SELECT change_id, record_id FROM journal WHERE kind = 'visit' ORDER BY seq LIMIT 1"
        ).fetchone()
        outbox.quarantine_field(
            db,
            json.dumps([refused]),
            record_id,
            Visit.specs()[0].name,
            code="invalid_value",
            message="value does not parse",
        )
        for minutes, outcome, pushed, pulled, error, conflicts in (
            (185, "ok", 212, 40, None, 0),
            (95, "offline", 0, 0, ("HqUnreachable", {"reason": "timed out"}), 0),
            (61, "ok", 18, 3, None, 2),
            (6, "ok", 2, 5, None, 2),
        ):
            started = now - dt.timedelta(minutes=minutes)
            detail: dict[str, object] = {"error": error[0], "params": error[1]} if error else {}
            if conflicts:
                detail["conflicts"] = conflicts
            db.table("sync_log").insert(
                {
                    "started_at": started.isoformat(),
                    "finished_at": (started + dt.timedelta(seconds=2)).isoformat(),
                    "outcome": outcome,
                    "pushed": pushed,
                    "pulled": pulled,
                    "requests": 1 if outcome == "ok" else 0,
                    "detail": json.dumps(detail),
                }
            )
        for number, (kind, record, field, kept, other) in enumerate(
            (
                ("visit", visit.id, "findings", VISIT_KEPT, VISIT_OTHER),
                ("case", case.id, "summary", CASE_KEPT, CASE_OTHER),
                # Short fields: a choice and a text line, settled in one step.
                ("visit", visit.id, "status", "final", "draft"),
                ("facility", facility.id, "municipality", facility.municipality, "Ramos Arizpe"),
            )
        ):
            replica.save_conflict(
                db,
                replica.StoredConflict(
                    id=f"screenshot-conflict-{number}",
                    kind=kind,
                    record_id=record,
                    field=field,
                    kept={"value": kept, "hlc": clock - (5 << 16) * 60_000, "node": "b",
                          "device_name": "Luis Herrera (Monterrey)"},
                    other={"value": other, "hlc": clock - (9 << 16) * 60_000, "node": "a",
                           "device_name": "Ana Pérez (Ciudad de México)"},
                    received_at=(now + dt.timedelta(seconds=number)).isoformat(),
                ),
            )  # fmt: skip
        settings = {
            hq_connection.URL: parse_address(HQ_URL).url,
            hq_connection.SERVER_ID: "screenshot-hq",
            hq_connection.DEVICE_ID: "screenshot-device",
            hq_connection.DEVICE_NAME: "Ana Pérez (Ciudad de México)",
            hq_connection.TOKEN_IN_VAULT: "",
            sync_service.STATE: "ok",
            sync_service.LAST_SYNCED: (now - dt.timedelta(minutes=6)).isoformat(),
        }
        for key, value in settings.items():
            db.table("meta").upsert({"key": key, "value": value}, pk="key")


VISIT_KEPT = (
    "La empresa mostró el registro del contrato colectivo legitimado en 2024. Los trabajadores "
    "entrevistados dicen que el sindicato convocó a asamblea en marzo."
)
VISIT_OTHER = (
    "La empresa mostró el registro del contrato colectivo. Dos trabajadoras dicen que no "
    "conocen a sus delegados y que nadie les preguntó por la legitimación."
)
CASE_KEPT = "Queja por despidos tras la votación; la empresa niega el vínculo."
CASE_OTHER = "Queja por despidos de cinco trabajadores una semana después de la votación."


def every(_name: str) -> bool:
    return True


def _within(names: frozenset[str], keep: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda name: name in names and keep(name)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = application(sys.argv)
    register_fonts(app)
    light = QPalette(app.palette())
    passes = [  # file prefix, language, palette, which screens
        ("en", ENGLISH, light, every),
        ("es", SPANISH, light, every),
        ("en-dark", ENGLISH, dark_palette(), DARK_SCREENS.__contains__),
    ]
    if "--dark" in sys.argv[1:]:
        passes = passes[2:]
    if "--only" in sys.argv[1:]:
        only = frozenset(sys.argv[sys.argv.index("--only") + 1].split(","))
        passes = [(p, lang, pal, _within(only, keep)) for p, lang, pal, keep in passes]
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="fieldkit-shots-") as tmp:
        root = Path(tmp) / "vault"
        vault, _ = create_vault(root, PASSPHRASE, kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST))
        fill_with_demo_data(vault)
        stage_sync(vault)
        vault.lock()
        for prefix, language, palette, keep in passes:
            set_language(language)
            app.setPalette(palette)
            settings = QSettings(str(Path(tmp) / f"{prefix}.ini"), QSettings.Format.IniFormat)
            ctrl = AppController(root, Preferences(settings))
            ctrl.sync.first_delay_s = 3600  # no round: nothing to reach in a screenshot run
            ctrl.window.resize(*SIZE)
            ctrl.start()
            made += shoot(app, ctrl, prefix, keep)
            ctrl.shutdown()
            ctrl.window.close()
            if keep("welcome"):
                made.append(shoot_welcome(app, Path(tmp) / f"new-{prefix}", settings, prefix))
    for path in made:
        print(path.relative_to(OUT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
