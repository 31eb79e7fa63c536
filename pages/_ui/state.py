"""Session state: the loaded data, the recipe (the whole session's choices),
the language.  The recipe is the single source of truth for choices, so a
language switch, a page change or a recipe download/upload loses nothing.

A browser reload starts a new Streamlit session.  So that it loses nothing
either, every run leaves the session's work — the uploaded file's bytes (or
the sample's key), the recipe (scales, codes, level orders, analyses, pins)
and the language — in ``memory.STORE``, a server-memory store keyed by a random
token in the URL (query parameter ``s``; other query parameters are left as
they are).  A new session whose URL carries a known token takes the work
back.  Nothing is written to disk.  An entry lives while its session is
connected and ``memory.TTL`` seconds after (Streamlit's own
``server.disconnectedSessionTTL``), then the housekeeping thread
(pages/_ui/memory.py) drops it; a token held by another *connected* session
gives nothing (a shared link does not hand over someone's data), and a token
is 192 random bits, so guessing one is hopeless.  The sidebar tells the user
how long a reload keeps the work and to download the recipe to keep it longer.
"""
from __future__ import annotations

import copy
import hashlib
import json
import secrets

import streamlit as st

from core import i18n, registry
from core import recipe as recipes
from core.data import io, samples
from core.data.model import Dataset, RawData
from core.data.prepare import build_dataset
from core.errors import UserError
from pages._ui import memory
from pages._ui.markdown import translated

S = st.session_state


def lang() -> str:
    return S.get("lang", "en")


def choose_lang() -> None:
    """The session's language, chosen once: ``?lang=zh|en`` in the URL, else
    the browser's (Chinese for zh-*), else English."""
    if S.get("lang") in i18n.LANGS:
        return
    asked = st.query_params.get("lang")
    if asked in i18n.LANGS:
        S["lang"] = asked
    else:
        S["lang"] = "zh" if str(st.context.locale or "").lower().startswith("zh") else "en"


def lang_to_url() -> None:
    """Write the language into the URL (``?lang=``), so a reload, a page change or
    a shared link keeps it.  Only that parameter is touched: others (a helper's
    session token, a deep link's state) stay as they are."""
    if st.query_params.get("lang") != lang():
        st.query_params["lang"] = lang()


def t(key: str, **kwargs) -> str:
    return i18n.t(key, lang(), **kwargs)


def _through_the_frame() -> None:
    """A first visit by deep link (/describe) before any session ran app.py
    makes Streamlit run the page file alone, in its old pages/-folder mode
    (no language switch, no menu).  Leave that mode — st.navigation would do
    the same — and rerun, so app.py frames the requested page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def ensure_loaded() -> None:
    """The app never opens empty: the work of a reloaded session comes back
    (see module doc), else the default sample survey is loaded once."""
    _through_the_frame()
    if "raw" not in S:
        if not _restore():
            load_sample(samples.DEFAULT)
        if "reload_token" not in S:
            S["reload_token"] = secrets.token_urlsafe(24)
        st.query_params["s"] = S["reload_token"]


def load_sample(key: str) -> None:
    raw, recipe, _ = _sample(key)
    # the cached recipe is shared by every session: each session edits its own copy
    S["raw"], S["recipe"] = raw, copy.deepcopy(recipe)
    S["sample_key"] = key


# ---- the reload store (pages/_ui/memory.py holds it) ----------------------------------------------


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def connected_sessions() -> set[str]:
    """Ids of the sessions with an open connection (empty without a server)."""
    return memory.connected(getattr(memory._runtime(), "_session_mgr", None))


def _restore() -> bool:
    """Take back the work stored under the URL's token (a reload)."""
    token = st.query_params.get("s")
    if not token:
        return False
    work = memory.STORE.take(str(token), _session_id(), connected_sessions() - {_session_id()})
    if work is None:
        S["reload_lost"] = True   # the sidebar says the previous work expired
        return False
    try:
        if work.get("upload"):
            name, content = work["upload"]
            raw = io.read_bytes(content, name, sheet=work.get("sheet"), header_row=work.get("header_row"),
                                skip_rows=(work["recipe"].get("data") or {}).get("skip_rows"))
            S["upload_bytes"] = (name, content)
            S["raw"] = raw
        else:
            load_sample(work.get("sample") or samples.DEFAULT)
        S["recipe"] = recipes.validate(work["recipe"])
    except Exception:  # whatever went wrong, the app opens as new rather than broken
        for k in ("raw", "recipe", "upload_bytes"):
            S.pop(k, None)
        return False
    for k in ("upload_sheet", "upload_header_row"):
        if work.get(k.removeprefix("upload_")) is not None:
            S[k] = work[k.removeprefix("upload_")]
    if work.get("lang") and "lang" not in S:
        S["lang"] = work["lang"]
    S["reload_token"] = str(token)
    return True


