"""Build FieldKit's frozen bundle and the installers of the system this runs on.

    make dist                                        # the same as the next line
    .venv/bin/python build/dist.py
    .venv/bin/python build/dist.py --if-changed      # nothing to do if no input changed
    .venv/bin/python build/dist.py --nsis-compressor zlib   # quicker NSIS compile (CI's check)
    .venv/bin/python build/dist.py --json            # print dist/build-info.json at the end

PyInstaller runs fieldkit.spec with --workpath build/_work --distpath dist (its default ./build
would mix into this tracked folder). Then, by system:

- Linux: dist/fieldkit-VERSION-linux-ARCH.tar.gz and dist/fieldkit_VERSION_ARCH.deb; and, when
  makensis is installed, build/windows/fieldkit.nsi compiled against the Linux bundle's
  layout into build/_work/nsis/ (a check that the script builds; never an installer to ship).
- Windows: the .exe files signed (build/windows/sign.py) and dist/FieldKit-VERSION-setup.exe.
- macOS: dist/FieldKit.app; build/macos/make_dmg.sh makes, signs and notarizes the .dmg.

dist/build-info.json records what was built, from which inputs, sizes and times, and whether
its Windows executables and installer are signed. An unsigned installer says so on its pages,
in the build's output and in that file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "linux"))
sys.path.insert(0, str(ROOT / "build" / "windows"))
import package  # noqa: E402
import sign  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "_work"
BUNDLE = DIST / "fieldkit"
INFO = DIST / "build-info.json"
NSIS_SCRIPT = ROOT / "build" / "windows" / "fieldkit.nsi"
INPUTS = (
    "fieldkit",
    "resources",
    "build/pyinstaller",
    "build/linux",
    "build/windows",
    "build/dist.py",
    "fieldkit.spec",
    "pyproject.toml",
)


def version() -> str:
    from fieldkit import __version__  # noqa: PLC0415 - the checkout's, installed editable

    return __version__


def input_digest(nsis_compressor: str) -> str:
    """What the outputs depend on: the sources, the installed packages, Python, options."""
    digest = hashlib.sha256()
    for top in INPUTS:
        base = ROOT / top
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join([*installed, sys.version, nsis_compressor]).encode())
    return digest.hexdigest()


def up_to_date(digest: str) -> bool:
    if not INFO.exists():
        return False
    info = json.loads(INFO.read_text(encoding="utf-8"))
    artifacts = info.get("artifacts", {})
    return info.get("inputs") == digest and all(
        (ROOT / item["path"]).exists() for item in artifacts.values()
    )


def run_pyinstaller() -> None:
    if BUNDLE.exists() or BUNDLE.is_symlink():
        shutil.rmtree(BUNDLE)
    command = [sys.executable, "-m", "PyInstaller", str(ROOT / "fieldkit.spec"), "--noconfirm"]
    command += ["--workpath", str(WORK), "--distpath", str(DIST), "--log-level", "WARN"]
    subprocess.run(command, check=True, cwd=ROOT)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def artifact(path: Path, **extra: Any) -> dict[str, Any]:
    return {"path": str(path.relative_to(ROOT)), "bytes": size_of(path), **extra}


class Build:
    """One run: times each step and collects what it made."""

    def __init__(self, digest: str) -> None:
        self.info: dict[str, Any] = {
            "version": version(),
            "system": f"{platform.system()} {platform.machine()}",
            "inputs": digest,
            "signed": False,
            "seconds": {},
            "artifacts": {},
        }

    def step(self, name: str, action: Any) -> Any:
        print(f"dist: {name}...", flush=True)
        started = time.perf_counter()
        result = action()
        self.info["seconds"][name] = round(time.perf_counter() - started, 1)
        return result

    def linux(self, nsis_compressor: str) -> None:
        v, arch = self.info["version"], package.deb_architecture()
        tarball = DIST / f"fieldkit-{v}-linux-{platform.machine()}.tar.gz"
        self.step("tar", lambda: package.make_tarball(BUNDLE, tarball, v))
        self.info["artifacts"]["tar"] = artifact(tarball)
        deb = DIST / f"fieldkit_{v}_{arch}.deb"
        self.step("deb", lambda: package.make_deb(BUNDLE, deb, v, WORK / "deb"))
        self.info["artifacts"]["deb"] = artifact(deb)
        if shutil.which("makensis"):
            target = WORK / "nsis" / f"FieldKit-{v}-setup-linux-layout.exe"
            self.step("nsis", lambda: self.nsis(target, nsis_compressor))
            self.info["artifacts"]["nsis"] = artifact(
                target, compressor=nsis_compressor, layout="linux (a compile check only)"
            )
        else:
            print("dist: makensis not found, the NSIS script was not compiled")

    def windows(self, nsis_compressor: str) -> None:
        if sign.configured():
            exes = [str(BUNDLE / "fieldkit.exe"), str(BUNDLE / "fieldkit-app.exe")]
            self.step("sign", lambda: sign.main(exes))
        target = DIST / f"FieldKit-{self.info['version']}-setup.exe"
        self.step("nsis", lambda: self.nsis(target, nsis_compressor))
        self.info["artifacts"]["nsis"] = artifact(target, compressor=nsis_compressor)

    def nsis(self, target: Path, compressor: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        defines = {
            "VERSION": self.info["version"],
            "SOURCE_DIR": str(BUNDLE),
            "OUTFILE": str(target),
            "COMPRESSOR": "/SOLID lzma" if compressor == "lzma" else compressor,
        }
        if sign.configured():
            defines["SIGN_COMMAND"] = f'"{sys.executable}" "{ROOT / "build/windows/sign.py"}"'
            self.info["signed"] = True
        else:
            defines["UNSIGNED"] = "1"
            print("dist: UNSIGNED installer (no FIELDKIT_SIGN_* certificate in the environment)")
        command = ["makensis", "-V2", *(f"-D{key}={value}" for key, value in defines.items())]
        subprocess.run([*command, str(NSIS_SCRIPT)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="Build FieldKit's bundle and installers.")
    parser.add_argument("--if-changed", action="store_true", help="skip if no input changed")
    parser.add_argument("--nsis-compressor", choices=["lzma", "zlib", "bzip2"], default="lzma")
    parser.add_argument("--json", action="store_true", help="print build-info.json at the end")
    args = parser.parse_args()
    digest = input_digest(args.nsis_compressor)
    if args.if_changed and up_to_date(digest):
        print(f"dist: up to date ({INFO.relative_to(ROOT)})")
    else:
        build = Build(digest)
        build.step("pyinstaller", run_pyinstaller)
        build.info["artifacts"]["onedir"] = artifact(BUNDLE)
        if sys.platform.startswith("linux"):
            build.linux(args.nsis_compressor)
        elif sys.platform == "win32":
            build.windows(args.nsis_compressor)
        INFO.write_text(json.dumps(build.info, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(INFO.read_text(encoding="utf-8"), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
