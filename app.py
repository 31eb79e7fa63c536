"""Pressure Explorer — the frame and router.

Page config, the language switch, the dataset badge, recipe download, and
st.navigation over the page scripts in pages/.  All computation is in core/.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import recipe as recipes
from pages._ui import memory, state
from pages._ui.nav import PAGES
from pages._ui.render import md_escape

ROOT = Path(__file__).parent


def sidebar_after_page() -> None:
    """The dataset badge and the recipe download, after the page ran (so they
    reflect what it just changed).  A function, not module code: this script's
    globals outlive the run (Streamlit keeps the last run's module as
    ``__main__``), and the data they named would stay in memory after every
    user has left."""
    with st.sidebar:
        raw = state.raw()
        src = raw.source
        badge = state.t("app.badge", name=md_escape(src.get("name", "")), rows=len(raw.frame),
                        cols=raw.frame.shape[1])
        if src.get("synthetic"):
            badge += "  \n" + state.t("app.synthetic")
        st.caption(badge)
        st.download_button(state.t("app.download_recipe"), recipes.to_json(state.recipe()),
                           file_name="pressure-explorer-recipe.json", mime="application/json",
                           icon=":material/download:", width="stretch")
        if state.S.pop("reload_lost", False):
            st.info(state.t("reload.lost"))
        st.caption(state.t("reload.kept", minutes=f"{memory.TTL / 60:g}"))


# a local icon: emoji and :material/…: icons make the browser fetch the favicon from an outside host
st.set_page_config(page_title="Pressure Explorer", page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide")
memory.start()   # gives memory back when users leave (once per server process)
state.ensure_loaded()
state.choose_lang()   # ?lang=, else the browser's language

with st.sidebar:
    st.radio(state.t("app.language"), ["en", "zh"], key="lang", horizontal=True,
             format_func=lambda c: {"en": "English", "zh": "中文"}[c])
state.lang_to_url()

nav = st.navigation([st.Page(str(ROOT / path), title=state.t(key), icon=icon)
                     for path, key, icon in PAGES if (ROOT / path).exists()])
nav.run()
sidebar_after_page()
state.keep()   # a reload of this page takes the work back (server memory only)
