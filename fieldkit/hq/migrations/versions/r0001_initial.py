"""HQ's first schema: devices and enrolment codes, records and their fields, conflicts,
acknowledged batches, the server sequence, shared settings, and attachment bytes.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = 64
SHA = 64
NAME = 100


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("label", sa.String(NAME), nullable=False),
        sa.Column("node", sa.String(ID), nullable=False),
        sa.Column("token_sha256", sa.String(SHA), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_at", sa.BigInteger()),
        sa.Column("revoked_at", sa.BigInteger()),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_sha256", name="uq_devices_token_sha256"),
    )
    op.create_index("ix_devices_node", "devices", ["node"])
    op.create_table(
        "enrolment_codes",
        sa.Column("code_sha256", sa.String(SHA), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger()),
        sa.Column("device_id", sa.String(ID)),
        sa.PrimaryKeyConstraint("code_sha256", name="pk_enrolment_codes"),
    )
    op.create_table(
        "records",
        sa.Column("record_id", sa.String(ID), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("owner_node", sa.String(ID), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("parent_record", sa.String(ID)),
        sa.Column("blob_sha256", sa.String(SHA)),
        sa.PrimaryKeyConstraint("record_id", name="pk_records"),
    )
    op.create_index("ix_records_parent_record", "records", ["parent_record"])
    op.create_index("ix_records_blob_sha256", "records", ["blob_sha256"])
    op.create_table(
        "fields",
        sa.Column("record_id", sa.String(ID), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("node", sa.String(ID), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "field", name="pk_fields"),
    )
    op.create_index("ix_fields_seq", "fields", ["seq"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(ID), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("kept", sa.Text(), nullable=False),
        sa.Column("other", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
    )
    op.create_index("ix_conflicts_record_id", "conflicts", ["record_id"])
    op.create_index("ix_conflicts_seq", "conflicts", ["seq"])
    op.create_table(
        "batches",
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("batch_id", sa.String(ID), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "batch_id", name="pk_batches"),
    )
    counter = op.create_table(
        "sequence_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sequence_counter"),
    )
    settings = op.create_table(
        "server_settings",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_server_settings"),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(SHA), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(SHA), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "start", name="pk_blob_chunks"),
    )
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    # The id devices enrol with: made once per database, so every HQ process sharing this
    # database answers health checks with the same one.
    op.bulk_insert(settings, [{"name": "server_id", "value": "hq-" + secrets.token_hex(8)}])


def downgrade() -> None:
    for table in (
        "blob_chunks",
        "blobs",
        "server_settings",
        "sequence_counter",
        "batches",
        "conflicts",
        "fields",
        "records",
        "enrolment_codes",
        "devices",
    ):
        op.drop_table(table)
