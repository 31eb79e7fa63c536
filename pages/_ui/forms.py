"""Option → widget forms.  Widgets hold stable codes (variable names, choice
codes) and show translated text through ``format_func``; their values are
seeded from, and written back to, the recipe entry, so they survive page
changes and language switches."""
from __future__ import annotations

import streamlit as st

from core import i18n
from core.data.model import Dataset
from core.types import AnalysisSpec, Option
from pages._ui import state
from pages._ui.markdown import md_escape, styled

S = st.session_state


def candidates(ds: Dataset, role: str) -> list[str]:
    """Variables an option of this role offers, scales first."""
    r = state.recipe()
    scales = list(ds.scales)
    numeric = [c for c in ds.variables if ds.is_numeric(c)]
    items = {i for s in ds.scales.values() for i in s["items"]}
    if role == "scale":
        return scales
    if role == "item":
        return [c for c in numeric if c in items]
    if role == "numeric":
        return scales + [c for c in numeric if c not in scales]
    if role == "categorical":
        demo = [d for d in (r.get("roles") or {}).get("demographics", []) if ds.has(d)]
        rest = [c for c in ds.variables if c not in demo and c not in scales and c not in items
                and 2 <= ds.frame[c].nunique(dropna=True) <= 20]
        return demo + rest
    return scales + [c for c in ds.variables if c not in scales]


def var_label(ds: Dataset):
    def fmt(name: str) -> str:
        lab = ds.label(name)
        return name if lab == name else f"{name} · {lab}"
    return fmt


def opt_label(spec: AnalysisSpec, opt: Option) -> str:
    return state.t(f"{spec.type}.opt.{opt.name}")


def choice_label(spec: AnalysisSpec, opt: Option):
    lang = state.lang()

    def fmt(code) -> str:
        key = f"{spec.type}.choice.{opt.name}.{code}"
        return i18n.t(key, lang) if i18n.has(key) else str(code)
    return fmt


def _seed(key: str, value) -> None:
    if key not in S:
        S[key] = value


def widget(spec: AnalysisSpec, opt: Option, ds: Dataset, entry: dict, prefix: str, container=st):
    """Draw one option's widget; returns its value and stores it in ``entry``."""
    # The language is part of the key: the browser keeps a widget's displayed
    # option text, so a new language needs a new widget (seeded from the recipe).
    key = f"{prefix}.{opt.name}.{state.lang()}"
    current = entry.get(opt.name, opt.default)
    label = opt_label(spec, opt)
    if opt.kind == "variables":
        options = candidates(ds, opt.role)
        _seed(key, [v for v in (current or []) if v in options])
        value = container.multiselect(label, options, key=key, format_func=var_label(ds),
                                      placeholder=state.t("forms.choose"))
    elif opt.kind == "variable":
        options = candidates(ds, opt.role)
        if opt.nullable or not opt.required:
            options = [None] + options
        _seed(key, current if current in options else options[0] if options else None)
        fmt = var_label(ds)
        none = state.t("forms.none")
        value = container.selectbox(label, options, key=key, format_func=lambda v: none if v is None else fmt(v))
    elif opt.kind == "choice":
        options = list(opt.choices)
        _seed(key, current if current in options else options[0])
        value = container.selectbox(label, options, key=key, format_func=choice_label(spec, opt))
    elif opt.kind == "choices":
        options = list(opt.choices)
        _seed(key, [v for v in (current or []) if v in options])
        value = container.multiselect(label, options, key=key, format_func=choice_label(spec, opt),
                                      placeholder=state.t("forms.choose"))
    elif opt.kind == "bool":
        _seed(key, bool(current))
        value = container.checkbox(label, key=key)
    elif opt.kind in ("int", "float"):
        cast = int if opt.kind == "int" else float
        _seed(key, cast(current) if current is not None else cast(opt.min or 0))
        value = container.number_input(label, key=key, min_value=None if opt.min is None else cast(opt.min),
                                       max_value=None if opt.max is None else cast(opt.max),
                                       step=1 if opt.kind == "int" else 0.01)
    elif opt.kind == "text":
        _seed(key, current or "")
        value = container.text_input(label, key=key)
    elif opt.kind == "pairs":
        value = _pairs(opt, ds, current or [], key, label, container)
    else:  # map / blocks / json: pages draw their own widgets
        value = current
    entry[opt.name] = value
    return value


