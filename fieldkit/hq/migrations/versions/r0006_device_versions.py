"""The FieldKit version each device last synced with, as its requests say (the console's
"App version" column).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = 64


def upgrade() -> None:
    op.create_table(
        "device_versions",
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("reported_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_versions"),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
