"""Sign Windows executables (Authenticode) with osslsigncode, the certificate taken from the
environment; nothing secret is ever in the repository or on a command line.

    FIELDKIT_SIGN_CERT            certificate chain file (PEM or DER, SPC)      } or
    FIELDKIT_SIGN_KEY             its private key file (PEM or DER)             }
    FIELDKIT_SIGN_PKCS12          one .pfx/.p12 file holding both
    FIELDKIT_SIGN_PASSWORD        the key's or the .pfx's password (optional)
    FIELDKIT_SIGN_TIMESTAMP_URL   an RFC 3161 time-stamping server (optional, recommended:
                                  the signature then outlives the certificate)
    FIELDKIT_SIGN_CAFILE          CA bundle to verify against after signing (optional)

    python build/windows/sign.py FILE...     # signs each FILE in place, then verifies it

build/dist.py calls it for the bundle's .exe files and, through makensis's !finalize and
!uninstfinalize, for the installer and its uninstaller. Exit status 3: no certificate in the
environment (the build is then unsigned, and says so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NOT_CONFIGURED = 3
DESCRIPTION = "FieldKit"
URL = "https://www.dol.gov/agencies/ilab"


def configured() -> bool:
    env = os.environ
    return bool(
        env.get("FIELDKIT_SIGN_PKCS12")
        or (env.get("FIELDKIT_SIGN_CERT") and env.get("FIELDKIT_SIGN_KEY"))
    )


def credentials(password_file: Path | None) -> list[str]:
    env = os.environ
    if env.get("FIELDKIT_SIGN_PKCS12"):
        arguments = ["-pkcs12", env["FIELDKIT_SIGN_PKCS12"]]
    else:
        arguments = ["-certs", env["FIELDKIT_SIGN_CERT"], "-key", env["FIELDKIT_SIGN_KEY"]]
    if password_file is not None:
        arguments += ["-readpass", str(password_file)]
    return arguments


def sign(path: Path, password_file: Path | None) -> None:
    signed = path.with_name(path.name + ".signed")
    command = ["osslsigncode", "sign", *credentials(password_file)]
    command += ["-h", "sha256", "-n", DESCRIPTION, "-i", URL]
    if os.environ.get("FIELDKIT_SIGN_TIMESTAMP_URL"):
        command += ["-ts", os.environ["FIELDKIT_SIGN_TIMESTAMP_URL"]]
    subprocess.run(
        [*command, "-in", str(path), "-out", str(signed)], check=True, stdout=subprocess.DEVNULL
    )
    shutil.move(signed, path)
    verify = ["osslsigncode", "verify", "-in", str(path)]
    if os.environ.get("FIELDKIT_SIGN_CAFILE"):
        verify += ["-CAfile", os.environ["FIELDKIT_SIGN_CAFILE"]]
    subprocess.run(verify, check=True, stdout=subprocess.DEVNULL)
    print(f"signed {path.name}")


def main(paths: list[str]) -> int:
    if not configured():
        print(
            "not signed: set FIELDKIT_SIGN_CERT and FIELDKIT_SIGN_KEY (or FIELDKIT_SIGN_PKCS12)",
            file=sys.stderr,
        )
        return NOT_CONFIGURED
    with tempfile.TemporaryDirectory() as folder:
        password_file = None
        if os.environ.get("FIELDKIT_SIGN_PASSWORD"):
            password_file = Path(folder) / "password"
            password_file.touch(mode=0o600)
            password_file.write_text(os.environ["FIELDKIT_SIGN_PASSWORD"], encoding="utf-8")
        for name in paths:
            sign(Path(name), password_file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
