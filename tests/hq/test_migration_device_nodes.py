"""The device-nodes migration on a database written by the first schema, on both databases:
each node ends up held by one device (the newest one not revoked), and blobs already held
belong to the owner of the attachment naming them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from fieldkit.hq.admin import database_url
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import blob_chunks, blobs, device_nodes
from tests.hq.migrating import upgrade_to

SHA_A = "a" * 64
SHA_B = "b" * 64

LEGACY_ROWS = [
    # Two devices sent node-ana (the second enrolled later and is not revoked); node-luis once.
    "INSERT INTO devices (id, name, label, node, token_sha256, created_at, cursor, revoked_at)"
    " VALUES ('dev-old', 'Ana', 'x', 'node-ana', 't1', 1, 0, 5)",
    "INSERT INTO devices (id, name, label, node, token_sha256, created_at, cursor, revoked_at)"
    " VALUES ('dev-new', 'Ana', 'x', 'node-ana', 't2', 2, 0, NULL)",
    "INSERT INTO devices (id, name, label, node, token_sha256, created_at, cursor, revoked_at)"
    " VALUES ('dev-luis', 'Luis', 'x', 'node-luis', 't3', 3, 0, NULL)",
    "INSERT INTO records (record_id, kind, owner_node, private, parent_record, blob_sha256)"
    f" VALUES ('att-1', 'attachment', 'node-luis', false, NULL, '{SHA_A}')",
    "INSERT INTO blobs (sha256, length, received, complete, created_at)"
    f" VALUES ('{SHA_A}', 3, 3, true, 1)",
    f"INSERT INTO blob_chunks (sha256, start, data) VALUES ('{SHA_A}', 0, :data)",
    # Bytes no attachment names: kept, but nobody may read them.
    "INSERT INTO blobs (sha256, length, received, complete, created_at)"
    f" VALUES ('{SHA_B}', 3, 3, true, 1)",
    f"INSERT INTO blob_chunks (sha256, start, data) VALUES ('{SHA_B}', 0, :data)",
]


def test_nodes_and_blobs_are_given_owners(tmp_path: Path, database: str | None) -> None:
    url = database or database_url(tmp_path, None)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            upgrade_to(conn, "0001")
            for statement in LEGACY_ROWS:
                conn.execute(text(statement), {"data": b"abc"})
        Storage.open(url).close()  # migrates to the latest revision
        with engine.connect() as conn:
            # Read through the tables: nodes are stored packed (CompactId).
            held = dict(conn.execute(select(device_nodes.c.node, device_nodes.c.device_id)).all())
            uploaders = dict(conn.execute(select(blobs.c.sha256, blobs.c.uploader)).all())
            chunks = dict(conn.execute(select(blob_chunks.c.sha256, blob_chunks.c.uploader)).all())
            schema = inspect(conn)
            blob_key = schema.get_pk_constraint("blobs")["constrained_columns"]
            chunk_key = schema.get_pk_constraint("blob_chunks")["constrained_columns"]
    finally:
        engine.dispose()
    assert held == {"node-ana": "dev-new", "node-luis": "dev-luis"}
    assert uploaders == {SHA_A: "node-luis", SHA_B: ""}
    assert chunks == uploaders
    assert blob_key == ["sha256", "uploader"]
    assert chunk_key == ["sha256", "uploader", "start"]
