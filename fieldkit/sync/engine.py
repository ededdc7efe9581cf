"""One sync round with headquarters: push the journal in batches, pull others' changes in
pages, then move attachment bytes. No Qt; the desktop app runs it on a worker of its own.

Every step can be cut off. The batch about to be sent is saved in the vault first and sent
again, byte for byte, until HQ acknowledges it, and HQ's answer is saved before the journal
acts on it, so a lost answer or a cut round never sends an edit twice under different batch
ids, and never marks an edit sent that HQ did not get (batch.py keeps both).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

from fieldkit.domain.ids import new_id
from fieldkit.domain.records import KINDS
from fieldkit.errors import HqBadResponse
from fieldkit.store import replica
from fieldkit.store.store import Store
from fieldkit.sync.attachments import download_blobs, upload_blobs
from fieldkit.sync.batch import Answer, Outgoing, pack, with_records
from fieldkit.sync.protocol import (
    MAX_PULL_CHANGES,
    MAX_PUSH_CHANGES,
    Conflict,
    SyncRequest,
    SyncResponse,
)
from fieldkit.sync.transport import HqLink

log = logging.getLogger(__name__)

CURSOR = "sync:cursor"
PENDING = "sync:pending"  # the batch sent but not yet acknowledged (JSON SyncRequest)
PENDING_IDS = "sync:pending_ids"  # the journal entries of that batch (a JSON array)
ANSWER = "sync:answer"  # HQ's answer to the batch before it, not yet taken in (batch.Answer)
RESOLVED = "sync:resolved"  # conflict ids resolved here, not yet told to HQ (JSON list)


@dataclass(frozen=True)
class Progress:
    phase: str  # "push", "pull", "upload", "download"
    done: int
    total: int | None = None


@dataclass
class RoundReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    skipped: int = 0  # pulled changes this version of FieldKit cannot store (logged)
    conflicts: int = 0
    uploaded: int = 0
    downloaded: int = 0
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    notes: list[str] = field(default_factory=list)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        link: HqLink,
        *,
        push_limit: int | None = None,
        pull_limit: int = MAX_PULL_CHANGES,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.store = store
        self.link = link
        self._push_limit = push_limit  # fields per push request; None: what HQ takes
        self.pull_limit = pull_limit  # entries per page asked of HQ
        self._progress = on_progress or (lambda _p: None)

    def run(self) -> RoundReport:
        """Push everything, pull everything, then move attachment bytes."""
        report = RoundReport()
        pulled_with_push = self._push(report)
        if not pulled_with_push:
            self._pull(report)
        self._upload_blobs(report)
        self._download_blobs(report)
        traffic = self.link.traffic
        report.requests, report.bytes_sent = traffic.requests, traffic.bytes_sent
        report.bytes_received = traffic.bytes_received
        return report

    # --- push -------------------------------------------------------------------------------

    def _push(self, report: RoundReport) -> bool:
        """Send batches until the journal is empty; True if the last one also pulled.

        While HQ applies one batch, the next is read and packed here (the two run on
        different cores). When HQ's answer comes, the next batch is saved with it and sent
        at once, and the journal takes the answer in while HQ applies that batch: a batch is
        always saved before it is sent, and an answer before it is acted on."""
        pulled = False
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldkit-push") as sender:

            def send(batch: Outgoing) -> Future[SyncResponse]:
                return sender.submit(self.link.sync, batch.encoded)

            batch = self._first_batch()
            reply = send(batch) if batch is not None else None
            while batch is not None and reply is not None:
                upcoming = self._next_batch(batch)
                response = reply.result()
                if response.batch != batch.batch:
                    raise HqBadResponse(reason="batch not acknowledged")
                if upcoming is not None:
                    reply = self._handed_over(batch, upcoming, response, send)
                    self._count(batch, response, report)
                    batch = upcoming
                    continue
                pulled = batch.pull
                batch = self._acknowledged(batch, response, report)
                reply = send(batch) if batch is not None else None
        return pulled

    def _handed_over(
        self,
        sent: Outgoing,
        upcoming: Outgoing,
        response: SyncResponse,
        send: Callable[[Outgoing], Future[SyncResponse]],
    ) -> Future[SyncResponse]:
        """Save HQ's answer to `sent` with `upcoming`, send `upcoming`, and take the answer
        into the journal while HQ applies it (marking a batch's entries sent rewrites their
        pages: the longest write of a push). A cut before the journal has taken the answer
        in leaves it saved: the next round takes it in first (_first_batch)."""
        answer = Answer.of(sent, response)
        with self.store.transaction():
            self.store.set_meta(ANSWER, answer.dumps())
            self._save_pending(upcoming)
        sending = send(upcoming)
        with self.store.transaction():
            self._take_in(answer)
        return sending

    def _acknowledged(
        self, sent: Outgoing, response: SyncResponse, report: RoundReport
    ) -> Outgoing | None:
        """Take HQ's answer to `sent` in (and the page it pulled) with the batch to send next,
        read and saved now; that batch, None when the journal is empty."""
        with self.store.transaction():
            # Refused changes are marked too: quarantining them takes them out of the journal.
            self._take_in(Answer.of(sent, response))
            if sent.pull:
                self._apply_pull(_prepared(response), report)
            upcoming = self._new_batch()
            if upcoming is None:
                self.store.delete_meta(PENDING)
                self.store.delete_meta(PENDING_IDS)
            else:
                self._save_pending(upcoming)
        self._count(sent, response, report)
        if sent.pull and response.more:
            self._pull(report)
        return upcoming

    def _take_in(self, answer: Answer) -> None:
        """The journal after HQ's answer to a batch: its entries sent (or quarantined where
        HQ refused them, with the clocks HQ clamped adopted), its resolved conflicts told."""
        self.store.sync.mark_sent(answer.change_ids)
        self._refused_and_clamped(answer.change_ids, answer.response)
        self._forget_resolved(list(answer.resolved))
        self.store.delete_meta(ANSWER)

    def _count(self, sent: Outgoing, response: SyncResponse, report: RoundReport) -> None:
        rejected = len({(r.change, r.record, r.field) for r in response.rejected})
        report.pushed += sent.count - rejected
        report.rejected += rejected
        self._progress(Progress("push", report.pushed))

    def _refused_and_clamped(self, change_ids: str, response: SyncResponse) -> None:
        """Quarantine what HQ refused and adopt the clocks it clamped: named by change id
        (protocol 1, a batch saved by an earlier FieldKit) or by record and field."""
        for refusal in response.rejected:
            if refusal.change is not None:
                self.store.sync.quarantine(refusal.change, refusal.code, refusal.message)
            elif refusal.record is not None and refusal.field is not None:
                self.store.sync.quarantine_field(
                    change_ids,
                    refusal.record,
                    refusal.field,
                    code=refusal.code,
                    message=refusal.message,
                )
        for clamp in response.clamped:
            if clamp.change is not None:
                self.store.sync.adopt_clamped(clamp.change, clamp.hlc)
            elif clamp.record is not None and clamp.sent is not None:
                self.store.sync.adopt_clamped_record(
                    change_ids, clamp.record, sent=clamp.sent, hlc=clamp.hlc
                )

    def _first_batch(self) -> Outgoing | None:
        """One sent before but not acknowledged (resent as it was), else a new one, saved.
        An answer saved but not yet taken in (a round cut off) is taken in first."""
        answered = self.store.get_meta(ANSWER)
        if answered:
            with self.store.transaction():
                self._take_in(Answer.loads(answered))
        saved = self.store.get_meta(PENDING)
        if saved:
            return Outgoing.read_back(saved, self.store.get_meta(PENDING_IDS))
        with self.store.transaction():
            batch = self._new_batch()
            if batch is not None:
                self._save_pending(batch)
        return batch

    def _next_batch(self, sent: Outgoing) -> Outgoing | None:
        """The batch after `sent`, read while `sent` is on its way (None when `sent` is the
        last one, or its place in the journal is unknown because it was saved earlier)."""
        if sent.last_seq is None or sent.pull:
            return None
        with self.store.reading():
            return self._new_batch(after=sent)

    @property
    def push_limit(self) -> int:
        """Fields per push request: as set, else as many as HQ's answers say it takes (2,000
        from an HQ that does not say)."""
        return self._push_limit or self.link.push_fields

    def _new_batch(self, after: Outgoing | None = None) -> Outgoing | None:
        """The unsent journal entries (past those in `after`) and the conflicts resolved here
        but not yet told, as a batch; None when there is nothing to send.

        The records go as the JSON SQLite wrote (outbox.outgoing): parsing it into models
        only to write it out again cost more than reading it; HQ checks every change."""
        found = self.store.sync.outgoing(
            after_seq=after.last_seq if after else None,
            limit=self.push_limit,
            entries=MAX_PUSH_CHANGES,
        )
        told = set(after.resolved) if after else set()
        resolved = [r for r in self._resolved() if r not in told]
        if not found.count and not resolved:
            return None
        head = SyncRequest(
            cursor=self._cursor(),
            batch=new_id(),
            resolved=resolved,
            pull=found.count < self.push_limit and not found.more,
            limit=self.pull_limit,
        )
        encoded = with_records(head, found.records_json)
        return Outgoing(
            head.batch or "",
            encoded,
            pack(encoded),
            found.change_ids_json,
            found.count,
            tuple(resolved),
            head.pull,
            found.last_seq,
        )

    def _save_pending(self, batch: Outgoing) -> None:
        self.store.set_meta(PENDING, batch.saved)
        self.store.set_meta(PENDING_IDS, batch.change_ids)

    # --- pull -------------------------------------------------------------------------------

    def _pull(self, report: RoundReport) -> None:
        """Pull pages until HQ has no more, in one local transaction for as long as the pages
        keep up: the next page is fetched while one is applied (HQ builds it on another
        core), and when it has arrived by then it is applied in the same transaction. When
        it has not, what was applied is committed before waiting, so a save made meanwhile
        never waits on the network. The cursor is saved only with what was applied: a page
        fetched but never applied (a lost answer, a cut link) is simply fetched again."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldkit-pull") as fetcher:

            def after(page: _Page) -> Future[_Page] | None:
                if not page.response.more:
                    return None
                request = SyncRequest(cursor=page.response.cursor, limit=self.pull_limit)
                return fetcher.submit(self._fetch, request)

            page = self._fetch(SyncRequest(cursor=self._cursor(), limit=self.pull_limit))
            while True:
                upcoming = after(page)
                with self.store.transaction():
                    self._apply_pull(page, report)
                    while upcoming is not None and _arrived(upcoming):
                        page = upcoming.result()
                        upcoming = after(page)
                        self._apply_pull(page, report)
                if upcoming is None:
                    return
                page = upcoming.result()

    def _fetch(self, request: SyncRequest) -> _Page:
        """A page from HQ, prepared in the fetching thread while the page before is written."""
        return _prepared(self.link.sync(request))

    def _apply_pull(self, page: _Page, report: RoundReport) -> None:
        """Store one page of others' changes and conflicts; call inside a transaction."""
        response = page.response
        applied = self.store.sync.apply(page.pulled)
        if applied.latest:
            self.store.observe_clock(applied.latest)
        for conflict in response.conflicts:
            if conflict.kind not in KINDS:
                continue
            if conflict.resolved:
                self.store.sync.drop_conflict(conflict.id)
            else:
                self.store.sync.save_conflict(_stored(conflict))
                report.conflicts += 1
        if response.cursor < self._cursor():
            log.warning("HQ moved this device's cursor back (restored from a backup?)")
        self.store.set_meta(CURSOR, str(response.cursor))
        report.skipped += applied.skipped
        report.pulled += page.fields - applied.skipped
        self._progress(Progress("pull", report.pulled))

    def _cursor(self) -> int:
        return int(self.store.get_meta(CURSOR) or 0)

    # --- resolved conflicts -------------------------------------------------------------------

    def _resolved(self) -> list[str]:
        return list(json.loads(self.store.get_meta(RESOLVED) or "[]"))

    def _forget_resolved(self, sent: list[str]) -> None:
        left = [c for c in self._resolved() if c not in set(sent)]
        self.store.set_meta(RESOLVED, json.dumps(left))

    # --- attachment bytes -----------------------------------------------------------------------

    def _upload_blobs(self, report: RoundReport) -> None:
        def done(count: int, total: int) -> None:
            self._progress(Progress("upload", count, total))

        report.uploaded += upload_blobs(self.store, self.link, done)

    def _download_blobs(self, report: RoundReport) -> None:
        def done(count: int, total: int) -> None:
            self._progress(Progress("download", count, total))

        report.downloaded += download_blobs(self.store, self.link, done, report.notes)


class _Page(NamedTuple):
    """A pulled page as HQ sent it, prepared for the vault."""

    response: SyncResponse
    pulled: replica.Pulled
    fields: int  # the fields it carries


def _prepared(response: SyncResponse) -> _Page:
    """A page's fields, its records planned as new to the vault where they came with their
    creation (pure work: no database)."""
    incoming = [
        replica.Incoming(c.kind, c.record, c.field, c.value, c.hlc, c.node)
        for c in response.changes
    ]
    for r in response.records:
        incoming.extend(
            replica.Incoming(r.kind, r.record, name, value, r.hlc, r.node)
            for name, value in r.fields.items()
        )
    return _Page(response, replica.prepare(incoming), len(incoming))


def _arrived(page: Future[_Page]) -> bool:
    """Whether the next page is here and good (an error is raised outside the transaction)."""
    return page.done() and page.exception() is None


def _stored(conflict: Conflict) -> replica.StoredConflict:
    return replica.StoredConflict(
        id=conflict.id,
        kind=conflict.kind,
        record_id=conflict.record,
        field=conflict.field,
        kept=conflict.kept.model_dump(),
        other=conflict.other.model_dump(),
        received_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
