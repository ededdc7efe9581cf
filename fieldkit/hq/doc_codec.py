"""Records' documents as HQ stores them: compact JSON compressed with zstd, with a dictionary
trained on the documents of their kind once HQ holds enough of them.

A visit's document is ~850 bytes of JSON. Alone, zstd or zlib bring it to ~530 bytes (there
is little to find in one small document); with a 16 KiB dictionary of what visits share
(field names, facility ids, dates, choices, the words notes use) it takes ~270. A kind's
dictionary is trained from its own documents once HQ holds TRAIN_AFTER of them, and kept for
ever (documents written with it need it); each zstd frame names its dictionary (0: none), so
documents written before it, or with another, still open.

Stored bytes: a format byte, then the payload: RAW (UTF-8 JSON) or ZSTD (a frame).
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from typing import Any

import zstandard
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from fieldkit.hq.tables import doc_dictionaries, records

log = logging.getLogger(__name__)

RAW = b"\x00"
ZSTD = b"\x01"
LEVEL = 3
DICTIONARY_BYTES = 16 << 10
TRAIN_AFTER = 500  # documents of a kind before it gets a dictionary
TRAIN_SAMPLES = 2000  # the newest documents trained on (and rewritten with the dictionary)
# COVER's segment and d-mer sizes fixed instead of searched: ~0.06 s to train on 2,000 visits
# instead of ~0.3 s, documents ~5 % larger.
TRAIN_K, TRAIN_D = 64, 8
MAX_DOCUMENT_BYTES = 64 << 20  # a document's JSON, decompressed

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def codec_of(conn: Connection) -> DocumentCodec:
    """The codec of the connection's database (dictionary ids are per database)."""
    engine = conn.engine
    with _LOCK:
        found = _CODECS.get(engine)
        if found is None:
            found = _CODECS[engine] = DocumentCodec()
    return found


def document_json(doc: dict[str, Any]) -> bytes:
    return _JSON.encode(doc).encode()


class DocumentCodec:
    """Encodes and decodes one database's documents. Encoding runs in sequenced write
    transactions (one at a time); decoding in any thread (decompressors are per thread)."""

    def __init__(self) -> None:
        self._dictionaries: dict[int, zstandard.ZstdCompressionDict] = {}
        self._compressors: dict[int, zstandard.ZstdCompressor] = {}
        self._current: dict[str, int] = {}  # kind -> the dictionary new documents use
        self._local = threading.local()

    # --- encoding (in a sequenced write) ----------------------------------------------------

    def refresh(self, conn: Connection) -> None:
        """Learn the dictionaries other processes trained (the newest of a kind is used)."""
        rows = conn.execute(
            select(doc_dictionaries.c.id, doc_dictionaries.c.kind).order_by(doc_dictionaries.c.id)
        )
        for dictionary_id, kind in rows:
            self._current[kind] = dictionary_id

    def encode(self, conn: Connection, kind: str, doc: dict[str, Any]) -> bytes:
        return self.encode_json(conn, kind, document_json(doc))

    def encode_json(self, conn: Connection, kind: str, text: bytes) -> bytes:
        return ZSTD + self._compressor(conn, self._current.get(kind, 0)).compress(text)

    def train_when_due(self, conn: Connection, kinds: set[str]) -> None:
        """Train a dictionary for each of `kinds` that has none yet and TRAIN_AFTER documents,
        and rewrite the documents it was trained on with it."""
        for kind in sorted(kinds - set(self._current)):
            # Whether a TRAIN_AFTER-th document exists: the scan stops there, instead of
            # counting every record of a common kind on each push until it is trained.
            enough = conn.execute(
                select(records.c.record_id)
                .where(records.c.kind == kind)
                .limit(1)
                .offset(TRAIN_AFTER - 1)
            ).first()
            if enough is not None:
                self._train(conn, kind)

    # --- decoding ---------------------------------------------------------------------------

    def decode(self, conn: Connection, stored: bytes) -> bytes:
        """The document's JSON (UTF-8)."""
        tag, payload = stored[:1], bytes(stored[1:])
        if tag == RAW:
            return payload
        if tag != ZSTD:
            raise ValueError("not a stored document")
        dictionary_id = zstandard.get_frame_parameters(payload).dict_id
        return self._decompressor(conn, dictionary_id).decompress(
            payload, max_output_size=MAX_DOCUMENT_BYTES
        )

    def load(self, conn: Connection, stored: bytes) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.decode(conn, stored))
        return loaded

    # --- plumbing ---------------------------------------------------------------------------

    def _train(self, conn: Connection, kind: str) -> None:
        rows = conn.execute(
            select(records.c.record_id, records.c.doc)
            .where(records.c.kind == kind)
            .order_by(records.c.seq.desc())
            .limit(TRAIN_SAMPLES)
        ).all()
        samples = [self.decode(conn, row.doc) for row in rows]
        last = conn.execute(select(func.coalesce(func.max(doc_dictionaries.c.id), 0)))
        number = int(last.scalar_one()) + 1
        try:
            trained = zstandard.train_dictionary(
                DICTIONARY_BYTES, list[Any](samples), dict_id=number, level=LEVEL,
                k=TRAIN_K, d=TRAIN_D, steps=1,
            )  # fmt: skip
        except zstandard.ZstdError as error:  # too little to learn from: try again later
            log.info("no %s dictionary yet: %s", kind, error)
            return
        conn.execute(insert(doc_dictionaries).values(id=number, kind=kind, data=trained.as_bytes()))
        self._current[kind] = number
        rewritten = [
            {"b_id": row.record_id, "b_doc": self.encode_json(conn, kind, text)}
            for row, text in zip(rows, samples, strict=True)
        ]
        conn.execute(
            update(records)
            .where(records.c.record_id == bindparam("b_id"))
            .values(doc=bindparam("b_doc")),
            rewritten,
        )
        log.info("trained a %s dictionary (#%d) on %d documents", kind, number, len(samples))

    def _dictionary(self, conn: Connection, dictionary_id: int) -> zstandard.ZstdCompressionDict:
        found = self._dictionaries.get(dictionary_id)
        if found is None:
            data = conn.execute(
                select(doc_dictionaries.c.data).where(doc_dictionaries.c.id == dictionary_id)
            ).scalar_one()
            found = zstandard.ZstdCompressionDict(
                bytes(data), dict_type=zstandard.DICT_TYPE_FULLDICT
            )
            self._dictionaries[dictionary_id] = found
        return found

    def _compressor(self, conn: Connection, dictionary_id: int) -> zstandard.ZstdCompressor:
        found = self._compressors.get(dictionary_id)
        if found is None:
            dictionary = self._dictionary(conn, dictionary_id) if dictionary_id else None
            found = zstandard.ZstdCompressor(level=LEVEL, dict_data=dictionary)
            self._compressors[dictionary_id] = found
        return found

    def _decompressor(self, conn: Connection, dictionary_id: int) -> zstandard.ZstdDecompressor:
        mine: dict[int, zstandard.ZstdDecompressor] = self._local.__dict__.setdefault("d", {})
        found = mine.get(dictionary_id)
        if found is None:
            dictionary = self._dictionary(conn, dictionary_id) if dictionary_id else None
            found = mine[dictionary_id] = zstandard.ZstdDecompressor(dict_data=dictionary)
        return found


_LOCK = threading.Lock()
_CODECS: weakref.WeakKeyDictionary[Engine, DocumentCodec] = weakref.WeakKeyDictionary()
