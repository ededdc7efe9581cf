"""`fieldkit set`: a script changes fields of a saved record, validated as in the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import minimum_kdf, run, vault_path
from tests.conftest import PASSPHRASE
from tests.hq_server import RunningHQ
from tests.reviewer_vaults import ANA_NOTES, ENGLISH_REFUSAL, SPANISH_REFUSAL, reviewing

__all__ = ["minimum_kdf", "vault_path"]  # fixtures shared with the command line's tests


@pytest.fixture
def facility(vault_path: Path, tmp_path: Path, capsys) -> str:  # type: ignore[no-untyped-def]
    source = tmp_path / "f.csv"
    source.write_text("name,state,municipality\nLlantas del Potosí,SLP,San Luis Potosí\n")
    code, _, _ = run(capsys, "--vault", str(vault_path), "import", "facility", str(source))
    assert code == 0
    code, out, _ = run(capsys, "--vault", str(vault_path), "--json", "list", "facility")
    return str(json.loads(out)[0]["id"])


def show(vault: Path, capsys, record_id: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--vault", str(vault), "--json", "show", "facility", record_id)
    assert code == 0
    return dict(json.loads(out))


def test_set_changes_text_choice_flag_and_list_fields(
    vault_path: Path, facility: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys,
        "--vault",
        str(vault_path),
        "--json",
        "set",
        "facility",
        facility,
        "municipality=Villa de Reyes",
        "sector=hule y LLANTAS",  # a choice by its Spanish label, any case
        "priority_sector=yes",
        'unions=["Sindicato Independiente", "SNTIHC"]',
        "address=",
    )
    assert code == 0, err
    assert json.loads(out)["municipality"] == "Villa de Reyes"
    saved = show(vault_path, capsys, facility)
    assert saved["municipality"] == "Villa de Reyes"
    assert saved["sector"] == "rubber_tires" and saved["priority_sector"] is True
    assert saved["unions"] == ["Sindicato Independiente", "SNTIHC"]
    assert saved["name"] == "Llantas del Potosí"  # fields not named keep their values


def test_invalid_values_change_nothing_and_name_every_field(
    vault_path: Path, facility: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    before = show(vault_path, capsys, facility)
    code, _, err = run(
        capsys,
        "--vault",
        str(vault_path),
        "set",
        "facility",
        facility,
        "municipality=Villa de Reyes",
        "state=Atlantis",
        "colour=blue",
    )
    assert code == 1 and "Traceback" not in err
    assert "State: 'Atlantis'" in err and "colour is not a field" in err
    assert show(vault_path, capsys, facility) == before
    code, _, err = run(capsys, "--vault", str(vault_path), "set", "facility", facility, "name=")
    assert code == 1 and "Name" in err
    assert show(vault_path, capsys, facility) == before


@pytest.mark.parametrize(
    ("pair", "says"),
    [
        ("municipality", "is not FIELD=VALUE"),
        ("=x", "is not FIELD=VALUE"),
        ("unions=Sindicato", "is a list"),
    ],
)
def test_malformed_pairs_are_usage_errors(
    vault_path: Path, facility: str, capsys, pair: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stopped:
        run(capsys, "--vault", str(vault_path), "set", "facility", facility, pair)
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err


def test_an_unknown_record_is_refused(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--vault", str(vault_path), "set", "visit", "nope", "findings=x")
    assert code == 1 and "Not found" in err


def test_set_refuses_an_interview_another_attache_wrote_on_a_reviewers_vault(
    tmp_path: Path, hq: RunningHQ, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Rita's vault learnt from a real HQ that it is a reviewer's: `fieldkit set` on Ana's
    interview says why, in either language, exits 1 and writes nothing."""
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    with reviewing(tmp_path, hq) as scene:
        scene.rita.lock()  # the command line opens it itself
        rita, interview_id = str(scene.rita_root), scene.interview.id

        def unsent() -> int:
            code, out, _ = run(capsys, "--vault", rita, "--json", "sync", "--status")
            assert code == 0
            return int(json.loads(out)["unsent"])

        before = unsent()
        command = ("set", "interview", interview_id, "notes=Reescrita", "shared=yes")
        code, out, err = run(capsys, "--vault", rita, *command)
        assert (code, out) == (1, "")
        assert err.splitlines() == [
            f"fieldkit: {ENGLISH_REFUSAL}",
            "  Nothing was saved. Only the attaché who wrote an interview may change it.",
        ]
        code, out, err = run(capsys, "--lang", "es", "--vault", rita, "--json", *command)
        assert (code, out) == (1, "")
        assert err.splitlines()[0] == f"fieldkit: {SPANISH_REFUSAL}"

        code, out, _ = run(capsys, "--vault", rita, "--json", "show", "interview", interview_id)
        shown = json.loads(out)
        assert code == 0 and shown["notes"] == ANA_NOTES and shown["shared"] is False
        assert unsent() == before
        # What a reviewer may change still changes: the visit Ana recorded.
        code, _, err = run(
            capsys, "--vault", rita, "set", "visit", scene.visit.id, "findings=Pagos atrasados"
        )
        assert code == 0, err
