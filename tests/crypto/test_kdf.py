from __future__ import annotations

import dataclasses
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from fieldkit.crypto.kdf import (
    DEFAULT_MEMORY_KIB,
    DEFAULT_PARALLELISM,
    DEFAULT_TIME_COST,
    MIN_MEMORY_KIB,
    MIN_TIME_COST,
    KdfParams,
    check_params,
    derive_key,
    new_kdf_params,
)
from fieldkit.crypto.memory import wipe
from fieldkit.errors import WeakKeyParameters

HEADER_PATH = Path("/vault/header.json")


@pytest.fixture(scope="module")
def params() -> KdfParams:
    return new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)


def test_defaults_and_fresh_salt() -> None:
    a, b = new_kdf_params(), new_kdf_params()
    assert (a.memory_kib, a.time_cost, a.parallelism) == (
        DEFAULT_MEMORY_KIB,
        DEFAULT_TIME_COST,
        DEFAULT_PARALLELISM,
    )
    assert len(a.salt) == 16
    assert a.salt != b.salt


@pytest.mark.parametrize(
    "kwargs",
    [
        {"memory_kib": MIN_MEMORY_KIB - 1},
        {"time_cost": MIN_TIME_COST - 1},
        {"parallelism": 0},
        {"memory_kib": 10**9},
    ],
)
def test_new_params_refuse_out_of_range(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        new_kdf_params(**kwargs)


def test_minimum_is_accepted(params: KdfParams) -> None:
    assert params.memory_kib == MIN_MEMORY_KIB
    check_params(params, HEADER_PATH)


def test_derive_key_is_deterministic_32_byte_bytearray(params: KdfParams) -> None:
    key = derive_key("correct horse", params)
    assert isinstance(key, bytearray)
    assert len(key) == 32
    assert derive_key("correct horse", params) == key
    assert derive_key("correct horsf", params) != key
    assert derive_key("correct horse", dataclasses.replace(params, salt=b"\x01" * 16)) != key


def test_nfc_and_nfd_passphrases_derive_the_same_key(params: KdfParams) -> None:
    composed = unicodedata.normalize("NFC", "contraseña")
    decomposed = unicodedata.normalize("NFD", "contraseña")
    assert composed != decomposed
    assert derive_key(composed, params) == derive_key(decomposed, params)


@pytest.mark.parametrize(
    "change",
    [
        {"memory_kib": MIN_MEMORY_KIB - 1},
        {"time_cost": MIN_TIME_COST - 1},
        {"parallelism": 0},
        {"salt": b"\x00" * 15},
    ],
)
def test_check_params_rejects_weak(params: KdfParams, change: dict[str, object]) -> None:
    weak = dataclasses.replace(params, **change)  # type: ignore[arg-type]
    with pytest.raises(WeakKeyParameters) as caught:
        check_params(weak, HEADER_PATH)
    assert str(HEADER_PATH) in caught.value.message
    # derive_key refuses too, so a hand-built weak KdfParams can never be used.
    with pytest.raises(ValueError):
        derive_key("x", weak)


def test_wipe_zeroes_in_place() -> None:
    buffer = bytearray(b"secret key material")
    view = memoryview(buffer)  # the same storage, to prove nothing was reallocated
    wipe(buffer)
    assert bytes(view) == bytes(len(b"secret key material"))
    view.release()


def test_crypto_package_imports_no_ui_or_database() -> None:
    code = (
        "import sys, fieldkit.crypto.header, fieldkit.crypto.device_secret;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {"
        "'sqlite3', '_sqlite3', 'sqlite_utils', 'sqlcipher3',"
        "'PySide6', 'PyQt6', 'PySide2', 'PyQt5'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
