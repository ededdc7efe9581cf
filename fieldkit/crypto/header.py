"""The vault header: a small JSON file beside the database holding the data key, only wrapped.

The 256-bit data key (DEK) is sealed with AES-256-GCM under one key-encryption key per way
in: the passphrase (Argon2id), the printed recovery key (HKDF) and, optionally, a secret in
this computer's keyring (HKDF). Each wrap's associated data names the vault, the wrap and the
parameters its key came from, so editing the KDF settings or moving a wrap into another vault's
header makes it fail to open rather than silently weakening it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit import errors
from fieldkit.atomic_file import write_atomic
from fieldkit.crypto.kdf import KdfParams, check_params, derive_key, exceeds_limits, new_kdf_params
from fieldkit.crypto.memory import wipe
from fieldkit.crypto.recovery import generate_recovery_key, parse_recovery_key, recovery_wrap_key

FORMAT = "fieldkit-vault-header"
VERSION = 1
PASSPHRASE, RECOVERY, DEVICE = "passphrase", "recovery", "device"
DATA_KEY_BYTES = 32
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = DATA_KEY_BYTES + 16  # plus the GCM tag
SALT_BYTES = 16
MAX_SALT_BYTES = 64
MAX_HEADER_BYTES = 64 * 1024  # a real header is under 1 KiB; refuse to parse megabytes
DEVICE_WRAP_INFO = b"fieldkit/device-wrap/v1"
MAX_LEASE_BYTES = 1024


@dataclass(frozen=True)
class Wrap:
    """The data key sealed under one key-encryption key."""

    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class VaultHeader:
    """Everything needed to unlock a vault, none of it secret on its own."""

    version: int
    vault_id: str
    created_at: str
    kdf: KdfParams
    wraps: Mapping[str, Wrap] = field(hash=False)
    recovery_salt: bytes
    device_salt: bytes | None = None
    # The lease (fieldkit/crypto/lease.py): sealed under a key derived from the data key, so
    # only a holder of that key can write or extend it; None when HQ set no lease.
    lease: Wrap | None = None

    def __post_init__(self) -> None:
        # A read-only copy, so a "frozen" header cannot be changed through its wraps.
        object.__setattr__(self, "wraps", MappingProxyType(dict(self.wraps)))


def create_header(
    data_key: bytes | bytearray, passphrase: str, *, kdf: KdfParams | None = None
) -> tuple[VaultHeader, str]:
    """A new header wrapping `data_key`, and the recovery key to show the user once."""
    base = VaultHeader(
        version=VERSION,
        vault_id=str(uuid.uuid4()),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        kdf=kdf if kdf is not None else new_kdf_params(),
        wraps={},
        recovery_salt=secrets.token_bytes(SALT_BYTES),
    )
    return _wrapped(base, data_key, passphrase)


def rekeyed_header(
    header: VaultHeader, new_data_key: bytes | bytearray, passphrase: str
) -> tuple[VaultHeader, str]:
    """A header for the same vault around a new data key, and its new recovery key.

    Same vault id and KDF cost; every salt is fresh, and there is no device wrap (the caller
    adds one with a new device secret). Nothing from the old header opens the new key.
    """
    base = replace(
        header,
        kdf=new_kdf_params(header.kdf.memory_kib, header.kdf.time_cost, header.kdf.parallelism),
        wraps={},
        recovery_salt=secrets.token_bytes(SALT_BYTES),
        device_salt=None,
        lease=None,  # sealed under the old data key: the caller seals it again
    )
    return _wrapped(base, new_data_key, passphrase)


def _wrapped(
    base: VaultHeader, data_key: bytes | bytearray, passphrase: str
) -> tuple[VaultHeader, str]:
    """`base` with a passphrase wrap and a recovery wrap of `data_key`, and the recovery key."""
    _check_data_key(data_key)
    recovery_key = generate_recovery_key()
    wraps = {
        PASSPHRASE: _seal(derive_key(passphrase, base.kdf), data_key, _aad(base, PASSPHRASE)),
        RECOVERY: _seal(
            recovery_wrap_key(parse_recovery_key(recovery_key), base.recovery_salt),
            data_key,
            _aad(base, RECOVERY),
        ),
    }
    return replace(base, wraps=wraps), recovery_key


def unwrap_with_passphrase(header: VaultHeader, passphrase: str) -> bytearray:
    """The data key, or WrongPassphrase."""
    data_key = _open(header, PASSPHRASE, derive_key(passphrase, header.kdf))
    if data_key is None:
        raise errors.WrongPassphrase()
    return data_key


def unwrap_with_recovery(header: VaultHeader, recovery_key: str) -> bytearray:
    """The data key; RecoveryKeyMalformed/RecoveryKeyTypo for bad input, else WrongRecoveryKey."""
    secret = parse_recovery_key(recovery_key)
    data_key = _open(header, RECOVERY, recovery_wrap_key(secret, header.recovery_salt))
    if data_key is None:
        raise errors.WrongRecoveryKey()
    return data_key


def unwrap_with_device_secret(header: VaultHeader, secret: bytes) -> bytearray:
    """The data key from this device's keyring secret, or DeviceNotRemembered."""
    if DEVICE not in header.wraps or header.device_salt is None:
        raise errors.DeviceNotRemembered()
    data_key = _open(header, DEVICE, _device_kek(secret, header.device_salt))
    if data_key is None:
        raise errors.DeviceNotRemembered()
    return data_key


