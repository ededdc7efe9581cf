from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import json
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fieldkit.crypto import header as header_mod
from fieldkit.crypto.header import (
    DEVICE,
    PASSPHRASE,
    RECOVERY,
    VaultHeader,
    create_header,
    decode_header,
    encode_header,
    read_header,
    rewrap_passphrase,
    unwrap_with_device_secret,
    unwrap_with_passphrase,
    unwrap_with_recovery,
    with_device_wrap,
    without_device_wrap,
    write_header,
)
from fieldkit.crypto.kdf import (
    MIN_MEMORY_KIB,
    MIN_TIME_COST,
    KdfParams,
    derive_key,
    new_kdf_params,
)
from fieldkit.crypto.recovery import generate_recovery_key
from fieldkit.errors import (
    DeviceNotRemembered,
    HeaderCorrupted,
    RecoveryKeyMalformed,
    RecoveryKeyTypo,
    VaultNotFound,
    WeakKeyParameters,
    WrongPassphrase,
    WrongRecoveryKey,
)

PASS = "correct horse battery staple"
PATH = Path("vault.header")
DEVICE_SECRET = b"\x42" * 32


def fast_params() -> KdfParams:
    return new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)


@dataclasses.dataclass(frozen=True)
class Vault:
    data_key: bytes
    header: VaultHeader  # with a device wrap
    recovery_key: str


@pytest.fixture(scope="module")
def vault() -> Vault:
    data_key = os.urandom(32)
    header, recovery_key = create_header(data_key, PASS, kdf=fast_params())
    return Vault(data_key, with_device_wrap(header, data_key, DEVICE_SECRET), recovery_key)


