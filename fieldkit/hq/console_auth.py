"""Signing in to the HQ console: admin tokens (made by `fieldkit-hq admin-token`, stored as
SHA-256 only) and the sessions they open (a random id in an HttpOnly cookie, stored as SHA-256,
with the CSRF token every form of that session carries)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from fieldkit.hq.codes import digest, same_digest
from fieldkit.hq.errors import AdminError
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import NAME, admin_tokens, console_sessions

TOKEN_PREFIX = "fkadmin-"  # noqa: S105 (says what the token is for, not a secret)
SESSION_MS = 8 * 3600 * 1000  # a working day; then sign in again
MAX_TOKEN_CHARS = 200


@dataclass(frozen=True)
class Session:
    id: str  # the cookie's value (only its digest is stored)
    csrf: str
    label: str  # whose admin token opened it
    expires_at: int


def create_admin_token(storage: Storage, label: str, now_ms: int) -> str:
    """A new console sign-in token for `label`; only its SHA-256 is kept."""
    label = " ".join(label.split())
    if not label or len(label) > NAME:
        raise AdminError(f"Give the token a label of 1 to {NAME} characters (whose it is).")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with storage.writing() as conn:
        conn.execute(
            insert(admin_tokens).values(token_sha256=digest(token), label=label, created_at=now_ms)
        )
    return token


def revoke_admin_tokens(storage: Storage, label: str, now_ms: int) -> int:
    """Revoke every live token of `label` (their sessions end with them); how many."""
    label = " ".join(label.split())
    with storage.writing() as conn:
        revoked = conn.execute(
            update(admin_tokens)
            .where(admin_tokens.c.label == label, admin_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now_ms)
        ).rowcount
    if not revoked:
        raise AdminError(f"No live console token is labelled {label!r}.")
    return int(revoked)


def sign_in(storage: Storage, token: str, now_ms: int) -> Session | None:
    """A new session for a valid admin token, or None (a wrong or revoked token)."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    key = digest(token)
    with storage.writing() as conn:
        row = conn.execute(
            select(admin_tokens).where(admin_tokens.c.token_sha256 == key)
        ).one_or_none()
        if row is None or row.revoked_at is not None or not same_digest(row.token_sha256, key):
            return None
        conn.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now_ms))
        session = Session(
            secrets.token_urlsafe(32), secrets.token_hex(32), str(row.label), now_ms + SESSION_MS
        )
        conn.execute(
            insert(console_sessions).values(
                session_sha256=digest(session.id),
                token_sha256=key,
                csrf=session.csrf,
                created_at=now_ms,
                expires_at=session.expires_at,
            )
        )
    return session


def session_of(storage: Storage, session_id: str | None, now_ms: int) -> Session | None:
    """The open session behind a cookie, or None (none, unknown, expired, token revoked)."""
    if not session_id or len(session_id) > MAX_TOKEN_CHARS:
        return None
    with storage.reading() as conn:
        row = conn.execute(
            select(console_sessions, admin_tokens.c.label, admin_tokens.c.revoked_at)
            .join(admin_tokens, admin_tokens.c.token_sha256 == console_sessions.c.token_sha256)
            .where(console_sessions.c.session_sha256 == digest(session_id))
        ).one_or_none()
    if row is None or row.expires_at <= now_ms or row.revoked_at is not None:
        return None
    return Session(session_id, str(row.csrf), str(row.label), int(row.expires_at))


def sign_out(storage: Storage, session_id: str) -> None:
    with storage.writing() as conn:
        conn.execute(
            delete(console_sessions).where(console_sessions.c.session_sha256 == digest(session_id))
        )


def same_csrf(expected: str, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(expected.encode(), given.encode())
