"""Storage benchmark: unlock, save, get and search on a full-size encrypted vault, side by side
with the same workload on a plain (unencrypted) SQLite database.

    .venv/bin/python bench/storage.py            # full size: 100,000 visits + 100,000 interviews
    .venv/bin/python bench/storage.py --quick    # 2,000 + 2,000, well under a minute
    .venv/bin/python bench/storage.py --json     # one JSON object instead of the table
    .venv/bin/python bench/storage.py --import   # a 100,000-row facility CSV (--quick: 5,000)

The encrypted side is a real vault (`create_vault` with the default Argon2id parameters). The
plain side is the same `Store` and `RecordService` code on a `sqlcipher3` connection that is
never keyed, so SQLCipher leaves the file as ordinary SQLite; it gets the same PRAGMAs as a vault
(WAL, synchronous=FULL, secure_delete...) except the key. Both databases receive the very same
background records (same ids, same text); measured saves, gets and searches alternate between
the two in random order so that drift on the machine affects both sides alike.

Background records are bulk-loaded with `Store.insert` (row, journal and search text, as a save
writes them) in batches of a few thousand per transaction, not one service call each. Progress
goes to stderr; the figures go to stdout.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import sqlcipher3.dbapi2 as sqlcipher

from fieldkit.crypto import header as vault_header
from fieldkit.crypto.kdf import derive_key
from fieldkit.crypto.memory import wipe
from fieldkit.domain.choices import Consent, MexicanState, Sector, VisitPurpose
from fieldkit.domain.records import Facility, Interview, Record, Visit
from fieldkit.services.records import RecordService
from fieldkit.services.vault import create_vault, unlock_vault
from fieldkit.store.connection import REQUIRED_PRAGMAS
from fieldkit.store.store import Store

PASSPHRASE = "bench-passphrase-ñandú"
RARE_WORD = "ornitorrinco"  # in 0.1% of records
COMMON_WORD = "trabajadores"  # in ~90% of records
COMMON_SHARE = 0.9
RARE_EVERY = 1000

# Targets: (figure key, limit, unit). A figure meets its target when it is below the limit.
TARGETS: dict[str, tuple[float, str]] = {
    "unlock_full_ms": (1000.0, "ms"),
    "save_p95_ms": (10.0, "ms"),
    "search_rare_p95_ms": (50.0, "ms"),
    "search_common_p95_ms": (50.0, "ms"),
    "save_ratio_p50": (2.5, "x"),
}


@dataclasses.dataclass(frozen=True)
class Sizes:
    visits: int
    interviews: int
    facilities: int
    saves: int
    gets: int
    searches: int
    unlocks: int
    batch: int


FULL = Sizes(100_000, 100_000, 500, 500, 1000, 100, 5, 2500)
QUICK = Sizes(2_000, 2_000, 50, 200, 300, 40, 5, 1000)


# --- text ---------------------------------------------------------------------------------

_REAL_TEXT = """
el la los las de del que y en a por para con sin se su sus no es fue son una un al lo como más
pero sobre entre también hasta desde cuando donde porque muy ya hay sindicato sindical contrato
colectivo salario salarios horas extra jornada turno turnos planta fábrica empresa patrón
gerente supervisor línea producción maquila obrera obreros empleados despidos despido represalia
represalias amenaza amenazas votación legitimación consulta asamblea delegado delegados
representante afiliación afiliados cuotas prestaciones aguinaldo vacaciones utilidades reparto
seguridad social imss infonavit inspección inspector conciliación tribunal laboral demanda queja
quejas denuncia acoso discriminación mujeres embarazo niños menores seguro riesgo accidente
lesión químicos ventilación calor agua baños comedor transporte autobús caseta vigilancia
guardia credencial gafete lista negra renuncia firma firmaron hoja blanco entrevista visita
reunión semana mes año lunes martes miércoles jueves viernes sábado domingo mañana tarde noche
según dijo dijeron explicó comentó informó señaló aproximadamente alrededor cerca mayoría
the of and to in that for with on was were workers union contract wages overtime shift
management supervisor plant facility meeting interview visit reported said told explained
according about approximately most several many few complaint grievance retaliation dismissal
dismissed fired threatened vote ballot election legitimation independent collective bargaining
agreement minimum wage pay paid hours week month safety health inspection inspector labor
ministry court conciliation center freedom association representative delegate members dues
benefits bonus vacation profit sharing harassment discrimination women pregnant children risk
injury chemicals ventilation heat water restrooms cafeteria bus transport guard badge blacklist
resignation signed blank sheet follow up next steps
"""
REAL_WORDS = _REAL_TEXT.split()

_ONSETS = ["", "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "z"]
_ONSETS += ["ch", "ll", "rr", "qu", "br", "cr", "dr", "gr", "pl", "tr", "ñ"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "á", "é", "í", "ó", "ia", "ue"]
_CODAS = ["", "", "", "", "n", "s", "r", "l"]


class TextMaker:
    """Notes of about 2 KB from a Zipf-weighted vocabulary: ~350 real Spanish and English words
    and a few thousand pseudo-words, with one planted common word and one planted rare word."""

    def __init__(self, rng: random.Random, pseudo_words: int = 3000) -> None:
        self._rng = rng
        pseudo: set[str] = set()
        while len(pseudo) < pseudo_words:
            word = "".join(
                rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                for _ in range(rng.randint(2, 4))
            )
            # A search term matches words that start with it: keep the planted words unique.
            if len(word) >= 3 and not word.startswith((RARE_WORD, COMMON_WORD)):
                pseudo.add(word)
        real = list(dict.fromkeys(REAL_WORDS))
        invented = sorted(pseudo)
        rng.shuffle(real)
        rng.shuffle(invented)
        self.words = real + invented
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = 0.0
        self._cumulative = []
        for weight in weights:
            total += weight
            self._cumulative.append(total)

    def text(self, chars: int, planted: Sequence[str] = ()) -> str:
        """About `chars` characters of sentences, containing each word of `planted`."""
        rng = self._rng
        words = rng.choices(self.words, cum_weights=self._cumulative, k=chars // 6 + 8)
        for word in planted:
            words.insert(rng.randrange(len(words)), word)
        sentences: list[str] = []
        length = 0
        i = 0
        while i < len(words) and length < chars:
            n = rng.randint(6, 18)
            chunk = words[i : i + n]
            if rng.random() < 0.15:
                chunk.insert(rng.randrange(len(chunk) + 1), str(rng.randint(2, 480)))
            sentence = " ".join(chunk)
            sentence = sentence[0].upper() + sentence[1:] + rng.choice(".....;?")
            sentences.append(sentence)
            length += len(sentence) + 1
            i += n
        missing = [w for w in planted if w not in words[:i]]
        if missing:
            sentences.append(" ".join(missing).capitalize() + ".")
        return " ".join(sentences)


class Notes(NamedTuple):
    """How long a visit's notes are: observations and findings together, in characters."""

    low: int
    high: int
    observations_share: float


