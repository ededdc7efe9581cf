"""The one way to leave the UI thread: service calls run on a worker thread, and their result
or error comes back on the GUI thread through a signal.

One runner is the database worker: vault work is serialized there (the vault has one SQLite
connection) and the window never waits on a query. A second runner of the same kind, named
"fieldkit-sync", carries headquarters sync (network and the engine's own short vault
transactions, which the store's lock serializes with the database worker's), so a slow
network never holds up a query.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)

T = TypeVar("T")
Failed = Callable[[BaseException], None]
# What waits for a task's result; typed at `run`, where the call and its callback meet.
_Done = Callable[[Any], None]


class _Worker(QObject):
    sig_finished = Signal(int, object)
    sig_failed = Signal(int, object)

    @Slot(int, object)
    def run_call(self, token: int, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except BaseException as error:
            self.sig_failed.emit(token, error)
        else:
            self.sig_finished.emit(token, result)


class TaskRunner(QObject):
    """Runs callables on its worker thread (the database worker, or the sync worker);
    callbacks run on the GUI thread.

    A callback tied to a `receiver` widget is dropped if the widget was deleted meanwhile.
    Errors without an `on_error` go to `default_error_handler`.
    """

    sig_submitted = Signal(int, object)
    sig_busy_changed = Signal(bool)  # True while any task is queued or running

    def __init__(
        self,
        default_error_handler: Failed,
        parent: QObject | None = None,
        *,
        thread_name: str = "fieldkit-database",
    ) -> None:
        super().__init__(parent)
        self._default_error = default_error_handler
        self._tokens = itertools.count(1)
        self._pending: dict[int, tuple[_Done | None, Failed | None, QObject | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName(thread_name)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self.sig_submitted.connect(self._worker.run_call)
        self._worker.sig_finished.connect(self._on_worker_finished)
        self._worker.sig_failed.connect(self._on_worker_failed)
        self._thread.start()

    def run(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Failed | None = None,
        receiver: QObject | None = None,
    ) -> None:
        """Run `call()` on the worker; then `on_done(result)` or `on_error(error)` here."""
        token = next(self._tokens)
        self._pending[token] = (on_done, on_error, receiver)
        if len(self._pending) == 1:
            self.sig_busy_changed.emit(True)
        self.sig_submitted.emit(token, call)

    def report_error(self, error: BaseException) -> None:
        """Hand an error to the application's error reporter."""
        self._default_error(error)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self) -> None:
        """Finish queued work and stop the worker thread."""
        self._thread.quit()
        self._thread.wait()

    def _take(self, token: int) -> tuple[_Done | None, Failed | None, QObject | None]:
        entry = self._pending.pop(token)
        if not self._pending:
            self.sig_busy_changed.emit(False)
        return entry

    @Slot(int, object)
    def _on_worker_finished(self, token: int, result: Any) -> None:
        on_done, _on_error, receiver = self._take(token)
        if on_done is not None and (receiver is None or isValid(receiver)):
            on_done(result)

    @Slot(int, object)
    def _on_worker_failed(self, token: int, error: BaseException) -> None:
        _on_done, on_error, receiver = self._take(token)
        if receiver is not None and not isValid(receiver):
            return
        (on_error or self._default_error)(error)
