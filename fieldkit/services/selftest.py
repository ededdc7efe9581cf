"""The parts of `fieldkit --self-test` that need no Qt: a throwaway encrypted vault, the OS
keyring, a PDF with the bundled font, and both translations.

Each check works in a folder it is given (a temporary one) and never touches the user's vault,
settings or keyring entries: the keyring round trip uses its own service name and deletes what
it wrote. A check passes or fails with one line saying what it did or what went wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fieldkit.crypto.device_secret import KeyringSecretStore, backend_name, new_device_secret
from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.choices import MexicanState, Sector
from fieldkit.domain.records import Facility, Visit
from fieldkit.i18n import ENGLISH, LANGUAGES, N_, SPANISH, Translator, _
from fieldkit.reports.model import PeriodReport, ReportOptions
from fieldkit.services.vault import create_vault, unlock_vault

# The vault's passphrase is random; only this process ever sees it.
PROBE_WORD = "ornitorrinco"  # a word no other record contains, for the search
KEYRING_SERVICE = "FieldKit self-test"
SELF_TEST_TITLE = N_("FieldKit self-test")  # also the translation probe: in every catalog
PLAIN_SQLITE = b"SQLite format 3\x00"
PAGE_OBJECT = re.compile(rb"/Type\s*/Page[^s]")
PROBE_DAY = dt.date(2026, 3, 4)


class CheckFailed(Exception):
    """A check ran but found something wrong; the message says what."""


@dataclass(frozen=True)
class Check:
    """The outcome of one check: `name` is stable (for scripts), `detail` is for people."""

    name: str
    ok: bool
    detail: str
    seconds: float = 0.0


def attempt(name: str, action: Callable[[], str]) -> Check:
    """Run `action`; its return value is the detail of a pass, any exception a failure."""
    started = time.perf_counter()
    try:
        detail = action()
    except Exception as error:  # a self-test reports every failure; it never crashes
        message = str(error) or type(error).__name__
        if not isinstance(error, CheckFailed):
            message = f"{type(error).__name__}: {message}"
        return Check(name, False, message, time.perf_counter() - started)
    return Check(name, True, detail, time.perf_counter() - started)


def service_checks(workdir: Path) -> list[Check]:
    """Every check that needs no Qt, in the order they are reported."""
    return [
        attempt("vault", lambda: check_vault(workdir / "vault")),
        attempt("keyring", check_keyring),
        attempt("pdf", lambda: check_pdf(workdir / "report.pdf")),
        attempt("translations", check_translations),
    ]


def check_vault(root: Path) -> str:
    """Create an encrypted vault, write, search and read a record, lock, unlock, read again."""
    passphrase = secrets.token_urlsafe(24)
    vault, _recovery = create_vault(
        root, passphrase, kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
    )
    try:
        facility = vault.records.create(Facility(name=f"Planta {PROBE_WORD}"))
        hits = vault.records.search(PROBE_WORD)
        if [hit.record_id for hit in hits] != [facility.id]:
            raise CheckFailed(_("search did not find the record it had just written"))
    finally:
        vault.lock()
    if vault.files.database.read_bytes()[: len(PLAIN_SQLITE)] == PLAIN_SQLITE:
        raise CheckFailed(_("the vault database is not encrypted"))
    vault = unlock_vault(root, passphrase)
    try:
        if vault.records.get(Facility, facility.id).name != facility.name:
            raise CheckFailed(_("the record read back differs from the one written"))
    finally:
        vault.lock()
    return _("encrypted vault created; a record written, found, and read back after unlocking")


def check_keyring() -> str:
    """Save, read back and delete a secret where a secure keyring exists; fail closed else."""
    store = KeyringSecretStore(KEYRING_SERVICE)
    backend = backend_name()
    if not store.available():
        return _(
            "no secure keyring ({backend}): FieldKit will ask for the passphrase at every unlock"
        ).format(backend=backend)
    entry = f"self-test-{secrets.token_hex(8)}"
    secret = new_device_secret()
    store.save(entry, secret)
    try:
        if store.load(entry) != secret:
            raise CheckFailed(_("the keyring returned a different secret"))
    finally:
        store.delete(entry)
    if store.load(entry) is not None:
        raise CheckFailed(_("the keyring kept a secret that was deleted"))
    return _("{backend}: a secret saved, read back and deleted").format(backend=backend)


def check_pdf(path: Path) -> str:
    """Render a one-page period summary in Spanish; the bundled font must be embedded."""
    from fieldkit.reports import render  # noqa: PLC0415 - reportlab loads only when used

    facility = Facility(name="Planta Ñandú", sector=Sector.AUTOS, state=MexicanState.SLP)
    visit = Visit(facility_id=facility.id, start_date=PROBE_DAY, summary="Visita de acción")
    report = PeriodReport(
        options=ReportOptions(language=SPANISH),
        start=PROBE_DAY.replace(day=1),
        end=PROBE_DAY.replace(day=31),
        visits=(visit,),
        facilities={facility.id: facility},
    )
    data = render(report)
    path.write_bytes(data)
    pages = len(PAGE_OBJECT.findall(data))
    if not data.startswith(b"%PDF-") or pages != 1:
        raise CheckFailed(_("expected a one-page PDF, got {pages} pages").format(pages=pages))
    if b"/FontFile2" not in data or b"DejaVuSans" not in data:
        raise CheckFailed(_("the bundled font is not embedded in the PDF"))
    if b"/Helvetica" in data:
        raise CheckFailed(_("the PDF refers to a font that is not embedded"))
    return _("one page, {size} KB, bundled font embedded").format(size=len(data) // 1024)


def check_translations() -> str:
    """English is the source; Spanish must translate, and both locales must format."""
    english, spanish = Translator(ENGLISH), Translator(SPANISH)
    if english(SELF_TEST_TITLE) != SELF_TEST_TITLE:
        raise CheckFailed(_("the English text is not the source text"))
    if spanish(SELF_TEST_TITLE) == SELF_TEST_TITLE:
        raise CheckFailed(_("the Spanish (es-MX) catalog is missing"))
    samples = []
    for language in LANGUAGES:
        translator = Translator(language)
        amount = translator.usd(Decimal("1234.5"))
        samples.append(f"{language}: {translator.date(PROBE_DAY)}, {amount}")
    return "; ".join(samples)
