"""The size limit a synced value is held to, whichever way it is written."""

from __future__ import annotations

from fieldkit.domain.sync_rules import MAX_VALUE_CHARS, check_change, check_fields


def _refused(value: object) -> bool:
    by_record = "unions" in check_fields("facility", {"unions": value})[1]
    by_field = check_change("facility", "unions", value) is not None
    assert by_record == by_field
    return by_record


def test_a_list_of_strings_over_the_limit_is_refused() -> None:
    assert _refused(["x" * 1000] * (MAX_VALUE_CHARS // 1000 + 1))
    assert not _refused(["CTM", "SINTTIA"])


def test_escaping_counts_toward_the_limit() -> None:
    # 200,000 control characters take six each as JSON: over the limit, though short as text.
    assert _refused(["\x01" * 200_000])
    assert not _refused(["\x01" * 1000])


def test_a_number_of_more_digits_than_the_limit_is_refused_without_writing_it_out() -> None:
    assert check_change("facility", "name", 10 ** (MAX_VALUE_CHARS + 10)) is not None
    assert "name" in check_fields("facility", {"name": 10 ** (MAX_VALUE_CHARS + 10)})[1]
