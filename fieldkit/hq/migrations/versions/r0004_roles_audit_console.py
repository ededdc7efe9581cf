"""Roles and posts, the audit trail, and the console's admin tokens (only new tables).

- `device_roles`, `reviewer_posts`: a device's role (attaché or reviewer) and post; a
  reviewer's posts. Devices without a row are attachés without a post, as before.
- `code_roles`: the role an enrolment code gives its device.
- `audit_log`: append-only, hash-chained: interview fields served, admin commands run.
- `admin_tokens`, `console_sessions`: console sign-in (digests only).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = 64
SHA = 64
NAME = 100
ROLE = 16


def upgrade() -> None:
    op.create_table(
        "device_roles",
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("role", sa.String(ROLE), nullable=False),
        sa.Column("post", sa.String(NAME)),
        sa.Column("all_posts", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_roles"),
    )
    op.create_table(
        "reviewer_posts",
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("post", sa.String(NAME), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "post", name="pk_reviewer_posts"),
    )
    op.create_table(
        "code_roles",
        sa.Column("code_sha256", sa.String(SHA), nullable=False),
        sa.Column("role", sa.String(ROLE), nullable=False),
        sa.Column("post", sa.String(NAME)),
        sa.Column("posts", sa.Text()),
        sa.PrimaryKeyConstraint("code_sha256", name="pk_code_roles"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("device_id", sa.String(ID)),
        sa.Column("record_id", sa.String(ID)),
        sa.Column("field", sa.String(64)),
        sa.Column("actor", sa.String(NAME)),
        sa.Column("detail", sa.Text()),
        sa.Column("hash", sa.String(SHA), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_device_id", "audit_log", ["device_id"])
    op.create_index("ix_audit_log_record_id", "audit_log", ["record_id"])
    op.create_table(
        "admin_tokens",
        sa.Column("token_sha256", sa.String(SHA), nullable=False),
        sa.Column("label", sa.String(NAME), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger()),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_admin_tokens"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("session_sha256", sa.String(SHA), nullable=False),
        sa.Column("token_sha256", sa.String(SHA), nullable=False),
        sa.Column("csrf", sa.String(SHA), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("session_sha256", name="pk_console_sessions"),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
