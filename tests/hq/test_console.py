"""The HQ console in a real browser: Debian's chromium, headless, driven by Playwright, against
a real HQ on loopback with two attachés and a reviewer. Sign-in, the devices table, a wrong
token refused, sign-out, both languages, and no interview text on any page (a canary written
into every interview field is searched for in every page's HTML).

With FIELDKIT_CONSOLE_SCREENSHOTS=1 (make console-screenshots) the pages are also saved as
docs/screenshots/{en,es}-console-*.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from fieldkit.domain.ids import new_id
from fieldkit.hq import audit, console_auth, devices
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import AdminError
from fieldkit.hq.roles import Role
from tests.hq.client import TestDevice
from tests.hq_server import RunningHQ, running_hq

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CANARY = "CANARY7Q"  # written into every text field of every interview
PAGES = ["/console/devices", "/console/stale?days=1", "/console/cases", "/console/grants"]
PETITION, PAID = "2026-11-01", "2026-03-01"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[RunningHQ, str, dict[str, TestDevice]]]:
    with running_hq(tmp_path / "hq") as hq:
        team = {
            "ana": _enrol(hq, "Ana Pérez", Role("attache", "Mexico City")),
            "ben": _enrol(hq, "Benito Ruiz", Role("attache", "Monterrey")),
            "rita": _enrol(hq, "Rita Gómez (HQ)", Role("reviewer")),
        }
        _seed(team)
        token = console_auth.create_admin_token(hq.storage, "J. Smith", now_ms())
        try:
            yield hq, token, team
        finally:
            for device in team.values():
                device.close()


def _enrol(hq: RunningHQ, name: str, role: Role) -> TestDevice:
    return TestDevice.enrol_with(hq, devices.create_code(hq.storage, name, now_ms(), role=role))


def _seed(team: dict[str, TestDevice]) -> None:
    ana, ben, rita = team["ana"], team["ben"], team["rita"]
    facility, case, grant, interview = new_id(), new_id(), new_id(), new_id()
    text_fields = ("pseudonym", "place", "notes", "risk_notes", "safe_contact", "sharing_summary")
    ana.push(
        [ana.change("facility", facility, "name", "Llantas del Potosí")]
        + [ana.change("interview", interview, name, f"{CANARY} {name}") for name in text_fields]
        + [
            ana.change("interview", interview, "held_on", "2026-11-03"),
            ana.change("case", case, "reference", "RRM-2026-07"),
            ana.change("case", case, "facility_id", facility),
            ana.change("case", case, "received_on", "2026-11-01"),
            ana.change("case", case, "events", [{"event": "ev_petition_received", "on": PETITION}]),
            ana.change("case", case, "deadlines", [{"label": "Reply", "due": "2026-12-20"}]),
            ana.change("case", case, "interview_ids", [interview]),
        ]
    )
    ben.push(
        [
            ben.change("grant", grant, "award_number", "IL-35000-20-75-K"),
            ben.change("grant", grant, "name", "Labor justice reform"),
            ben.change("grant", grant, "grantee", "Centro de Estudios"),
            ben.change("grant", grant, "amount", "1500000"),
            ben.change("grant", grant, "disbursements", [{"paid_on": PAID, "amount": "400000"}]),
            ben.change("facility", new_id(), "sector", "not-a-sector"),  # refused: quarantined
        ]
    )
    rita.pull_all()  # the reviewer receives the interview: the canary reached a device


def _sign_in(page: Page, hq: RunningHQ, token: str) -> None:
    page.goto(f"{hq.url}/console")
    assert page.url.endswith("/console/sign-in")
    page.fill("#token", token)
    page.click("#sign-in")
    page.wait_for_url("**/console/devices")


def test_sign_in_devices_and_no_interview_text_anywhere(
    browser: Browser, seeded: tuple[RunningHQ, str, dict[str, TestDevice]]
) -> None:
    hq, token, team = seeded
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{hq.url}/console/devices")
    assert page.url.endswith("/console/sign-in")  # not signed in: sent to sign in

    page.fill("#token", "fkadmin-not-a-real-token")
    page.click("#sign-in")
    page.wait_for_url("**/console/sign-in?failed=1")
    assert "not valid" in page.inner_text("[role=alert]")

    _sign_in(page, hq, token)
    (cookie,) = [c for c in context.cookies() if c["name"] == "fk_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    rows = page.locator("#devices tbody tr")
    assert rows.count() == 3
    table = page.inner_text("#devices")
    assert "Rita Gómez (HQ)" in table and "Reviewer" in table and "all posts" in table
    assert "Mexico City" in table and "Monterrey" in table
    ben_row = page.locator("#devices tbody tr", has_text="Benito Ruiz").inner_text()
    assert ben_row.split("\t")[7].strip() == "1"  # one refused change
    page.click(f"text={team['ben'].device_id}")
    assert "a value that is not valid" in page.inner_text("#refusals")
    htmls = {"device": page.content()}
    for path in PAGES:
        page.goto(hq.url + path)
        htmls[path] = page.content()
        _screenshot(page, "en", path)
    cases = page_text(htmls["/console/cases"])
    assert "RRM-2026-07" in cases and "Llantas del Potosí" in cases
    assert "Dec 1, 2026 (overdue)" in cases  # the petition's first clock (30 days) ran out
    assert "$400,000.00" in htmls["/console/grants"] and "27 %" in htmls["/console/grants"]
    for path, html in htmls.items():
        assert CANARY not in html, path

    page.click("text=Sign out")
    page.wait_for_url("**/console/sign-in")
    page.goto(f"{hq.url}/console/devices")
    assert page.url.endswith("/console/sign-in")
    context.close()

    done = [e.detail or "" for e in audit.admin_entries(hq.storage)]
    assert any("sign-in refused" in d for d in done) and "console sign-out" in done
    assert audit.verify(hq.storage).intact


def test_spanish_by_accept_language_and_by_the_switch(
    browser: Browser, seeded: tuple[RunningHQ, str, dict[str, TestDevice]]
) -> None:
    hq, token, _team = seeded
    context = browser.new_context(locale="es-MX", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{hq.url}/console")
    assert "Iniciar sesión" in page.content()
    _sign_in(page, hq, token)
    assert "Dispositivos" in page.inner_text("h2") and "Revisor" in page.inner_text("#devices")
    for path in PAGES:
        page.goto(hq.url + path)
        assert CANARY not in page.content()
        _screenshot(page, "es", path)
    page.click("text=English")
    assert page.inner_text("h2") == "Grants"
    context.close()


def test_forms_need_their_csrf_token_and_the_same_origin(
    seeded: tuple[RunningHQ, str, dict[str, TestDevice]],
) -> None:
    hq, token, _team = seeded
    with httpx.Client(base_url=hq.url) as http:
        form = http.get("/console/sign-in")
        nonce = form.cookies["fk_console_sign_in"]
        # No CSRF field, or a wrong one: refused even with the right admin token.
        for csrf in ("", "0" * 64):
            answer = http.post("/console/sign-in", data={"token": token, "csrf": csrf})
            assert answer.headers["location"].endswith("failed=1")
        # From another site's page: refused.
        answer = http.post(
            "/console/sign-in",
            data={"token": token, "csrf": nonce},
            headers={"Origin": "https://evil.example"},
        )
        assert answer.headers["location"].endswith("failed=1")
        answer = http.post("/console/sign-in", data={"token": token, "csrf": nonce})
        assert answer.status_code == 303 and answer.headers["location"] == "/console/devices"
        assert http.get("/console/devices").status_code == 200
        policy = http.get("/console/devices").headers["content-security-policy"]
        assert "default-src 'none'" in policy
        http.post("/console/sign-out", data={"csrf": "wrong"})
        assert http.get("/console/devices").status_code == 200  # still signed in
        page = http.get("/console/devices").text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        http.post("/console/sign-out", data={"csrf": csrf})
        assert http.get("/console/devices").headers["location"] == "/console/sign-in"


def page_text(html: str) -> str:
    """The HTML with its tags' whitespace folded, for phrases that span cells' markup."""
    return " ".join(html.split())


def _screenshot(page: Page, language: str, path: str) -> None:
    if os.environ.get("FIELDKIT_CONSOLE_SCREENSHOTS") != "1":
        return
    name = path.split("?", maxsplit=1)[0].rsplit("/", 1)[-1]
    page.screenshot(path=str(SCREENSHOTS / f"{language}-console-{name}.png"), full_page=False)


def test_a_revoked_admin_token_ends_its_sessions_and_signs_in_no_more(
    seeded: tuple[RunningHQ, str, dict[str, TestDevice]],
) -> None:
    hq, token, _team = seeded
    with httpx.Client(base_url=hq.url) as http:
        nonce = http.get("/console/sign-in").cookies["fk_console_sign_in"]
        http.post("/console/sign-in", data={"token": token, "csrf": nonce})
        assert http.get("/console/devices").status_code == 200
        assert console_auth.revoke_admin_tokens(hq.storage, "J.  Smith", now_ms()) == 1
        assert http.get("/console/devices").headers["location"] == "/console/sign-in"
        nonce = http.get("/console/sign-in").cookies["fk_console_sign_in"]
        answer = http.post("/console/sign-in", data={"token": token, "csrf": nonce})
        assert answer.headers["location"].endswith("failed=1")
    with pytest.raises(AdminError):
        console_auth.revoke_admin_tokens(hq.storage, "J. Smith", now_ms())  # none live left
