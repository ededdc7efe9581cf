"""The HQ console at /console: a few read-only, server-rendered pages for HQ's admins.

- Sign-in with an admin token (`fieldkit-hq admin-token`); the session id travels in an
  HttpOnly, SameSite=Strict cookie (Secure over TLS) scoped to /console, and is stored hashed.
- Every POST carries a CSRF token: the session's for sign-out, a double-submit cookie's for
  sign-in; a POST from another origin is refused as well.
- It answers only over TLS or from loopback; pages are never cached, never framed, and load
  nothing from anywhere (a Content-Security-Policy without scripts).
- No page shows an interview: overview.py reads devices, refusals, cases and grants only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jinja2
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from fieldkit.domain.choices import LABELS
from fieldkit.hq import audit, console_auth
from fieldkit.hq.clock import now_ms
from fieldkit.hq.console import overview
from fieldkit.hq.console.text import REFUSAL_CODES, TEXT
from fieldkit.hq.context import context_of
from fieldkit.i18n import ENGLISH, SPANISH, Translator
from fieldkit.sync.protocol import is_loopback

PREFIX = "/console"
SESSION_COOKIE = "fk_console"
SIGN_IN_COOKIE = "fk_console_sign_in"
LANGUAGE_COOKIE = "fk_console_lang"
MAX_FORM_BYTES = 4096
DEFAULT_STALE_DAYS = 14
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers send Origin: null
    "Cache-Control": "no-store",
}

router = APIRouter(prefix=PREFIX, include_in_schema=False)
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


class Refused(Exception):
    """Not TLS and not loopback: the console does not answer."""


@router.get("")
@router.get("/")
async def home(request: Request) -> Response:
    session = await _session(request)
    return _redirect("/devices" if session else "/sign-in")


@router.get("/sign-in")
async def sign_in_form(request: Request, failed: int = 0) -> Response:
    _check_transport(request)
    nonce = secrets.token_hex(32)
    reply = _render(request, "sign_in.html", None, csrf=nonce, failed=bool(failed))
    _set_cookie(request, reply, SIGN_IN_COOKIE, nonce, max_age=3600)
    return reply


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    _check_transport(request)
    form = await _form(request)
    nonce = request.cookies.get(SIGN_IN_COOKIE)
    fresh = nonce is not None and console_auth.same_csrf(nonce, form.get("csrf"))
    if not _same_origin(request) or not fresh:
        return _redirect("/sign-in?failed=1")
    storage = context_of(request).storage
    session = await run_in_threadpool(
        console_auth.sign_in, storage, form.get("token", ""), now_ms()
    )
    client = request.client.host if request.client else "?"
    if session is None:
        await run_in_threadpool(
            audit.log_admin, storage, f"console sign-in refused (from {client})", "console"
        )
        return _redirect("/sign-in?failed=1")
    await run_in_threadpool(
        audit.log_admin, storage, f"console sign-in (from {client})", session.label
    )
    reply = _redirect("/devices")
    _set_cookie(request, reply, SESSION_COOKIE, session.id, max_age=console_auth.SESSION_MS // 1000)
    reply.delete_cookie(SIGN_IN_COOKIE, path=PREFIX)
    return reply


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    session = await _session(request)
    form = await _form(request)
    if session is None:
        return _redirect("/sign-in")
    if not _same_origin(request) or not console_auth.same_csrf(session.csrf, form.get("csrf")):
        return _redirect("/devices")  # not from this console's own form: nothing happens
    storage = context_of(request).storage
    await run_in_threadpool(console_auth.sign_out, storage, session.id)
    await run_in_threadpool(audit.log_admin, storage, "console sign-out", session.label)
    reply = _redirect("/sign-in")
    reply.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return reply


@router.get("/language/{code}")
async def language(request: Request, code: str, back: str = "/devices") -> Response:
    """Switch the console's language (a preference cookie; nothing on the server changes)."""
    _check_transport(request)
    chosen = SPANISH if code.lower().startswith("es") else ENGLISH
    target = back if back.startswith("/") and not back.startswith("//") else "/devices"
    reply = _redirect(target.removeprefix(PREFIX) or "/devices")
    _set_cookie(request, reply, LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600)
    return reply


