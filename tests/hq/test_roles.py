"""Roles and posts at a real HQ on loopback: a reviewer reads the private interviews of the
attachés in its posts and never edits them; attachés still never read each other's; a role
change takes effect at the next pull, both ways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.ids import new_id
from fieldkit.hq import devices, roles
from fieldkit.hq.clock import now_ms
from fieldkit.hq.roles import Role
from tests.hq.client import TestDevice, values
from tests.hq.test_admin_cli import CODE, run
from tests.hq_server import RunningHQ, running_hq


@pytest.fixture
def team(hq: RunningHQ) -> Iterator[dict[str, TestDevice]]:
    """Ana (Mexico City), Ben (Monterrey), Rita reviewing Mexico City only, Hugo reviewing all."""
    made = {
        "ana": _enrol(hq, "Ana", Role("attache", "Mexico City")),
        "ben": _enrol(hq, "Ben", Role("attache", "Monterrey")),
        "rita": _enrol(hq, "Rita", Role("reviewer", None, ("Mexico City",))),
        "hugo": _enrol(hq, "Hugo", Role("reviewer")),
    }
    yield made
    for device in made.values():
        device.close()


def _enrol(hq: RunningHQ, name: str, role: Role | None) -> TestDevice:
    code = devices.create_code(hq.storage, name, now_ms(), role=role)
    return TestDevice.enrol_with(hq, code)


def _interview(device: TestDevice, notes: str) -> str:
    record = new_id()
    device.push(
        [
            device.change("interview", record, "pseudonym", "Rosa"),
            device.change("interview", record, "notes", notes),
        ]
    )
    return record


def test_a_reviewer_reads_unshared_interviews_of_its_posts_only(
    team: dict[str, TestDevice],
) -> None:
    ana, ben, rita, hugo = team["ana"], team["ben"], team["rita"], team["hugo"]
    in_mexico = _interview(ana, "words from Mexico City")
    in_monterrey = _interview(ben, "words from Monterrey")
    assert values(rita.pull_all()[0]) == {
        (in_mexico, "pseudonym"): "Rosa",
        (in_mexico, "notes"): "words from Mexico City",
    }
    got = values(hugo.pull_all()[0])
    assert got[(in_mexico, "notes")] == "words from Mexico City"
    assert got[(in_monterrey, "notes")] == "words from Monterrey"
    # Attachés still never read each other's unshared interviews.
    assert ben.pull_all() == ([], [])
    assert values(ana.pull_all()[0]) == {}


def test_a_reviewer_never_edits_an_interview_it_did_not_write(
    team: dict[str, TestDevice],
) -> None:
    ana, rita = team["ana"], team["rita"]
    interview = _interview(ana, "original words")
    rita.pull_all()
    case, own = new_id(), new_id()
    ack = rita.push(
        [
            rita.change("interview", interview, "notes", "a reviewer's rewrite"),
            rita.change("interview", interview, "deleted", True),
            rita.change("interview", interview, "follow_ups", []),
            rita.change("attachment", new_id(), "record_id", interview),
            rita.change("case", case, "reference", "RRM-2026-01"),
            rita.change("case", case, "interview_ids", [interview]),
            rita.change("interview", own, "pseudonym", "Rita's own interview"),
        ]
    )
    refused = {r["code"] for r in ack["rejected"]}
    assert len(ack["rejected"]) == 4 and refused == {"not_permitted"}
    assert ack["applied"] == 3
    changes = values(ana.pull_all()[0])
    assert (interview, "notes") not in changes  # the interview is untouched
    assert changes[(case, "interview_ids")] == [interview]  # the case update arrives


def test_demotion_stops_the_flow_and_promotion_sends_what_was_missed(
    hq: RunningHQ, team: dict[str, TestDevice]
) -> None:
    ana, ben, rita = team["ana"], team["ben"], team["rita"]
    first = _interview(ana, "before the demotion")
    assert (first, "notes") in values(rita.pull_all()[0])
    roles.change_role(hq.storage, rita.device_id, Role("attache"), now_ms())
    after = _interview(ana, "after the demotion")
    assert (after, "notes") not in values(rita.pull_all()[0])
    answer = rita.sync(cursor=rita.cursor)
    assert answer.headers[roles.ROLE_HEADER] == "attache"
    # Ben becomes a reviewer of Mexico City: Ana's older interviews reach him whole.
    reopened = roles.change_role(
        hq.storage, ben.device_id, Role("reviewer", None, ("Mexico City",)), now_ms()
    )
    assert reopened == 2
    got = values(ben.pull_all()[0])
    assert got[(first, "notes")] == "before the demotion"
    assert got[(after, "notes")] == "after the demotion"
    assert ben.sync(cursor=ben.cursor).headers[roles.ROLE_HEADER] == "reviewer"
    # Ana moves to Monterrey: Ben (reviewing Mexico City) stops receiving her interviews.
    roles.change_role(hq.storage, ana.device_id, Role("attache", "Monterrey"), now_ms())
    later = _interview(ana, "from Monterrey now")
    assert (later, "notes") not in values(ben.pull_all()[0])


def test_roles_are_shown_and_enrolment_tells_the_device(hq: RunningHQ) -> None:
    code = devices.create_code(hq.storage, "Rita", now_ms(), role=Role("reviewer"))
    with httpx.Client(base_url=hq.url) as http:
        answer = http.post("/v1/enrol", json={"code": code, "node": "node-rita", "label": "l"})
    assert answer.status_code == 200 and answer.headers[roles.ROLE_HEADER] == "reviewer"
    device = TestDevice(http, "node-rita", answer.json()["device_id"], "Rita")
    try:
        plain = TestDevice.enrol(hq, "Ana")
        plain.close()
        listed = {s.device.name: s.role for s in devices.list_devices(hq.storage)}
        assert listed == {"Rita": Role("reviewer"), "Ana": Role("attache")}
    finally:
        device.close()


def test_role_commands_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    status, out, _ = run(capsys, "enroll", "Ana", "--post", "Mexico City", "--data", str(data))
    assert status == 0 and "attaché (Mexico City)" in out
    (ana_code,) = CODE.findall(out)
    status, out, _ = run(
        capsys, "enroll", "Rita", "--role", "reviewer", "--posts", "Monterrey", "--data", str(data)
    )
    assert status == 0 and "reviewer of Monterrey" in out
    (rita_code,) = CODE.findall(out)
    for bad in (
        ["--role", "reviewer", "--post", "X"],
        ["--posts", "A,B"],
        ["--post", "A,B"],
    ):
        status, _, err = run(capsys, "enroll", "Someone", *bad, "--data", str(data))
        assert status == 2 and err, bad
    with running_hq(data) as hq:
        ana, rita = TestDevice.enrol_with(hq, ana_code), TestDevice.enrol_with(hq, rita_code)
        try:
            interview = _interview(ana, "Mexico City words")
            assert rita.pull_all() == ([], [])  # Rita reviews Monterrey only
            status, out, _ = run(capsys, "post", "Ana", "Monterrey", "--data", str(data))
            assert status == 0 and "1 record(s)" in out
            assert (interview, "notes") in values(rita.pull_all()[0])
            status, out, _ = run(capsys, "role", "Rita", "attache", "--data", str(data))
            assert status == 0 and "now attaché" in out
            status, _, err = run(capsys, "post", "Nobody", "X", "--data", str(data))
            assert status == 2 and "No device" in err
        finally:
            ana.close()
            rita.close()
    status, out, _ = run(capsys, "devices", "--data", str(data))
    rows = {line.split()[1]: line.split() for line in out.splitlines()[2:]}
    assert rows["Ana"][3:5] == ["attache", "Monterrey"] and rows["Rita"][3:5] == ["attache", "-"]


def test_a_reviewer_cannot_resolve_a_conflict_on_anothers_interview(
    team: dict[str, TestDevice],
) -> None:
    ana, ben, rita = team["ana"], team["ben"], team["rita"]
    interview = new_id()
    t = now_ms() << COUNTER_BITS
    ana.push(
        [
            ana.change("interview", interview, "notes", "Base", hlc=t),
            ana.change("interview", interview, "shared", True, hlc=t),
        ]
    )
    base = (t, ana.node)
    ben.pull_all()
    ana.push([ana.change("interview", interview, "notes", "Ana's", hlc=t + 10, base=base)])
    ben.push([ben.change("interview", interview, "notes", "Ben's", hlc=t + 20, base=base)])
    (conflict,) = rita.pull_all()[1]
    rita.push([], resolved=[conflict["id"]])
    (seen,) = ana.pull_all()[1]
    assert seen["id"] == conflict["id"] and seen["resolved"] is False  # Rita's was ignored
    ana.push([], resolved=[conflict["id"]])
    assert [c["resolved"] for c in rita.pull_all()[1]] == [True]


def test_a_replacement_laptop_keeps_the_role_and_post(hq: RunningHQ) -> None:
    rita = _enrol(hq, "Rita", Role("reviewer", None, ("Monterrey",)))
    rita.close()
    hq.revoke(rita.device_id)
    code = devices.create_code(hq.storage, "Rita 2", now_ms(), replaces=rita.device_id)
    new = TestDevice.enrol_with(hq, code)
    try:
        listed = {s.device.name: s.role for s in devices.list_devices(hq.storage)}
        assert listed["Rita 2"] == Role("reviewer", None, ("Monterrey",))
    finally:
        new.close()
