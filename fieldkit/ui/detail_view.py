"""A read-only pane that shows one record's fields, built from the field specs.

An interview shows only its metadata here: its notes, risk notes, safe-contact notes and
anything else that could identify the person are read in the interview's own editor (read-only
for an interview this device may not change), which the pane's "Open the interview" link opens,
so selecting a row in a list never puts a worker's words on screen.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from fieldkit.domain.fields import FieldSpec, FieldType, Model
from fieldkit.domain.records import KINDS, Case, Facility, Grant, Interview, Record
from fieldkit.domain.sync_state import RecordSyncState
from fieldkit.errors import RecordNotFound
from fieldkit.i18n import _, format_date
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import format_value
from fieldkit.ui.related import Related, related_records
from fieldkit.ui.summaries import case_summary_html, facility_summary_html, grant_summary_html
from fieldkit.ui.theme import NOTICE, PROBLEM, colour, muted

LINK_SCHEME = "fieldkit"
OPEN_LINK = f"{LINK_SCHEME}:open"  # opens the record shown (an interview, to read its notes)
_REF_TYPES = (FieldType.REF, FieldType.REFS)
_STYLE = """
h2 {{ margin: 0 0 2px 0; }}
.kind {{ color: {muted}; margin: 0 0 10px 0; }}
dt {{ font-weight: 600; margin-top: 8px; }}
dd {{ margin: 0 0 0 0; }}
table.items {{ border-collapse: collapse; margin-top: 2px; }}
table.items th {{ text-align: left; background: {button}; color: {button_text}; padding: 2px 6px; }}
table.items td {{ padding: 2px 6px; border-top: 1px solid {midlight}; }}
.notice {{ color: {notice}; margin-top: 12px; }}
.notice a {{ color: {notice}; }}
.read-only {{ color: {notice}; font-weight: 600; margin: 4px 0 6px 0; }}
.deleted {{ color: {problem}; font-weight: 600; }}
.meta {{ color: {muted}; margin-top: 14px; }}
.sync {{ color: {muted}; margin: 0; }}
.sync-conflict {{ color: {problem}; font-weight: 600; margin: 0; }}
h3 {{ margin: 14px 0 2px 0; }}
ul.related {{ margin: 0; }}
"""


def style_sheet() -> str:
    """The pane's CSS for the application palette (a document's CSS knows no palette())."""
    palette = QGuiApplication.palette()
    return _STYLE.format(
        muted=muted(QPalette.ColorRole.Base).name(),
        button=palette.color(QPalette.ColorRole.Button).name(),  # a header, as in a list's
        button_text=palette.color(QPalette.ColorRole.ButtonText).name(),
        midlight=palette.color(QPalette.ColorRole.Midlight).name(),
        notice=colour(NOTICE).name(),
        problem=colour(PROBLEM).name(),
    )


def hidden_fields(record: Record) -> frozenset[str]:
    """Fields the detail pane never shows for this record."""
    if isinstance(record, Interview):
        # Every long text (the notes above all) and whatever could identify the person,
        # except the pseudonym that lists already show.
        return frozenset(
            spec.name
            for spec in record.specs()
            if spec.type is FieldType.LONGTEXT or (spec.identifying and spec.name != "pseudonym")
        )
    return frozenset()


class DetailView(QTextBrowser):
    """Shows one record as a definition list. With a context it also resolves linked
    records to their titles, off the GUI thread, and offers them as links."""

    sig_link_activated = Signal(str, str)  # kind, record id of a linked record clicked
    sig_open_requested = Signal(object)  # the record shown: its "Open the interview" link

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._record: Record | None = None
        self._titles: dict[str, str] = {}
        self._state: RecordSyncState | None = None  # where it stands with headquarters
        self._related: list[Related] = []  # a visit's interviews, a facility's visits
        self._generation = 0
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setAccessibleName(_("Record details"))
        self.anchorClicked.connect(self._on_self_anchor_clicked)
        if ctx is not None:
            ctx.sig_language_changed.connect(self._on_ctx_language_changed)
            ctx.sig_sync_states_changed.connect(self._on_ctx_sync_states_changed)
            ctx.sig_reviewer_changed.connect(self._render)

    @property
    def record(self) -> Record | None:
        return self._record

    def show_record(self, record: Record | None) -> None:
        if record is None:
            self.clear()
            return
        self._generation += 1
        self._record, self._titles, self._state, self._related = record, {}, None, []
        self._render()
        self._resolve_links(record)

    def read_only_reason(self) -> str | None:
        """Why the record shown cannot be changed here (reviewer mode), or None."""
        if self._record is None or self._ctx is None:
            return None
        return self._ctx.reviewer.why_read_only(self._record)

    @property
    def sync_state(self) -> RecordSyncState | None:
        """Where the record shown stands with headquarters (None until read)."""
        return self._state

    def clear(self) -> None:
        self._generation += 1
        self._record, self._titles, self._state, self._related = None, {}, None, []
        super().clear()

    # --- rendering ----------------------------------------------------------------------

    def _render(self) -> None:
        record = self._record
        if record is None:
            return
        hidden = hidden_fields(record)
        read_only = self.read_only_reason()
        parts = [
            f"<h2>{_e(record.title or _('(untitled)'))}</h2>",
            f"<p class='kind'>{_e(_(record.LABEL))}</p>",
            *self._standing_html(record, read_only),
        ]
        if isinstance(record, Grant):
            parts.append(grant_summary_html(record, self.document()))
        elif isinstance(record, Case):
            parts.append(case_summary_html(record))
        elif isinstance(record, Facility):
            parts.append(facility_summary_html(record))
        rows = []
        for spec in record.specs():
            if spec.name in hidden:
                continue
            value_html = self._value_html(spec, getattr(record, spec.name))
            if value_html:
                rows.append(f"<dt>{_e(_(spec.label))}</dt><dd>{value_html}</dd>")
        if rows:
            parts.append(f"<dl>{''.join(rows)}</dl>")
        parts.extend(self._related_html())
        if isinstance(record, Interview):  # a link: Tab reaches it, Enter opens it
            notice = _("Open the interview to read its notes.")
            parts.append(f"<p class='notice'><a href='{OPEN_LINK}'>{_e(notice)}</a></p>")
        changed = format_date(record.updated_at.astimezone().date())
        meta = _("Last changed {date}").format(date=changed)
        parts.append(f"<p class='meta'>{_e(meta)}</p>")
        self.document().setDefaultStyleSheet(style_sheet())
        self.setHtml("".join(parts))

    def _standing_html(self, record: Record, read_only: str | None) -> list[str]:
        """The lines under the kind: deleted, where it stands with headquarters, and why it
        cannot be changed here (reviewer mode)."""
        parts = []
        if record.deleted:
            parts.append(f"<p class='deleted'>{_e(_('This record is deleted.'))}</p>")
        if self._state is not None:
            css = "sync-conflict" if self._state is RecordSyncState.CONFLICT else "sync"
            parts.append(f"<p class='{css}'>{_e(_(self._state.label))}</p>")
        if read_only:
            parts.append(f"<p class='read-only'>{_e(read_only)}</p>")
        return parts

    def _value_html(self, spec: FieldSpec, value: Any) -> str:
        if spec.type is FieldType.ITEMS:
            return _items_table(spec, value)
        if spec.type in _REF_TYPES:
            ids = value if isinstance(value, tuple) else (value,) if value else ()
            return ", ".join(self._link(spec, record_id) for record_id in ids)
        text = format_value(spec, value)
        return _e(text).replace("\n", "<br>") if text else ""

    def _link(self, spec: FieldSpec, record_id: str) -> str:
        title = self._titles.get(record_id)
        if title is None:  # not resolved (yet): say so rather than show an id
            return _e(_("(loading…)") if self._ctx is not None else record_id)
        return _anchor(spec.target or "", record_id, title)

    def _related_html(self) -> list[str]:
        """Each list of records that point here (a visit's interviews), every one a link."""
        parts = []
        for group in self._related:
            items = "".join(
                f"<li>{_anchor(group.kind, record_id, title)}</li>"
                for record_id, title in group.records
            )
            parts.append(f"<h3>{_e(_(group.heading))}</h3><ul class='related'>{items}</ul>")
        return parts

    # --- linked records -----------------------------------------------------------------

    def _resolve_links(self, record: Record) -> None:
        """Read, on the database worker, the titles of the records this one links to, the
        records that link here, and where it stands with headquarters."""
        targets = [
            (KINDS[spec.target], record_id)
            for spec in record.specs()
            if spec.type in _REF_TYPES and spec.target and spec.name not in hidden_fields(record)
            for record_id in _ids(getattr(record, spec.name))
        ]
        if self._ctx is None or self._ctx.vault is None:
            return
        generation = self._generation

        def work(vault: Vault) -> tuple[dict[str, str], RecordSyncState, list[Related]]:
            found: dict[str, str] = {}
            for cls, record_id in targets:
                try:
                    target = vault.records.get(cls, record_id)
                except RecordNotFound:
                    found[record_id] = _("(missing record)")
                    continue
                title = target.title or _(cls.LABEL)
                if target.deleted:
                    title = _("{title} (deleted)").format(title=title)
                found[record_id] = title
            state = vault.sync.record_states(record.KIND, [record.id])[record.id]
            return found, state, related_records(vault, record)

        def on_done(result: tuple[dict[str, str], RecordSyncState, list[Related]]) -> None:
            if generation == self._generation:
                self._titles, self._state, self._related = result
                self._render()

        def on_error(_error: BaseException) -> None:
            # Only the links' titles are missing: show the record without them.
            if generation == self._generation:
                self._titles = {record_id: _("(unavailable)") for _cls, record_id in targets}
                self._render()

        self._ctx.call(work, on_done, on_error, receiver=self)

    def _on_ctx_sync_states_changed(self) -> None:
        record = self._record
        if record is None or self._ctx is None or self._ctx.vault is None:
            return
        generation = self._generation

        def on_done(states: dict[str, RecordSyncState]) -> None:
            if generation == self._generation:
                self._state = states.get(record.id)
                self._render()

        self._ctx.call(
            lambda vault: vault.sync.record_states(record.KIND, [record.id]),
            on_done,
            lambda _error: None,  # the line keeps what it said; the next change reads it again
            receiver=self,
        )

    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() != LINK_SCHEME:
            return
        if url.toString() == OPEN_LINK:
            if self._record is not None:
                self.sig_open_requested.emit(self._record)
            return
        kind, _sep, record_id = url.path().partition("/")
        if kind in KINDS and record_id:
            self.sig_link_activated.emit(kind, record_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the OS went light or dark
            self._render()

    def _on_ctx_language_changed(self) -> None:
        self._render()


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value,) if value else ()


def _items_table(spec: FieldSpec, items: tuple[Model, ...]) -> str:
    if not items or spec.item is None:
        return ""
    specs = spec.item.specs()
    head = "".join(f"<th>{_e(_(s.label))}</th>" for s in specs)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_e(format_value(s, getattr(item, s.name)))}</td>" for s in specs)
        + "</tr>"
        for item in items
    )
    return f"<table class='items'><tr>{head}</tr>{body}</table>"


def _anchor(kind: str, record_id: str, title: str) -> str:
    url = f"{LINK_SCHEME}:{kind}/{record_id}"
    return f"<a href='{_e(url)}'>{_e(title)}</a>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)
