"""What the HQ admin's commands do, apart from parsing arguments: find the database, and put
enrolment codes and the device list into words."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from fieldkit.hq import at_rest, folder_lock
from fieldkit.hq.audit import Entry, Verdict
from fieldkit.hq.data_folder import secure_data_folder
from fieldkit.hq.devices import Device, DeviceStatus
from fieldkit.hq.errors import AdminError
from fieldkit.hq.orders import Control
from fieldkit.hq.roles import Role
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import REVIEWER

DATABASE_FILE = "hq.sqlite3"
DATA_ENV = "FIELDKIT_HQ_DATA"
DATABASE_ENV = "FIELDKIT_HQ_DATABASE"


def database_url(data: Path | None, database: str | None) -> str:
    """--database when given, else the SQLite file in the --data folder (which must exist)."""
    database = database or os.environ.get(DATABASE_ENV)
    if database:
        return database
    folder = data or (Path(os.environ[DATA_ENV]) if os.environ.get(DATA_ENV) else None)
    if folder is None:
        raise AdminError("Say where HQ keeps its data: --data DIR (or --database URL).")
    if not folder.is_dir():
        raise AdminError(
            f"There is no HQ data folder at {folder}. Create it first (mkdir -m 700 {folder}) "
            "or give the right --data."
        )
    secure_data_folder(folder, DATABASE_FILE)
    return f"sqlite:///{folder.resolve() / DATABASE_FILE}"


class FolderStorage(Storage):
    """An SQLite database opened by a `fieldkit-hq` process, holding its folder's shared lock
    (folder_lock.py) until it is closed."""

    folder_lock: folder_lock.FolderLock | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.folder_lock is not None:
                self.folder_lock.release()


def open_storage(data: Path | None, database: str | None, key_file: Path | None = None) -> Storage:
    """HQ's database; an SQLite one only with its key (--key-file, FIELDKIT_HQ_KEY_FILE or
    FIELDKIT_HQ_KEY), and never a plaintext one (encrypt it with `encrypt-database`); never
    while `rekey-database` re-encrypts it."""
    url = database_url(data, database)
    path = at_rest.sqlite_path(url)
    if path is None:
        return Storage.open(url)  # PostgreSQL: the database server's disk encryption
    key = at_rest.load_key(key_file)
    if key is None:
        raise AdminError(
            "HQ's SQLite database is encrypted: give its key with --key-file FILE (or set "
            f"{at_rest.KEY_FILE_ENV} or {at_rest.KEY_ENV}). A new HQ makes one with "
            "'fieldkit-hq make-key --out FILE'; keep it outside the data folder and its backups."
        )
    if at_rest.is_plaintext(path):
        raise AdminError(
            f"{path} is not encrypted. Stop HQ and run 'fieldkit-hq encrypt-database' with the "
            "same --data and --key-file, once."
        )
    lock = folder_lock.hold(path.parent, exclusive=False)
    if lock is None:
        raise AdminError(
            f"'fieldkit-hq rekey-database' is re-encrypting {path} now: run this again when it "
            "has finished, with the new key."
        )
    try:
        storage = FolderStorage.open(url, key)
    except BaseException:
        lock.release()
        raise
    assert isinstance(storage, FolderStorage)
    storage.folder_lock = lock
    return storage


def enrolment_text(
    name: str, code: str, fingerprint: str | None, replaces: str | None = None
) -> str:
    lines = [
        f"One-time enrolment code for {name}:",
        "",
        f"    {code}",
        "",
        "Valid for 24 hours, for one device. Give it to the attaché in person or by phone.",
    ]
    if replaces:
        lines.append(
            f"The device it enrols takes over the records of the revoked device {replaces}."
        )
    if fingerprint:
        lines += [
            "The device will show HQ's certificate fingerprint; it must read:",
            f"    {fingerprint}",
        ]
    return "\n".join(lines)


def devices_table(statuses: list[DeviceStatus]) -> str:
    if not statuses:
        return "No devices enrolled yet. Enrol one with 'fieldkit-hq enroll NAME'."
    header = (
        "id", "name", "label", "role", "post", "nodes", "enrolled", "last seen", "pending",
        "revoked",
    )  # fmt: skip
    rows = [header] + [_row(status) for status in statuses]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def revoked_text(device: Device) -> str:
    return (
        f"Revoked {device.id} ({device.name}). Its next sync is refused; what it already "
        "received stays on it."
    )


def _row(status: DeviceStatus) -> tuple[str, ...]:
    device = status.device
    return (
        device.id,
        device.name,
        device.label,
        status.role.role,
        _posts(status.role),
        ",".join(status.nodes) or "-",
        _time(device.created_at),
        _time(device.last_seen_at) if device.last_seen_at else "never",
        str(status.pending),
        _time(device.revoked_at) if device.revoked_at else "no",
    )


def role_text(device: Device, role: Role, reopened: int) -> str:
    text = f"{device.id} ({device.name}) is now {role.describe()}, from its next sync."
    if reopened:
        text += f" {reopened} record(s) it may now read are sent to it again."
    return text


def verdict_text(verdict: Verdict) -> str:
    if verdict.intact:
        return f"Audit trail intact: {verdict.entries} entries, every hash in its chain."
    return (
        f"AUDIT TRAIL BROKEN at entry {verdict.broken_at}: {verdict.reason} "
        f"({verdict.entries} entries checked before it). Keep a copy of the database as it "
        "is, and find out who had write access to it."
    )


def served_table(entries: list[Entry], names: dict[str, str]) -> str:
    """Interview fields served: one line per device and record, with its fields and when."""
    if not entries:
        return "No interview field was served to a device for this."
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        grouped.setdefault((entry.device_id or "-", entry.record_id or "-"), []).append(entry)
    header = ("device", "name", "record", "fields", "first served", "last served")
    rows = [header]
    for (device_id, record_id), group in grouped.items():
        fields = sorted({entry.field or "-" for entry in group})
        rows.append(
            (
                device_id,
                names.get(device_id, "?"),
                record_id,
                ",".join(fields),
                _time(group[0].at),
                _time(group[-1].at),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def admin_token_text(token: str, label: str) -> str:
    return "\n".join(
        [
            f"Console sign-in token for {label} (shown once; HQ keeps only its SHA-256):",
            "",
            f"    {token}",
            "",
            "Sign in at https://HQ-ADDRESS:PORT/console (or http://127.0.0.1:PORT/console on HQ's",
            "own machine). Keep it like a password.",
        ]
    )


def _posts(role: Role) -> str:
    if role.role == REVIEWER:
        return ",".join(role.posts) if role.posts is not None else "all"
    return role.post or "-"


def _time(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def wipe_text(device: Device, keep_unsent: bool, revoked: bool) -> str:
    first = " after sending its unsent changes" if keep_unsent else ""
    also = " It is revoked too." if revoked else ""
    return (
        f"Wipe ordered for {device.id} ({device.name}). On its next contact it destroys its "
        f"keys and data{first} and reports back ('fieldkit-hq devices' shows when).{also}"
    )


def lease_text(device: Device | None, days: int | None) -> str:
    who = f"{device.id} ({device.name})" if device else "every device without a lease of its own"
    if days is None:
        return f"No lease for {who}."
    return (
        f"Lease of {days} days for {who}: a vault that has not reached HQ for longer asks "
        "for its recovery key. Devices learn it on their next contact."
    )


def orders_text(
    statuses: list[DeviceStatus], controls: dict[str, Control], global_days: int | None
) -> str:
    """Lines on leases and wipe orders, below the device list."""
    lines = [f"Lease: {global_days} days" if global_days else "Lease: none"]
    for status in statuses:
        control = controls.get(status.device.id)
        if control is None:
            continue
        name = f"{status.device.id} ({status.device.name})"
        if control.lease_days:
            lines.append(f"{name}: lease {control.lease_days} days")
        if control.wiped_at:
            lines.append(f"{name}: wiped {_time(control.wiped_at)}")
        elif control.wipe_delivered_at:
            lines.append(f"{name}: wipe order delivered {_time(control.wipe_delivered_at)}")
        elif control.wipe_ordered_at:
            lines.append(f"{name}: wipe ordered {_time(control.wipe_ordered_at)}, not yet seen")
    return "\n".join(lines)