@pytest.fixture
def cached_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Memoize Argon2 so tests that unwrap the same passphrase many times stay fast."""
    cache: dict[tuple[str, KdfParams], bytes] = {}

    def derive(passphrase: str, params: KdfParams) -> bytearray:
        if (passphrase, params) not in cache:
            cache[passphrase, params] = bytes(derive_key(passphrase, params))
        return bytearray(cache[passphrase, params])  # a copy: callers wipe what they get

    monkeypatch.setattr(header_mod, "derive_key", derive)
    yield


def body_of(header: VaultHeader) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(encode_header(header))
    return body


def reencode(body: dict[str, Any], *, fix_checksum: bool = True) -> bytes:
    """Serialize `body`, recomputing its checksum the way an attacker with an editor would."""
    body = copy.deepcopy(body)
    if fix_checksum:
        body.pop("checksum", None)
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        body["checksum"] = hashlib.sha256(canonical).hexdigest()
    return json.dumps(body).encode()


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# --- round trips ----------------------------------------------------------------------------


def test_unwrap_round_trips(vault: Vault, cached_kdf: None) -> None:
    header = vault.header
    for key in (
        unwrap_with_passphrase(header, PASS),
        unwrap_with_recovery(header, vault.recovery_key),
        unwrap_with_device_secret(header, DEVICE_SECRET),
    ):
        assert isinstance(key, bytearray)
        assert key == vault.data_key


def test_header_fields(vault: Vault) -> None:
    header = vault.header
    assert header.version == 1
    assert len(header.vault_id) == 36
    assert header.created_at.endswith("+00:00")
    assert set(header.wraps) == {PASSPHRASE, RECOVERY, DEVICE}
    assert len(header.recovery_salt) == 16
    assert header.recovery_salt != header.kdf.salt
    assert all(len(w.nonce) == 12 for w in header.wraps.values())
    assert len({w.nonce for w in header.wraps.values()}) == 3
    with pytest.raises(TypeError):
        header.wraps[PASSPHRASE] = header.wraps[RECOVERY]  # type: ignore[index]


def test_encode_decode_write_read(vault: Vault, tmp_path: Path) -> None:
    data = encode_header(vault.header)
    body = json.loads(data)
    assert body["format"] == "fieldkit-vault-header"
    assert body["version"] == 1
    assert decode_header(data, PATH) == vault.header
    path = tmp_path / "vault.header"
    write_header(path, vault.header)
    assert read_header(path) == vault.header
    assert path.read_bytes() == data
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_secret_on_disk(vault: Vault) -> None:
    data = encode_header(vault.header)
    for secret in (vault.data_key, DEVICE_SECRET):
        assert secret not in data
        assert b64(secret).encode() not in data
        assert secret.hex().encode() not in data
    assert PASS.encode() not in data
    assert vault.recovery_key.encode() not in data


def test_read_missing_header(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        read_header(tmp_path / "nope.header")


def test_seal_wipes_the_kek() -> None:
    kek = bytearray(os.urandom(32))
    header_mod._seal(kek, bytes(32), b"aad")
    assert kek == bytearray(32)


# --- wrong keys and tampering ---------------------------------------------------------------


def test_wrong_passphrase(vault: Vault) -> None:
    with pytest.raises(WrongPassphrase) as caught:
        unwrap_with_passphrase(vault.header, PASS + "!")
    assert PASS not in str(caught.value)


def test_wrong_or_mistyped_recovery_key(vault: Vault) -> None:
    with pytest.raises(WrongRecoveryKey):
        unwrap_with_recovery(vault.header, generate_recovery_key())
    with pytest.raises(RecoveryKeyMalformed):
        unwrap_with_recovery(vault.header, vault.recovery_key[:-6])
    typo = vault.recovery_key.replace("-", "")
    typo = typo[:3] + ("0" if typo[3] != "0" else "1") + typo[4:]
    with pytest.raises(RecoveryKeyTypo):
        unwrap_with_recovery(vault.header, typo)


def test_wrong_device_secret(vault: Vault) -> None:
    with pytest.raises(DeviceNotRemembered):
        unwrap_with_device_secret(vault.header, b"\x43" * 32)


Unwrapper = Callable[[VaultHeader], bytearray]


def _unwrappers(vault: Vault) -> dict[str, tuple[Unwrapper, type[Exception]]]:
    return {
        PASSPHRASE: (lambda h: unwrap_with_passphrase(h, PASS), WrongPassphrase),
        RECOVERY: (lambda h: unwrap_with_recovery(h, vault.recovery_key), WrongRecoveryKey),
        DEVICE: (lambda h: unwrap_with_device_secret(h, DEVICE_SECRET), DeviceNotRemembered),
    }


def test_every_byte_flip_of_every_wrap_fails(vault: Vault, cached_kdf: None) -> None:
    for name, (unwrap, error) in _unwrappers(vault).items():
        wrap = vault.header.wraps[name]
        for field in ("nonce", "ciphertext"):
            original: bytes = getattr(wrap, field)
            for index in range(len(original)):
                for mask in (0x01, 0x80):
                    flipped = bytearray(original)
                    flipped[index] ^= mask
                    bad = dataclasses.replace(wrap, **{field: bytes(flipped)})
                    header = dataclasses.replace(
                        vault.header, wraps={**vault.header.wraps, name: bad}
                    )
                    with pytest.raises(error):
                        unwrap(header)


def test_wraps_are_bound_to_their_vault(vault: Vault, cached_kdf: None) -> None:
    # Same keys and salts, another vault id: only the associated data differs.
    moved = dataclasses.replace(vault.header, vault_id="00000000-0000-4000-8000-000000000000")
    for unwrap, error in _unwrappers(vault).values():
        with pytest.raises(error):
            unwrap(moved)


def test_wrap_swapped_into_another_vault_fails(vault: Vault) -> None:
    other, _ = create_header(os.urandom(32), PASS, kdf=fast_params())
    transplant = dataclasses.replace(
        other,
        wraps={**other.wraps, RECOVERY: vault.header.wraps[RECOVERY]},
        recovery_salt=vault.header.recovery_salt,
    )
    with pytest.raises(WrongRecoveryKey):
        unwrap_with_recovery(transplant, vault.recovery_key)
    # A recovery wrap moved into the passphrase slot does not open either.
    swapped = dataclasses.replace(
        vault.header, wraps={**vault.header.wraps, PASSPHRASE: vault.header.wraps[RECOVERY]}
    )
    with pytest.raises(WrongPassphrase):
        unwrap_with_passphrase(swapped, PASS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("memory_kib", MIN_MEMORY_KIB // 2),
        ("memory_kib", 0),
        ("time_cost", 1),
        ("parallelism", 0),
        ("salt", b64(b"\x00" * 8)),
        ("salt", ""),
    ],
)
def test_downgraded_kdf_is_refused_before_derivation(
    vault: Vault, monkeypatch: pytest.MonkeyPatch, field: str, value: object
) -> None:
    def no_derivation(*_: object) -> bytearray:
        raise AssertionError("a key was derived from a downgraded header")

    monkeypatch.setattr(header_mod, "derive_key", no_derivation)
    body = body_of(vault.header)
    body["kdf"][field] = value
    with pytest.raises(WeakKeyParameters):
        decode_header(reencode(body), PATH)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("memory_kib", MIN_MEMORY_KIB + 1024),
        ("time_cost", MIN_TIME_COST + 1),
        ("parallelism", 1),
        ("salt", b64(b"\x07" * 16)),
    ],
)
def test_altered_kdf_above_minimum_fails_to_unwrap(vault: Vault, field: str, value: object) -> None:
    body = body_of(vault.header)
    body["kdf"][field] = value
    tampered = decode_header(reencode(body), PATH)
    with pytest.raises(WrongPassphrase):
        unwrap_with_passphrase(tampered, PASS)
    # The other ways in do not depend on the KDF settings and still work.
    assert unwrap_with_recovery(tampered, vault.recovery_key) == vault.data_key


# --- structural corruption ------------------------------------------------------------------


def test_checksum_mismatch(vault: Vault) -> None:
    body = body_of(vault.header)
    body["created_at"] = "2020-01-01T00:00:00+00:00"
    with pytest.raises(HeaderCorrupted):
        decode_header(reencode(body, fix_checksum=False), PATH)
    body = body_of(vault.header)
    body["checksum"] = "0" * 64
    with pytest.raises(HeaderCorrupted) as caught:
        decode_header(reencode(body, fix_checksum=False), PATH)
    assert str(PATH) in caught.value.message


def test_truncation_at_every_length(vault: Vault) -> None:
    data = encode_header(vault.header)
    # Dropping only the trailing newline leaves the same header, so stop short of it.
    for length in range(len(data.rstrip())):
        with pytest.raises(HeaderCorrupted):
            decode_header(data[:length], PATH)


def _mutations(vault: Vault) -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    wrap = vault.header.wraps[PASSPHRASE]

    def setter(*keys: str, value: object) -> Callable[[dict[str, Any]], None]:
        def apply(body: dict[str, Any]) -> None:
            target = body
            for key in keys[:-1]:
                target = target[key]
            target[keys[-1]] = value

        return apply

    def deleter(*keys: str) -> Callable[[dict[str, Any]], None]:
        def apply(body: dict[str, Any]) -> None:
            target = body
            for key in keys[:-1]:
                target = target[key]
            del target[keys[-1]]

        return apply

    return [
        ("unknown version", setter("version", value=2)),
        ("version as bool", setter("version", value=True)),
        ("version as string", setter("version", value="1")),
        ("format", setter("format", value="something-else")),
        ("extra field", setter("extra", value=1)),
        ("no passphrase wrap", deleter("wraps", PASSPHRASE)),
        ("no recovery wrap", deleter("wraps", RECOVERY)),
        ("device wrap without salt", deleter("device_salt")),
        ("device salt without wrap", deleter("wraps", DEVICE)),
        ("unknown wrap", setter("wraps", "usb", value={"nonce": "", "ciphertext": ""})),
        ("short nonce", setter("wraps", RECOVERY, "nonce", value=b64(wrap.nonce[:11]))),
        ("bad base64", setter("wraps", RECOVERY, "nonce", value="!!!!")),
        ("loose base64", setter("wraps", RECOVERY, "nonce", value=b64(wrap.nonce)[:-1])),
        ("short ciphertext", setter("wraps", RECOVERY, "ciphertext", value=b64(b"x" * 47))),
        ("wrap is a list", setter("wraps", RECOVERY, value=[])),
        ("memory as float", setter("kdf", "memory_kib", value=65536.0)),
        ("huge memory", setter("kdf", "memory_kib", value=2**40)),
        ("unknown kdf", setter("kdf", "algorithm", value="scrypt")),
        ("kdf missing salt", deleter("kdf", "salt")),
        ("bad vault id", setter("vault_id", value="not-a-uuid")),
        ("vault id braces", setter("vault_id", value="{" + vault.header.vault_id + "}")),
        ("naive created_at", setter("created_at", value="2026-01-01T00:00:00")),
        ("short recovery salt", setter("recovery_salt", value=b64(b"s" * 8))),
        # Same bytes, but unused padding bits set: one header must have one encoding.
        ("non-canonical base64", setter("recovery_salt", value="c3Nzc3Nzc3Nzc3Nzc3Nzcx==")),
        ("checksum missing", deleter("checksum")),
    ]


def test_structural_corruption(vault: Vault) -> None:
    for label, mutate in _mutations(vault):
        body = body_of(vault.header)
        mutate(body)
        fix = label != "checksum missing"
        with pytest.raises(HeaderCorrupted):
            decode_header(reencode(body, fix_checksum=fix), PATH)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe{}",
        b"not json",
        b"[]",
        b"null",
        b"{}",
        b"[" * 100_000,  # too big to parse
        b"[" * 60_000,  # small enough, but nested past the recursion limit
        b'{"a":' * 12_000,
        b'{"version": NaN}',
        b'{"a": 1, "a": 2}',
        b" " * 70_000 + b"{}",
    ],
)
def test_garbage_is_corrupted(data: bytes) -> None:
    with pytest.raises(HeaderCorrupted):
        decode_header(data, PATH)


def test_duplicate_keys_are_corrupted(vault: Vault) -> None:
    text = encode_header(vault.header).decode()
    doubled = text.replace('"version": 1', '"version": 1, "version": 1', 1)
    assert doubled != text
    with pytest.raises(HeaderCorrupted):
        decode_header(doubled.encode(), PATH)


def test_encode_refuses_unreadable_header(vault: Vault) -> None:
    broken = dataclasses.replace(vault.header, wraps={PASSPHRASE: vault.header.wraps[PASSPHRASE]})
    with pytest.raises(ValueError):
        encode_header(broken)


# --- fuzzing --------------------------------------------------------------------------------

_json_leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, 1, 2, 3, 4, 11, 12, 16, 48, 65535, 65536, 2**22 + 1, -1])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.binary(max_size=50).map(b64)
)
_json_value = st.recursive(
    _json_leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    return found


def _decode_only_typed_errors(data: bytes) -> None:
    try:
        header = decode_header(data, PATH)
    except (HeaderCorrupted, WeakKeyParameters) as exc:
        event(type(exc).__name__)  # shown by --hypothesis-show-statistics
        return
    event("decoded")
    # Whatever decodes must encode back to an equal header.
    assert decode_header(encode_header(header), PATH) == header


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(data: bytes) -> None:
    _decode_only_typed_errors(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(choice=st.data(), op=st.sampled_from(["replace", "delete", "add"]), fix=st.booleans())
def test_fuzz_json_mutations(vault: Vault, choice: st.DataObject, op: str, fix: bool) -> None:
    body = body_of(vault.header)
    path = choice.draw(st.sampled_from(_paths(body)))
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    if op == "replace":
        parent[path[-1]] = choice.draw(_json_value)
    elif op == "delete":
        del parent[path[-1]]
    else:
        parent[choice.draw(st.text(max_size=8))] = choice.draw(_json_value)
    _decode_only_typed_errors(reencode(body, fix_checksum=fix))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(["memory_kib", "time_cost", "parallelism", "salt"]),
    value=st.integers(-(2**70), 2**70) | st.integers(-4, 70_000) | st.binary(max_size=70).map(b64),
)
def test_fuzz_kdf_values(vault: Vault, field: str, value: object) -> None:
    body = body_of(vault.header)
    body["kdf"][field] = value
    _decode_only_typed_errors(reencode(body))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1))
def test_fuzz_byte_edits(vault: Vault, flips: list[tuple[int, int]]) -> None:
    data = bytearray(encode_header(vault.header))
    for index, value in flips:
        data[index % len(data)] = value
    _decode_only_typed_errors(bytes(data))


# --- changing the ways in -------------------------------------------------------------------


def test_passphrase_change(vault: Vault) -> None:
    new = rewrap_passphrase(vault.header, vault.data_key, "a new passphrase", kdf=fast_params())
    assert new.kdf.salt != vault.header.kdf.salt
    assert new.vault_id == vault.header.vault_id
    new = decode_header(encode_header(new), PATH)
    assert unwrap_with_passphrase(new, "a new passphrase") == vault.data_key
    with pytest.raises(WrongPassphrase):
        unwrap_with_passphrase(new, PASS)
    assert unwrap_with_recovery(new, vault.recovery_key) == vault.data_key
    assert unwrap_with_device_secret(new, DEVICE_SECRET) == vault.data_key


def test_passphrase_change_always_uses_fresh_salt(vault: Vault, cached_kdf: None) -> None:
    new = rewrap_passphrase(vault.header, vault.data_key, PASS, kdf=vault.header.kdf)
    assert new.kdf.salt != vault.header.kdf.salt
    assert new.kdf.memory_kib == vault.header.kdf.memory_kib
    assert unwrap_with_passphrase(new, PASS) == vault.data_key


def test_nfc_and_nfd_passphrases_unlock_the_same_vault() -> None:
    data_key = os.urandom(32)
    composed = unicodedata.normalize("NFC", "contraseña")
    decomposed = unicodedata.normalize("NFD", "contraseña")
    assert composed != decomposed
    header, _ = create_header(data_key, composed, kdf=fast_params())
    assert unwrap_with_passphrase(header, decomposed) == data_key
    header, _ = create_header(data_key, decomposed, kdf=fast_params())
    assert unwrap_with_passphrase(header, composed) == data_key


def test_device_wrap_add_and_remove(vault: Vault) -> None:
    plain = without_device_wrap(vault.header)
    assert DEVICE not in plain.wraps
    assert plain.device_salt is None
    assert "device" not in encode_header(plain).decode()
    with pytest.raises(DeviceNotRemembered):
        unwrap_with_device_secret(plain, DEVICE_SECRET)
    again = with_device_wrap(plain, vault.data_key, b"\x01" * 32)
    again = decode_header(encode_header(again), PATH)
    assert again.device_salt != vault.header.device_salt
    assert unwrap_with_device_secret(again, b"\x01" * 32) == vault.data_key
    with pytest.raises(DeviceNotRemembered):
        unwrap_with_device_secret(again, DEVICE_SECRET)  # the forgotten secret stays dead
    assert unwrap_with_recovery(again, vault.recovery_key) == vault.data_key


def test_bad_inputs_are_programming_errors(vault: Vault) -> None:
    with pytest.raises(ValueError):
        create_header(b"short", PASS, kdf=fast_params())
    with pytest.raises(ValueError):
        with_device_wrap(vault.header, vault.data_key, b"tiny")
    with pytest.raises(ValueError):
        rewrap_passphrase(vault.header, b"short", PASS)
