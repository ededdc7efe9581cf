"""Devices' roles and posts: what an enrolment code gives, what the admin changes later, and
what each device is told. Who may read and write what follows from them in visibility.py.

An attaché belongs to at most one post ("Mexico City", "Monterrey"); a reviewer reads the
attachés of the posts it is given, or of every post. A device without a role row is an
attaché without a post (as every device was before roles).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from fieldkit.hq.errors import AdminError
from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import (
    ATTACHE,
    NAME,
    REVIEWER,
    code_roles,
    device_nodes,
    device_roles,
    devices,
    reviewer_posts,
)
from fieldkit.hq.visibility import open_to_reviewers, reviewers_reach
from fieldkit.sync.protocol import ROLE_HEADER, Author, Directory

log = logging.getLogger(__name__)

__all__ = [
    "ATTACHE", "REVIEWER", "ROLE_HEADER", "Role", "change_role", "make_role", "role_name",
    "role_of",
]  # fmt: skip

ROLES = (ATTACHE, REVIEWER)
ALL_POSTS = "all"


@dataclass(frozen=True)
class Role:
    role: str = ATTACHE
    post: str | None = None  # an attaché's post
    posts: tuple[str, ...] | None = None  # a reviewer's posts; None: every post

    def describe(self) -> str:
        if self.role == REVIEWER:
            return "reviewer of " + (", ".join(self.posts) if self.posts is not None else "all")
        return "attaché" + (f" ({self.post})" if self.post else "")


def post_name(text: str) -> str:
    """A post's name, checked: 1 to 100 characters, no comma (lists use commas)."""
    name = " ".join(text.split())
    if not name or len(name) > NAME or "," in name:
        raise AdminError(f"A post is named with 1 to {NAME} characters and no comma: {text!r}.")
    return name


def parse_posts(text: str) -> tuple[str, ...] | None:
    """`--posts A,B` (or `all`) as posts; None for every post."""
    if text.strip().lower() == ALL_POSTS:
        return None
    posts = tuple(dict.fromkeys(post_name(part) for part in text.split(",") if part.strip()))
    if not posts:
        raise AdminError("Give the reviewer's posts as 'A,B' or 'all'.")
    return posts


def make_role(role: str, post: str | None = None, posts: str | None = None) -> Role:
    """A role from the admin's options; AdminError for a post on a reviewer and the like."""
    if role not in ROLES:
        raise AdminError(f"A device's role is 'attache' or 'reviewer', not {role!r}.")
    if role == ATTACHE:
        if posts is not None:
            raise AdminError("--posts is for reviewers; an attaché has one --post.")
        return Role(ATTACHE, post_name(post) if post else None)
    if post is not None:
        raise AdminError("--post is for attachés; give a reviewer --posts A,B or 'all'.")
    return Role(REVIEWER, None, parse_posts(posts) if posts is not None else None)


def save_code_role(conn: Connection, code_sha256: str, role: Role) -> None:
    conn.execute(
        insert(code_roles).values(
            code_sha256=code_sha256,
            role=role.role,
            post=role.post,
            posts=None if role.posts is None else json.dumps(list(role.posts)),
        )
    )


def code_role(conn: Connection, code_sha256: str) -> Role:
    row = conn.execute(
        select(code_roles).where(code_roles.c.code_sha256 == code_sha256)
    ).one_or_none()
    if row is None:
        return Role()
    posts = None if row.posts is None else tuple(json.loads(row.posts))
    return Role(row.role, row.post, posts)


def role_of(conn: Connection, device_id: str) -> Role:
    return roles_of(conn, [device_id]).get(device_id, Role())


def roles_of(conn: Connection, device_ids: list[str] | None = None) -> dict[str, Role]:
    """Roles by device id (devices without a row are left out: attachés without a post)."""
    query = select(device_roles)
    if device_ids is not None:
        query = query.where(device_roles.c.device_id.in_(device_ids))
    rows = conn.execute(query).all()
    posts: dict[str, list[str]] = {}
    for device_id, post in conn.execute(
        select(reviewer_posts.c.device_id, reviewer_posts.c.post).order_by(reviewer_posts.c.post)
    ):
        posts.setdefault(str(device_id), []).append(str(post))
    return {
        str(row.device_id): Role(
            row.role,
            row.post,
            None
            if row.all_posts or row.role != REVIEWER
            else tuple(posts.get(str(row.device_id), ())),
        )
        for row in rows
    }


def set_role(conn: Connection, device_id: str, role: Role, now_ms: int) -> None:
    """Store the device's role (replacing what it had)."""
    conn.execute(delete(device_roles).where(device_roles.c.device_id == device_id))
    conn.execute(delete(reviewer_posts).where(reviewer_posts.c.device_id == device_id))
    conn.execute(
        insert(device_roles).values(
            device_id=device_id,
            role=role.role,
            post=role.post,
            all_posts=role.role == REVIEWER and role.posts is None,
            changed_at=now_ms,
        )
    )
    for post in role.posts or ():
        conn.execute(insert(reviewer_posts).values(device_id=device_id, post=post))


def change_role(storage: Storage, device_id: str, role: Role, now_ms: int) -> int:
    """Give a device a new role or post, effective at its next pull. Records a reviewer newly
    reads are sent again (new sequence numbers); a demoted reviewer stops receiving others'
    private records at once. Returns how many records were sent again."""
    with storage.writing(sequenced=True) as conn:
        before = reviewers_reach(conn)
        set_role(conn, device_id, role, now_ms)
        seq = SequenceNumbers(conn)
        reopened = open_to_reviewers(conn, seq, before, reviewers_reach(conn))
        seq.save()
    log.info("device %s is now %s; %d record(s) sent again", device_id, role.role, reopened)
    return reopened


def role_name(storage: Storage, device_id: str) -> str:
    """The device's role, for the ROLE_HEADER of an answer."""
    with storage.reading() as conn:
        return role_of(conn, device_id).role


def directory(storage: Storage) -> Directory:
    """Every bound node with its device's name, role and post (GET /v1/directory)."""
    with storage.reading() as conn:
        rows = conn.execute(
            select(device_nodes.c.node, devices.c.id, devices.c.name)
            .join(devices, devices.c.id == device_nodes.c.device_id)
            .order_by(devices.c.name, device_nodes.c.node)
        ).all()
        known = roles_of(conn)
    authors = []
    for node, device_id, name in rows:
        role = known.get(str(device_id), Role())
        authors.append(
            Author(node=node, name=name, role=role.role, post=role.post)  # type: ignore[arg-type]
        )
    return Directory(authors=authors)
