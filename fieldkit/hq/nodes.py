"""Which device holds which node.

A node is a vault's clock id: every change a device pushes is written as its node, and a
record belongs to the node that created it. HQ binds each node to one device at enrolment, so
a device cannot claim another's node (and with it their private interviews). A replacement
laptop takes over the nodes of the revoked device it replaces, and only through a code the
admin made for that (`fieldkit-hq enroll NAME --replaces OLD`).
"""

from __future__ import annotations

import logging
from typing import TypeAlias

from sqlalchemy import BindParameter, Connection, Select, insert, select, update

from fieldkit.hq.errors import ApiError
from fieldkit.hq.tables import device_nodes

log = logging.getLogger(__name__)

# A node, or the parameter that holds it in a statement built once and run for many nodes.
NodeRef: TypeAlias = str | BindParameter[str]


class NodeHeld(ApiError):
    """403 enrolment_refused: the node the device sent belongs to another device."""

    def __init__(self) -> None:
        super().__init__(
            403,
            "enrolment_refused",
            "this vault's node belongs to another device; HQ's admin must revoke that device "
            "and make a code with 'fieldkit-hq enroll NAME --replaces DEVICE'",
        )


def holder(conn: Connection, node: str) -> str | None:
    """The device id holding `node`, or None."""
    found = conn.execute(
        select(device_nodes.c.device_id).where(device_nodes.c.node == node)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def nodes_of_device(conn: Connection, device_id: str) -> list[str]:
    rows = conn.execute(
        select(device_nodes.c.node)
        .where(device_nodes.c.device_id == device_id)
        .order_by(device_nodes.c.held_since, device_nodes.c.node)
    )
    return [str(node) for node in rows.scalars()]


def held_nodes(conn: Connection, node: str) -> frozenset[str]:
    """Every node held by the device that holds `node` (none when no device holds it: the
    same answer as `held_by` gives in SQL)."""
    return frozenset(str(n) for n in conn.execute(held_by(node)).scalars())


def held_by(node: NodeRef) -> Select[tuple[str]]:
    """SQL: the nodes held by the device holding `node` (for `IN (...)` in visibility)."""
    same_device = (
        select(device_nodes.c.device_id).where(device_nodes.c.node == node).scalar_subquery()
    )
    return select(device_nodes.c.node).where(device_nodes.c.device_id == same_device)


def bind(conn: Connection, device_id: str, node: str, replaces: str | None, now_ms: int) -> None:
    """Give the new device `device_id` its node, after taking over `replaces`' nodes when the
    code says so. NodeHeld when another device holds the node."""
    if replaces is not None:
        moved = conn.execute(
            update(device_nodes)
            .where(device_nodes.c.device_id == replaces)
            .values(device_id=device_id, held_since=now_ms)
        )
        if moved.rowcount == 0:
            raise ApiError(403, "enrolment_refused", "the device this code replaces was replaced")
        log.info("device %s took over %d node(s) of device %s", device_id, moved.rowcount, replaces)
    current = holder(conn, node)
    if current == device_id:
        return
    if current is not None:
        log.warning("device %s refused: its node is held by device %s", device_id, current)
        raise NodeHeld()
    conn.execute(insert(device_nodes).values(node=node, device_id=device_id, held_since=now_ms))
