"""A circuit breaker for a store behind a network: once it is known to be down, stop waiting.

The first call that finds the server gone trips the breaker; from then on every call in this
process is refused at once (`StoreUnavailable`, so the web answers 503 within a moment)
instead of each one spending the driver's connection and retry budget. A background thread
probes the server (one connection check every `interval` seconds) and closes the breaker as
soon as it answers, so the process recovers by itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from collab.errors import StoreUnavailable


class Breaker:
    """Open (refusing) while the server is known to be down; closed otherwise."""

    def __init__(self, probe: Callable[[], None], *, what: str, interval: float = 0.5):
        self._probe, self._what, self._interval = probe, what, interval
        self._lock = threading.Lock()
        self._open_since: float | None = None
        self._prober: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def is_open(self) -> bool:
        return self._open_since is not None

    def check(self) -> None:
        """Refuse at once while the breaker is open."""
        since = self._open_since
        if since is not None:
            raise StoreUnavailable(f"{self._what} is not reachable (down for "
                                   f"{time.monotonic() - since:.0f} s; checking in the "
                                   f"background)")

    def trip(self) -> None:
        """The server was found down: refuse from now on, and start probing for its return."""
        with self._lock:
            if self._open_since is None:
                self._open_since = time.monotonic()
            if self._prober is None:
                self._prober = threading.Thread(target=self._wait_for_return, daemon=True,
                                                name="collab-store-probe")
                self._prober.start()

    def _wait_for_return(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._probe()
            except Exception:  # noqa: BLE001 - any failure means: still down
                continue
            with self._lock:
                self._open_since, self._prober = None, None
            return

    def close(self) -> None:
        """Stop probing (the store is being closed)."""
        self._stop.set()
