"""One row per record: a record's fields as one JSON document, versions per field only where
they differ from the record's.

`fields` held one row per field (record id, field name, node, clock, sequence number and
value): 13 rows and 13 index entries for a visit. Each record now keeps its fields in
`records.doc` (written here as plain JSON; HQ compresses documents it writes later) with one
version and one sequence number; `field_versions` holds the fields an
edit changed after the record was written. The record's version becomes the one most of its
fields share (ties: the earliest); its sequence number the highest among those fields, so a
device whose cursor stopped between them pulls them again (harmless: devices keep the newer
version of each field) and never misses one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = 64
CHUNK = 500
RAW = b"\x00"  # a document stored as plain UTF-8 JSON (fieldkit/hq/doc_codec.py)

_UPDATE = sa.text(
    "UPDATE records SET doc = :doc, hlc = :hlc, node = :node, seq = :seq WHERE record_id = :rid"
)
_VERSION = sa.text(
    "INSERT INTO field_versions (record_id, field, hlc, node, seq) "
    "VALUES (:rid, :field, :hlc, :node, :seq)"
)


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("doc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("hlc", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("node", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
    op.create_table(
        "field_versions",
        sa.Column("record_id", sa.String(ID), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("node", sa.String(ID), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "field", name="pk_field_versions"),
    )
    op.create_index("ix_field_versions_seq", "field_versions", ["seq"])
    op.create_table(
        "doc_dictionaries",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_doc_dictionaries"),
    )
    _fold_fields(op.get_bind())
    with op.batch_alter_table("records") as batch:
        for name in ("doc", "hlc", "node", "seq"):
            batch.alter_column(name, nullable=False)
        batch.create_index("ix_records_seq", ["seq"])
    op.drop_table("fields")


def _fold_fields(conn: sa.Connection) -> None:
    """Each record's field rows become its document, its version and its field versions."""
    ids = [str(i) for i in conn.execute(sa.text("SELECT record_id FROM records")).scalars()]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = conn.execute(
            sa.text(
                "SELECT record_id, field, value, hlc, node, seq FROM fields "
                "WHERE record_id IN :ids ORDER BY record_id, seq"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": chunk},
        ).all()
        by_record: dict[str, list[Any]] = {}
        for row in rows:
            by_record.setdefault(row.record_id, []).append(row)
        updates: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        for record_id, fields in by_record.items():
            shared = Counter((f.hlc, f.node) for f in fields)
            top = max(shared.values())
            hlc, node = next((f.hlc, f.node) for f in fields if shared[(f.hlc, f.node)] == top)
            at_record = [f for f in fields if (f.hlc, f.node) == (hlc, node)]
            doc = ",".join(f"{json.dumps(f.field)}:{f.value}" for f in fields)
            seq = max(f.seq for f in at_record)
            text = f"{{{doc}}}".encode()
            updates.append(
                {"rid": record_id, "doc": RAW + text, "hlc": hlc, "node": node, "seq": seq}
            )
            versions.extend(
                {"rid": record_id, "field": f.field, "hlc": f.hlc, "node": f.node, "seq": f.seq}
                for f in fields
                if (f.hlc, f.node) != (hlc, node)
            )
        if updates:
            conn.execute(_UPDATE, updates)
        if versions:
            conn.execute(_VERSION, versions)
    # A record HQ holds no field of (all its fields were defaults) has an empty document.
    conn.execute(
        sa.text(
            "UPDATE records SET doc = :doc, hlc = 0, node = owner_node, seq = 0 WHERE doc IS NULL"
        ),
        {"doc": RAW + b"{}"},
    )


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
