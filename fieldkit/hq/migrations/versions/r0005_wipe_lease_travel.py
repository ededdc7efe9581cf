"""Remote wipe and leases: what HQ orders each device on its next contact.

- `device_controls`: one row per device HQ has given an order or a lease to: when a wipe was
  ordered (and whether unsent changes are to be pushed first), the nonce that binds the signed
  order to it, when the device reported the wipe done, and a lease (days) of its own that
  overrides the global one (server_settings `lease_days`).

HQ's signing and sealing keys are rows of server_settings, made at first use.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = 64


def upgrade() -> None:
    op.create_table(
        "device_controls",
        sa.Column("device_id", sa.String(ID), nullable=False),
        sa.Column("wipe_ordered_at", sa.BigInteger()),
        sa.Column("wipe_keep_unsent", sa.Boolean(), nullable=False),
        sa.Column("wipe_nonce", sa.String(ID)),
        sa.Column("wipe_delivered_at", sa.BigInteger()),
        sa.Column("wiped_at", sa.BigInteger()),
        sa.Column("lease_days", sa.Integer()),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_controls"),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