def rewrap_passphrase(
    header: VaultHeader,
    data_key: bytes | bytearray,
    new_passphrase: str,
    *,
    kdf: KdfParams | None = None,
) -> VaultHeader:
    """A copy of `header` whose passphrase wrap uses `new_passphrase`; other wraps are kept.

    Only the cost settings of `kdf` are used: the salt is always fresh, so the old and new
    passphrase keys never share one. `data_key` must be the key unwrapped from this header.
    """
    _check_data_key(data_key)
    if kdf is None:
        params = new_kdf_params()
    else:
        params = new_kdf_params(kdf.memory_kib, kdf.time_cost, kdf.parallelism)
    updated = replace(header, kdf=params)
    wrap = _seal(derive_key(new_passphrase, params), data_key, _aad(updated, PASSPHRASE))
    return replace(updated, wraps={**header.wraps, PASSPHRASE: wrap})


def with_device_wrap(
    header: VaultHeader, data_key: bytes | bytearray, secret: bytes
) -> VaultHeader:
    """A copy of `header` that this device's keyring `secret` can also unlock."""
    _check_data_key(data_key)
    if len(secret) < SALT_BYTES:
        raise ValueError("a device secret must be at least 16 random bytes")
    salt = secrets.token_bytes(SALT_BYTES)  # fresh per wrap: an old device secret stays dead
    updated = replace(header, device_salt=salt)
    wrap = _seal(_device_kek(secret, salt), data_key, _aad(updated, DEVICE))
    return replace(updated, wraps={**header.wraps, DEVICE: wrap})


def without_device_wrap(header: VaultHeader) -> VaultHeader:
    """A copy of `header` with no device wrap (the keyring secret no longer opens it)."""
    wraps = {name: wrap for name, wrap in header.wraps.items() if name != DEVICE}
    return replace(header, wraps=wraps, device_salt=None)


