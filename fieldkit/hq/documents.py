"""Reading records' current fields as HQ stores them: a document per record, with versions of
their own for the fields edited after it (fieldkit/hq/tables.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from fieldkit.hq.doc_codec import codec_of
from fieldkit.hq.tables import field_versions, records
from fieldkit.hq.visibility import chunked, visible_join


def visible_fields(conn: Connection, node: str, record_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every current field of the listed records the device holding `node` may see, as
    protocol RemoteChange objects (plain dicts)."""
    source, record, visible = visible_join(node)
    found: list[dict[str, Any]] = []
    for chunk in chunked(list(record_ids)):
        rows = conn.execute(
            select(record.c.record_id, record.c.kind, record.c.doc, record.c.hlc, record.c.node)
            .select_from(source)
            .where(record.c.record_id.in_(chunk), visible)
        ).all()
        own = _own_versions(conn, [row.record_id for row in rows])
        codec = codec_of(conn)
        for row in rows:
            versions = own.get(row.record_id, {})
            for name, value in codec.load(conn, row.doc).items():
                hlc, node_ = versions.get(name, (row.hlc, row.node))
                found.append(
                    {"kind": row.kind, "record": row.record_id, "field": name,
                     "value": value, "hlc": hlc, "node": node_}
                )  # fmt: skip
    return found


def documents_of_kind(conn: Connection, kind: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(record id, its fields as plain values, its owner node) for every record of `kind`."""
    rows = conn.execute(
        select(records.c.record_id, records.c.doc, records.c.owner_node).where(
            records.c.kind == kind
        )
    )
    codec = codec_of(conn)
    for record_id, doc, owner in rows.all():
        yield record_id, codec.load(conn, doc), owner


def _own_versions(conn: Connection, ids: list[str]) -> dict[str, dict[str, tuple[int, str]]]:
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for chunk in chunked(ids):
        rows = conn.execute(
            select(field_versions.c.record_id, field_versions.c.field, field_versions.c.hlc,
                   field_versions.c.node).where(field_versions.c.record_id.in_(chunk))
        )  # fmt: skip
        for record_id, name, hlc, node in rows:
            found.setdefault(record_id, {})[name] = (hlc, node)
    return found