def keep() -> None:
    """Leave this session's work in the reload store (end of every run)."""
    if "raw" not in S or "reload_token" not in S:
        return
    up = S.get("upload_bytes")
    memory.STORE.put(S["reload_token"], _session_id(), {
        "upload": up, "sample": None if up else S.get("sample_key", samples.DEFAULT),
        "sheet": S.get("upload_sheet"), "header_row": S.get("upload_header_row"),
        "recipe": copy.deepcopy(S["recipe"]), "lang": lang()})
    if st.query_params.get("s") != S["reload_token"]:
        st.query_params["s"] = S["reload_token"]


@st.cache_resource(show_spinner=False)
def _sample(key: str):
    return samples.load(key)


@st.cache_resource(show_spinner=False)
def _sample_fingerprints() -> frozenset:
    return frozenset(_sample(k)[0].source.get("fingerprint") for k in samples.SAMPLES)


def shared_data() -> bool:
    """True when the loaded data is a shipped sample survey (public): its
    results may be cached for every session.  Results of uploaded data stay
    in the user's session (see pages/_ui/runner.py)."""
    fp = raw().source.get("fingerprint")
    return bool(fp) and fp in _sample_fingerprints()


def raw() -> RawData:
    ensure_loaded()
    return S["raw"]


def recipe() -> dict:
    ensure_loaded()
    return S["recipe"]


def set_data(new_raw: RawData, new_recipe: dict) -> None:
    """Replace the loaded data (only after it was read successfully)."""
    S["raw"], S["recipe"] = new_raw, new_recipe


def digest(obj) -> str:
    """A short fingerprint of ``obj`` (JSON): a widget key that changes with
    what the widget shows, so edits of an old table never land on a new one."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def data_key(with_language: bool = True) -> str:
    """Fingerprint of everything a Dataset depends on (bytes + recipe data
    options, preparation, scales, exclusions + language): the cache key of
    analyses.  Without the language it keys what is the same in both (see
    runner.run)."""
    r = recipe()
    part = json.dumps({k: r.get(k) for k in ("data", "prepare", "scales", "exclusions")}, sort_keys=True,
                      ensure_ascii=False, default=str)
    fp = raw().source.get("fingerprint", "")
    return hashlib.sha256(f"{fp}|{part}|{lang() if with_language else ''}".encode()).hexdigest()


def dataset() -> Dataset | None:
    """The analysis-ready data; None (with the error shown) if the recipe's
    scales do not fit the data.  Kept in the session (built once per change of
    data, recipe scales/exclusions or language; no unpickling on every call,
    and it goes away with the session)."""
    key = data_key()
    if S.get("_dataset_key") != key:
        try:
            S["_dataset"], S["_dataset_error"] = build_dataset(raw(), recipe(), lang()), None
        except UserError as err:
            S["_dataset"], S["_dataset_error"] = None, err
        S["_dataset_key"] = key
    if S["_dataset_error"] is not None:
        err = S["_dataset_error"]
        st.error(translated(err.key, lang(), **err.kwargs))
    return S["_dataset"]


def entry(aid: str, type_: str) -> dict:
    """The recipe entry of a page's analysis (created on first use)."""
    r = recipe()
    for a in r["analyses"]:
        if a["id"] == aid:
            return a
    a = {"id": aid, "type": type_}
    spec, ds = registry.get(type_), dataset()
    if spec.defaults is not None and ds is not None:   # the declared, role-based start (computed in core)
        a.update(spec.defaults(ds, r.get("roles") or {}))
    r["analyses"].append(a)
    return a


def by_default(entry: dict, **values) -> None:
    """Fill in options the page chose itself, nobody asked for (a starting
    model, a first pair of variables), recorded in ``entry["default"]`` so that
    the key findings and the default report leave the analysis out until the
    user changes one of them or pins it (core.report.model.untouched)."""
    entry.update(copy.deepcopy(values))
    entry["default"] = {**(entry.get("default") or {}), **copy.deepcopy(values)}


def forget(entry: dict) -> None:
    """Take a page's entry out of the recipe while nothing is chosen for it, so a
    downloaded recipe holds no analysis that cannot run (the widgets keep the choices)."""
    if entry in recipe()["analyses"]:
        recipe()["analyses"].remove(entry)