def encode_header(header: VaultHeader) -> bytes:
    """The header file's bytes: indented JSON whose checksum covers the canonical form."""
    body = _body(header)
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    data = (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")
    # Never produce a file that would not read back: that would lock the user out.
    try:
        readable = decode_header(data, Path("<new header>")) == header
    except (errors.HeaderCorrupted, errors.WeakKeyParameters):
        readable = False
    if not readable:
        raise ValueError("refusing to encode an invalid vault header")
    return data


def decode_header(data: bytes, path: Path) -> VaultHeader:
    """Parse header bytes read from `path`: HeaderCorrupted or WeakKeyParameters, nothing else.

    The KDF floor is checked after the structure and before anything derives a key.
    """
    try:
        header = _parse(data)
    except _Altered:
        # Well-formed, but not as FieldKit wrote it: say so, and try no passphrase on it.
        raise errors.HeaderAltered(path=path) from None
    except (ValueError, TypeError, RecursionError):
        # ValueError covers our own checks and bad JSON/UTF-8/base64/UUID/date alike.
        raise errors.HeaderCorrupted(path=path) from None
    check_params(header.kdf, path)
    return header


def read_header(path: Path) -> VaultHeader:
    """Read and decode the header file at `path`."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_HEADER_BYTES + 1)
    except FileNotFoundError:
        raise errors.VaultNotFound(path=path.parent) from None
    except OSError as exc:
        raise errors.UnreadableFile(path=path, reason=exc.strerror or type(exc).__name__) from None
    return decode_header(data, path)


def write_header(path: Path, header: VaultHeader) -> None:
    """Replace the header file at `path` atomically, readable by the owner only."""
    write_atomic(path, encode_header(header), mode=0o600)


# --- sealing --------------------------------------------------------------------------------


def _check_data_key(data_key: bytes | bytearray) -> None:
    if len(data_key) != DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")


def _device_kek(secret: bytes, salt: bytes) -> bytearray:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=DEVICE_WRAP_INFO)
    return bytearray(hkdf.derive(secret))


def _seal(kek: bytearray, data_key: bytes | bytearray, aad: bytes) -> Wrap:
    """Seal `data_key` under `kek` with a fresh nonce, then wipe `kek`."""
    try:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return Wrap(nonce=nonce, ciphertext=AESGCM(kek).encrypt(nonce, data_key, aad))
    finally:
        wipe(kek)


def _open(header: VaultHeader, name: str, kek: bytearray) -> bytearray | None:
    """The data key from wrap `name`, or None if it is missing or does not authenticate."""
    try:
        wrap = header.wraps.get(name)
        if wrap is None:
            return None
        return bytearray(AESGCM(kek).decrypt(wrap.nonce, wrap.ciphertext, _aad(header, name)))
    except InvalidTag:
        return None
    finally:
        wipe(kek)


def _aad(header: VaultHeader, name: str) -> bytes:
    """Associated data binding wrap `name` to this vault and to what its key came from."""
    context: dict[str, object] = {
        "format": FORMAT,
        "version": header.version,
        "vault_id": header.vault_id,
        "wrap": name,
    }
    if name == PASSPHRASE:
        context["kdf"] = _kdf_body(header.kdf)
    elif name == RECOVERY:
        context["recovery_salt"] = _b64(header.recovery_salt)
    else:
        context["device_salt"] = _b64(header.device_salt or b"")
    return _canonical(context)


# --- format ---------------------------------------------------------------------------------


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _kdf_body(kdf: KdfParams) -> dict[str, object]:
    return {
        "algorithm": "argon2id",
        "memory_kib": kdf.memory_kib,
        "time_cost": kdf.time_cost,
        "parallelism": kdf.parallelism,
        "salt": _b64(kdf.salt),
    }


def _body(header: VaultHeader) -> dict[str, object]:
    body: dict[str, object] = {
        "format": FORMAT,
        "version": header.version,
        "vault_id": header.vault_id,
        "created_at": header.created_at,
        "kdf": _kdf_body(header.kdf),
        "recovery_salt": _b64(header.recovery_salt),
        "wraps": {
            name: {"nonce": _b64(w.nonce), "ciphertext": _b64(w.ciphertext)}
            for name, w in header.wraps.items()
        },
    }
    if header.device_salt is not None:
        body["device_salt"] = _b64(header.device_salt)
    if header.lease is not None:
        body["lease"] = {
            "nonce": _b64(header.lease.nonce),
            "ciphertext": _b64(header.lease.ciphertext),
        }
    return body


_TOP_KEYS = frozenset(
    {"format", "version", "vault_id", "created_at", "kdf", "recovery_salt", "wraps", "checksum"}
)
_KDF_KEYS = frozenset({"algorithm", "memory_kib", "time_cost", "parallelism", "salt"})
_WRAP_NAMES = frozenset({PASSPHRASE, RECOVERY})
_WRAP_KEYS = frozenset({"nonce", "ciphertext"})


def _parse(data: bytes) -> VaultHeader:
    """The header in `data`; ValueError (or TypeError/RecursionError) if anything is off."""
    if not data or len(data) > MAX_HEADER_BYTES:
        raise ValueError("empty or oversized header")
    body = _object(
        json.loads(data.decode("utf-8"), object_pairs_hook=_unique, parse_constant=_constant),
        _TOP_KEYS,
        optional={"device_salt", "lease"},
    )
    if body["format"] != FORMAT or _int(body["version"]) != VERSION:
        raise ValueError("not a version 1 FieldKit vault header")
    checksum = body.pop("checksum")
    if checksum != hashlib.sha256(_canonical(body)).hexdigest():
        raise _Altered("checksum mismatch")
    vault_id, created_at = _str(body["vault_id"]), _str(body["created_at"])
    # Canonical forms only, so one header has exactly one encoding.
    if str(uuid.UUID(vault_id)) != vault_id:
        raise ValueError("vault_id is not a canonical UUID")
    if dt.datetime.fromisoformat(created_at).tzinfo is None:
        raise ValueError("created_at has no time zone")
    kdf_body = _object(body["kdf"], _KDF_KEYS)
    kdf = KdfParams(
        memory_kib=_int(kdf_body["memory_kib"]),
        time_cost=_int(kdf_body["time_cost"]),
        parallelism=_int(kdf_body["parallelism"]),
        salt=_bytes(kdf_body["salt"], 0, MAX_SALT_BYTES),
    )
    # Only absurd values here: values below the floor are check_params' WeakKeyParameters.
    if kdf_body["algorithm"] != "argon2id":
        raise ValueError("unknown KDF")
    if exceeds_limits(kdf):
        raise _Altered("KDF settings above what FieldKit writes")
    device_salt = None
    if "device_salt" in body:
        device_salt = _bytes(body["device_salt"], SALT_BYTES, MAX_SALT_BYTES)
    wraps_body = _object(body["wraps"], _WRAP_NAMES, optional={DEVICE})
    if (DEVICE in wraps_body) != (device_salt is not None):
        raise ValueError("device wrap and device salt must come together")
    wraps = {}
    for name, value in wraps_body.items():
        wrap = _object(value, _WRAP_KEYS)
        wraps[name] = Wrap(
            nonce=_bytes(wrap["nonce"], NONCE_BYTES, NONCE_BYTES),
            ciphertext=_bytes(wrap["ciphertext"], WRAPPED_KEY_BYTES, WRAPPED_KEY_BYTES),
        )
    lease = None
    if "lease" in body:
        sealed = _object(body["lease"], _WRAP_KEYS)
        lease = Wrap(
            nonce=_bytes(sealed["nonce"], NONCE_BYTES, NONCE_BYTES),
            ciphertext=_bytes(sealed["ciphertext"], 17, MAX_LEASE_BYTES),
        )
    return VaultHeader(
        version=VERSION,
        vault_id=vault_id,
        created_at=created_at,
        kdf=kdf,
        wraps=wraps,
        recovery_salt=_bytes(body["recovery_salt"], SALT_BYTES, MAX_SALT_BYTES),
        device_salt=device_salt,
        lease=lease,
    )


class _Altered(ValueError):
    """The header is well-formed but was changed after FieldKit wrote it."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Duplicate keys would let the checksum and the parser see different values.
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _object(
    value: object, required: frozenset[str], optional: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    keys = set(value)
    if not required <= keys or not keys <= required | optional:
        raise ValueError("unexpected or missing fields")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _int(value: object) -> int:
    # bool is an int subclass in Python; JSON true must not pass for 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _bytes(value: object, minimum: int, maximum: int) -> bytes:
    raw = base64.b64decode(_str(value), validate=True)
    if _b64(raw) != value or not minimum <= len(raw) <= maximum:
        raise ValueError("bad base64 field")
    return raw
