from __future__ import annotations

import uuid

from fieldkit.domain.ids import is_valid_id, new_id


def test_ids_are_uuid7_and_increase() -> None:
    ids = [new_id() for _ in range(5000)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_is_valid_id() -> None:
    assert is_valid_id(new_id())
    assert not is_valid_id(str(uuid.uuid4()))
    assert not is_valid_id("not-an-id")
    assert not is_valid_id(new_id().upper())
