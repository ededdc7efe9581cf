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


def _by_uuid(text: str) -> bool:
    """The rule as uuid.UUID states it: a version-7 UUID written in its canonical form."""
    try:
        return uuid.UUID(text).version == 7 and str(uuid.UUID(text)) == text
    except ValueError:
        return False


def test_is_valid_id_agrees_with_uuid_on_near_misses() -> None:
    base = new_id()
    near = [base, base + "\n", "{" + base + "}", "urn:uuid:" + base, base.replace("-", "")]
    for position in range(len(base)):
        for digit in "0123456789abcdefABCDEF-g ":
            near.append(base[:position] + digit + base[position + 1 :])
    for text in near:
        assert is_valid_id(text) == _by_uuid(text), text
    assert not is_valid_id(None)  # type: ignore[arg-type]
