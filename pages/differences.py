"""Differences page: every split × outcome at a glance, the thesis tables, the full detail of one
cell, two-way ANOVA, cross-tabs and paired-samples tests — each drawn from its declaration
(recipe types "difference", "crosstab", "paired_t"; layouts in their spec.py)."""
import streamlit as st

from pages._ui import page, state

st.title(state.t("difference.title"))
st.caption(state.t("difference.page.intro"))
if page.analysis_page("difference", "differences"):
    st.divider()
    page.analysis_page("difference", "differences_twoway", layout="two_way", title="difference.page.two_way")
    st.divider()
    page.analysis_page("crosstab", "differences_crosstab", title="difference.page.crosstab")
    st.divider()
    page.analysis_page("paired_t", "differences_paired", title="paired_t.title", intro="paired_t.page.intro")
