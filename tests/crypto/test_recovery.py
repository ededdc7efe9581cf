from __future__ import annotations

import re
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.crypto.recovery import (
    ALPHABET,
    format_recovery_key,
    generate_recovery_key,
    parse_recovery_key,
    recovery_wrap_key,
)
from fieldkit.errors import RecoveryKeyMalformed, RecoveryKeyTypo

KEY_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){7}$")


def _key_chars(key: str) -> list[str]:
    return list(key.replace("-", ""))


def _join(chars: list[str]) -> str:
    text = "".join(chars)
    return "-".join(text[i : i + 5] for i in range(0, 40, 5))


def test_round_trip() -> None:
    for _ in range(50):
        secret = secrets.token_bytes(20)
        assert parse_recovery_key(format_recovery_key(secret)) == secret
    assert len(parse_recovery_key(generate_recovery_key())) == 20


def test_edge_secrets_round_trip() -> None:
    for secret in (bytes(20), b"\xff" * 20, b"\x80" + bytes(19)):
        assert parse_recovery_key(format_recovery_key(secret)) == secret


def test_format_is_8_groups_of_5() -> None:
    key = generate_recovery_key()
    assert KEY_RE.match(key), key
    assert generate_recovery_key() != key


def test_every_single_substitution_is_caught_in_its_group() -> None:
    key = generate_recovery_key()
    chars = _key_chars(key)
    for position, original in enumerate(chars):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typo = chars.copy()
            typo[position] = replacement
            with pytest.raises(RecoveryKeyTypo) as caught:
                parse_recovery_key(_join(typo))
            assert caught.value.params["group"] == position // 5 + 1


def test_adjacent_group_swap_is_caught() -> None:
    key = generate_recovery_key()
    groups = key.split("-")
    for i in range(7):
        if groups[i] == groups[i + 1]:
            continue
        swapped = groups.copy()
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        with pytest.raises(RecoveryKeyTypo) as caught:
            parse_recovery_key("-".join(swapped))
        assert caught.value.params["group"] == i + 1


def test_adjacent_transpositions_are_caught_except_0_z() -> None:
    # Luhn mod 32 misses exactly one transposition: "0" and "Z" swapped inside a group.
    missed = 0
    for _ in range(20):
        chars = _key_chars(generate_recovery_key())
        for position in range(39):
            a, b = chars[position], chars[position + 1]
            if a == b:
                continue
            swapped = chars.copy()
            swapped[position], swapped[position + 1] = b, a
            if {a, b} == {"0", "Z"} and position % 5 != 4:
                missed += 1
                continue
            with pytest.raises(RecoveryKeyTypo) as caught:
                parse_recovery_key(_join(swapped))
            assert caught.value.params["group"] == position // 5 + 1
    assert missed < 20


def test_tolerant_input() -> None:
    secret = secrets.token_bytes(20)
    key = format_recovery_key(secret)
    assert parse_recovery_key(key.lower()) == secret
    assert parse_recovery_key(key.replace("-", " ")) == secret
    assert parse_recovery_key(key.replace("-", "")) == secret
    assert parse_recovery_key("  " + key.replace("-", "\n") + "\n") == secret
    assert parse_recovery_key(key.replace("-", " – ")) == secret  # a word processor's dash
    loose = key.replace("0", "O").replace("1", "l")
    assert parse_recovery_key(loose) == secret
    assert parse_recovery_key(key.replace("1", "I").lower()) == secret


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("", 0),
        ("ABCDE-FGHJK", 2),
        ("ABCD", 0),
        ("U" * 40, 8),  # U is not in the Crockford alphabet
        ("A" * 39 + "!", 8),
        ("A" * 45, 9),
        ("ß" * 20, 4),  # must not be upper-cased into "SS"
    ],
)
def test_malformed(text: str, groups: int) -> None:
    with pytest.raises(RecoveryKeyMalformed) as caught:
        parse_recovery_key(text)
    assert caught.value.params["groups"] == groups
    assert f"{groups} groups" in caught.value.message


def test_seven_of_eight_groups_is_malformed() -> None:
    key = generate_recovery_key()
    with pytest.raises(RecoveryKeyMalformed) as caught:
        parse_recovery_key(key.rsplit("-", 1)[0])
    assert caught.value.params["groups"] == 7


def test_typo_message_names_group() -> None:
    chars = _key_chars(generate_recovery_key())
    chars[12] = "1" if chars[12] != "1" else "2"
    with pytest.raises(RecoveryKeyTypo) as caught:
        parse_recovery_key(_join(chars))
    assert "group 3" in caught.value.message


def test_format_rejects_wrong_length() -> None:
    with pytest.raises(ValueError):
        format_recovery_key(b"short")


def test_recovery_wrap_key() -> None:
    secret, salt = secrets.token_bytes(20), secrets.token_bytes(16)
    key = recovery_wrap_key(secret, salt)
    assert isinstance(key, bytearray)
    assert len(key) == 32
    assert recovery_wrap_key(secret, salt) == key
    assert recovery_wrap_key(secret, secrets.token_bytes(16)) != key
    assert recovery_wrap_key(secrets.token_bytes(20), salt) != key


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet=ALPHABET + "-oil ", min_size=38, max_size=50))
def test_parse_only_raises_typed_errors(text: str) -> None:
    try:
        result = parse_recovery_key(text)
    except (RecoveryKeyMalformed, RecoveryKeyTypo):
        return
    assert len(result) == 20
