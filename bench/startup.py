"""Desktop start-up benchmark: the real app (offscreen) on a full vault, in fresh processes.

    .venv/bin/python bench/startup.py            # 100,000 records, 3 fresh processes
    .venv/bin/python bench/startup.py --quick    # 5,000 records
    .venv/bin/python bench/startup.py --json     # one JSON object instead of the table
    .venv/bin/python bench/startup.py --keep DIR # keep the built vault in DIR; reuse it next time

The vault (default Argon2id parameters) is bulk-loaded with `Store.insert` inside
`store.transaction()`, a few thousand records per transaction, with bench/storage.py's record
generator (visits and interviews with ~2 KB of notes) plus facilities, cases, tips and grants.

Each measured run is a new Python process (QT_QPA_PLATFORM=offscreen, own XDG dirs, no
keyring, so the passphrase is needed) that starts the app as `fieldkit.app.main` does and:

1. start-up: from just before the process is spawned to the unlocked main window painted; the
   passphrase goes in as soon as the lock screen is painted (no think time). The Argon2id time
   of that unlock is measured inside the process and reported apart, and subtracted.
2. Visits list: the Go > Visits action (Ctrl+3) triggered the moment the main window shows,
   until the Visits model's first `sig_loaded` and the table's next paint. The first page's
   fetch was queued at unlock, behind the Facilities page's. Also: a reload of the first page
   once the app is idle.
3. global search: the Ctrl+K action, then the query's text set at once, until the results are
   painted (end to end, including the dialog's debounce), for a rare word and a common one.
   The actions are triggered directly (what their shortcut does), not through key events.
4. memory: VmRSS (and the peak, VmHWM) from /proc/self/status after browsing every screen:
   Today, each list with its first record selected and opened in the editor, and search.

Times use CLOCK_MONOTONIC (`time.monotonic`), which is system-wide, so the parent's spawn time
and the child's events are on one clock. Progress goes to stderr; figures to stdout.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storage import COMMON_WORD, RARE_WORD, RecordMaker

from fieldkit.crypto import header as vault_header
from fieldkit.domain.choices import ActionStatus, TipChannel
from fieldkit.domain.records import Case, Grant, Record, Tip
from fieldkit.domain.values import Deadline, FollowUp
from fieldkit.services.vault import create_vault

PASSPHRASE = "bench startup passphrase"
RESULT_PREFIX = "RESULT "
CHILD_TIMEOUT_S = 600
RELOADS = 5
SEARCH_WORDS = (RARE_WORD, COMMON_WORD)
FOLLOW_UP_EVERY = 50  # one visit in 50 has an open follow-up action (Today shows them)

# Targets: (figure key, limit, unit). A figure meets its target when it is below the limit.
TARGETS: dict[str, tuple[float, str]] = {
    "start_to_window_excl_kdf_ms": (1500.0, "ms"),
    "visits_first_page_ms": (100.0, "ms"),
    "search_ms": (150.0, "ms"),
    "rss_mb": (300.0, "MB"),
}


@dataclasses.dataclass(frozen=True)
class Sizes:
    facilities: int
    visits: int
    interviews: int
    cases: int
    tips: int
    grants: int
    batch: int
    runs: int

    @property
    def total(self) -> int:
        return (
            self.facilities + self.visits + self.interviews + self.cases + self.tips + self.grants
        )


FULL = Sizes(500, 50_000, 48_400, 500, 500, 100, 2500, 3)
QUICK = Sizes(50, 2_500, 2_340, 50, 50, 10, 1000, 3)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the vault ----------------------------------------------------------------------------


def other_records(maker: RecordMaker, sizes: Sizes, facility_ids: Sequence[str]) -> list[Record]:
    """Cases (some with an open deadline), tips and grants: short records, for every list."""
    rng = maker.rng
    day = dt.date(2024, 1, 1)
    records: list[Record] = []
    for n in range(sizes.cases):
        deadlines = (
            (Deadline(label="Respuesta", due=day + dt.timedelta(days=n % 700)),)
            if n % 5 == 0
            else ()
        )
        records.append(
            Case(
                reference=f"MX-RRM-{n:05d}",
                facility_id=rng.choice(facility_ids),
                received_on=day + dt.timedelta(days=n % 900),
                summary=maker.text.text(600),
                deadlines=deadlines,
            )
        )
    for n in range(sizes.tips):
        records.append(
            Tip(
                received_on=day + dt.timedelta(days=n % 900),
                subject=f"Aviso {n}: {maker.text.text(40)}",
                channel=rng.choice(list(TipChannel)),
                summary=maker.text.text(400),
            )
        )
    for n in range(sizes.grants):
        records.append(
            Grant(
                award_number=f"IL-{30000 + n}",
                name=f"Proyecto {n}",
                grantee=f"Organización {n}",
                amount=Decimal(250_000 + 1000 * n),
                objectives=maker.text.text(800),
            )
        )
    return records


def build_vault(root: Path, sizes: Sizes, seed: int) -> dict[str, Any]:
    """A vault with `sizes` records, bulk-inserted; returns what was built and how fast."""
    started = time.perf_counter()
    maker = RecordMaker(seed)
    vault, _recovery = create_vault(root, PASSPHRASE)
    store = vault.store

    def load(batch: Sequence[Record]) -> None:
        with store.transaction():
            for record in batch:
                store.insert(record)

    try:
        facilities = [maker.facility(n) for n in range(1, sizes.facilities + 1)]
        load(facilities)
        facility_ids = [f.id for f in facilities]
        load(other_records(maker, sizes, facility_ids))
        visit_ids: list[str] = []
        for done in range(0, sizes.visits, sizes.batch):
            batch: list[Record] = []
            for n in range(done, min(done + sizes.batch, sizes.visits)):
                visit = maker.visit(facility_ids)
                if n % FOLLOW_UP_EVERY == 0:
                    assert visit.start_date is not None
                    due = visit.start_date + dt.timedelta(days=30)
                    action = FollowUp(action="Dar seguimiento", due=due, status=ActionStatus.OPEN)
                    visit = dataclasses.replace(visit, follow_ups=(action,))
                batch.append(visit)
            load(batch)
            visit_ids.extend(v.id for v in batch)
            progress(f"loaded {len(visit_ids):,} visits")
        interviews = 0
        for done in range(0, sizes.interviews, sizes.batch):
            count = min(sizes.batch, sizes.interviews - done)
            load([maker.interview(facility_ids, visit_ids) for _ in range(count)])
            interviews += count
            progress(f"loaded {interviews:,} interviews")
    finally:
        vault.lock()
    files = [root / "vault.db", root / "vault.db-wal"]
    return {
        "records": sizes.total,
        "build_s": round(time.perf_counter() - started, 1),
        "file_mb": round(sum(p.stat().st_size for p in files if p.exists()) / 1e6),
        "rare_word_records": maker.rare_records,
        "common_word_records": maker.common_records,
    }


def vault_for(sizes: Sizes, seed: int, keep: Path | None, tmp: Path) -> tuple[Path, dict[str, Any]]:
    """The vault to measure: a kept one of the same size and seed, or a new one."""
    root = (keep if keep is not None else tmp) / f"vault-{sizes.total}-{seed}"
    marker = root / "bench-startup.json"
    if marker.exists():
        built = json.loads(marker.read_text())
        progress(f"reusing the vault in {root}")
        return root, {**built, "reused": True}
    shutil.rmtree(root, ignore_errors=True)
    progress(f"building a vault of {sizes.total:,} records in {root}")
    built = build_vault(root, sizes, seed)
    marker.write_text(json.dumps(built))
    return root, {**built, "reused": False}


# --- the measured process -----------------------------------------------------------------


def child_main(vault_dir: Path, spawned_at: float) -> int:
    """Runs in the measured process: start the app, unlock, navigate, search, browse."""
    entered = time.monotonic()
    # The app's own imports are part of start-up: done here, after the clock started.
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import (  # noqa: PLC0415
        QApplication,
        QMessageBox,
        QPlainTextEdit,
        QWidget,
    )

    from fieldkit.app import build  # noqa: PLC0415
    from fieldkit.log_setup import configure_logging  # noqa: PLC0415
    from fieldkit.ui.kind_page import KindPage  # noqa: PLC0415
    from fieldkit.ui.search_dialog import SearchDialog  # noqa: PLC0415

    imported = time.monotonic()
    errors: list[str] = []
    kdf_ms: list[float] = []
    # The unlock's Argon2id, timed where the vault header calls it (the module's global).
    real_derive_key = vars(vault_header)["derive_key"]

    def timed_derive_key(*args: Any, **kwargs: Any) -> Any:
        start = time.monotonic()
        try:
            return real_derive_key(*args, **kwargs)
        finally:
            kdf_ms.append((time.monotonic() - start) * 1000)

    vars(vault_header)["derive_key"] = timed_derive_key

    class Painted(QObject):
        """When `widget` was last painted."""

        def __init__(self, widget: QWidget) -> None:
            super().__init__(widget)
            self.at = 0.0
            widget.installEventFilter(self)

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.at = time.monotonic()
            return False

        def after(self, moment: float) -> Callable[[], bool]:
            return lambda: self.at > moment

    configure_logging()
    app, ctrl = build(["fieldkit-app"], vault_dir)
    built = time.monotonic()

    def on_crash_dialog(dialog: Any) -> None:
        details = dialog.findChild(QPlainTextEdit)
        errors.append(details.toPlainText() if details is not None else type(dialog).__name__)

    ctrl.reporter.show_dialog = on_crash_dialog  # type: ignore[method-assign]
    w = ctrl.window
    heartbeat = QTimer()
    heartbeat.setInterval(5)  # wakes the waiting loop; events wake it sooner
    heartbeat.start()

    def close_message_boxes() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            errors.append(modal.text())
            modal.reject()

    heartbeat.timeout.connect(close_message_boxes)

    def wait(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while not condition():
            if errors:
                raise RuntimeError(f"the app reported {errors} while waiting for {what}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:g} s for {what}")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return time.monotonic()

    shortcuts = {act.shortcut().toString(): act for act in w.actions()}
    visits = w.workspace.kind_pages["visit"]
    visit_loads: list[float] = []
    visits.records.model.sig_loaded.connect(lambda: visit_loads.append(time.monotonic()))
    locked_painted = Painted(w.unlock.passphrase)
    nav_painted = Painted(w.workspace.nav.viewport())
    table_painted = Painted(visits.records.table.viewport())
    today = w.workspace.today
    today_set: list[float] = []
    today.body.textChanged.connect(lambda: today_set.append(time.monotonic()))

    def measure() -> dict[str, Any]:
        # 1. start-up
        ctrl.start()
        locked_shown = wait(lambda: locked_painted.at > 0, "the lock screen")
        w.unlock.passphrase.setText(PASSPHRASE)
        clicked = time.monotonic()
        w.unlock.unlock_button.click()
        window_shown = wait(
            lambda: w.stack.currentWidget() is w.workspace and nav_painted.at > clicked,
            "the unlocked main window",
        )

        # 2. the Visits list, right away
        navigated = time.monotonic()
        shortcuts["Ctrl+3"].trigger()
        first_page_shown = wait(
            lambda: bool(visit_loads) and table_painted.at > visit_loads[0], "the first Visits page"
        )
        first_loaded = visit_loads[0]
        # Today is behind the Visits page by now: its content counts as shown once it is set.
        wait(lambda: bool(today_set), "Today's content")
        today_shown = today_set[0]
        wait(lambda: not ctrl.tasks.busy, "the database worker to be idle")
        reloads = []
        for _ in range(RELOADS):
            before = len(visit_loads)
            start = time.monotonic()
            visits.records.model.reload()
            wait(longer_than(visit_loads, before), "a Visits reload")
            landed = visit_loads[-1]
            wait(table_painted.after(landed), "the reloaded Visits page")
            reloads.append(
                {"loaded_ms": ms(start, landed), "shown_ms": ms(start, table_painted.at)}
            )

        # 3. global search
        searches: dict[str, dict[str, float]] = {}
        for word in SEARCH_WORDS:
            opened_at = time.monotonic()
            shortcuts["Ctrl+K"].trigger()
            dialog = wait_for_dialog(w, SearchDialog, wait)
            query_painted = Painted(dialog.query)
            results_painted = Painted(dialog.results.viewport())
            dialog_shown = wait(query_painted.after(0.0), "the search dialog")
            fired: list[float] = []
            inserted: list[float] = []
            dialog._debounce.timeout.connect(stamper(fired))
            dialog.results.model().rowsInserted.connect(stamper(inserted))
            typed = time.monotonic()
            dialog.query.setText(word)
            wait(has_text(dialog.status), f"results for {word!r}")
            filled = inserted[-1] if inserted else time.monotonic()
            shown = wait(results_painted.after(filled), "the results painted")
            searches[word] = {
                "open_ms": ms(opened_at, dialog_shown),
                "typed_to_results_ms": ms(typed, shown),
                "debounce_ms": ms(typed, fired[0]),
                "after_debounce_ms": ms(fired[0], shown),
                "hits": float(count_results(dialog)),
            }
            dialog.reject()
            dialog.deleteLater()

        # 4. browse every screen, then read the memory
        pages: list[KindPage | None] = [None, *w.workspace.kind_pages.values()]  # None: Today
        for index, page in enumerate(pages):
            shortcuts[f"Ctrl+{index + 1}"].trigger()
            if page is None:
                continue
            screen = page.records
            wait(loaded(screen.model), f"the {screen.cls.KIND} list")
            if screen.model.rowCount() == 0:
                continue
            detail_painted = Painted(screen.detail.viewport())
            selected = time.monotonic()
            screen.table.selectRow(0)
            wait(detail_painted.after(selected), "the detail pane")
            page.open_editor(screen.selected_record())
            editor = page.editor
            assert editor is not None
            editor_painted = Painted(editor.title_label)
            wait(editor_ready(editor, editor_painted), "the editor with its pickers")
            page.close_editor()
        wait(lambda: not ctrl.tasks.busy, "the database worker to be idle")
        app.processEvents()
        memory = proc_status_mb()

        return {
            "spawned_to_main_ms": ms(spawned_at, entered),
            "imports_ms": ms(entered, imported),
            "build_ms": ms(imported, built),
            "start_to_lock_screen_ms": ms(spawned_at, locked_shown),
            "unlock_ms": ms(clicked, window_shown),
            "kdf_ms": round(sum(kdf_ms), 1),
            "start_to_window_ms": ms(spawned_at, window_shown),
            "start_to_today_ms": ms(spawned_at, today_shown),
            "visits_loaded_after_nav_ms": ms(navigated, first_loaded),
            "visits_first_page_ms": ms(navigated, first_page_shown),
            "visits_first_page_rows": visits.records.model.rowCount(),
            "visits_reload": reloads,
            "search": searches,
            "rss_mb": memory["VmRSS"],
            "peak_rss_mb": memory["VmHWM"],
            "errors": errors,
        }

    try:
        result = measure()
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        ctrl.shutdown()
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def longer_than(items: list[float], n: int) -> Callable[[], bool]:
    return lambda: len(items) > n


def stamper(into: list[float]) -> Callable[..., None]:
    """A slot that notes when its signal fired."""

    def stamp(*_args: object) -> None:
        into.append(time.monotonic())

    return stamp


def has_text(label: Any) -> Callable[[], bool]:
    return lambda: bool(label.text())


def loaded(model: Any) -> Callable[[], bool]:
    return lambda: not model.is_fetching


def editor_ready(editor: Any, painted: Any) -> Callable[[], bool]:
    """The editor painted and every record picker in it filled."""
    return lambda: (
        painted.at > 0 and all(getattr(field, "loaded", True) for field in editor.fields.values())
    )


def wait_for_dialog(
    window: Any, cls: type, wait: Callable[[Callable[[], bool], str], float]
) -> Any:
    found: list[Any] = []

    def visible() -> bool:
        found[:] = [d for d in window.findChildren(cls) if d.isVisible()]
        return bool(found)

    wait(visible, cls.__name__)
    return found[0]


def count_results(dialog: Any) -> int:
    tree = dialog.results
    return sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))


def ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 1)


def proc_status_mb() -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)  # kB
    return values


def run_child(vault_dir: Path, home: Path) -> dict[str, Any]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FIELDKIT_", "QT_", "XDG_", "DBUS_")) and key != "DISPLAY"
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        FIELDKIT_LANG="en",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(vault_dir)]
    spawned_at = time.monotonic()
    done = subprocess.run(
        [*command, repr(spawned_at)],
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    raise RuntimeError(f"the measured process failed (rc {done.returncode}):\n{done.stderr}")


# --- the figures --------------------------------------------------------------------------


Run = dict[str, Any]


def figure(key: str) -> Callable[[Run], float]:
    return lambda run: float(run[key])


def search_figure(word: str, part: str) -> Callable[[Run], float]:
    return lambda run: float(run["search"][word][part])


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs (and the worst), per figure."""

    def stat(get: Callable[[dict[str, Any]], float]) -> dict[str, float]:
        values = [get(r) for r in runs]
        return {"median": round(statistics.median(values), 1), "max": round(max(values), 1)}

    figures: dict[str, Any] = {}
    for key in (
        "spawned_to_main_ms",
        "imports_ms",
        "build_ms",
        "start_to_lock_screen_ms",
        "unlock_ms",
        "kdf_ms",
        "start_to_window_ms",
        "start_to_today_ms",
        "visits_loaded_after_nav_ms",
        "visits_first_page_ms",
        "rss_mb",
        "peak_rss_mb",
    ):
        figures[key] = stat(figure(key))
    figures["start_to_window_excl_kdf_ms"] = stat(lambda r: r["start_to_window_ms"] - r["kdf_ms"])
    figures["unlock_excl_kdf_ms"] = stat(lambda r: r["unlock_ms"] - r["kdf_ms"])
    figures["visits_reload_ms"] = stat(
        lambda r: statistics.median(x["shown_ms"] for x in r["visits_reload"])
    )
    figures["visits_reload_fetch_ms"] = stat(
        lambda r: statistics.median(x["loaded_ms"] for x in r["visits_reload"])
    )
    for word in SEARCH_WORDS:
        for part in ("typed_to_results_ms", "debounce_ms", "after_debounce_ms", "open_ms"):
            figures[f"search_{word}_{part}"] = stat(search_figure(word, part))
        figures[f"search_{word}_hits"] = runs[0]["search"][word]["hits"]
    figures["search_ms"] = stat(
        lambda r: max(r["search"][w]["typed_to_results_ms"] for w in SEARCH_WORDS)
    )
    figures["search_excl_debounce_ms"] = stat(
        lambda r: max(r["search"][w]["after_debounce_ms"] for w in SEARCH_WORDS)
    )
    return figures


