"""Variables page: scales from Likert items (reverse keys, range, missing
codes, scoring), demographics, global missing-value codes, answer codes
(the recode editor) and level order / merge / labels."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import recipe as recipes
from core.data import levels, recode, setup
from core.data.model import pick
from core.data.prepare import build_dataset, prepared
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
    """Names typed in a cell; column names holding commas (，) stay whole."""
    return setup.split_names(text, columns)


def _numbers(text) -> list[float]:
    out = []
    for p in setup.split_names(text, ()):
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


try:
    columns = list(prepared(raw, rec.get("prepare")).frame.columns)
except UserError as err:  # a loaded recipe that does not fit: its message, the file's own columns
    error(err)
    columns = list(raw.frame.columns)

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
    cols = columns
    demo_default = (prop or {}).get("demographics") or (rec.get("roles") or {}).get("demographics", [])
    demo = st.multiselect(t("vars.demographics"), cols, default=[d for d in demo_default if d in cols],
                          key=f"vars_demo_{bool(prop)}", placeholder=t("forms.choose"))
    mc_default = (prop or {}).get("missing_codes") if prop else rec["data"].get("missing_codes")
    mc_text = st.text_input(t("vars.missing_codes"), value=", ".join(str(m) for m in (mc_default or [])),
                            help=t("vars.help.missing_codes"), key=f"vars_mc_{bool(prop)}")
    submitted = st.form_submit_button(t("vars.apply"), type="primary")

if submitted:
    try:
        roles = {**(rec.get("roles") or {}), "demographics": demo}
        if prop:  # the proposal's preparation (names, codes, level orders) comes with its scales
            roles.update(paradata=prop["paradata"], **({"duration": prop["duration"]} if prop["duration"] else {}))
        new = {**rec, "scales": _scales_from(edited, rec["scales"]), "roles": roles,
               "prepare": prop["prepare"] if prop else rec.get("prepare"),
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



def _apply_prepare(new_prepare: dict, ok_key: str) -> None:
    """Store an edited preparation if the data still build with it."""
    try:
        new = recipes.validate({**rec, "prepare": new_prepare})
        build_dataset(raw, new)
    except UserError as err:
        S[ok_key + "_error"] = err
    else:
        S.pop(ok_key + "_error", None)
        state.set_data(raw, new)
        S[ok_key] = True
        st.rerun()


# ---- answer codes: the recode editor -------------------------------------------------------
st.subheader(t("prep.recode.title"))
st.caption(t("prep.recode.intro"))
renamed = raw.frame.rename(columns=rec["prepare"]["rename"])
groups = {", ".join(r["columns"]): r["columns"] for r in rec["prepare"]["recodes"]}
for c in renamed.columns:
    if not pd.api.types.is_numeric_dtype(renamed[c]) or renamed[c].nunique() <= 30:
        groups.setdefault(c, [c])
pick_group = st.selectbox(t("prep.recode.pick"), list(groups), key="recode_pick",
                          format_func=lambda g: g if len(g) <= 90 else g[:87] + "…")
if pick_group:
    cols_ = [c for c in groups[pick_group] if c in renamed.columns]
    current = next((r for r in rec["prepare"]["recodes"] if r["columns"] == groups[pick_group]), None)
    pooled = pd.concat([renamed[c] for c in cols_]) if cols_ else pd.Series(dtype=object)
    with st.form("recode_form"):
        rows = st.data_editor(pd.DataFrame(recode.editor_rows(pooled, current),
                                           columns=["value", "n", "code", "missing"]),
                              hide_index=True, disabled=["value", "n"],
                              key=f"recode_editor_{state.digest([pick_group, current])}",
                              column_config={
                                  "value": st.column_config.TextColumn(t("prep.recode.value")),
                                  "n": st.column_config.NumberColumn(t("col.n")),
                                  "code": st.column_config.TextColumn(t("prep.recode.code"),
                                                                      help=t("prep.recode.code_help")),
                                  "missing": st.column_config.CheckboxColumn(t("prep.recode.missing"))})
        if st.form_submit_button(t("prep.recode.apply"), type="primary"):
            try:
                new_rc = recode.from_editor(groups[pick_group], rows.to_dict("records"), current)
            except UserError as err:
                S["recode_ok_error"] = err
            else:
                _apply_prepare({**rec["prepare"], "recodes": recode.replace(rec["prepare"]["recodes"], new_rc)},
                               "recode_ok")
if S.get("recode_ok_error") is not None:
    error(S["recode_ok_error"])
    st.info(t("vars.kept"))
elif S.pop("recode_ok", False):
    st.success(t("prep.recode.applied"))

ds = state.dataset()

# ---- levels: order, merge, labels --------------------------------------------------------------
if ds is not None:
    st.subheader(t("prep.levels.title"))
    st.caption(t("prep.levels.intro"))
    demo_now = [d for d in (rec.get("roles") or {}).get("demographics", []) if ds.has(d)]
    others = [c for c in ds.variables if c not in demo_now and c not in ds.scales and ds.frame[c].nunique() <= 30]
    var = st.selectbox(t("prep.levels.pick"), demo_now + others, key="levels_pick",
                       format_func=lambda c: c if ds.label(c) == c else f"{c} — {ds.label(c)}")
    if var:
        codes, labels_ = ds.levels(var)
        counts = ds.frame[var].value_counts().to_dict()
        with st.form("levels_form"):
            lv_rows = st.data_editor(pd.DataFrame(levels.editor_rows(codes, labels_, counts),
                                                  columns=["position", "level", "label", "n", "merge_into"]),
                                     hide_index=True, disabled=["level", "n"],
                                     key=f"levels_editor_{var}_{state.digest([codes, labels_])}",
                                     column_config={
                                         "position": st.column_config.NumberColumn(t("prep.levels.position"),
                                                                                   min_value=1, step=1),
                                         "level": st.column_config.TextColumn(t("prep.levels.level")),
                                         "label": st.column_config.TextColumn(t("prep.levels.label")),
                                         "n": st.column_config.NumberColumn(t("col.n")),
                                         "merge_into": st.column_config.TextColumn(
                                             t("prep.levels.merge_into"), help=t("prep.levels.merge_help"))})
            if st.form_submit_button(t("prep.levels.apply"), type="primary"):
                try:
                    new_prep = levels.edit_prepare(rec["prepare"], var, lv_rows.to_dict("records"),
                                                   ds.is_numeric(var))
                except UserError as err:
                    S["levels_ok_error"] = err
                else:
                    _apply_prepare(new_prep, "levels_ok")
    if S.get("levels_ok_error") is not None:
        error(S["levels_ok_error"])
        st.info(t("vars.kept"))
    elif S.pop("levels_ok", False):
        st.success(t("prep.levels.applied"))

# ---- completion time: speeders (paradata offered to screening) ----------------------------------
duration = (rec.get("roles") or {}).get("duration")
if ds is not None and duration and ds.has(duration) and ds.is_numeric(duration):
    st.subheader(t("prep.speed.title"))
    cut = st.number_input(t("prep.speed.cutoff"), min_value=0.0, value=setup.speeder_cutoff(ds, duration),
                          step=5.0, key="speed_cutoff", help=t("prep.speed.help"))
    fast = setup.speeders(ds, duration, cut)
    st.caption(t("prep.speed.found", n=len(fast), seconds=f"{cut:g}", name=duration))
    if fast and st.button(t("prep.speed.exclude", n=len(fast)), key="speed_exclude"):
        entry = {"rows": fast, "reason": t("prep.speed.reason", seconds=f"{cut:g}")}
        state.set_data(raw, recipes.validate({**rec, "exclusions": (rec.get("exclusions") or []) + [entry]}))
        st.rerun()

if ds is not None and ds.scales:
    st.subheader(t("vars.scored"))
    rows = [{"scale": n, "items": len(s["items"]), "n": int(ds.frame[n].notna().sum()),
             "missing": int(ds.frame[n].isna().sum())} for n, s in ds.scales.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        "scale": t("vars.col.name"), "items": t("vars.col.items_n"), "n": t("col.n"), "missing": t("col.missing")})
    st.caption(t("vars.scored_note"))