@router.get("/devices")
async def devices_page(request: Request) -> Response:
    session = await _session(request)
    if session is None:
        return _redirect("/sign-in")
    rows = await run_in_threadpool(overview.device_rows, context_of(request).storage)
    return _render(request, "devices.html", session, rows=rows)


@router.get("/stale")
async def stale_page(request: Request, days: int = DEFAULT_STALE_DAYS) -> Response:
    session = await _session(request)
    if session is None:
        return _redirect("/sign-in")
    days = max(1, min(days, 3650))
    rows = await run_in_threadpool(
        overview.stale_devices, context_of(request).storage, days, now_ms()
    )
    return _render(request, "stale.html", session, rows=rows, days=days)


@router.get("/devices/{device_id}")
async def device_page(request: Request, device_id: str) -> Response:
    session = await _session(request)
    if session is None:
        return _redirect("/sign-in")
    storage = context_of(request).storage
    rows = await run_in_threadpool(overview.device_rows, storage)
    found = [row for row in rows if row.status.device.id == device_id]
    if not found:
        return _redirect("/devices")
    refused = await run_in_threadpool(overview.refusals, storage, device_id)
    return _render(request, "device.html", session, row=found[0], refused=refused)


@router.get("/cases")
async def cases_page(request: Request) -> Response:
    session = await _session(request)
    if session is None:
        return _redirect("/sign-in")
    today = dt.datetime.now(dt.UTC).date()
    rows = await run_in_threadpool(overview.cases, context_of(request).storage, today)
    return _render(request, "cases.html", session, rows=rows, today=today)


@router.get("/grants")
async def grants_page(request: Request) -> Response:
    session = await _session(request)
    if session is None:
        return _redirect("/sign-in")
    today = dt.datetime.now(dt.UTC).date()
    rows = await run_in_threadpool(overview.grants, context_of(request).storage, today)
    return _render(request, "grants.html", session, rows=rows)


# --- plumbing --------------------------------------------------------------------------------


def refused_reply(_request: Request, _error: Exception) -> Response:
    """What a request over plain HTTP from another machine gets (serve refuses to listen
    like that anyway; this holds behind a proxy too)."""
    return HTMLResponse(TEXT["forbidden"], status_code=403, headers=SECURITY_HEADERS)


def _check_transport(request: Request) -> None:
    client = request.client.host if request.client else ""
    if request.url.scheme != "https" and not is_loopback(client):
        raise Refused()


async def _session(request: Request) -> console_auth.Session | None:
    _check_transport(request)
    return await run_in_threadpool(
        console_auth.session_of,
        context_of(request).storage,
        request.cookies.get(SESSION_COOKIE),
        now_ms(),
    )


async def _form(request: Request) -> dict[str, str]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if values}


def _same_origin(request: Request) -> bool:
    """A browser names the page a POST came from; it must be this console."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _language(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in (ENGLISH, SPANISH):
        return chosen
    accepted = request.headers.get("accept-language", "")
    first = accepted.split(",")[0].strip().lower()
    return SPANISH if first.startswith("es") else ENGLISH


def _render(
    request: Request, name: str, session: console_auth.Session | None, **context: Any
) -> Response:
    tr = Translator(_language(request))

    def t(key: str, **values: Any) -> str:
        text = tr(TEXT[key])
        return text.format(**values) if values else text

    html = _templates.get_template(name).render(
        t=t,
        tr=tr,
        lang=tr.language,
        session=session,
        path=request.url.path,
        when=_when(tr),
        day=tr.date,
        usd=tr.usd,
        choice=lambda member: tr(LABELS[member]) if member in LABELS else str(member),
        refusal=lambda code: tr(REFUSAL_CODES.get(str(code), str(code))),
        clock=lambda c: c.rule.label_es if tr.language == SPANISH else c.rule.label_en,
        percent=lambda share: f"{share * 100:.0f} %",
        **context,
    )
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def _when(tr: Translator) -> Callable[[int | None], str]:
    def when(ms: int | None) -> str:
        if not ms:
            return tr(TEXT["never"])
        moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
        return tr.datetime(moment) + " UTC"

    return when


def _redirect(path: str) -> Response:
    return RedirectResponse(PREFIX + path, status_code=303, headers=SECURITY_HEADERS)


def _set_cookie(request: Request, reply: Response, name: str, value: str, max_age: int) -> None:
    reply.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
