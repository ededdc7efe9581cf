"""Record ids and nodes are stored in 16 bytes when they are UUIDs, read back exactly as
written whatever they are, and migration 0008 converts a database written as text on both
databases."""

from __future__ import annotations

import random
import string
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from fieldkit.domain.ids import new_id
from fieldkit.hq import audit
from fieldkit.hq.admin import database_url
from fieldkit.hq.compact_id import pack_id, unpack_id
from fieldkit.hq.pull import pull_page
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import AUDIT_HEAD, audit_log, device_nodes, field_versions, records
from tests.hq.migrating import upgrade_to

ID_ALPHABET = string.ascii_letters + string.digits + "-_"


def test_uuids_take_16_bytes_and_read_back_as_text() -> None:
    for text_id in [new_id(), str(uuid.uuid4()), "00000000-0000-0000-0000-000000000000"]:
        assert len(pack_id(text_id)) == 16
        assert unpack_id(pack_id(text_id)) == text_id


def test_any_other_id_reads_back_and_never_takes_16_bytes() -> None:
    rng = random.Random(8)
    others = [new_id().upper(), "{" + new_id() + "}", new_id().replace("-", ""), "", "-", "_"]
    others += ["".join(rng.choices(ID_ALPHABET, k=n)) for n in range(1, 65) for _ in range(20)]
    for text_id in (t for t in others if not _is_uuid(t)):
        packed = pack_id(text_id)
        assert len(packed) != 16, text_id
        assert unpack_id(packed) == text_id


def test_packed_uuids_sort_as_their_text() -> None:
    ids = [str(uuid.uuid4()) for _ in range(200)] + [new_id() for _ in range(50)]
    assert sorted(ids, key=pack_id) == sorted(ids)


def _is_uuid(text_id: str) -> bool:
    try:
        return str(uuid.UUID(text_id)) == text_id
    except ValueError:
        return False


UUID_RECORD = "01a23c22-27c2-7108-8528-eca271c6e35f"
UUID_NODE = "5b0e8d8c-3f0e-4d7e-9d7b-3e1f8e5a2c11"
FIFTEEN = "node-fifteen-15"  # 15 characters: packed with one more zero byte


@pytest.mark.parametrize("owner", [UUID_NODE, FIFTEEN])
def test_migration_packs_text_ids(tmp_path: Path, database: str | None, owner: str) -> None:
    url = database or database_url(tmp_path, None)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            upgrade_to(conn, "0007")
            conn.execute(
                text(
                    "INSERT INTO device_nodes (node, device_id, held_since) "
                    "VALUES (:owner, 'dev-1', 1), ('node-c', 'dev-1', 2), ('node-b', 'dev-2', 1)"
                ),
                {"owner": owner},
            )
            conn.execute(
                text(
                    "INSERT INTO records (record_id, kind, owner_node, private, parent_record, "
                    "blob_sha256, doc, hlc, node, seq) VALUES "
                    "(:rid, 'interview', :owner, true, NULL, NULL, :doc, 5, :owner, 1), "
                    "('plain-id', 'visit', 'node-b', false, :rid, NULL, :doc, 6, 'node-b', 2)"
                ),
                {
                    "rid": UUID_RECORD,
                    "owner": owner,
                    "doc": b'\x00{"summary":"Visita","notes":"Palabras"}',
                },
            )
            conn.execute(
                text(
                    "INSERT INTO field_versions (record_id, field, hlc, node, seq) "
                    "VALUES (:rid, 'summary', 7, 'node-b', 3)"
                ),
                {"rid": UUID_RECORD},
            )
            # An audit entry chained as HQ writes them: the chain must still verify.
            entry = (1, "served", "dev-1", UUID_RECORD, "notes", None, None)
            digest = audit._digest(audit.GENESIS, 1, entry)
            conn.execute(
                text(
                    "INSERT INTO audit_log (id, at, action, device_id, record_id, field, hash) "
                    "VALUES (1, 1, 'served', 'dev-1', :rid, 'notes', :hash)"
                ),
                {"rid": UUID_RECORD, "hash": digest},
            )
            conn.execute(
                text("INSERT INTO server_settings (name, value) VALUES (:name, :value)"),
                {"name": AUDIT_HEAD, "value": f"1:{digest}"},
            )
            conn.execute(text("UPDATE sequence_counter SET value = 3"))
        storage = Storage.open(url)  # migrates to the latest revision
        try:
            with storage.reading() as conn:
                r = records.c
                rows = set(conn.execute(select(r.record_id, r.owner_node, r.parent_record, r.node)))
                sizes = dict(conn.execute(select(r.record_id, func.length(r.record_id))).all())
                held = set(conn.execute(select(device_nodes.c.node)).scalars())
                versions = set(conn.execute(select(field_versions.c.record_id)).scalars())
                audited = set(conn.execute(select(audit_log.c.record_id)).scalars())
                same_device = pull_page(conn, "node-c", 0, 100, by_record=True).changes_json
                other_device = pull_page(conn, "node-b", 0, 100, by_record=True).changes_json
            chain = audit.verify(storage)
        finally:
            storage.close()
    finally:
        engine.dispose()
    assert chain.intact, chain
    assert rows == {
        (UUID_RECORD, owner, None, owner),
        ("plain-id", "node-b", UUID_RECORD, "node-b"),
    }
    assert sizes == {UUID_RECORD: 16, "plain-id": 9}
    assert held == {owner, "node-c", "node-b"}
    assert versions == audited == {UUID_RECORD}
    # Records still join the nodes their device holds: the private interview reaches another
    # vault of its owner's device, not another device; pulls name the ids as they were sent.
    assert f'"record": "{UUID_RECORD}"' in same_device and f'"node": "{owner}"' in same_device
    assert UUID_RECORD not in other_device
