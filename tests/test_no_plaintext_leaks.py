"""Nothing sensitive leaves the encrypted database: a canary typed into every text field of
every record kind must not appear, in UTF-8 or UTF-16, in any file under the vault, log,
cache, config, data or temp dirs, while the vault is open or after it is locked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.fields import FieldType, Model
from fieldkit.domain.records import RECORD_TYPES, Attachment, Facility, Record
from fieldkit.domain.values import ClockOverride
from fieldkit.log_setup import configure_logging
from fieldkit.services.vault import Vault, create_vault, unlock_vault
from tests.conftest import PASSPHRASE, fast_kdf


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def files_containing(roots: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else []:
            if path.is_file():
                data = path.read_bytes()
                if any(needle in data for needle in needles):
                    found.append(str(path))
    return found


def filled(cls: type[Model], canary: str, refs: dict[str, str]) -> dict[str, Any]:
    """Every text field of `cls` holding the canary; other required fields plausible."""
    values: dict[str, Any] = {}
    for spec in cls.specs():
        marker = f"{canary} {spec.name} Potosí"
        if spec.type in (FieldType.TEXT, FieldType.LONGTEXT):
            values[spec.name] = marker
        elif spec.type is FieldType.STRINGS:
            values[spec.name] = (marker,)
        elif spec.type is FieldType.ITEMS:
            assert spec.item is not None
            values[spec.name] = (spec.item(**filled(spec.item, canary, refs)),)
        elif spec.type is FieldType.DATE:
            values[spec.name] = dt.date(2025, 6, 1)
        elif spec.type in (FieldType.MONEY, FieldType.NUMBER):
            values[spec.name] = Decimal(1)
        elif spec.type is FieldType.REF and spec.target in refs:
            values[spec.name] = refs[spec.target]
    if "consent" in {s.name for s in cls.specs()}:
        values["consent"] = Consent.GIVEN
    if cls is ClockOverride:
        values["rule"] = "mexico_notice"  # a key into the rule table; its reason is free text
    return values


def fill_every_kind(vault: Vault, canary: str) -> list[Record]:
    refs: dict[str, str] = {}
    saved = []
    for cls in RECORD_TYPES:
        if cls is Attachment:
            continue
        record = vault.records.create(cls(**filled(cls, canary, refs)))
        refs[cls.KIND] = record.id
        saved.append(record)
    facility = vault.records.get(Facility, refs["facility"])
    saved.append(vault.attachments.attach_bytes(facility, f"{canary}.txt", canary.encode() * 50))
    return saved


@pytest.mark.slow
def test_canary_never_reaches_disk_in_plaintext(
    tmp_path: Path, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    temp = isolated_environment / "tmp"
    temp.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(temp))
    configure_logging()
    vault_dir = tmp_path / "vault"
    vault, _ = create_vault(vault_dir, PASSPHRASE, kdf=fast_kdf())
    records = fill_every_kind(vault, canary)
    # Edit and delete too, so old values pass through the journal and the free pages.
    for record in records[:3]:
        vault.records.update(
            dataclasses.replace(record, **{record.TITLE_FIELD: "x"})
            if record.TITLE_FIELD in {s.name for s in record.specs()}
            else record
        )
    vault.records.delete(type(records[0]), records[0].id)
    assert vault.records.search(canary)  # the canary really is in the database
    roots = [vault_dir, isolated_environment]
    needles = encodings(canary) + encodings(PASSPHRASE)
    assert files_containing(roots, needles) == [], "plaintext while unlocked"
    vault.lock()

    env = {**os.environ, "FIELDKIT_PASSPHRASE": PASSPHRASE, "FIELDKIT_VAULT": str(vault_dir)}
    for argv in (["info"], ["search", canary], ["verify"], ["list", "interview"]):
        subprocess.run(
            [sys.executable, "-m", "fieldkit", *argv], env=env, check=True, capture_output=True
        )
    subprocess.run(
        [sys.executable, "-m", "fieldkit", "info"],
        check=False,
        capture_output=True,
        env={**env, "FIELDKIT_PASSPHRASE": "wrong passphrase!"},
    )
    unlock_vault(vault_dir, PASSPHRASE).lock()

    assert (isolated_environment / "state").exists(), "the log dir should exist and be scanned"
    assert files_containing(roots, needles) == [], "plaintext after locking"


def test_the_scanner_finds_a_planted_canary(tmp_path: Path) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "x.bin").write_bytes(b"\x00" + canary.encode("utf-16-le"))
    assert files_containing([tmp_path], encodings(canary)) == [str(tmp_path / "deep/er/x.bin")]
