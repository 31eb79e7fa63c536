"""Data page: sample surveys, upload (csv/xlsx/xls/sav/dta), the proposal
(platform, answer codes, scales, demographics) to confirm, preview, recipe load."""
from __future__ import annotations

import streamlit as st

from core import i18n
from core import recipe as recipes
from core.data import io, samples, setup
from core.data.prepare import build_dataset, prepared
from core.errors import UserError
from pages._ui import forms, state
from pages._ui.render import error, md_escape, note_text, table

S = st.session_state
t = state.t

st.title(t("data.title"))
st.caption(t("data.intro"))

col_a, col_b = st.columns(2)
with col_a:
    st.subheader(t("data.samples"))
    choice = st.selectbox(t("data.sample_pick"), list(samples.SAMPLES), key=f"sample_pick_{state.lang()}",
                          format_func=lambda k, lang=state.lang(): i18n.t(f"data.sample.{k}", lang))
    if st.button(t("data.sample_load"), key="sample_load", icon=":material/dataset:"):
        state.load_sample(choice)
        S.pop("upload_bytes", None)
        st.rerun()


# The page's big objects (upload bytes, data) are named only inside functions: a page script's
# globals can outlive its session (a widget's format_func keeps them), and would keep the data.
def _upload_box() -> None:
    # No type filter: a wrong extension gets our own translated message, not the widget's English one.
    up = forms.uploader(t("data.upload_label"), "upload", t("data.upload_formats"),
                        help=t("data.upload_help", mb=io.MAX_UPLOAD_MB))
    if up is not None and S.get("upload_id") != up.file_id:
        S["upload_id"] = up.file_id
        S["upload_bytes"] = (up.name, up.getvalue())   # the uploaded bytes themselves (no copy)
        S.pop("upload_sheet", None)
        S.pop("upload_header_row", None)
        S["upload_dirty"] = True


with col_b:
    st.subheader(t("data.upload"))
    _upload_box()

def _read_upload() -> None:
    """Read the kept upload bytes; on success replace the data, else keep it."""
    name, content = S["upload_bytes"]
    try:
        raw = io.read_bytes(content, name, sheet=S.get("upload_sheet"), header_row=S.get("upload_header_row"))
    except UserError as err:
        S["upload_error"] = err
        return
    S.pop("upload_error", None)
    old = state.recipe()
    try:
        columns = set(prepared(raw, old["prepare"]).frame.columns)
    except UserError:
        columns = set()
    keep = bool(old["scales"]) and all(i in columns for s in old["scales"] for i in s["items"])
    where = {"path": name, "sheet": S.get("upload_sheet"), "header_row": S.get("upload_header_row")}
    if keep:  # a new wave of the same survey: keep every choice
        new = recipes.validate({**old, "data": {**old["data"], **where}})
        S["upload_info"] = "data.kept_recipe"
    else:
        new = setup.proposed_recipe(raw, {"data": where})
        S["upload_info"] = "data.proposed"
        S["show_proposal"] = True
    try:
        build_dataset(raw, new)
    except UserError as err:
        S["upload_error"] = err
        return
    state.set_data(raw, new)


if S.get("upload_bytes") and S.pop("upload_dirty", False):
    _read_upload()

def _upload_controls() -> None:
    """The kept upload's sheet choice, its error and the header-row control."""
    name, content = S["upload_bytes"]
    if name.lower().endswith((".xlsx", ".xls")):
        try:
            sheets = io.list_sheets(content, name)
        except UserError:
            sheets = []
        if len(sheets) > 1:
            sheet = st.selectbox(t("data.sheet"), sheets, key="sheet_pick",
                                 index=sheets.index(S["upload_sheet"]) if S.get("upload_sheet") in sheets else 0)
            if sheet != (S.get("upload_sheet") or sheets[0]):
                S["upload_sheet"] = sheet
                _read_upload()
    err = S.get("upload_error")
    if err is not None:
        error(err)
        st.info(t("data.previous_kept"))
        if err.key == "io.merged_header" or name.lower().endswith((".xlsx", ".xls")):
            # numbered as Excel numbers rows (1 = first), like the messages; io counts from 0
            suggest = str(err.kwargs.get("row", ""))
            start = min(int(suggest), 51) if suggest.isdigit() and int(suggest) >= 1 else 1
            hr = st.number_input(t("data.header_row"), min_value=1, max_value=51, value=start, key="header_row_pick")
            if st.button(t("data.header_row_apply"), key="header_row_apply"):
                S["upload_header_row"] = int(hr) - 1
                _read_upload()
                st.rerun()


