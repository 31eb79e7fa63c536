"""Describe page: descriptives of scales/items and frequency tables."""
from __future__ import annotations

import streamlit as st

from core import registry
from pages._ui import forms, render, runner, state

t = state.t
spec = registry.get("describe")
st.title(t("describe.title"))
ds = state.dataset()
if ds is not None:
    entry = state.entry("describe", "describe")
    options = forms.form(spec, ds, entry)
    if not options["variables"] and not options["frequencies"]:
        st.info(t("describe.error.nothing_chosen"))
    else:
        render.result(spec, runner.run("describe", options), options)
