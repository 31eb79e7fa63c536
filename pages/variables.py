"""Variables page: scales from Likert items (reverse keys, range, missing
codes, scoring), demographics, global missing-value codes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import recipe as recipes
from core.data import setup
from core.data.model import pick
from core.data.prepare import build_dataset
from core.errors import UserError
from pages._ui import state
from pages._ui.render import error

S = st.session_state
t = state.t
raw = state.raw()
rec = state.recipe()
lang = state.lang()

st.title(t("vars.title"))
st.caption(t("vars.intro"))


def _split(text) -> list[str]:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return []
    return [p.strip() for p in str(text).replace("，", ",").split(",") if p.strip()]


def _numbers(text) -> list[float]:
    out = []
    for p in _split(text):
        try:
            v = float(p)
        except ValueError:
            raise UserError("vars.error.bad_number", value=p) from None
        out.append(int(v) if v.is_integer() else v)
    return out


def _editor_frame(scales: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "name": s["name"], "label": pick(s.get("label"), lang) or "", "items": ", ".join(s["items"]),
        "reverse": ", ".join(s.get("reverse", [])), "min": s["min"], "max": s["max"], "score": s.get("score", "mean"),
        "min_items": s.get("min_items", len(s["items"])), "missing": ", ".join(str(m) for m in s.get("missing", [])),
    } for s in scales], columns=["name", "label", "items", "reverse", "min", "max", "score", "min_items", "missing"])


def _scales_from(df: pd.DataFrame, old: list[dict]) -> list[dict]:
    old_labels = {s["name"]: s.get("label") for s in old}
    out = []
    for row in df.to_dict("records"):
        if not str(row.get("name") or "").strip():
            continue
        items = _split(row.get("items"))
        name = str(row["name"]).strip()
        label = str(row.get("label") or "").strip()
        prev = old_labels.get(name)
        if isinstance(prev, dict) and label == pick(prev, lang):
            label = prev  # keep both languages of a codebook label
        mi = row.get("min_items")
        sc = {"name": name, "items": items, "reverse": _split(row.get("reverse")),
              "min": row.get("min"), "max": row.get("max"), "score": row.get("score") or "mean",
              "min_items": int(mi) if mi is not None and not pd.isna(mi) else len(items),
              "missing": _numbers(row.get("missing"))}
        if label:
            sc["label"] = label
        out.append(recipes.validate_scale(sc))
    return out


if st.button(t("vars.propose"), key="vars_propose", icon=":material/auto_fix_high:"):
    prop = setup.propose(raw, rec["data"].get("missing_codes") or [])
    S["vars_proposal"] = prop

prop = S.get("vars_proposal")
start = prop["scales"] if prop else rec["scales"]

with st.form("scales_form"):
    st.subheader(t("vars.scales"))
    edited = st.data_editor(
        _editor_frame(start), num_rows="dynamic", hide_index=True, key=f"scales_editor_{bool(prop)}",
        column_config={
            "name": st.column_config.TextColumn(t("vars.col.name"), required=True),
            "label": st.column_config.TextColumn(t("vars.col.label")),
            "items": st.column_config.TextColumn(t("vars.col.items"), help=t("vars.help.items"), width="large"),
            "reverse": st.column_config.TextColumn(t("vars.col.reverse"), help=t("vars.help.reverse")),
            "min": st.column_config.NumberColumn(t("vars.col.min")),
            "max": st.column_config.NumberColumn(t("vars.col.max")),
            "score": st.column_config.SelectboxColumn(t("vars.col.score"), options=["mean", "sum"],
                                                      format_func=lambda s: t(f"vars.score.{s}")),
            "min_items": st.column_config.NumberColumn(t("vars.col.min_items"), help=t("vars.help.min_items"),
                                                       min_value=1, step=1),
            "missing": st.column_config.TextColumn(t("vars.col.missing"), help=t("vars.help.missing")),
        })
    st.subheader(t("vars.roles"))
    cols = list(raw.frame.columns)
    demo_default = (prop or {}).get("demographics") or (rec.get("roles") or {}).get("demographics", [])
    demo = st.multiselect(t("vars.demographics"), cols, default=[d for d in demo_default if d in cols],
                          key=f"vars_demo_{bool(prop)}", placeholder=t("forms.choose"))
    mc_default = (prop or {}).get("missing_codes") if prop else rec["data"].get("missing_codes")
    mc_text = st.text_input(t("vars.missing_codes"), value=", ".join(str(m) for m in (mc_default or [])),
                            help=t("vars.help.missing_codes"), key=f"vars_mc_{bool(prop)}")
    submitted = st.form_submit_button(t("vars.apply"), type="primary")

if submitted:
    try:
        new = {**rec, "scales": _scales_from(edited, rec["scales"]),
               "roles": {**(rec.get("roles") or {}), "demographics": demo},
               "data": {**rec["data"], "missing_codes": _numbers(mc_text)}}
        new = recipes.validate(new)
        build_dataset(raw, new)
    except UserError as err:
        S["vars_error"] = err
    else:
        S.pop("vars_error", None)
        S.pop("vars_proposal", None)
        state.set_data(raw, new)
        S["vars_ok"] = True
        st.rerun()

if S.get("vars_error") is not None:
    error(S["vars_error"])
    st.info(t("vars.kept"))
elif S.pop("vars_ok", False):
    st.success(t("vars.applied"))
elif prop:
    st.info(t("vars.proposal_shown"))

ds = state.dataset()
if ds is not None and ds.scales:
    st.subheader(t("vars.scored"))
    rows = [{"scale": n, "items": len(s["items"]), "n": int(ds.frame[n].notna().sum()),
             "missing": int(ds.frame[n].isna().sum())} for n, s in ds.scales.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        "scale": t("vars.col.name"), "items": t("vars.col.items_n"), "n": t("col.n"), "missing": t("col.missing")})
    st.caption(t("vars.scored_note"))
