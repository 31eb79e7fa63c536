"""Give memory back when users leave.

Everything this app keeps for a user — the upload, the dataset, the results
of uploaded data (pages/_ui/runner.py) — lives in the user's Streamlit
session.  Streamlit keeps a disconnected session for
``server.disconnectedSessionTTL`` (120 s) so that a network blip can resume
it; after that the session is dropped, but only when the session store is
next written to (the next disconnect of anybody), and its objects, which
hold reference cycles, only when Python's cyclic collector next runs; glibc
then keeps the freed memory of the script threads' arenas.

One daemon thread per server process looks every ``INTERVAL`` seconds: it
drops sessions whose TTL has passed (their personal data go at once, not at
someone else's next disconnect), and when sessions have gone since its last
look it runs the cyclic collector and ``malloc_trim(0)``.  It relies on
Streamlit internals, guarded: if they change, it does nothing (and says so
once in the log).  Measured by benchmarks/load_sessions.py.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import threading
import time

import streamlit as st

log = logging.getLogger("pressure_explorer")
INTERVAL = 30.0


def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def _session_manager():
    from streamlit.runtime import Runtime

    return Runtime.instance()._session_mgr if Runtime.exists() else None


def sessions_after_reaping() -> int | None:
    """Number of sessions the server holds (connected + kept for reconnect),
    after dropping those kept longer than the TTL; None if unknown."""
    mgr = _session_manager()
    if mgr is None:
        return None
    storage = getattr(mgr, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    if hasattr(cache, "expire"):
        with getattr(mgr, "_storage_lock", threading.Lock()):
            cache.expire()
    return len(mgr.list_sessions())


def release() -> None:
    """Collect cyclic garbage and hand free heap memory back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _loop() -> None:
    last = None
    while True:
        time.sleep(INTERVAL)
        try:
            n = sessions_after_reaping()
        except Exception as exc:  # Streamlit internals changed: stop quietly
            log.warning("memory housekeeping stopped: %s", exc)
            return
        if n is not None and last is not None and n < last:
            release()
        last = n


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """Start the housekeeping thread (once per server process)."""
    thread = threading.Thread(target=_loop, name="pe-memory-housekeeping", daemon=True)
    thread.start()
    return thread
