"""Record ids and nodes in 16 bytes (fieldkit/hq/compact_id.py).

A record id or node that is a UUID in canonical lower-case text becomes its 16 bytes; any
other id becomes a zero byte and its text (one more zero byte when that would make 16), so
each column's values read back as they were. SQLite rewrites the values first, then each
table with the column's new type; PostgreSQL converts each column in place.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = {
    "devices": ("node",),
    "device_nodes": ("node",),
    "records": ("record_id", "owner_node", "parent_record", "node"),
    "field_versions": ("record_id", "node"),
    "conflicts": ("record_id",),
    "blobs": ("uploader",),
    "blob_chunks": ("uploader",),
    "audit_log": ("record_id",),
}
UUID_TEXT = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_UUID = re.compile(UUID_TEXT)
_PACK = "fieldkit_pack_id"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for table, columns in COLUMNS.items():
            for column in columns:
                op.alter_column(
                    table, column, type_=sa.LargeBinary(), postgresql_using=_packed_sql(column)
                )
        return
    conn.connection.dbapi_connection.create_function(_PACK, 1, _pack)  # type: ignore[union-attr]
    for table, columns in COLUMNS.items():
        assignments = ", ".join(f"{c} = {_PACK}({c})" for c in columns)
        conn.execute(sa.text(f"UPDATE {table} SET {assignments}"))
        with op.batch_alter_table(table, recreate="always") as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.LargeBinary())


def _pack(text: str | None) -> bytes | None:
    if text is None:
        return None
    if _UUID.fullmatch(text):
        return bytes.fromhex(text.replace("-", ""))
    packed = b"\x00" + text.encode()
    return packed + b"\x00" if len(packed) == 16 else packed


def _packed_sql(column: str) -> str:
    zero = "CAST('\\x00' AS bytea)"
    return (
        f"CASE WHEN {column} ~ '{UUID_TEXT}' THEN decode(replace({column}, '-', ''), 'hex') "
        f"ELSE {zero} || convert_to({column}, 'UTF8') "
        f"|| CASE WHEN octet_length({column}) = 15 THEN {zero} ELSE CAST('' AS bytea) END END"
    )


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
