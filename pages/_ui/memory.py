"""Give memory back when users leave.

Everything this app keeps for a user — the upload, the dataset, the results
of uploaded data (pages/_ui/runner.py) — lives in the user's Streamlit
session, and the work a reload must find again (upload bytes, recipe,
language) in :data:`STORE`, which the housekeeping thread below expires
``TTL`` seconds after its session left (see pages/_ui/state.py).  Streamlit keeps a disconnected session for
``server.disconnectedSessionTTL`` (120 s) so that a network blip can resume
it; after that the session is dropped, but only when the session store is
next written to (the next disconnect of anybody), and its objects, which
hold reference cycles, only when Python's cyclic collector next runs; glibc
then keeps the freed memory of the script threads' arenas.

Each user's script runs in its own thread, and glibc gives threads their own
malloc arenas (up to 8 per core), which fragment and keep their high-water
mark after a burst of users; ``start`` caps them at ``ARENAS`` (what
``MALLOC_ARENA_MAX=2`` does; measured: peak RSS of ten concurrent sessions
355 → 315 MB and memory back within 5% of the baseline instead of 16%).

One daemon thread per server process looks every ``INTERVAL`` seconds: it
shuts down sessions whose TTL has passed (their personal data — session
state, uploaded files, generated downloads — go at once, not at someone
else's next disconnect; a session merely dropped from Streamlit's store
keeps its uploads and downloads in the runtime's file managers), and when
sessions have gone since its last look it empties their session state
(:func:`forget`: a gone session can stay referenced by Streamlit's runtime
loop, and with it everything the user loaded) and runs the cyclic collector
and ``malloc_trim(0)``.  It relies on
Streamlit internals, guarded: if they change, it does nothing (and says so
once in the log).  Measured by benchmarks/load_sessions.py.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import threading
import time
import weakref

import streamlit as st

log = logging.getLogger("pressure_explorer")
INTERVAL = 30.0
ARENAS = 2
_M_ARENA_MAX = -8   # glibc's mallopt parameter


def _libc(name: str):
    try:
        return getattr(ctypes.CDLL("libc.so.6"), name)
    except (OSError, AttributeError):  # not glibc
        return None


def _malloc_trim():
    return _libc("malloc_trim")


def _runtime():
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def sessions_after_reaping() -> int | None:
    """Number of sessions the server holds (connected + kept for reconnect),
    after shutting down those kept longer than the TTL; None if unknown."""
    rt = _runtime()
    mgr = getattr(rt, "_session_mgr", None)
    if mgr is None:
        return None
    storage = getattr(mgr, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    if hasattr(cache, "expire"):
        with getattr(mgr, "_storage_lock", threading.Lock()):
            gone = cache.expire()
        for _, info in gone or ():
            # what Streamlit's close_session does for a stored session: its uploaded
            # files, generated downloads (media files) and table sources go as well
            session = getattr(info, "session", None)
            if session is not None:
                session.shutdown()
                forget(session)
    current = {info.session for info in mgr.list_sessions()}
    for session in [s for s in _SEEN if s not in current]:   # dropped by Streamlit since the last look
        _SEEN.discard(session)
        forget(session)
    _SEEN.update(current)
    STORE.expire(connected(mgr))   # the reload store forgets sessions gone for longer than the TTL
    # a generated download is marked when no session refers to it and deleted at the next call:
    # ticks of this thread are INTERVAL apart, so a file goes 30–60 s after its session
    rt.media_file_mgr.remove_orphaned_files()
    return len(current)


_SEEN: weakref.WeakSet = weakref.WeakSet()   # the sessions held at the last look


def forget(session) -> None:
    """Empty a gone session's state: its upload, data and results, and its widgets'
    metadata, whose format_func closures keep the globals of the page scripts that
    made them.  A session gone from Streamlit's store can stay referenced —
    Streamlit's runtime loop keeps the last session it served in a loop variable
    until another session is active — and would hold all of that."""
    session_state = getattr(session, "_session_state", None)
    if hasattr(session_state, "clear"):
        session_state.clear()
    widgets = getattr(getattr(session_state, "_new_widget_state", None), "widget_metadata", None)
    if hasattr(widgets, "clear"):
        widgets.clear()


# ---- the reload store (used by pages/_ui/state.py) ----------------------------------------------------------------------------
TTL = float(st.get_option("server.disconnectedSessionTTL"))   # seconds an entry outlives its connection


class ReloadStore:
    """token → {"owner": session id, "seen": time, "work": {...}}, in memory only."""

    def __init__(self, ttl: float = TTL):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[str, dict] = {}

    def put(self, token: str, owner: str, work: dict, now: float | None = None) -> None:
        with self._lock:
            self._entries[token] = {"owner": owner, "seen": time.monotonic() if now is None else now, "work": work}

    def take(self, token: str, owner: str, connected=(), now: float | None = None) -> dict | None:
        """The work under ``token`` for session ``owner`` — None when unknown,
        expired, or held by another session that is still connected."""
        now = time.monotonic() if now is None else now
        with self._lock:
            e = self._entries.get(token)
            if e is None or (e["owner"] not in connected and now - e["seen"] > self.ttl):
                return None
            if e["owner"] != owner and e["owner"] in connected:
                return None
            e["owner"], e["seen"] = owner, now
            return e["work"]

    def expire(self, connected=(), now: float | None = None) -> int:
        """Drop entries whose session left more than ``ttl`` seconds ago;
        entries of connected sessions are kept fresh.  Returns how many went."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for e in self._entries.values():
                if e["owner"] in connected:
                    e["seen"] = now
            gone = [k for k, e in self._entries.items() if now - e["seen"] > self.ttl]
            for k in gone:
                del self._entries[k]
        return len(gone)

    def __len__(self) -> int:
        return len(self._entries)


STORE = ReloadStore()


def connected(mgr) -> set[str]:
    """Ids of the sessions with an open connection (empty when unknown)."""
    try:
        return {info.session.id for info in mgr.list_active_sessions()}
    except Exception:  # no server, or Streamlit internals changed
        return set()


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
    """Cap malloc arenas and start the housekeeping thread (once per server
    process, before most script threads exist)."""
    mallopt = _libc("mallopt")
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, ARENAS)
    thread = threading.Thread(target=_loop, name="pe-memory-housekeeping", daemon=True)
    thread.start()
    return thread
