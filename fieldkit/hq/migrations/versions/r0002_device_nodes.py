"""Nodes bound to devices, replacement codes, and blobs kept per uploader.

- `device_nodes`: which device holds each node. Filled from `devices`: where several devices
  sent the same node, the newest device not revoked holds it (else the newest one); the others
  hold no node and see only what is shared until the admin revokes them (`devices` shows `-`).
- `enrolment_codes.replaces`: the revoked device a code's new device takes over from.
- `blobs` and `blob_chunks` gain `uploader` in their primary key. A blob already held goes to
  the owner of an attachment naming it (the smallest node when several do); a blob no
  attachment names gets an empty uploader, which no device holds, so nobody reads it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = 64


def upgrade() -> None:
    op.create_table(
        "device_nodes",
        sa.Column("node", sa.String(ID), nullable=False),
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("held_since", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("node", name="pk_device_nodes"),
    )
    op.create_index("ix_device_nodes_device_id", "device_nodes", ["device_id"])
    op.execute(
        "INSERT INTO device_nodes (node, device_id, held_since) "
        "SELECT d.node, d.id, d.created_at FROM devices d WHERE d.id = ("
        " SELECT d2.id FROM devices d2 WHERE d2.node = d.node"
        " ORDER BY CASE WHEN d2.revoked_at IS NULL THEN 0 ELSE 1 END,"
        " d2.created_at DESC, d2.id DESC LIMIT 1)"
    )
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.add_column(sa.Column("replaces", sa.String(ID)))
    _add_uploader("blobs")
    op.execute(
        "UPDATE blobs SET uploader = COALESCE((SELECT MIN(r.owner_node) FROM records r"
        " WHERE r.blob_sha256 = blobs.sha256 AND r.kind = 'attachment'), '')"
    )
    _add_uploader("blob_chunks")
    op.execute(
        "UPDATE blob_chunks SET uploader = COALESCE((SELECT b.uploader FROM blobs b"
        " WHERE b.sha256 = blob_chunks.sha256), '')"
    )
    _key_with_uploader("blobs", ["sha256", "uploader"])
    _key_with_uploader("blob_chunks", ["sha256", "uploader", "start"])


def _add_uploader(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("uploader", sa.String(ID), nullable=False, server_default=""))


def _key_with_uploader(table: str, key: list[str]) -> None:
    with op.batch_alter_table(table, recreate="always") as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", key)
        batch.alter_column("uploader", server_default=None)


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
