"""Files attached to records, kept encrypted inside the vault database, named by SHA-256."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from fieldkit.domain.query import Equals
from fieldkit.domain.records import Attachment, Record
from fieldkit.errors import AttachmentTooLarge, RecordNotFound, UnreadableFile
from fieldkit.i18n import Lazy
from fieldkit.services.records import RecordService
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

MAX_ATTACHMENT_MB = 100


class AttachmentService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def attach_file(self, record: Record, path: Path, description: str = "") -> Attachment:
        """Copy a file into the vault and attach it to `record`."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_MB * 1024 * 1024:
                raise AttachmentTooLarge(name=path.name, limit=MAX_ATTACHMENT_MB)
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(path=path, reason=exc.strerror or type(exc).__name__) from exc
        return self.attach_bytes(record, path.name, data, description=description)

    def attach_bytes(
        self, record: Record, filename: str, data: bytes, *, description: str = ""
    ) -> Attachment:
        if len(data) > MAX_ATTACHMENT_MB * 1024 * 1024:
            raise AttachmentTooLarge(name=filename, limit=MAX_ATTACHMENT_MB)
        self._records.check_may_change(self._records.get(type(record), record.id))
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        attachment = Attachment(
            record_kind=record.KIND,
            record_id=record.id,
            filename=filename,
            media_type=media_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            description=description,
        )
        with self._store.transaction():
            self._store.put_blob(data)
            stored = self._records.create(attachment)
            self._store.audit(AuditAction.ATTACHED, kind=record.KIND, record_id=record.id)
        return stored

    def list_for(self, record: Record) -> list[Attachment]:
        return self._records.list(Attachment, filters=[Equals("record_id", record.id)])

    def read(self, attachment: Attachment) -> bytes:
        """The attachment's bytes, checked against its SHA-256."""
        data = self._store.read_blob(attachment.sha256)
        if data is None:
            raise RecordNotFound(kind=Lazy(Attachment.LABEL), record_id=attachment.id)
        return data