def target_verdicts(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "limit": limit,
            "unit": unit,
            "value": figures[key]["median"],
            "met": figures[key]["median"] < limit,
        }
        for key, (limit, unit) in TARGETS.items()
    }


def table_lines(report: dict[str, Any]) -> Iterator[str]:
    f, m, v = report["figures"], report["machine"], report["vault"]
    yield (
        f"FieldKit desktop start-up, {report['date']}: {m['cpus']} CPUs, Python {m['python']}, "
        f"PySide6 {m['pyside6']}, Qt {m['qt']}, QT_QPA_PLATFORM=offscreen"
    )
    reused = " (a kept one)" if v["reused"] else ""
    reused = f", bulk-loaded in {v['build_s']:,.1f} s{reused}"
    yield (
        f"Vault: {v['records']:,} records ({report['sizes']['visits']:,} visits, "
        f"{report['sizes']['interviews']:,} interviews), {v['file_mb']:,} MB{reused}; "
        f"{report['runs']} fresh processes, medians (max)"
    )
    yield ""
    header = f"{'measure':<50}{'median':>10}{'max':>10}   target"
    yield header
    yield "-" * (len(header) + 16)
    targets = report["targets"]

    def row(label: str, key: str, unit: str = "ms") -> str:
        stat = f[key]
        target = ""
        if key in targets:
            t = targets[key]
            target = f"< {t['limit']:g} {t['unit']}  {'ok' if t['met'] else 'MISSED'}"
        return f"{label:<50}{stat['median']:>10.1f}{stat['max']:>10.1f}   {target}".rstrip()

    yield row("spawn -> bench script running (Python + services)", "spawned_to_main_ms")
    yield row("  Qt and fieldkit.app imports", "imports_ms")
    yield row("  build(): QApplication, window, pages", "build_ms")
    yield row("spawn -> lock screen painted", "start_to_lock_screen_ms")
    yield row("unlock click -> main window painted", "unlock_ms")
    yield row("  of which Argon2id (KDF)", "kdf_ms")
    yield row("  without the KDF", "unlock_excl_kdf_ms")
    yield row("spawn -> unlocked main window painted", "start_to_window_ms")
    yield row("spawn -> unlocked main window, excluding the KDF", "start_to_window_excl_kdf_ms")
    yield row("spawn -> Today's content set", "start_to_today_ms")
    yield row("Ctrl+3 at once -> Visits sig_loaded", "visits_loaded_after_nav_ms")
    yield row("Ctrl+3 at once -> first Visits page painted", "visits_first_page_ms")
    yield row("Visits reload when idle -> sig_loaded", "visits_reload_fetch_ms")
    yield row("Visits reload when idle -> painted", "visits_reload_ms")
    for word in SEARCH_WORDS:
        hits = int(f[f"search_{word}_hits"])
        yield row(f"search '{word}' ({hits} hits): Ctrl+K -> dialog", f"search_{word}_open_ms")
        yield row("  text set -> results painted", f"search_{word}_typed_to_results_ms")
        yield row("  of which the debounce", f"search_{word}_debounce_ms")
        yield row("  debounce fired -> results painted", f"search_{word}_after_debounce_ms")
    yield row("search, the slower word, text set -> painted", "search_ms")
    yield row("search, the slower word, after the debounce", "search_excl_debounce_ms")
    yield row("VmRSS after browsing every screen (MB)", "rss_mb")
    yield row("VmHWM, the peak (MB)", "peak_rss_mb")
    missed = [key for key, t in targets.items() if not t["met"]]
    yield ""
    yield "Targets: all met" if not missed else f"Targets missed: {', '.join(missed)}"


def machine() -> dict[str, Any]:
    import PySide6  # noqa: PLC0415
    from PySide6.QtCore import qVersion  # noqa: PLC0415

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": qVersion(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 records")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=None, help="fresh processes to measure")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the vault here")
    parser.add_argument("--tmp", type=Path, default=None, help="where to make the temp dir")
    parser.add_argument("--child", nargs=2, metavar=("VAULT", "SPAWNED_AT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(Path(args.child[0]), float(args.child[1]))
    sizes = QUICK if args.quick else FULL
    runs = args.runs or sizes.runs
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fieldkit-startup-", dir=args.tmp) as tmp:
        vault_dir, vault = vault_for(sizes, args.seed, args.keep, Path(tmp))
        measured = []
        for n in range(runs):
            progress(f"measured process {n + 1} of {runs}")
            measured.append(run_child(vault_dir, Path(tmp) / "home"))
    figures = summarize(measured)
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": dataclasses.asdict(sizes),
        "vault": vault,
        "runs": runs,
        "figures": figures,
        "targets": target_verdicts(figures),
        "raw": measured,
        "total_s": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for line in table_lines(report):
            print(line)
        print(f"Total run time: {report['total_s']:,.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
