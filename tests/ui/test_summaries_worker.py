"""Today's summary runs on a worker of its own, over the vault's read-only connection: a list
opened while it runs does not wait for it, and locking meanwhile is quiet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from fieldkit.domain.records import Visit
from fieldkit.services import today
from fieldkit.ui import today_view
from fieldkit.ui.controller import AppController
from tests.ui.test_app_flow import first_run


@pytest.fixture
def slow_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Today's summary holds until the returned event is set."""
    release = threading.Event()
    started = threading.Event()

    def held(records: Any) -> today.TodaySummary:
        started.set()
        release.wait(20)
        return today.today_summary(records)

    monkeypatch.setattr(today_view, "today_summary", held)
    release.started = started  # type: ignore[attr-defined]
    yield release
    release.set()  # never leave the worker held when a test fails


def summary_held(qtbot, controller: AppController, slow_today: threading.Event) -> None:  # type: ignore[no-untyped-def]
    """The vault open and Today's summary running, held."""
    first_run(qtbot, controller)
    controller.window.workspace.today.refresh()
    qtbot.waitUntil(slow_today.started.is_set, timeout=5_000)  # type: ignore[attr-defined]


def test_a_list_loads_while_todays_summary_is_still_running(
    qtbot, controller: AppController, slow_today: threading.Event
) -> None:  # type: ignore[no-untyped-def]
    summary_held(qtbot, controller, slow_today)
    visits = controller.window.workspace.kind_pages[Visit.KIND].records.model
    with qtbot.waitSignal(visits.sig_loaded, timeout=5_000):
        visits.reload()
    assert not slow_today.is_set()  # the summary is still held: the list did not wait for it
    slow_today.set()
    qtbot.waitUntil(lambda: "Today" in controller.window.workspace.today.heading.text())
    assert controller.errors == []  # type: ignore[attr-defined]


def test_locking_while_the_summary_runs_shows_no_error(
    qtbot, controller: AppController, slow_today: threading.Event
) -> None:  # type: ignore[no-untyped-def]
    summary_held(qtbot, controller, slow_today)
    controller.lock()
    slow_today.set()
    qtbot.waitUntil(lambda: not controller.summaries.busy, timeout=5_000)
    assert controller.errors == []  # type: ignore[attr-defined]
    assert controller.window.workspace.today.body.toPlainText() == ""
