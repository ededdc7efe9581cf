"""Typed errors. A `UserFacingError` is something a person caused and can act on; its message
says what happened and what to do, in the active language. Anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Protocol

from fieldkit.domain.sync_state import SyncState
from fieldkit.i18n import N_, Lazy, _


class UserFacingError(Exception):
    """Base of every error a user can cause. `message` is translated when it is read."""

    msgid: ClassVar[str] = N_("Something went wrong.")
    exit_code: ClassVar[int] = 1

    def __init__(self, **params: object) -> None:
        super().__init__(self.msgid)
        self.params = params

    @property
    def message(self) -> str:
        return _(self.msgid).format(**{k: _display(v) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.message

    def details(self) -> list[str]:
        """Further lines worth showing under the message (one per bad row or field)."""
        return []


def _display(value: object) -> object:
    if isinstance(value, Lazy):
        return _(value)
    return str(value) if isinstance(value, Path) else value


# --- vault and keys -------------------------------------------------------------------------


class VaultNotFound(UserFacingError):
    msgid = N_("There is no vault in {path}. Create one with 'fieldkit init'.")
    exit_code = 5


class VaultAlreadyExists(UserFacingError):
    msgid = N_("A vault already exists in {path}. Nothing was changed.")


class WrongPassphrase(UserFacingError):
    msgid = N_(
        "The passphrase is wrong. Check Caps Lock and the keyboard layout, then try again. "
        "If you forgot it, use your recovery key."
    )
    exit_code = 3


class UnlockThrottled(UserFacingError):
    msgid = N_("Too many wrong passphrases. Wait {seconds} seconds, then try again.")
    exit_code = 3


class WeakPassphrase(UserFacingError):
    msgid = N_("The passphrase is too short. Use at least {minimum} characters.")


class GuessablePassphrase(UserFacingError):
    """Long enough, but built on patterns an attacker tries first."""

    msgid = N_("This passphrase is too easy to guess. {reason}")

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__(reason=Lazy(self.reasons[0]) if self.reasons else "")

    def details(self) -> list[str]:
        return [_(reason) for reason in self.reasons[1:]]


class PassphraseMismatch(UserFacingError):
    msgid = N_("The two passphrases do not match. Type them again.")


class HeaderCorrupted(UserFacingError):
    msgid = N_(
        "The vault key file {path} is damaged or was altered, so the vault cannot be opened. "
        "Nothing was changed. Restore the vault folder from a backup."
    )
    exit_code = 4


class HeaderAltered(HeaderCorrupted):
    """The header parses but fails its checksum, or asks for what FieldKit never writes."""

    msgid = N_(
        "The vault header {path} was altered: it no longer matches its checksum or holds "
        "settings FieldKit never writes. Your passphrase was not tried and no attempt was "
        "counted. Restore the vault folder from a backup."
    )


class WeakKeyParameters(UserFacingError):
    msgid = N_(
        "The vault key file {path} asks for weaker key protection than FieldKit allows; "
        "it may have been tampered with. Nothing was changed. Restore it from a backup."
    )
    exit_code = 4


class VaultInUse(UserFacingError):
    msgid = N_(
        "The vault is open in another FieldKit window or command. Close it there, then try "
        "again. Nothing was changed."
    )


class VaultNotPrivate(UserFacingError):
    msgid = N_(
        "{path} can be read by other users of this computer, and FieldKit cannot change that "
        "(it belongs to someone else). Move the vault into a folder only you can open."
    )


class DatabaseCorrupted(UserFacingError):
    msgid = N_(
        "The vault database {path} is damaged or was altered, so it cannot be read. "
        "Nothing was overwritten. Restore the vault folder from a backup."
    )
    exit_code = 4


class RecoveryKeyTypo(UserFacingError):
    msgid = N_("The recovery key has a typo in group {group}. Compare it with your printed copy.")


class RecoveryKeyMalformed(UserFacingError):
    msgid = N_(
        "That is not a recovery key: it has {groups} groups of 5 characters. "
        "Type all 8 groups from your printed copy."
    )


class WrongRecoveryKey(UserFacingError):
    msgid = N_(
        "This recovery key does not open this vault: it belongs to another vault, or it was "
        "replaced when the data key was changed. Use the latest one you were given."
    )
    exit_code = 3


class KeyringUnavailable(UserFacingError):
    msgid = N_(
        "This computer has no secure keyring, so FieldKit cannot remember the vault here. "
        "Enter your passphrase each time."
    )


class KeyringUnreachable(UserFacingError):
    msgid = N_(
        "This computer remembers the vault, but its keyring is locked or missing. Unlock the "
        "keyring and start FieldKit again, or enter your passphrase."
    )
    exit_code = 3


class DeviceNotRemembered(UserFacingError):
    msgid = N_("This device does not remember the vault. Enter your passphrase.")
    exit_code = 3


class VaultLocked(UserFacingError):
    msgid = N_("The vault is locked. Unlock it and try again.")


class DiskFull(UserFacingError):
    msgid = N_(
        "The disk is full, so nothing was saved. Free some space and try again; "
        "what you typed is still here."
    )


# --- records --------------------------------------------------------------------------------


class RecordNotFound(UserFacingError):
    msgid = N_("Not found in this vault: {kind} {record_id}.")


class UnknownKind(UserFacingError):
    msgid = N_("Unknown record kind '{kind}'. Use one of: {kinds}.")


class InvalidLink(UserFacingError):
    msgid = N_("These records cannot be linked: {kind} and {target}.")


WRITTEN_BY = N_("Written by {name}, another attaché: it cannot be changed or deleted here.")
WRITTEN_ELSEWHERE = N_("Written by another attaché: it cannot be changed or deleted here.")
NOTHING_SAVED = N_("Nothing was saved. Only the attaché who wrote an interview may change it.")


class ReadOnlyRecord(UserFacingError):
    """Reviewer mode: an interview another attaché wrote, which this device may not save,
    delete, attach a file to or settle a conflict over (headquarters refuses it too).
    `name` is its author as headquarters' directory names them ("" when unknown)."""

    msgid = WRITTEN_BY

    def __init__(self, name: str = "") -> None:
        super().__init__(name=name)

    @property
    def message(self) -> str:
        name = str(self.params.get("name") or "")
        return _(WRITTEN_BY).format(name=name) if name else _(WRITTEN_ELSEWHERE)

    def details(self) -> list[str]:
        return [_(NOTHING_SAVED)]


