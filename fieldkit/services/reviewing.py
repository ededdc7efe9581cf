"""Reviewer mode: what a device whose HQ role is "reviewer" shows. HQ sends a reviewer every
record of the attachés in its posts (unshared interviews included) and refuses its edits of
interviews others wrote; the app names each record's attaché and post, filters by them, and
writes the period summary per attaché, per post or for all (docs/hq.md, "Roles and posts").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from fieldkit.domain.records import Record
from fieldkit.domain.sync_rules import PRIVATE_KINDS
from fieldkit.errors import WRITTEN_BY, WRITTEN_ELSEWHERE, ReadOnlyRecord
from fieldkit.services.hq_connection import stored_directory, stored_role
from fieldkit.store.store import Store
from fieldkit.sync.protocol import REVIEWER_ROLE, Directory

T = TypeVar("T")
__all__ = [
    "WRITTEN_BY",
    "WRITTEN_ELSEWHERE",
    "Author",
    "ReviewerView",
    "by_authors",
    "reviewer_view",
    "stored_reviewer_view",
]


@dataclass(frozen=True)
class Author:
    name: str
    post: str | None


@dataclass(frozen=True)
class ReviewerView:
    """This device's role and who wrote what (by node), as HQ last said."""

    reviewer: bool = False
    authors: dict[str, Author] = field(default_factory=dict)  # by node
    node: str = ""  # this vault's own node

    def may_edit(self, kind: str, author_node: str) -> bool:
        """False for an interview another device wrote, in reviewer mode (HQ refuses it)."""
        return not (self.reviewer and kind in PRIVATE_KINDS and author_node != self.node)

    def may_change(self, record: Record) -> bool:
        """Whether `record` may be edited, deleted or given attachments on this device: the
        one rule every way into an editor asks (lists, links, search, shortcuts)."""
        return self.may_edit(record.KIND, record.author_device)

    def why_read_only(self, record: Record) -> str | None:
        """Why `record` cannot be changed here, in the language shown; None if it can."""
        refusal = self.refusal(record)
        return None if refusal is None else refusal.message

    def refusal(self, record: Record) -> ReadOnlyRecord | None:
        """The error a change of `record` raises here (its message is `why_read_only`'s), or
        None when it may be changed."""
        if self.may_change(record):
            return None
        return ReadOnlyRecord(self.name_of(record.author_device))

    def name_of(self, node: str) -> str:
        author = self.authors.get(node)
        return author.name if author else ""

    def post_of(self, node: str) -> str:
        author = self.authors.get(node)
        return (author.post or "") if author else ""

    def attaches(self) -> list[tuple[str, frozenset[str]]]:
        """(name, the nodes it holds) for each attaché, by name."""
        nodes: dict[str, set[str]] = {}
        for node, author in self.authors.items():
            nodes.setdefault(author.name, set()).add(node)
        return [(name, frozenset(nodes[name])) for name in sorted(nodes, key=str.casefold)]

    def posts(self) -> list[tuple[str, frozenset[str]]]:
        """(post, the nodes of its attachés) for each post, by name."""
        nodes: dict[str, set[str]] = {}
        for node, author in self.authors.items():
            if author.post:
                nodes.setdefault(author.post, set()).add(node)
        return [(post, frozenset(nodes[post])) for post in sorted(nodes, key=str.casefold)]


def reviewer_view(role: str, directory: Directory, node: str = "") -> ReviewerView:
    return ReviewerView(
        role == REVIEWER_ROLE,
        {a.node: Author(a.name, a.post) for a in directory.authors if a.role != REVIEWER_ROLE},
        node,
    )


def stored_reviewer_view(store: Store) -> ReviewerView:
    """The rule as this vault keeps it (the role and directory HQ last sent): what the record
    service asks before it writes, whichever interface asked for the change."""
    return reviewer_view(stored_role(store), stored_directory(store), store.device_id)


def by_authors(records: Iterable[T], nodes: frozenset[str] | None) -> list[T]:
    """The records whose author (`author_device`, the node that created them) is in `nodes`;
    all of them for None."""
    if nodes is None:
        return list(records)
    return [r for r in records if getattr(r, "author_device", None) in nodes]
