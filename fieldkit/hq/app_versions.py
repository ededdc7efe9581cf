"""Which FieldKit version each device runs, from the `User-Agent: FieldKit/<version>` of its
sync requests: written only when it changes, so a sync costs no extra write."""

from __future__ import annotations

import logging
import re
import threading

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import device_versions

log = logging.getLogger(__name__)
_AGENT = re.compile(r"^FieldKit/([0-9A-Za-z.+-]{1,32})(?:\s|$)")


def version_in(user_agent: str | None) -> str | None:
    """The version a FieldKit User-Agent names (None for any other agent)."""
    match = _AGENT.match(user_agent or "")
    return match.group(1) if match else None


class AppVersions:
    """The last version stored per device, so only a change is written."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}
        self._lock = threading.Lock()

    def note(self, storage: Storage, device_id: str, user_agent: str | None, now_ms: int) -> None:
        version = version_in(user_agent)
        with self._lock:
            if version is None or self._known.get(device_id) == version:
                return
        try:
            self._store(storage, device_id, version, now_ms)
        except (SQLAlchemyError, OSError) as error:  # a version is not worth failing a sync
            log.warning("could not record a device's app version: %s", type(error).__name__)
            return
        with self._lock:
            self._known[device_id] = version

    @staticmethod
    def _store(storage: Storage, device_id: str, version: str, now_ms: int) -> None:
        with storage.writing() as conn:
            changed = conn.execute(
                update(device_versions)
                .where(device_versions.c.device_id == device_id)
                .values(app_version=version, reported_at=now_ms)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(device_versions).values(
                        device_id=device_id, app_version=version, reported_at=now_ms
                    )
                )


def app_versions(storage: Storage) -> dict[str, str]:
    """Each device's last reported version, by device id."""
    with storage.reading() as conn:
        rows = conn.execute(select(device_versions.c.device_id, device_versions.c.app_version))
        return {row.device_id: row.app_version for row in rows}