class CaseEventRefused(UserFacingError):
    """A case event that cannot follow the case as it stands; `reason` says why."""

    msgid = N_("The case was not changed. {reason}")


class Problem(Protocol):
    @property
    def field(self) -> str: ...

    @property
    def message(self) -> str: ...


class ValidationFailed(UserFacingError):
    """One or more fields break a rule; `problems` names each field and its message."""

    msgid = N_("{count} field(s) need attention: {details}")

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(count=len(self.problems))

    @property
    def message(self) -> str:
        details = " ".join(problem.message for problem in self.problems)
        return _(self.msgid).format(count=len(self.problems), details=details)


# --- files ----------------------------------------------------------------------------------


class ImportRejected(UserFacingError):
    """An import file has bad rows; `problems` holds (line or record number, reason)."""

    msgid = N_("{count} row(s) in {path} cannot be imported; nothing was imported.")

    def __init__(
        self, path: Path, problems: Sequence[tuple[int, str]], *, unit: str = "line"
    ) -> None:
        self.problems = list(problems)
        self.unit = unit  # "line" of a CSV or JSON Lines file, "record" of a JSON list
        super().__init__(path=path, count=len(self.problems))

    def details(self) -> list[str]:
        if self.unit == "record":
            where = _("record {number}: {reason}")
        else:
            where = _("line {line}: {reason}")
        return [
            where.format(line=number, number=number, reason=reason)
            for number, reason in self.problems
        ]


class UnreadableFile(UserFacingError):
    msgid = N_("{path} cannot be read: {reason}")


class AttachmentTooLarge(UserFacingError):
    msgid = N_("{name} is larger than the {limit} MB attachment limit.")


class PassphraseRequired(UserFacingError):
    msgid = N_(
        "No passphrase was given. Type it at the prompt, or for scripts set "
        "FIELDKIT_PASSPHRASE or pass --passphrase-file FILE."
    )
    exit_code = 2


# --- headquarters sync ----------------------------------------------------------------------
# Exit code 6 for every sync problem, so scripts can tell "sync failed" from a local error.


class SyncError(UserFacingError):
    """Sync could not finish. Nothing local is lost: unsent changes stay in the journal."""

    msgid = N_("Sync did not finish. Your changes are kept and will be sent later.")
    exit_code = 6
    state: ClassVar[SyncState] = SyncState.FAILED  # the sync status this error leaves


class HqUnreachable(SyncError):
    msgid = N_(
        "Headquarters cannot be reached ({reason}). Your changes are kept on this device and "
        "will be sent when the connection is back."
    )
    state = SyncState.OFFLINE


