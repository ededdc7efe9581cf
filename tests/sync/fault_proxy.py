"""A TCP proxy on loopback that breaks connections the way bad hotel Wi-Fi and 2G links do.

Each accepted connection is, with probability `fault_rate`, given one fault:
- delay: everything arrives, late;
- drop: the connection closes before a byte is forwarded;
- cut_request / cut_response: part of the request (or of the answer) gets through, then the
  connection closes: the server may have acted on a request whose answer never arrives;
- reset: after part of the answer, a TCP reset (SO_LINGER 0).
Decisions come from a seeded random generator, so a failing run can be replayed.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter

FAULTS = ("delay", "drop", "cut_request", "cut_response", "reset")


class FaultProxy:
    def __init__(self, target_port: int, *, fault_rate: float = 0.4, seed: int = 0) -> None:
        self.target_port = target_port
        self.fault_rate = fault_rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.connections = 0
        self.faults: Counter[str] = Counter()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def faulted_share(self) -> float:
        return sum(self.faults.values()) / max(self.connections, 1)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._listener.close()
        self._thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                fault = None
                if self._random.random() < self.fault_rate:
                    fault = self._random.choice(FAULTS)
                    self.faults[fault] += 1
                budget = self._random.randint(1, 600)
                delay = self._random.uniform(0.05, 0.4)
            threading.Thread(
                target=self._serve, args=(client, fault, budget, delay), daemon=True
            ).start()

    def _serve(self, client: socket.socket, fault: str | None, budget: int, delay: float) -> None:
        if fault == "drop":
            client.close()
            return
        if fault == "delay":
            time.sleep(delay)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
        except OSError:
            _reset(client)
            return
        up_limit = budget if fault == "cut_request" else None
        down_limit = budget if fault in ("cut_response", "reset") else None
        pumps = [
            threading.Thread(target=_pump, args=(client, upstream, up_limit, None), daemon=True),
            threading.Thread(
                target=_pump,
                args=(upstream, client, down_limit, "reset" if fault == "reset" else None),
                daemon=True,
            ),
        ]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                sock.close()


def _pump(source: socket.socket, sink: socket.socket, limit: int | None, end: str | None) -> None:
    """Copy bytes until EOF, or until `limit` bytes, then break both sockets (with a TCP
    reset towards `sink` when `end` says so)."""
    sent = 0
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) >= limit:
                sink.sendall(data[: limit - sent])
                break
            sink.sendall(data)
            sent += len(data)
    except OSError:
        pass
    if end == "reset":
        # Linger 0 makes the close send RST; SHUT_RD first wakes the other pump's recv so the
        # socket really closes now instead of when the client gives up.
        with contextlib.suppress(OSError):
            sink.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sink.shutdown(socket.SHUT_RD)
        with contextlib.suppress(OSError):
            source.shutdown(socket.SHUT_RDWR)
        return
    for sock in (source, sink):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
