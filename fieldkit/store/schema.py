"""The vault schema, built by sqlite-utils migrations. Each migration is frozen once released:
a change to the records adds a migration, it never edits one.

Record references are plain columns, not SQL foreign keys: sync may deliver an interview
before the visit it belongs to, and that must not be refused.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# The record tables of schema version 1 (migrations 0001 and 0003 build on exactly these).
V1_TABLES: dict[str, str] = {
    "facility": "facilities",
    "visit": "visits",
    "interview": "interviews",
    "case": "cases",
    "tip": "tips",
    "grant": "grants",
    "attachment": "attachments",
}
TABLES: dict[str, str] = {**V1_TABLES, "organization": "organizations"}

SYSTEM_COLUMNS: dict[str, type] = {
    "id": str,
    "created_at": str,
    "updated_at": str,
    "author_device": str,
    "deleted": int,
}

# Record columns as released in schema version 1 (lists and value objects are JSON text).
V1_COLUMNS: dict[str, dict[str, type]] = {
    "facility": {
        "name": str,
        "employer": str,
        "parent_company": str,
        "sector": str,
        "state": str,
        "municipality": str,
        "address": str,
        "unions": str,
        "cba_registration": str,
        "cba_legitimation": str,
        "sector_agreement": str,
        "priority_sector": int,
    },
    "visit": {
        "facility_id": str,
        "grant_id": str,
        "start_date": str,
        "end_date": str,
        "purpose": str,
        "attaches": str,
        "people_met": str,
        "observations": str,
        "findings": str,
        "follow_ups": str,
        "status": str,
        "summary": str,
    },
    "interview": {
        "visit_id": str,
        "facility_id": str,
        "held_on": str,
        "place": str,
        "language": str,
        "pseudonym": str,
        "role": str,
        "role_details": str,
        "consent": str,
        "consent_scope": str,
        "risk": str,
        "risk_notes": str,
        "safe_contact": str,
        "notes": str,
        "follow_ups": str,
    },
    "case": {
        "reference": str,
        "facility_id": str,
        "petitioner": str,
        "received_on": str,
        "allegations": str,
        "stage": str,
        "summary": str,
        "remedies": str,
        "deadlines": str,
        "visit_ids": str,
        "interview_ids": str,
        "tip_ids": str,
    },
    "tip": {
        "received_on": str,
        "channel": str,
        "subject": str,
        "summary": str,
        "facility_id": str,
        "triage": str,
        "case_id": str,
    },
    "grant": {
        "award_number": str,
        "name": str,
        "grantee": str,
        "amount": str,
        "period_start": str,
        "period_end": str,
        "objectives": str,
        "sectors": str,
        "states": str,
        "disbursements": str,
        "milestones": str,
        "indicators": str,
    },
    "attachment": {
        "record_kind": str,
        "record_id": str,
        "filename": str,
        "media_type": str,
        "size": int,
        "sha256": str,
        "description": str,
    },
}

INDEXED_REFS: dict[str, tuple[str, ...]] = {
    "visit": ("facility_id", "grant_id", "start_date"),
    "interview": ("visit_id", "facility_id"),
    "case": ("facility_id",),
    "tip": ("facility_id", "case_id"),
    "attachment": ("record_id",),
}

migrations = Migrations("fieldkit")


@migrations(name="0001_records_journal_audit")
def _records_journal_audit(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    for kind, table in V1_TABLES.items():
        db.table(table).create({**SYSTEM_COLUMNS, **V1_COLUMNS[kind]}, pk="id")
        db.table(table).create_index(["updated_at"])
        for column in INDEXED_REFS.get(kind, ()):
            db.table(table).create_index([column])
    db.table("journal").create(
        {
            "seq": int,
            "change_id": str,
            "kind": str,
            "record_id": str,
            "field": str,
            "value": str,
            "hlc": int,
            "device": str,
            "sent": int,
        },
        pk="seq",
        not_null={"change_id", "kind", "record_id", "field", "hlc", "device"},
        defaults={"sent": 0},
    )
    db.table("journal").create_index(["change_id"], unique=True)
    db.table("journal").create_index(["kind", "record_id", "field"])
    db.table("audit").create(
        {
            "seq": int,
            "at": str,
            "action": str,
            "kind": str,
            "record_id": str,
            "device": str,
            "detail": str,
        },
        pk="seq",
        not_null={"at", "action"},
    )
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_append_only_{event.lower()} BEFORE {event} ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    db.table("attachment_blobs").create({"sha256": str, "size": int, "chunks": int}, pk="sha256")
    db.table("attachment_chunks").create(
        {"sha256": str, "chunk": int, "data": bytes},
        pk=("sha256", "chunk"),
        foreign_keys=[("sha256", "attachment_blobs", "sha256")],
    )


@migrations(name="0002_search_index")
def _search_index(db: Database) -> None:
    """Full-text search over every kind, accent- and case-insensitive, with prefix indexes.

    `search_docs` gives each record one FTS rowid; a save takes a new, larger rowid, so
    "newest first" is an index walk instead of a sort over every match.
    """
    db.table("search_docs").create(
        {"docid": int, "kind": str, "record_id": str}, pk="docid", not_null={"record_id"}
    )
    db.table("search_docs").create_index(["record_id"], unique=True)
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    # Records saved before this version are indexed by the store right after migrating,
    # because building their text needs the domain layer.
    db.table("meta").upsert({"key": SEARCH_BACKFILL, "value": "pending"}, pk="key")


@migrations(name="0003_counting_indexes")
def _counting_indexes(db: Database) -> None:
    """Counting live records and unsent changes reads small indexes, not whole tables."""
    for table in V1_TABLES.values():
        db.table(table).create_index(["deleted", "updated_at"])
    db.execute("CREATE INDEX journal_unsent ON journal (seq) WHERE sent = 0")


# The order each list opens in (ui/record_model.DEFAULT_SORT): an index walk serves the first
# page instead of decrypting and sorting the whole table.
V1_LIST_ORDERS: dict[str, str] = {
    "facilities": "name COLLATE NOCASE",
    "visits": "start_date",
    "interviews": "held_on",
    "cases": "received_on",
    "tips": "received_on",
    "grants": "name COLLATE NOCASE",
}
LIST_ORDERS: dict[str, str] = {**V1_LIST_ORDERS, "organizations": "name COLLATE NOCASE"}


# Value lists that Today reads: an index holding only the list lets SQLite find the records
# with open items without decrypting every 2 KB row (measured 16x faster at 30,000 visits).
TODAY_LISTS: dict[str, str] = {
    "visits": "follow_ups",
    "interviews": "follow_ups",
    "cases": "deadlines",
}


@migrations(name="0004_reading_indexes")
def _reading_indexes(db: Database) -> None:
    for table, order in V1_LIST_ORDERS.items():
        column = order.split()[0]
        db.execute(f"CREATE INDEX {table}_list_{column} ON {table} (deleted, {order}, id)")
    for table, column in TODAY_LISTS.items():
        db.execute(f"CREATE INDEX {table}_today_{column} ON {table} (deleted, {column})")


@migrations(name="0005_sync")
def _sync(db: Database) -> None:
    """What headquarters sync keeps on the device.

    - `field_versions`: the clock of the write each field holds, mine or another device's,
      so a pulled change replaces a field only when it is newer.
    - journal `base_hlc`/`base_node`: the version a long-text edit started from.
    - `sync_conflicts`: concurrent long-text edits HQ kept both of, until a person resolves.
    - `sync_quarantine`: changes HQ refused, with its reason.
    - `sync_log`: one row per sync round, for the sync log view.
    - `blob_uploads` / `blob_partials`: attachment bytes HQ has, and downloads in progress.
    - interviews' `shared` flag: an interview leaves its author's device only when shared.
    """
    db.execute("ALTER TABLE interviews ADD COLUMN shared INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE journal ADD COLUMN base_hlc INTEGER")
    db.execute("ALTER TABLE journal ADD COLUMN base_node TEXT")
    db.execute(
        "CREATE TABLE field_versions (record_id TEXT NOT NULL, field TEXT NOT NULL, "
        "hlc INTEGER NOT NULL, node TEXT NOT NULL, PRIMARY KEY (record_id, field)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO field_versions (record_id, field, hlc, node) "
        "SELECT record_id, field, max(hlc), device FROM journal GROUP BY record_id, field"
    )
    db.table("sync_conflicts").create(
        {
            "id": str,
            "kind": str,
            "record_id": str,
            "field": str,
            "kept": str,  # JSON: value, hlc, node, device_name
            "other": str,
            "received_at": str,
        },
        pk="id",
        not_null={"kind", "record_id", "field", "kept", "other", "received_at"},
    )
    db.table("sync_conflicts").create_index(["record_id"])
    db.table("sync_quarantine").create(
        {
            "change_id": str,
            "kind": str,
            "record_id": str,
            "field": str,
            "value": str,
            "hlc": int,
            "code": str,
            "message": str,
            "at": str,
        },
        pk="change_id",
        not_null={"kind", "record_id", "field", "code", "at"},
    )
    db.table("sync_log").create(
        {
            "seq": int,
            "started_at": str,
            "finished_at": str,
            "outcome": str,
            "pushed": int,
            "pulled": int,
            "requests": int,
            "detail": str,
        },
        pk="seq",
        not_null={"started_at", "outcome"},
    )
    # Attachment bytes: which blobs HQ has whole, and downloads interrupted part-way.
    db.table("blob_uploads").create({"sha256": str, "done_at": str}, pk="sha256")
    db.table("blob_partials").create(
        {"sha256": str, "piece": int, "data": bytes}, pk=("sha256", "piece")
    )


@migrations(name="0006_interview_sharing_summary")
def _interview_sharing_summary(db: Database) -> None:
    """An interview's summary for sharing: the only text about it a shareable report prints.
    Existing interviews start without one, so their shareable reports show counts only."""
    db.execute("ALTER TABLE interviews ADD COLUMN sharing_summary TEXT NOT NULL DEFAULT ''")


# Case fields added for the Rapid Response clocks and lifecycle, with the value a case saved
# before them holds: a petition-based RRM case with no events (its stage stays as set by hand).
RRM_CASE_COLUMNS: dict[str, str] = {
    "case_type": "'rrm_petition'",
    "events": "'[]'",
    "clock_overrides": "'[]'",
    "remediation_party": "'none'",
    "mexico_grounds": "''",
    "sanctions": "'[]'",
}


@migrations(name="0007_rrm_case_clocks_and_lifecycle")
def _rrm_case_clocks_and_lifecycle(db: Database) -> None:
    """Cases gain their type, dated events (the triggers of their clocks and the steps of
    their lifecycle), per-case clock overrides, the remediation party, Mexico's grounds and
    the Annex 31-A remedies imposed."""
    for column, default in RRM_CASE_COLUMNS.items():
        db.execute(f"ALTER TABLE cases ADD COLUMN {column} TEXT NOT NULL DEFAULT {default}")


@migrations(name="0008_facility_labor_history_and_trade_link")
def _facility_labor_history_and_trade_link(db: Database) -> None:
    """Facilities gain their labor history (votes, certificates, elections registered with the
    CFCRL) and the trade half of the covered-facility test (unknown, so off, until set)."""
    db.execute("ALTER TABLE facilities ADD COLUMN trade_link INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE facilities ADD COLUMN labor_events TEXT NOT NULL DEFAULT '[]'")


@migrations(name="0009_grant_reporting_calendar")
def _grant_reporting_calendar(db: Database) -> None:
    """Grants gain their reporting calendar (semi-annual, reports due 30 days after each period,
    unless the award says otherwise), the reports received and indicator actuals by period."""
    db.execute("ALTER TABLE grants ADD COLUMN reporting_months INTEGER NOT NULL DEFAULT 6")
    db.execute("ALTER TABLE grants ADD COLUMN report_due_days INTEGER NOT NULL DEFAULT 30")
    db.execute("ALTER TABLE grants ADD COLUMN reports TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE grants ADD COLUMN indicator_actuals TEXT NOT NULL DEFAULT '[]'")


ORGANIZATION_COLUMNS: dict[str, type] = {
    "name": str,
    "org_type": str,
    "acronym": str,
    "state": str,
    "municipality": str,
    "address": str,
    "notes": str,
}


@migrations(name="0010_organizations")
def _organizations(db: Database) -> None:
    """Organizations (STPS, the CFCRL, conciliation centers, unions, NGOs, grantees) as records,
    and a visit held at one of them instead of a facility."""
    table = db.table("organizations")
    table.create({**SYSTEM_COLUMNS, **ORGANIZATION_COLUMNS}, pk="id")
    table.create_index(["updated_at"])
    table.create_index(["deleted", "updated_at"])
    db.execute(
        "CREATE INDEX organizations_list_name ON organizations (deleted, name COLLATE NOCASE, id)"
    )
    db.execute("ALTER TABLE visits ADD COLUMN organization_id TEXT")
    db.table("visits").create_index(["organization_id"])


@migrations(name="0011_record_entries")
def _record_entries(db: Database) -> None:
    """A new record is journaled as one entry carrying all its fields (`field` is '*', the
    value a JSON object) and holds one record-level version in `field_versions` (field '*',
    standing for every field without a version of its own), instead of an entry and a
    version per field. `field_count` says how many fields an entry carries (1 for a field
    entry), so the unsent count and the push batches count fields without reading values.

    Entries and versions already written stay as they are: both shapes coexist, and every
    unsent field entry still goes out as before."""
    db.execute("ALTER TABLE journal ADD COLUMN field_count INTEGER NOT NULL DEFAULT 1")
    db.execute("DROP INDEX journal_unsent")
    db.execute("CREATE INDEX journal_unsent ON journal (seq, field_count) WHERE sent = 0")


@migrations(name="0012_search_without_prefix_indexes")
def _search_without_prefix_indexes(db: Database) -> None:
    """The full-text index without its prefix indexes (the first two and three letters of
    every word, indexed again): they made writing the index ~1.7x slower and the index 2.5x
    larger (9.2 MB instead of 3.6 for 10,000 visits), while a search of two or three letters
    stays fast without them (3-21 ms on 100,000 records; docs/performance.md). Rebuilt from
    the index's own stored text, each record keeping its rowid, so results and their order
    do not change. The new index is written beside the old one, not from a copy of the text
    in memory (temp_store is MEMORY, and 200,000 records' notes would fill it); the old
    one's pages are then free in the file, wiped (secure_delete), for later writes."""
    db.execute(
        "CREATE VIRTUAL TABLE search_index_rebuilt USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        "INSERT INTO search_index_rebuilt (rowid, title, body) "
        "SELECT rowid, title, body FROM search_index"
    )
    db.execute("DROP TABLE search_index")
    db.execute("ALTER TABLE search_index_rebuilt RENAME TO search_index")


def schema_version(db: Database) -> int:
    return len(migrations.applied(db))


SEARCH_BACKFILL = "search_backfill"
CHUNK_SIZE = 1 << 20  # attachment bytes are kept in chunks of 1 MiB
LATEST_VERSION = 12