# ~2 KB of notes (a long report), or ~450 characters with ~300 of findings: the visits the
# sync figures compare against another replication system with.
LONG_NOTES = Notes(1700, 2300, 0.65)
SHORT_NOTES = Notes(400, 500, 0.35)


class RecordMaker:
    """Visits and interviews as an attaché would write them, deterministic for a seed."""

    def __init__(self, seed: int, visit_notes: Notes = LONG_NOTES) -> None:
        self.rng = random.Random(seed)
        self.visit_notes = visit_notes
        self.text = TextMaker(random.Random(seed + 1))
        self.serial = 0
        self.rare_records = 0
        self.common_records = 0
        self.note_chars = 0

    def _planted(self) -> list[str]:
        self.serial += 1
        planted = []
        if self.serial % RARE_EVERY == RARE_EVERY // 2:
            planted.append(RARE_WORD)
            self.rare_records += 1
        if self.rng.random() < COMMON_SHARE:
            planted.append(COMMON_WORD)
            self.common_records += 1
        return planted

    def _date(self) -> dt.date:
        return dt.date(2019, 1, 1) + dt.timedelta(days=self.rng.randrange(6 * 365))

    def facility(self, n: int) -> Facility:
        rng = self.rng
        return Facility(
            name=f"Planta {self.text.text(12).split()[0].strip('.;?')} {n}",
            employer=f"Manufacturas {n} S.A. de C.V.",
            sector=rng.choice(list(Sector)),
            state=rng.choice(list(MexicanState)),
            municipality=rng.choice(["Juárez", "Saltillo", "Silao", "Matamoros", "Puebla"]),
        )

    def visit(self, facility_ids: Sequence[str]) -> Visit:
        rng = self.rng
        chars = rng.randint(self.visit_notes.low, self.visit_notes.high)
        planted = self._planted()
        split = rng.sample(planted, len(planted))
        first = int(chars * self.visit_notes.observations_share)
        start = self._date()
        observations = self.text.text(first, split[: len(split) // 2 + 1])
        findings = self.text.text(chars - first, split[len(split) // 2 + 1 :])
        self.note_chars += len(observations) + len(findings)
        return Visit(
            facility_id=rng.choice(facility_ids),
            start_date=start,
            end_date=start + dt.timedelta(days=rng.randint(0, 2)),
            purpose=rng.choice(list(VisitPurpose)),
            attaches=("A. Ramírez", "J. Smith")[: rng.randint(1, 2)],
            observations=observations,
            findings=findings,
            summary=f"Visita {start.isoformat()}",
        )

    def interview(self, facility_ids: Sequence[str], visit_ids: Sequence[str]) -> Interview:
        rng = self.rng
        notes = self.text.text(rng.randint(1700, 2300), self._planted())
        self.note_chars += len(notes)
        on_visit = bool(visit_ids) and rng.random() < 0.7
        return Interview(
            visit_id=rng.choice(visit_ids) if on_visit else None,
            facility_id=None if on_visit else rng.choice(facility_ids),
            held_on=self._date(),
            language=rng.choice(["es", "es", "es", "en"]),
            pseudonym=f"Persona {rng.randint(1, 99_999):05d}",
            consent=Consent.GIVEN,
            notes=notes,
        )


# --- databases ----------------------------------------------------------------------------

# The PRAGMAs fieldkit.store.connection applies to a vault, without the key.
PLAIN_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA cache_size = -65536",
)


def open_plain_store(path: Path) -> Store:
    """A `Store` on an unkeyed sqlcipher3 connection: ordinary SQLite, vault PRAGMAs."""
    conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    for pragma in PLAIN_PRAGMAS:
        conn.execute(pragma)
    for name, expected in REQUIRED_PRAGMAS.items():
        actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if actual != expected:
            raise RuntimeError(f"plain database: PRAGMA {name} is {actual!r}, not {expected!r}")
    return Store(path, conn)


def is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def file_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in files if p.exists()) / 1e6


# --- measuring ----------------------------------------------------------------------------


def ms_since(start: int) -> float:
    return (time.perf_counter_ns() - start) / 1e6


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(p50(values), 3),
        "p95": round(p95(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
    }


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclasses.dataclass
class Side:
    """One database under test: the encrypted vault or the plain baseline."""

    name: str
    store: Store
    records: RecordService


def bulk_load(
    sides: Sequence[Side], maker: RecordMaker, sizes: Sizes
) -> tuple[dict[str, float], list[str], list[str], list[str]]:
    """Insert the background records into every side, batch by batch, one transaction each.
    Returns seconds per side and the facility, visit and interview ids."""
    seconds = {side.name: 0.0 for side in sides}

    def load(batch: Sequence[Record]) -> None:
        for side in sides:
            start = time.perf_counter_ns()
            with side.store.transaction():
                for record in batch:
                    side.store.insert(record)
            seconds[side.name] += ms_since(start) / 1000

    facilities = [maker.facility(n) for n in range(1, sizes.facilities + 1)]
    load(facilities)
    facility_ids = [f.id for f in facilities]
    visit_ids: list[str] = []
    interview_ids: list[str] = []
    total = sizes.visits + sizes.interviews
    for done in range(0, sizes.visits, sizes.batch):
        visits = [maker.visit(facility_ids) for _ in range(min(sizes.batch, sizes.visits - done))]
        load(visits)
        visit_ids.extend(v.id for v in visits)
        progress(f"loaded {len(visit_ids):,} / {total:,}")
    for done in range(0, sizes.interviews, sizes.batch):
        count = min(sizes.batch, sizes.interviews - done)
        interviews = [maker.interview(facility_ids, visit_ids) for _ in range(count)]
        load(interviews)
        interview_ids.extend(i.id for i in interviews)
        progress(f"loaded {len(visit_ids) + len(interview_ids):,} / {total:,}")
    return seconds, facility_ids, visit_ids, interview_ids


def measure_unlock(root: Path, times: int) -> dict[str, float]:
    """Median `unlock_vault` (Argon2id, open, migrations check, audit entry), locking after
    each, and the median of the KDF alone with the vault's own parameters."""
    unlocks = []
    for _ in range(times):
        start = time.perf_counter_ns()
        vault = unlock_vault(root, PASSPHRASE)
        unlocks.append(ms_since(start))
        vault.lock()
    header = vault_header.read_header(root / "vault.key")
    kdfs = []
    for _ in range(times):
        start = time.perf_counter_ns()
        wipe(derive_key(PASSPHRASE, header.kdf))
        kdfs.append(ms_since(start))
    return {
        "unlock_median": p50(unlocks),
        "unlock_first": unlocks[0],
        "unlock_max": max(unlocks),
        "kdf_median": p50(kdfs),
    }


def interleaved(
    sides: Sequence[Side], rng: random.Random, rounds: int, op: Callable[[Side, int], None]
) -> dict[str, list[float]]:
    """Run `op(side, round)` on every side each round, sides in random order; ms per call."""
    timings: dict[str, list[float]] = {side.name: [] for side in sides}
    for n in range(rounds):
        for side in rng.sample(list(sides), len(sides)):
            start = time.perf_counter_ns()
            op(side, n)
            timings[side.name].append(ms_since(start))
    return timings


# --- the run ------------------------------------------------------------------------------


def run(sizes: Sizes, seed: int, workdir: Path) -> dict[str, Any]:
    rng = random.Random(seed)
    maker = RecordMaker(seed)
    vault_dir = workdir / "vault"
    plain_path = workdir / "plain.db"

    progress("creating the vault (default Argon2id parameters)")
    vault, _recovery = create_vault(vault_dir, PASSPHRASE)
    vault.lock()
    kdf = vault_header.read_header(vault_dir / "vault.key").kdf
    unlock_empty = measure_unlock(vault_dir, sizes.unlocks)

    vault = unlock_vault(vault_dir, PASSPHRASE)
    plain = open_plain_store(plain_path)
    sides = [
        Side("encrypted", vault.store, vault.records),
        Side("plain", plain, RecordService(plain)),
    ]
    progress(f"bulk-loading {sizes.visits:,} visits and {sizes.interviews:,} interviews")
    load_s, facility_ids, visit_ids, interview_ids = bulk_load(sides, maker, sizes)
    background_records = len(facility_ids) + len(visit_ids) + len(interview_ids)
    background_chars = maker.note_chars
    vault.lock()
    plain.close()
    if is_plain_sqlite(vault_dir / "vault.db") or not is_plain_sqlite(plain_path):
        raise RuntimeError("the vault file is not encrypted, or the plain file is not SQLite")
    sizes_mb = {"encrypted": file_mb(vault_dir / "vault.db"), "plain": file_mb(plain_path)}

    progress("unlocking the full-size vault")
    unlock_full = measure_unlock(vault_dir, sizes.unlocks)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    plain = open_plain_store(plain_path)
    sides = [
        Side("encrypted", vault.store, vault.records),
        Side("plain", plain, RecordService(plain)),
    ]

    progress(f"saving {sizes.saves} records through RecordService.create on each side")
    to_save: list[Record] = []
    for n in range(sizes.saves):
        if n % 2 == 0:
            to_save.append(maker.visit(facility_ids))
        else:
            to_save.append(maker.interview(facility_ids, visit_ids))
    saves = interleaved(sides, rng, sizes.saves, lambda side, n: _create(side, to_save[n]))
    visit_saves = {k: v[0::2] for k, v in saves.items()}
    interview_saves = {k: v[1::2] for k, v in saves.items()}

    progress(f"{sizes.gets} gets by random id on each side")
    get_plan: list[tuple[type[Record], str]] = [
        (Visit, rng.choice(visit_ids)) if n % 2 == 0 else (Interview, rng.choice(interview_ids))
        for n in range(sizes.gets)
    ]
    gets = interleaved(sides, rng, sizes.gets, lambda side, n: _get(side, *get_plan[n]))

    hits: dict[str, dict[str, int]] = {}

    def search(word: str) -> Callable[[Side, int], None]:
        def op(side: Side, _n: int) -> None:
            found = side.records.search(word, limit=50)
            hits.setdefault(word, {})[side.name] = len(found)

        return op

    progress(f"{sizes.searches} searches for '{RARE_WORD}' and '{COMMON_WORD}' on each side")
    search_rare = interleaved(sides, rng, sizes.searches, search(RARE_WORD))
    search_common = interleaved(sides, rng, sizes.searches, search(COMMON_WORD))
    vault.lock()
    plain.close()

    save_all = {k: summary(v) for k, v in saves.items()}
    enc, pln = "encrypted", "plain"
    figures: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlcipher.sqlite_version,
            "sqlcipher": _cipher_version(),
        },
        "sizes": {
            **dataclasses.asdict(sizes),
            "background_records": background_records,
            "note_chars_mean": round(background_chars / (len(visit_ids) + len(interview_ids))),
            "rare_word": RARE_WORD,
            "rare_word_records": maker.rare_records,
            "common_word": COMMON_WORD,
            "common_word_records": maker.common_records,
            "seed": seed,
        },
        "kdf": {
            "memory_kib": kdf.memory_kib,
            "time_cost": kdf.time_cost,
            "parallelism": kdf.parallelism,
        },
        "load_s": {k: round(v, 1) for k, v in load_s.items()},
        "load_records_per_s": {k: round(background_records / v) for k, v in load_s.items()},
        "file_mb": {k: round(v) for k, v in sizes_mb.items()},
        "kdf_ms": round(unlock_full["kdf_median"], 1),
        "unlock_empty_ms": round(unlock_empty["unlock_median"], 1),
        "unlock_full_ms": round(unlock_full["unlock_median"], 1),
        "unlock_full_first_ms": round(unlock_full["unlock_first"], 1),
        "unlock_full_max_ms": round(unlock_full["unlock_max"], 1),
        "save_ms": save_all,
        "save_visit_ms": {k: summary(v) for k, v in visit_saves.items()},
        "save_interview_ms": {k: summary(v) for k, v in interview_saves.items()},
        "get_ms": {k: summary(v) for k, v in gets.items()},
        "search_rare_ms": {k: summary(v) for k, v in search_rare.items()},
        "search_common_ms": {k: summary(v) for k, v in search_common.items()},
        "search_hits": hits,
    }
    figures["save_p95_ms"] = save_all[enc]["p95"]
    figures["save_ratio_p50"] = round(save_all[enc]["p50"] / save_all[pln]["p50"], 2)
    figures["save_ratio_p95"] = round(save_all[enc]["p95"] / save_all[pln]["p95"], 2)
    for word in ("rare", "common"):
        s = figures[f"search_{word}_ms"]
        figures[f"search_{word}_p95_ms"] = s[enc]["p95"]
        figures[f"search_{word}_ratio_p50"] = round(s[enc]["p50"] / s[pln]["p50"], 2)
    figures["targets"] = {
        key: {"limit": limit, "unit": unit, "value": figures[key], "met": figures[key] < limit}
        for key, (limit, unit) in TARGETS.items()
    }
    return figures


def _create(side: Side, record: Record) -> None:
    side.records.create(record)


def _get(side: Side, cls: type[Record], record_id: str) -> None:
    side.records.get(cls, record_id)


def _cipher_version() -> str:
    conn = sqlcipher.connect(":memory:")
    try:
        return str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        conn.close()


# --- import -------------------------------------------------------------------------------

IMPORT_ROWS = 100_000
IMPORT_ROWS_QUICK = 5_000
IMPORT_TARGET_ROWS_PER_S = 5000.0
IMPORT_TARGET_MB = 300.0
_STATE_SPELLINGS = ("{code}", "{label}", "{upper}")


def write_facility_csv(path: Path, rows: int, seed: int, *, codes_only: bool = False) -> None:
    """A facility list as it comes from a spreadsheet: Windows-1252, CRLF, states and
    sectors by code or by label, a list column, a yes/no column. `codes_only`: UTF-8 and
    codes, a file that versions before labels and Windows-1252 also read."""
    from fieldkit.domain.choices import label  # noqa: PLC0415 - bench-only helper

    rng = random.Random(seed)
    text = TextMaker(random.Random(seed + 1))
    states = list(MexicanState)
    sectors = list(Sector)
    lines = ["name,employer,sector,state,municipality,unions,priority_sector"]
    for n in range(rows):
        state = rng.choice(states)
        spelling = rng.choice(_STATE_SPELLINGS).format(
            code=state.value, label=label(state), upper=label(state).upper()
        )
        sector = rng.choice(sectors)
        sector_text = rng.choice((sector.value, label(sector)))
        if codes_only:
            spelling, sector_text = state.value, sector.value
        word = text.text(12).split()[0].strip(".;?")
        lines.append(
            ",".join(
                [
                    f"Planta {word} {n}",
                    f'"Manufacturas {n}, S.A. de C.V."',
                    sector_text,
                    spelling,
                    rng.choice(["Juárez", "Saltillo", "Silao", "Matamoros", "Puebla"]),
                    rng.choice(["", "SNTMMSSRM", "SNTMMSSRM; Independiente"]),
                    rng.choice(["yes", "no", "sí"]),
                ]
            )
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8" if codes_only else "cp1252"))


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Start VmHWM afresh (Linux), so the unlock's Argon2id memory is not counted."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def run_import(rows: int, seed: int, workdir: Path, *, codes_only: bool) -> dict[str, Any]:
    """Import a `rows`-row facility CSV into a fresh vault through TransferService."""
    source = workdir / "facilities.csv"
    progress(f"writing a {rows:,}-row facility CSV")
    write_facility_csv(source, rows, seed, codes_only=codes_only)
    vault, _recovery = create_vault(workdir / "vault", PASSPHRASE)
    vault.lock()
    vault = unlock_vault(workdir / "vault", PASSPHRASE)
    peak_reset = _reset_peak()
    progress("importing")
    start = time.perf_counter()
    cpu_start = time.process_time()
    try:
        result = vault.transfer.import_file("facility", source, progress=lambda d, t: None)
    except TypeError:  # an earlier version without progress
        result = vault.transfer.import_file("facility", source)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    peak = _peak_mb()
    count = vault.records.count(Facility)
    vault.lock()
    rate = rows / seconds
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "rows": rows,
        "file_mb": round(source.stat().st_size / 1e6, 1),
        "file": "UTF-8, codes" if codes_only else "Windows-1252, labels and codes",
        "imported": result.imported,
        "in_vault": count,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rate),
        "cpu_seconds": round(cpu_seconds, 1),
        "rows_per_cpu_s": round(rows / cpu_seconds),
        "peak_mb": round(peak, 1),
        "peak_is_import_only": peak_reset,
        "load_average": os.getloadavg()[0],
        "targets": {
            "rows_per_s": {"limit": IMPORT_TARGET_ROWS_PER_S, "met": rate >= 5000},
            "peak_mb": {"limit": IMPORT_TARGET_MB, "met": peak < IMPORT_TARGET_MB},
        },
    }