class HqStorageFull(SyncError):
    msgid = N_(
        "Headquarters is temporarily unable to store changes. Your changes are kept on this "
        "device and will be sent later."
    )
    state = SyncState.DEFERRED


class HqBusy(SyncError):
    msgid = N_(
        "Headquarters is still working on this device's last sync, or is busy. Your changes "
        "are kept on this device; FieldKit tries again shortly."
    )
    state = SyncState.DEFERRED


class HqNotFieldKit(SyncError):
    msgid = N_(
        "The network answered, but not as FieldKit headquarters: this is often a hotel or "
        "airport login page. Log in to the network in a browser, then sync again."
    )
    state = SyncState.OFFLINE


class HqBadResponse(SyncError):
    msgid = N_(
        "Headquarters answered with something FieldKit cannot read ({reason}). Nothing was "
        "changed on this device; sync will try again later."
    )


class HqAddressInsecure(SyncError):
    msgid = N_(
        "The headquarters address must start with https:// (plain http:// is allowed only to "
        "this computer, for testing): {url}"
    )


class HqAddressInvalid(SyncError):
    msgid = N_("“{url}” is not a web address. Enter one such as https://hq.example.org")


class NotConnected(SyncError):
    msgid = N_(
        "This vault is not connected to headquarters. Connect with "
        "'fieldkit connect URL --code CODE' or, in the app, Settings > Connect to headquarters."
    )
    state = SyncState.NOT_CONNECTED


class EnrolmentRefused(SyncError):
    msgid = N_(
        "Headquarters refused the enrolment code: it is mistyped, already used, or older than "
        "24 hours, or this vault is enrolled as another device that headquarters has not "
        "revoked and replaced. Ask headquarters for a new code."
    )


class FingerprintMismatch(SyncError):
    msgid = N_(
        "The headquarters certificate fingerprint is {seen}, not the {expected} you were "
        "given. Nothing was sent. Check with headquarters before connecting."
    )


class HqCertificateChanged(SyncError):
    msgid = N_(
        "Headquarters presented a different certificate (fingerprint {seen}) from the one "
        "pinned when this device connected. Sync has stopped, because this can be an attack. "
        "Ask headquarters whether they replaced the certificate; connect again only if they "
        "confirm the new fingerprint."
    )
    state = SyncState.CERTIFICATE_CHANGED


class DeviceRevoked(SyncError):
    msgid = N_(
        "This device was revoked by headquarters, so it no longer sends or receives records. "
        "Your records stay in this vault. Contact headquarters."
    )
    state = SyncState.REVOKED


class HqTokenRefused(SyncError):
    msgid = N_(
        "Headquarters does not recognise this device. Connect to headquarters again with a "
        "new enrolment code."
    )
    state = SyncState.UNAUTHORIZED


class ProtocolUnsupported(SyncError):
    msgid = N_(
        "Headquarters speaks another version of the sync protocol. Update FieldKit, then "
        "sync again."
    )
    state = SyncState.OUTDATED


class FingerprintNotConfirmed(SyncError):
    msgid = N_(
        "Headquarters' certificate fingerprint is {seen}. Compare it with the one headquarters "
        "gave you, then run the command again with --fingerprint followed by it."
    )


# --- lost laptops: remote wipe, lease, travel -------------------------------------------------


class DeviceWiped(UserFacingError):
    msgid = N_(
        "Headquarters ordered this device wiped. Its vault was destroyed and can no longer be "
        "opened, with the passphrase or the recovery key. Contact headquarters."
    )
    exit_code = 7


class LeaseExpired(UserFacingError):
    msgid = N_(
        "This vault has not reached headquarters for longer than its lease allows (or the "
        "computer's clock was set back), so the passphrase alone no longer opens it. Unlock it "
        "with the recovery key, or with a lease code from headquarters."
    )
    exit_code = 3


class TravelRefused(UserFacingError):
    msgid = N_(
        "Travel mode was not started: {reason} Nothing was removed. Sync again, resolve any "
        "conflicts, then try again."
    )


class NotTravelling(UserFacingError):
    msgid = N_("This vault is not in travel mode.")


class AlreadyTravelling(UserFacingError):
    msgid = N_("This vault is already in travel mode. Return from travel first.")


class HqKeysUnknown(UserFacingError):
    msgid = N_(
        "This vault does not know headquarters' keys yet. Sync once with headquarters, then "
        "try again."
    )


class UnknownPost(UserFacingError):
    msgid = N_(
        "No attaché of headquarters' directory is at the post “{post}”. Posts known to this "
        "reviewer's laptop: {posts}. Sync to refresh the directory."
    )
    exit_code = 2
