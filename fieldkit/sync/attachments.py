"""Attachment bytes, moved after the records: an upload resumes where HQ's copy ends, a
download where the vault's partial copy ends, and bytes that do not match their SHA-256 are
dropped and fetched again next time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from fieldkit.errors import HqBadResponse
from fieldkit.store.store import Store
from fieldkit.sync.protocol import BLOB_CHUNK_BYTES
from fieldkit.sync.transport import HqLink

Done = Callable[[int, int], None]  # (done, total), after each attachment


def upload_blobs(store: Store, link: HqLink, done: Done) -> int:
    """Send every attachment HQ does not hold yet; how many were sent."""
    waiting = store.sync.to_upload()
    uploaded = 0
    for sha256, size in waiting:
        offset = link.blob_offset(sha256) or 0
        while offset < size:
            chunk = store.sync.read_range(sha256, offset, BLOB_CHUNK_BYTES)
            offset = link.upload(sha256, offset, size, chunk)
        store.sync.mark_uploaded(sha256)
        uploaded += 1
        done(uploaded, len(waiting))
    return uploaded


def download_blobs(store: Store, link: HqLink, done: Done, notes: list[str]) -> int:
    """Fetch every attachment the vault's records name but it does not hold; how many
    arrived. Why one did not goes to `notes`."""
    wanted = store.sync.to_download()
    downloaded = 0
    for sha256 in wanted:
        if _download_blob(store, link, sha256, notes):
            downloaded += 1
            done(downloaded, len(wanted))
    return downloaded


def _download_blob(store: Store, link: HqLink, sha256: str, notes: list[str]) -> bool:
    """Fetch (or finish fetching) one blob; False when HQ cannot give it yet."""
    data = store.sync.partial(sha256)
    if hashlib.sha256(data).hexdigest() != sha256:

        def keep(piece: bytes) -> None:
            store.sync.append_partial(sha256, piece)

        try:
            link.download(sha256, len(data), keep)
        except HqBadResponse as error:
            notes.append(f"attachment {sha256[:12]}: {error.params.get('reason')}")
            if data:  # e.g. a range HQ cannot serve: start this blob afresh next time
                store.sync.drop_partial(sha256)
            return False
        data = store.sync.partial(sha256)
    with store.transaction():
        store.sync.drop_partial(sha256)
        if hashlib.sha256(data).hexdigest() == sha256:
            store.put_blob(data)
            store.sync.mark_uploaded(sha256)
            return True
    notes.append(f"attachment {sha256[:12]}: bytes did not match; fetched again later")
    return False
