"""An attachment's SHA-256 identifies the file to anyone holding a copy: it must reach
neither the device's log file nor HQ's access log, through a whole upload and download."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.domain.records import Facility
from fieldkit.log_setup import LOG_FILE, configure_logging
from fieldkit.paths import log_dir
from fieldkit.services.attachments import AttachmentService
from tests.hq_server import running_hq
from tests.sync.devices import Device


@pytest.fixture
def device_log() -> Iterator[Path]:
    """The device's log file as the app configures it; the handler goes afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging()
    yield log_dir() / LOG_FILE
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_attachment_hashes_stay_out_of_the_logs(
    tmp_path: Path, device_log: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = os.urandom(20_000)
    sha = hashlib.sha256(data).hexdigest()
    with running_hq(tmp_path / "hq", access_log=True) as hq:
        ana, luis = Device(tmp_path, "ana", hq), Device(tmp_path, "luis", hq)
        try:
            facility = ana.create(Facility(name="Planta"))
            AttachmentService(ana.store, ana.records).attach_bytes(facility, "photo.jpg", data)
            with caplog.at_level(logging.INFO, logger="uvicorn.access"):
                ana.sync()
                luis.sync()
            assert luis.store.read_blob(sha) == data
        finally:
            ana.close()
            luis.close()
    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/v1/blobs/" in line for line in access), "no access log: this proves nothing"
    assert not [line for line in access if sha[:16] in line]
    written = device_log.read_text(encoding="utf-8")
    assert sha[:16] not in written