def import_lines(figures: dict[str, Any]) -> Iterator[str]:
    yield (
        f"FieldKit import benchmark, {figures['date']}: {figures['cpus']} CPUs, Python "
        f"{figures['python']}, load average {figures['load_average']:.1f} at the end"
    )
    yield (
        f"{figures['rows']:,}-row facility CSV ({figures['file']}, "
        f"{figures['file_mb']} MB) into a new vault, all or nothing"
    )
    targets = figures["targets"]
    rate_mark = "ok" if targets["rows_per_s"]["met"] else "MISSED"
    peak_mark = "ok" if targets["peak_mb"]["met"] else "MISSED"
    scope = "import only" if figures["peak_is_import_only"] else "whole process"
    yield f"  imported              {figures['imported']:>10,} (in vault: {figures['in_vault']:,})"
    yield f"  time                  {figures['seconds']:>10,.1f} s"
    yield f"  rows per second       {figures['rows_per_s']:>10,}   >= 5,000  {rate_mark}"
    yield f"  CPU time (process)    {figures['cpu_seconds']:>10,.1f} s"
    yield f"  rows per CPU second   {figures['rows_per_cpu_s']:>10,}"
    peak = figures["peak_mb"]
    yield f"  peak memory (VmHWM)   {peak:>10,.1f} MB ({scope})  < 300 MB  {peak_mark}"


