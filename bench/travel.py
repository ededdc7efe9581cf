"""Travel mode's cost: N interviews (with ~1 KB of notes each) and an attachment per 50,
synced to a real HQ on loopback, then `travel prepare` and `travel return` timed.

    python bench/travel.py [--interviews 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params  # noqa: E402
from fieldkit.domain.choices import Consent  # noqa: E402
from fieldkit.domain.records import Facility, Interview, Visit  # noqa: E402
from fieldkit.services.vault import create_vault  # noqa: E402
from tests.hq_server import running_hq  # noqa: E402

DAY = dt.date(2026, 11, 3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=1000)
    count = parser.parse_args().interviews
    os.environ.setdefault("FIELDKIT_HQ_KEY", secrets.token_hex(32))
    with tempfile.TemporaryDirectory() as folder, running_hq(Path(folder) / "hq") as hq:
        kdf = new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
        vault, _ = create_vault(Path(folder) / "vault", "bench passphrase of some length", kdf=kdf)
        plant = vault.records.create(Facility(name="Autopartes del Norte"))
        visit = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
        for i in range(count):
            interview = vault.records.create(
                Interview(visit_id=visit.id, held_on=DAY, pseudonym=f"W-{i}",
                          consent=Consent.GIVEN, notes=f"note {i} " * 120)
            )  # fmt: skip
            if i % 50 == 0:
                vault.attachments.attach_bytes(interview, f"{i}.jpg", os.urandom(100_000))
        vault.sync.connect(vault.sync.preview(hq.url), hq.enroll("Ana"))
        vault.sync.sync_now()
        size_before = (Path(folder) / "vault" / "vault.db").stat().st_size
        started = time.perf_counter()
        removed = vault.travel.prepare()
        prepared = time.perf_counter() - started
        size_during = (Path(folder) / "vault" / "vault.db").stat().st_size
        started = time.perf_counter()
        fields = vault.travel.return_from_travel()
        returned = time.perf_counter() - started
        vault.lock()
    print(f"removed {removed} in {prepared:.2f} s (sync, purge, VACUUM)")
    print(f"vault.db {size_before / 1e6:.1f} MB before, {size_during / 1e6:.1f} MB in travel mode")
    print(f"returned {fields} fields in {returned:.2f} s (HQ answer, apply, attachments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
