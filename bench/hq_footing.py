"""HQ under heavy requests: four authenticated 27 MB bodies of 1.5 million keys each, sent at
once to a real `fieldkit-hq serve` process, while another client asks /v1/health every 20 ms.

    python bench/hq_footing.py [--json]

Prints health latency (median, 95th percentile, worst), how long the bodies took to be
refused, and HQ's peak memory (its own process). Targets: health within 200 ms, HQ under
500 MB. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldkit.domain.ids import new_id  # noqa: E402
from fieldkit.hq import devices  # noqa: E402
from fieldkit.hq.admin import open_storage  # noqa: E402
from fieldkit.hq.clock import now_ms  # noqa: E402

ATTACKERS = 4
KEYS = 1_500_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def attack_body() -> bytes:
    value = "{" + ",".join(f'"key_{i:08d}":0' for i in range(KEYS)) + "}"
    head = '{"protocol": 1, "batch": "b1", "changes": [{"id": "c1", "kind": "facility", '
    head += '"record": "r1", "field": "name", "hlc": 1048576, "value": '
    return (head + value + "}]}").encode()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def enrol(url: str, data: Path, name: str) -> str:
    storage = open_storage(data, None)
    try:
        code = devices.create_code(storage, name, now_ms())
    finally:
        storage.close()
    answer = httpx.post(
        f"{url}/v1/enrol", json={"code": code, "node": new_id(), "label": name}, timeout=30
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def watch(url: str) -> None:
    """Ask for /v1/health every 20 ms until a line arrives on stdin; print the latencies."""
    latencies: list[float] = []
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    with httpx.Client(base_url=url, timeout=60) as http:
        while not stop.is_set():
            start = time.monotonic()
            http.get("/v1/health").raise_for_status()
            latencies.append(time.monotonic() - start)
            if len(latencies) == 1:
                print("ready", flush=True)
            time.sleep(0.02)
    print(json.dumps(latencies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--watch", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch:
        watch(args.watch)
        return
    data = Path(tempfile.mkdtemp(prefix="fieldkit-hq-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [sys.executable, "-m", "fieldkit.hq.cli", "serve", "--data", str(data)]
    env = {**os.environ}
    env.setdefault("FIELDKIT_HQ_KEY", secrets.token_hex(32))  # HQ's SQLite is encrypted
    server = subprocess.Popen(
        [*serve, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/v1/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        tokens = [enrol(url, data, f"attacker-{n}") for n in range(ATTACKERS)]
        body = attack_body()
        idle_mb = peak_rss_mb(server.pid)
        refused: list[tuple[int, float]] = []

        def attack(token: str) -> None:
            start = time.monotonic()
            reply = httpx.post(
                f"{url}/v1/sync",
                content=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                timeout=120,
            )
            refused.append((reply.status_code, time.monotonic() - start))

        # Health is asked from its own process, so the attackers' uploads (Python threads
        # here) do not slow the asking down and count against HQ.
        watcher = subprocess.Popen(
            [sys.executable, __file__, "--watch", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert watcher.stdout is not None
        assert watcher.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        attackers = [threading.Thread(target=attack, args=(t,)) for t in tokens]
        for thread in attackers:
            thread.start()
        for thread in attackers:
            thread.join()
        time.sleep(0.2)
        output, _ = watcher.communicate("stop\n", timeout=60)
        ordered = sorted(json.loads(output))
        figures = {
            "body_mb": round(len(body) / 1e6, 1),
            "attackers": ATTACKERS,
            "statuses": sorted({status for status, _ in refused}),
            "refused_within_s": round(max(seconds for _, seconds in refused), 2),
            "health_ms_median": round(statistics.median(ordered) * 1000, 1),
            "health_ms_p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
            "health_ms_worst": round(ordered[-1] * 1000, 1),
            "hq_mb_idle": round(idle_mb),
            "hq_mb_peak": round(peak_rss_mb(server.pid)),
        }
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"HQ under {ATTACKERS} bodies of {figures['body_mb']} MB ({KEYS:,} keys) at once:")
    print(f"  answered {figures['statuses']} within {figures['refused_within_s']} s")
    print(
        f"  /v1/health: median {figures['health_ms_median']} ms, "
        f"p95 {figures['health_ms_p95']} ms, worst {figures['health_ms_worst']} ms "
        "(target 200 ms)"
    )
    print(
        f"  HQ memory: {figures['hq_mb_idle']} MB idle, {figures['hq_mb_peak']} MB peak "
        "(target under 500 MB)"
    )


if __name__ == "__main__":
    main()