# --- output -------------------------------------------------------------------------------


def _target_text(key: str, figures: dict[str, Any]) -> str:
    target = figures["targets"].get(key)
    if target is None:
        return ""
    mark = "ok" if target["met"] else "MISSED"
    unit = " ms" if target["unit"] == "ms" else "x"
    limit = f"{target['limit']:g}"
    return f"< {limit}{unit}  {mark}"


def table_lines(figures: dict[str, Any]) -> Iterator[str]:
    sizes, machine, kdf = figures["sizes"], figures["machine"], figures["kdf"]
    yield (
        f"FieldKit storage benchmark, {figures['date']}: {machine['cpus']} CPUs, "
        f"Python {machine['python']}, SQLCipher {machine['sqlcipher']} (SQLite {machine['sqlite']})"
    )
    yield (
        f"Data: {sizes['visits']:,} visits + {sizes['interviews']:,} interviews "
        f"(+{sizes['facilities']:,} facilities), notes ~{sizes['note_chars_mean']:,} chars; "
        f"'{sizes['rare_word']}' in {sizes['rare_word_records']:,} records, "
        f"'{sizes['common_word']}' in {sizes['common_word_records']:,}"
    )
    load, rate, mb = figures["load_s"], figures["load_records_per_s"], figures["file_mb"]
    yield (
        f"Bulk load ({sizes['batch']:,} records per transaction, Store.insert): "
        f"encrypted {load['encrypted']:,.1f} s ({rate['encrypted']:,}/s, {mb['encrypted']:,} MB), "
        f"plain {load['plain']:,.1f} s ({rate['plain']:,}/s, {mb['plain']:,} MB)"
    )
    yield (
        f"KDF: Argon2id {kdf['memory_kib'] // 1024} MiB, t={kdf['time_cost']}, "
        f"p={kdf['parallelism']}"
    )
    yield ""
    header = f"{'measure (ms)':<38}{'encrypted':>11}{'plain':>10}{'ratio':>8}   target"
    yield header
    yield "-" * (len(header) + 14)

    def row(label: str, enc: float, plain: float | None, key: str = "", ratio_key: str = "") -> str:
        plain_text = f"{plain:>10.2f}" if plain is not None else f"{'-':>10}"
        ratio = f"{enc / plain:>7.2f}x" if plain else f"{'':>8}"
        target = _target_text(key, figures)
        if ratio_key:
            target = (target + "; " if target else "") + "ratio " + _target_text(ratio_key, figures)
        return f"{label:<38}{enc:>11.2f}{plain_text}{ratio}   {target}".rstrip()

    yield row("KDF alone (Argon2id), median", figures["kdf_ms"], None)
    yield row("unlock, empty vault, median", figures["unlock_empty_ms"], None)
    yield row("unlock, full vault, median", figures["unlock_full_ms"], None, "unlock_full_ms")
    yield row("unlock, full vault, first after load", figures["unlock_full_first_ms"], None)
    for label, key, target_p95, ratio_key in (
        ("save, all", "save_ms", "save_p95_ms", "save_ratio_p50"),
        ("save, visit", "save_visit_ms", "", ""),
        ("save, interview", "save_interview_ms", "", ""),
        ("get by id", "get_ms", "", ""),
        (f"search '{figures['sizes']['rare_word']}'", "search_rare_ms", "search_rare_p95_ms", ""),
        (
            f"search '{figures['sizes']['common_word']}'",
            "search_common_ms",
            "search_common_p95_ms",
            "",
        ),
    ):
        stats = figures[key]
        enc, pln = stats["encrypted"], stats["plain"]
        yield row(f"{label}, p50", enc["p50"], pln["p50"], "", ratio_key)
        yield row(f"{label}, p95", enc["p95"], pln["p95"], target_p95)
    hits = figures["search_hits"]
    yield ""
    yield (
        "Search hits (limit 50): "
        + ", ".join(f"'{word}' {counts['encrypted']}" for word, counts in hits.items())
    )
    missed = [key for key, target in figures["targets"].items() if not target["met"]]
    yield "Targets: all met" if not missed else f"Targets missed: {', '.join(missed)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 + 2,000 records")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--tmp", type=Path, default=None, help="where to make the temp dir")
    parser.add_argument("--import", dest="import_only", action="store_true", help="import only")
    parser.add_argument(
        "--codes-only", action="store_true", help="import: a UTF-8 file with codes, no labels"
    )
    args = parser.parse_args(argv)
    if args.import_only:
        rows = IMPORT_ROWS_QUICK if args.quick else IMPORT_ROWS
        with tempfile.TemporaryDirectory(prefix="fieldkit-bench-", dir=args.tmp) as tmp:
            figures = run_import(rows, args.seed, Path(tmp), codes_only=args.codes_only)
        if args.json:
            print(json.dumps(figures, ensure_ascii=False, indent=2))
        else:
            for line in import_lines(figures):
                print(line)
        return 0
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-", dir=args.tmp) as tmp:
        figures = run(sizes, args.seed, Path(tmp))
    figures["total_s"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        for line in table_lines(figures):
            print(line)
        print(f"Total run time: {figures['total_s']:,.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
