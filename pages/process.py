"""Mediation and moderation (PROCESS): the model picker, variables and options, the conceptual
diagram, results in tabs and a plain-language reading; Baron–Kenny's causal steps and the hypothesis
summary beside it — each drawn from its declaration (recipe types "process", "mediation_steps",
"hypotheses")."""
import streamlit as st

from pages._ui import page, state

st.title(state.t("process.title"))
st.caption(state.t("process.page.intro"))
ctx = page.analysis_page("process")
if ctx:
    with st.expander(state.t("mediation_steps.title")):   # started from PROCESS's X, first M, Y and covariates
        page.analysis_page("mediation_steps", start={k: ctx.entry.get(k) for k in ("x", "y", "covariates")} |
                           {"m": (ctx.entry.get("m") or [None])[0]})
    with st.expander(state.t("hypotheses.title")):
        page.analysis_page("hypotheses")
