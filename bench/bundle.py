"""Installer benchmark: bundle sizes, build time, and the frozen app's start to window shown.

    .venv/bin/python bench/bundle.py              # a clean build (build/dist.py), then measure
    .venv/bin/python bench/bundle.py --no-build   # measure what is in dist/ now
    .venv/bin/python bench/bundle.py --cold       # also one start after dropping the page cache
    .venv/bin/python bench/bundle.py --json       # one JSON object instead of the table

The build is build/dist.py with LZMA for NSIS (what ships), after removing build/_work so
PyInstaller starts from nothing. Sizes: the onedir folder (apparent size of its files), the
.tar.gz, the .deb, and the NSIS installer (on Linux compiled against the Linux bundle: about
what the Windows one weighs, not the Windows one).

Start to window shown: `dist/fieldkit/fieldkit-app` in a new process, offscreen, with fresh
user folders (so it opens on first run), FIELDKIT_EXIT_AFTER_SHOW=1: from just before the
process is spawned to the moment the main window is first painted (the app prints
time.monotonic(), a system-wide clock on Linux). --cold drops the page cache first (root only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
INFO = DIST / "build-info.json"
SHOWN = re.compile(r"FIELDKIT_WINDOW_SHOWN (\d+\.\d+)")
TARGETS = {"onedir_mb": 150.0, "deb_mb": 60.0, "start_to_window_s": 1.5}


def build() -> float:
    shutil.rmtree(ROOT / "build" / "_work", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build/dist.py")], check=True, cwd=ROOT)
    return time.perf_counter() - started


def start_to_window(app: Path, *, cold: bool = False) -> float:
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as folder:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("QT_", "FIELDKIT_", "XDG_", "DISPLAY", "WAYLAND"))
        }
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(Path(folder) / var.lower())
        env.update(QT_QPA_PLATFORM="offscreen", FIELDKIT_EXIT_AFTER_SHOW="1")
        if cold:
            subprocess.run(["sync"], check=True)
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
        started = time.monotonic()
        done = subprocess.run(
            [str(app)], env=env, capture_output=True, text=True, timeout=120, check=False
        )
    found = SHOWN.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the frozen app did not show its window:\n{done.stdout}{done.stderr}")
    return float(found.group(1)) - started


def measure(runs: int, cold: bool) -> dict[str, Any]:
    info: dict[str, Any] = json.loads(INFO.read_text(encoding="utf-8"))
    app = ROOT / info["artifacts"]["onedir"]["path"] / "fieldkit-app"
    if sys.platform == "win32":
        app = app.with_suffix(".exe")
    start_to_window(app)  # the first start reads the bundle into the page cache
    starts = [start_to_window(app) for _ in range(runs)]
    figures: dict[str, Any] = {
        "version": info["version"],
        "system": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "sizes_mb": {
            name: round(item["bytes"] / 1e6, 1) for name, item in info["artifacts"].items()
        },
        "nsis_compressor": info["artifacts"].get("nsis", {}).get("compressor"),
        "build_steps_s": info["seconds"],
        "start_to_window_s": {
            "median": round(statistics.median(starts), 3),
            "min": round(min(starts), 3),
            "max": round(max(starts), 3),
            "runs": runs,
        },
    }
    if cold:
        figures["start_to_window_s"]["cold"] = round(start_to_window(app, cold=True), 3)
    return figures


def verdicts(figures: dict[str, Any]) -> dict[str, bool]:
    sizes = figures["sizes_mb"]
    return {
        "onedir_mb": sizes["onedir"] < TARGETS["onedir_mb"],
        "deb_mb": "deb" not in sizes or sizes["deb"] < TARGETS["deb_mb"],
        "start_to_window_s": figures["start_to_window_s"]["median"] < TARGETS["start_to_window_s"],
    }


def table(figures: dict[str, Any]) -> str:
    sizes, start = figures["sizes_mb"], figures["start_to_window_s"]
    met = verdicts(figures)
    ok = {True: "met", False: "MISSED"}
    lines = [
        f"FieldKit {figures['version']} bundle benchmark ({figures['system']})",
        f"  onedir folder         {sizes['onedir']:7.1f} MB   target < 150 MB: "
        + ok[met["onedir_mb"]],
    ]
    if "tar" in sizes:
        lines.append(f"  .tar.gz               {sizes['tar']:7.1f} MB")
    if "deb" in sizes:
        lines.append(
            f"  .deb                  {sizes['deb']:7.1f} MB   target < 60 MB: {ok[met['deb_mb']]}"
        )
    if "nsis" in sizes:
        lines.append(
            f"  NSIS installer        {sizes['nsis']:7.1f} MB   ({figures['nsis_compressor']})"
        )
    steps = ", ".join(f"{k} {v} s" for k, v in figures["build_steps_s"].items())
    lines.append(f"  build steps           {steps}")
    if "build_total_s" in figures:
        lines.append(f"  build, clean, total   {figures['build_total_s']:7.1f} s")
    lines.append(
        f"  start to window       {start['median']:7.3f} s   median of {start['runs']} "
        f"(min {start['min']}, max {start['max']}); target < 1.5 s: "
        f"{ok[met['start_to_window_s']]}"
    )
    if "cold" in start:
        lines.append(f"  start, page cache dropped {start['cold']:.3f} s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure dist/ as it is")
    parser.add_argument("--runs", type=int, default=7, help="warm starts to time (default 7)")
    parser.add_argument("--cold", action="store_true", help="one start after dropping caches")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    total = None if args.no_build else build()
    figures = measure(args.runs, args.cold)
    if total is not None:
        figures["build_total_s"] = round(total, 1)
    figures["targets_met"] = verdicts(figures)
    print(json.dumps(figures, indent=2) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
