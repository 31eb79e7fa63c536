"""Measurement page: reliability (with one-click reverse keying), data screening (with one-click
exclusion into the recipe), EFA, CFA and a structural model, one tab each, drawn from their
declarations (recipe types "reliability", "item_analysis", "screening", "efa", "cfa", "sem")."""
import streamlit as st

from pages._ui import page, state

SECTIONS = ("reliability", "item_analysis", "screening", "efa", "cfa", "sem")

st.title(state.t("measure.page.title"))
if state.dataset() is not None:
    for tab, name in zip(st.tabs([state.t(f"measure.section.{s}") for s in SECTIONS]), SECTIONS):
        with tab:
            page.analysis_page(name)