def _pairs(opt: Option, ds: Dataset, current: list, key: str, label: str, container) -> list[list[str]]:
    """Pairs [[a, b], …] as two lists matched by position: the k-th first
    measure is paired with the k-th second measure."""
    options = candidates(ds, opt.role)
    pairs = [p for p in current if p[0] in options and p[1] in options]
    left, right = container.columns(2)
    _seed(f"{key}.a", [p[0] for p in pairs])
    _seed(f"{key}.b", [p[1] for p in pairs])
    fmt = var_label(ds)
    first = left.multiselect(f"{label} · {state.t('forms.pair_a')}", options, key=f"{key}.a", format_func=fmt,
                             placeholder=state.t("forms.choose"))
    second = right.multiselect(f"{label} · {state.t('forms.pair_b')}", options, key=f"{key}.b", format_func=fmt,
                               placeholder=state.t("forms.choose"))
    value = [[a, b] for a, b in zip(first, second)]
    if value:
        container.caption(md_escape(state.t("forms.pairs_formed", pairs="; ".join(
            f"{ds.label(a)} − {ds.label(b)}" for a, b in value))))
    if len(first) != len(second):
        container.caption(state.t("forms.pairs_unmatched", n=abs(len(first) - len(second))))
    return value


def form(spec: AnalysisSpec, ds: Dataset, entry: dict, only: list[str] | None = None, container=st) -> dict:
    """Widgets for every option (or ``only`` those), values written to ``entry``."""
    prefix = f"opt.{entry['id']}"
    for opt in spec.options:
        if only is not None and opt.name not in only:
            continue
        widget(spec, opt, ds, entry, prefix, container)
    return options(spec, entry)


def options(spec: AnalysisSpec, entry: dict) -> dict:
    """The analysis' options as chosen in ``entry`` (declared defaults for the rest)."""
    return spec.entry_options(entry)


# Streamlit 1.67 has no locale setting for its uploader, so its own texts (button, stated limit, the hint
# while a file is dragged over it, the error of a file it refused) are replaced in the page by catalogue
# texts: each original is shrunk to nothing and the translation shown in its place.  .euud7oh2 is the
# drag hint's element (no test id); tests/e2e/test_first_contact.py checks every text in a browser.
UPLOADER_CSS = """<style>
.st-key-{key} [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"] span,
.st-key-{key} [data-testid="stFileUploaderDropzone"] .euud7oh2,
.st-key-{key} [data-testid="stFileChip"] [role="alert"],
[data-testid="stTooltipErrorContent"] {{ font-size: 0; }}
.st-key-{key} [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {{ content: {button}; font-size: 0.875rem; }}
.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {limit}; font-size: 0.875rem; }}
.st-key-{key} [data-testid="stFileUploaderDropzone"] .euud7oh2::after {{ content: {drop}; font-size: 1rem; }}
.st-key-{key} [data-testid="stFileChip"] [role="alert"]::after,
[data-testid="stTooltipErrorContent"]::after {{ content: {failed}; font-size: 0.875rem; }}
</style>"""


def uploader(label: str, key: str, formats: str, max_mb: int | None = None, help: str | None = None):
    """st.file_uploader (one file, no type filter: a wrong file gets the reader's
    translated message) whose own texts show in the session's language.  The
    limit it states is the one it enforces: ``max_mb``, else the server's
    ``maxUploadSize`` (.streamlit/config.toml, the importer's own limit)."""
    t = state.t
    limit = max_mb or st.get_option("server.maxUploadSize")
    st.html(styled(UPLOADER_CSS, key, button=t("upload.button"), limit=t("upload.limit", formats=formats, mb=limit),
                   drop=t("upload.drop"), failed=t("upload.failed")))
    return st.file_uploader(label, key=key, help=help, max_upload_size=max_mb)
