"""Lean storage: fields at their default, written when their record was made, are not kept.

HQ no longer stores a field it never held when the value pushed is the field's default (a
record pulled without it has it at its default: docs/sync-protocol.md, "Protocol 2"). This
removes the rows already stored that way: a field of a record whose value is the default of
its kind and whose version is the one the record was created with (that of its `created_at`).
Any later write to such a field carries a newer clock (no device knew the record before it
was made), so every device still converges on the same values. A field set back to its
default by a later edit keeps its row: it has to beat older values on devices that hold them.

The defaults are those of the record kinds when this revision was written, listed here so the
migration does not change when the domain does.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (kind, the default as HQ stores it (compact JSON), the fields holding that default)
DEFAULTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "attachment",
        '""',
        ("description", "filename", "media_type", "record_id", "record_kind", "sha256"),
    ),
    ("attachment", "0", ("size",)),
    ("attachment", "false", ("deleted",)),
    ("case", '""', ("mexico_grounds", "petitioner", "reference", "summary")),
    ("case", '"none"', ("remediation_party",)),
    ("case", '"petition_received"', ("stage",)),
    ("case", '"rrm_petition"', ("case_type",)),
    (
        "case",
        "[]",
        (
            "allegations",
            "clock_overrides",
            "deadlines",
            "events",
            "interview_ids",
            "remedies",
            "sanctions",
            "tip_ids",
            "visit_ids",
        ),
    ),
    ("case", "false", ("deleted",)),
    ("case", "null", ("facility_id", "received_on")),
    (
        "facility",
        '""',
        (
            "address",
            "cba_registration",
            "employer",
            "municipality",
            "name",
            "parent_company",
            "sector_agreement",
        ),
    ),
    ("facility", '"other"', ("sector",)),
    ("facility", '"unknown"', ("cba_legitimation",)),
    ("facility", "[]", ("labor_events", "unions")),
    ("facility", "false", ("deleted", "priority_sector", "trade_link")),
    ("facility", "null", ("state",)),
    ("grant", '""', ("award_number", "grantee", "name", "objectives")),
    ("grant", "30", ("report_due_days",)),
    ("grant", "6", ("reporting_months",)),
    (
        "grant",
        "[]",
        (
            "disbursements",
            "indicator_actuals",
            "indicators",
            "milestones",
            "reports",
            "sectors",
            "states",
        ),
    ),
    ("grant", "false", ("deleted",)),
    ("grant", "null", ("amount", "period_end", "period_start")),
    (
        "interview",
        '""',
        (
            "consent_scope",
            "language",
            "notes",
            "place",
            "pseudonym",
            "risk_notes",
            "role_details",
            "safe_contact",
            "sharing_summary",
        ),
    ),
    ("interview", '"not_recorded"', ("consent",)),
    ("interview", '"worker"', ("role",)),
    ("interview", "[]", ("follow_ups",)),
    ("interview", "false", ("deleted", "shared")),
    ("interview", "null", ("facility_id", "held_on", "risk", "visit_id")),
    ("tip", '""', ("subject", "summary")),
    ("tip", '"hotline"', ("channel",)),
    ("tip", '"new"', ("triage",)),
    ("tip", "false", ("deleted",)),
    ("tip", "null", ("case_id", "facility_id", "received_on")),
    ("visit", '""', ("findings", "observations", "summary")),
    ("visit", '"draft"', ("status",)),
    ("visit", '"monitoring"', ("purpose",)),
    ("visit", "[]", ("attaches", "follow_ups", "people_met")),
    ("visit", "false", ("deleted",)),
    ("visit", "null", ("end_date", "facility_id", "grant_id", "start_date")),
)

_DELETE = sa.text(
    "DELETE FROM fields WHERE kind = :kind AND value = :value AND field IN :names"
    " AND EXISTS (SELECT 1 FROM fields AS made WHERE made.record_id = fields.record_id"
    " AND made.field = 'created_at' AND made.hlc = fields.hlc AND made.node = fields.node)"
).bindparams(sa.bindparam("names", expanding=True))


def upgrade() -> None:
    for kind, value, names in DEFAULTS:
        op.get_bind().execute(_DELETE, {"kind": kind, "value": value, "names": list(names)})


def downgrade() -> None:
    raise NotImplementedError("HQ migrations go forward only")
