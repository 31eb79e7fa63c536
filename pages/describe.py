"""Describe page: descriptives of scales/items and frequency tables, drawn from the declaration."""
import streamlit as st

from pages._ui import page, state

st.title(state.t("describe.title"))
page.analysis_page("describe")
