"""Reading a vault's files as someone who holds its data key would: every SQLCipher page of
the database and of its WAL decrypted (AES-256-CBC, the raw key, the IV at the end of each
page), free pages and old WAL frames included, so a canary deleted from the records but left
in a page is found."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    if len(page) < PAGE:
        return b""
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    start = SALT if first else 0
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()


def pages_of(path: Path) -> list[tuple[bytes, bool]]:
    """(page, is page 1) for every page in a database file or WAL file."""
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        step = FRAME_HEADER + PAGE
        found = []
        for offset in range(WAL_HEADER, len(data) - step + 1, step):
            number = int.from_bytes(data[offset : offset + 4], "big")
            found.append((data[offset + FRAME_HEADER : offset + step], number == 1))
        return found
    return [(data[i : i + PAGE], i == 0) for i in range(0, len(data) - PAGE + 1, PAGE)]


def decrypted_folder(folder: Path, key: bytes) -> bytes:
    """Every page of every file under `folder`, decrypted with `key` (garbage where a page is
    not under that key), joined; plus each file's raw bytes."""
    parts: list[bytes] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts.append(path.read_bytes())
        for page, first in pages_of(path):
            parts.append(decrypt_page(key, page, first))
    return b"".join(parts)


def opens_with(path: Path, key: bytes) -> bool:
    """True when page 1 of `path` decrypts under `key` to an SQLite header (page size 4096)."""
    pages = pages_of(path)
    return bool(pages) and decrypt_page(key, pages[0][0], True)[:2] == PAGE.to_bytes(2, "big")
