"""Correlation and regression page: the thesis-style correlation table and heat map; hierarchical
regression in blocks with its what-if simulator and levers; binary logistic regression — each drawn
from its declaration (recipe types "correlation", "regression", "logistic")."""
import streamlit as st

from pages._ui import page, state

st.title(state.t("regression.page.title"))
st.header(state.t("regression.page.correlation"))
if page.analysis_page("correlation"):
    st.header(state.t("regression.page.regression"))
    page.analysis_page("regression")
    st.header(state.t("logistic.title"))
    page.analysis_page("logistic")
