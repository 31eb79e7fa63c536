"""Run analyses through the registry, cached on (data key, type, fit options).

Display-only options (``Option.fit=False``) and the language are left out of
the cache key, so toggling them never refits: results keep codes (level codes,
variable names, catalogue codes) and are read in the user's language at render.
Errors come back as values: a UserError is shown translated; anything
unexpected is shown as an internal error without a traceback and nothing
already loaded is lost.

Where results are kept: results (and charts and views) of a shipped sample
survey are public and shared by every session (``st.cache_data``); results
of *uploaded* data — personal answers — are kept in the user's own session
(a small LRU in session state), so they are never served to or held for
anyone else and go away with the session (a process-wide cache would keep
them, and their memory, after the user left).
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections import OrderedDict

import altair as alt
import streamlit as st

from core import registry
from core.errors import UserError
from core.report import images
from core.types import Result, lazy
from pages._ui import state

log = logging.getLogger("pressure_explorer")

try:  # progress updates from inside a cached run must not be recorded for cache replay
    from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function as _in_cached
except ImportError:  # pragma: no cover - other streamlit versions
    _in_cached = None


def _unrecorded(update):
    """Wrap a progress-bar update so st.cache_data does not record it: the bar
    lives outside the cached function, so replaying it on a cache hit fails
    (CacheReplayClosureError)."""
    if _in_cached is None:
        return None

    def call(fraction: float) -> None:
        token = _in_cached.set(False)
        try:
            update(fraction)
        finally:
            _in_cached.reset(token)
    return call


SESSION_ENTRIES = 128   # per-session LRU size (results, charts and views together)


def _cached(shared, own, key: tuple, *args):
    """``shared(*key, *args)`` (an st.cache_data function) for sample data;
    for uploaded data ``own(*key, *args)`` memoised in this session only.
    Both hand out copies, so a page that changes what it got cannot change
    the cache."""
    if state.shared_data():
        return shared(*key, *args)
    store = st.session_state.setdefault("_session_results", OrderedDict())
    k = (own.__name__, *key)
    if k in store:
        store.move_to_end(k)
    else:
        store[k] = own(*key, *args)
        while len(store) > SESSION_ENTRIES:
            store.popitem(last=False)
    return copy.deepcopy(store[k])


def _run_impl(data_key: str, type_: str, fit_json: str, _dataset, _options: dict, _progress=None) -> Result:
    return registry.run(type_, _dataset, _options, progress=_progress)


_run = st.cache_data(show_spinner=False, max_entries=256)(_run_impl)


def _fit_json(spec, options: dict) -> str:
    fit = {k: v for k, v in options.items() if k in spec.fit_options}
    return json.dumps(fit, sort_keys=True, ensure_ascii=False, default=str)


def run(type_: str, options: dict) -> Result | UserError:
    ds = state.dataset()
    if ds is None:
        return UserError("error.recipe_scales_invalid")
    spec = registry.get(type_)
    key = (state.data_key(with_language=False), type_, _fit_json(spec, options))
    bar = st.progress(0.0, text=state.t("render.working")) if spec.progress else None
    progress = _unrecorded(bar.progress) if bar else None
    try:
        # the same in every language: one cache entry, no refit on a language switch
        return _cached(_run, _run_impl, key, ds, options, progress)
    except UserError as err:
        return err
    except Exception as exc:  # a bug: keep the page alive, say so plainly
        log.exception("analysis %s failed", type_)
        return UserError("error.internal", detail=f"{type(exc).__name__}: {str(exc)[:160]}")
    finally:
        if bar is not None:
            bar.empty()


def _charts_impl(data_key: str, type_: str, options_json: str, lang: str, _result: Result, _dataset,
                 _options: dict) -> list:
    spec = registry.get(type_)
    return [(name, chart.to_dict()) for name, chart in spec.charts(_result, _dataset, lang, _options)]


_charts = st.cache_data(show_spinner=False, max_entries=256)(_charts_impl)


def charts(type_: str, options: dict, result: Result) -> list[tuple[str, dict]]:
    """The analysis' charts as Vega-Lite specs, cached like the result (building
    and serialising Altair charts is the slow part of a rerun)."""
    spec = registry.get(type_)
    ds = state.dataset()
    if not spec.charts or ds is None:
        return []
    every = json.dumps(options, sort_keys=True, ensure_ascii=False, default=str)   # display options too (stars)
    return _cached(_charts, _charts_impl, (state.data_key(), type_, every, state.lang()), result, ds, options)


def _view_impl(fn_name: str, data_key: str, type_: str, fit_json: str, lang: str, extra: str,
               _fn, _result: Result, _dataset, _kwargs: dict):
    out = _fn(_result, _dataset, lang, **_kwargs)
    if isinstance(out, alt.TopLevelMixin):
        out = out.to_dict()  # an Altair chart: keep its Vega-Lite spec
    return out


_view = st.cache_data(show_spinner=False, max_entries=512)(_view_impl)


def view(fn, type_: str, options: dict, result: Result, /, **kwargs):
    """``fn(result, dataset, lang, **kwargs)`` — a table, text or chart made from
    a result — cached on the same key as the result plus ``kwargs`` (display
    options; any name, ``options`` included).  Altair charts come back as
    Vega-Lite dicts for st.vega_lite_chart.
    Use it for everything a page derives from a result, so a rerun that changes
    nothing recomputes nothing."""
    spec = registry.get(type_)
    ds = state.dataset()
    extra = json.dumps(kwargs, sort_keys=True, ensure_ascii=False, default=str)
    name = fn.target if isinstance(fn, lazy) else f"{fn.__module__}.{fn.__qualname__}"
    return _cached(_view, _view_impl, (name, state.data_key(), type_,
                                       _fit_json(spec, options), state.lang(), extra), fn, result, ds, kwargs)


def _svg_impl(data_key: str, digest: str, _spec: dict) -> str:
    return images.to_svg(_spec)


_svg = st.cache_data(show_spinner=False, max_entries=64)(_svg_impl)


def svg(spec: dict) -> str:
    """A chart's SVG picture (vl-convert, the CJK font), cached like the
    results: shared for a sample survey, the session's own for an upload."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return _cached(_svg, _svg_impl, (state.data_key(), digest), spec)