if S.get("upload_bytes"):
    _upload_controls()

if S.get("upload_info") and S.get("upload_error") is None:
    st.success(t(S.pop("upload_info")))

rec_now = state.recipe()
if S.get("show_proposal") and S.get("upload_bytes"):
    # what was proposed, to confirm here or edit on the Variables page
    with st.expander(t("prep.proposal.title"), expanded=True, icon=":material/fact_check:"):
        for line in setup.proposal_summary(rec_now):
            st.markdown("- " + t(line[0], **line[1]))
        for rc in rec_now["prepare"]["recodes"]:
            if rc["map"] and all(isinstance(v, (int, float)) for v in rc["map"].values()):
                st.caption(md_escape(", ".join(rc["columns"])))
                st.dataframe(setup.recode_preview(rc), hide_index=True, width="stretch",
                             column_config={"code": t("prep.recode.code"), "answer": t("prep.recode.value")},
                             key=f"preview_{rc['columns'][0]}")
        c1, c2 = st.columns(2)
        if c1.button(t("prep.proposal.confirm"), key="proposal_confirm", type="primary", icon=":material/check:"):
            S.pop("show_proposal", None)
            st.rerun()
        if c2.button(t("prep.proposal.edit"), key="proposal_edit", icon=":material/edit:"):
            S.pop("show_proposal", None)
            st.switch_page("pages/variables.py")

with st.expander(t("data.recipe_load"), icon=":material/restore:"):
    # 2 MB: no larger recipe is read (recipes.MAX_BYTES, 2,000,000 bytes); the server never holds more.
    # No type filter either: a file that is no recipe gets the translated "not a valid recipe".
    rf = forms.uploader(t("data.recipe_label"), "recipe_upload", t("data.recipe_formats"), max_mb=2)
    if rf is not None and S.get("recipe_id") != rf.file_id:
        S["recipe_id"] = rf.file_id
        try:
            loaded = recipes.from_json(rf.getvalue())
            build_dataset(state.raw(), loaded)
        except UserError as err:
            S["recipe_error"] = err
        else:
            S.pop("recipe_error", None)
            ui = loaded.get("ui") or {}
            state.set_data(state.raw(), {**loaded, "ui": {**ui, "sample": state.recipe()["ui"].get("sample")}})
            for k in [k for k in S if str(k).startswith("opt.")]:
                del S[k]  # widgets re-seed from the loaded recipe
            S["recipe_ok"] = True
    if S.get("recipe_error") is not None:
        error(S["recipe_error"])
        st.info(t("data.previous_kept"))
    elif S.pop("recipe_ok", False):
        st.success(t("data.recipe_loaded"))


def _preview() -> None:
    raw = state.raw()
    st.subheader(t("data.preview", name=md_escape(raw.source.get("name", ""))))
    if raw.source.get("synthetic"):
        st.info(t("data.synthetic_note"))
    for w in raw.warnings:
        st.warning(note_text(w, state.lang()))
    st.dataframe(raw.frame.head(50), width="stretch", key="preview")
    st.caption(t("data.shape", rows=len(raw.frame), cols=raw.frame.shape[1]))
    st.subheader(t("data.variables"))
    table(setup.variable_table(raw, state.lang()), None, "data", key="var_table")


_preview()
