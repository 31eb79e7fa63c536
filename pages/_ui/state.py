"""Session state: the loaded data, the recipe (the whole session's choices),
the language.  The recipe is the single source of truth for choices, so a
language switch, a page change or a recipe download/upload loses nothing."""
from __future__ import annotations

import copy
import hashlib
import json

import streamlit as st

from core import i18n
from core.data import samples
from core.data.model import Dataset, RawData
from core.data.prepare import build_dataset
from core.errors import UserError

S = st.session_state


def lang() -> str:
    return S.get("lang", "en")


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
    """The app never opens empty: load the default sample survey once."""
    _through_the_frame()
    if "raw" not in S:
        load_sample(samples.DEFAULT)


def load_sample(key: str) -> None:
    raw, recipe, _ = _sample(key)
    # the cached recipe is shared by every session: each session edits its own copy
    S["raw"], S["recipe"] = raw, copy.deepcopy(recipe)


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


def data_key(with_language: bool = True) -> str:
    """Fingerprint of everything a Dataset depends on (bytes + recipe data
    options, scales, exclusions + language): the cache key of analyses.
    Without the language it keys what is the same in both (see runner.run)."""
    r = recipe()
    part = json.dumps({k: r.get(k) for k in ("data", "scales", "exclusions")}, sort_keys=True,
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
        st.error(S["_dataset_error"].message(lang()))
    return S["_dataset"]


def entry(aid: str, type_: str) -> dict:
    """The recipe entry of a page's analysis (created on first use)."""
    r = recipe()
    for a in r["analyses"]:
        if a["id"] == aid:
            return a
    a = {"id": aid, "type": type_}
    r["analyses"].append(a)
    return a
