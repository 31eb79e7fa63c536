"""Option → widget forms.  Widgets hold stable codes (variable names, choice
codes, level codes) and show translated text through ``format_func``; their
values are seeded from, and written back to, the recipe entry, so they survive
page changes and language switches.  Every option kind has its widget
(``Option.widget`` picks another: a text area, a toggle, a level, a count)."""
from __future__ import annotations

import streamlit as st

from core import i18n
from core.data.model import Dataset, json_code
from core.errors import UserError
from core.types import AnalysisSpec, Option
from pages._ui import state
from pages._ui.markdown import md_escape, styled, translated

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


def choice_label(spec: AnalysisSpec, opt: Option):
    lang = state.lang()

    def fmt(code) -> str:
        key = f"{spec.type}.choice.{opt.name}.{'none' if code is None else code}"
        return i18n.t(key, lang) if i18n.has(key) else i18n.t("forms.none", lang) if code is None else str(code)
    return fmt


def _seed(key: str, value) -> None:
    if key not in S:
        S[key] = value


def _levels(ds: Dataset, var: str) -> tuple[list, dict]:
    """A variable's level codes (as the recipe stores them) and their labels."""
    codes, labels = ds.levels(var)
    codes = [json_code(c) for c in codes]
    return codes, dict(zip(codes, labels))


def _chosen(entry: dict, names) -> list[str]:
    """The variables chosen in the options ``names`` of the entry (variables, variable or blocks)."""
    out = []
    for n in names:
        v = entry.get(n)
        for x in (v if isinstance(v, list) else [v]):
            for y in (x if isinstance(x, list) else [x]):
                if isinstance(y, str) and y not in out:
                    out.append(y)
    return out


def _predictors(spec: AnalysisSpec, ds: Dataset, entry: dict) -> list[str]:
    """What a block offers: scales, categorical, then numeric variables — never the outcome."""
    taken = {entry.get(o.name) for o in spec.options if o.kind == "variable"}
    out = []
    for role in ("scale", "categorical", "numeric"):
        out += [v for v in candidates(ds, role) if v not in out and v not in taken]
    return out


def widget(spec: AnalysisSpec, opt: Option, ds: Dataset, entry: dict, prefix: str, container=st,
           one: bool = False):
    """Draw one option's widget; returns its value and stores it in ``entry``.
    ``one``: a variables option picked one at a time (a list of one)."""
    # The language is part of the key: the browser keeps a widget's displayed
    # option text, so a new language needs a new widget (seeded from the recipe).
    key = f"{prefix}.{opt.name}.{state.lang()}"
    current = entry.get(opt.name, opt.default)
    label = translated(f"{spec.type}.opt.{opt.name}", state.lang())
    kind = opt.kind if opt.widget == "" else opt.widget
    if kind == "variables" and one:
        options = candidates(ds, opt.role)
        _seed(key, next((v for v in current or [] if v in options), options[0] if options else None))
        pick = container.selectbox(label, options, key=key, format_func=var_label(ds))
        value = [pick] if pick is not None else []
    elif kind == "variables":
        options = candidates(ds, opt.role)
        _seed(key, [v for v in (current or []) if v in options])
        value = container.multiselect(label, options, key=key, format_func=var_label(ds),
                                      placeholder=state.t("forms.choose"))
    elif kind == "variable":
        options = candidates(ds, opt.role)
        if opt.nullable or not opt.required:
            options = [None] + options
        _seed(key, current if current in options else options[0] if options else None)
        fmt = var_label(ds)
        none = state.t("forms.none")
        # placeholder: a None value shows as the placeholder, not through format_func (Streamlit's is English)
        value = container.selectbox(label, options, key=key, format_func=lambda v: none if v is None else fmt(v),
                                    placeholder=none)
    elif kind == "choice":
        options = ([None] if opt.nullable and None not in opt.choices else []) + list(opt.choices)
        _seed(key, current if current in options else options[0])
        value = container.selectbox(label, options, key=key, format_func=choice_label(spec, opt),
                                    placeholder=choice_label(spec, opt)(None))
    elif kind == "choices":
        options = list(opt.choices)
        _seed(key, [v for v in (current or []) if v in options])
        value = container.multiselect(label, options, key=key, format_func=choice_label(spec, opt),
                                      placeholder=state.t("forms.choose"))
    elif kind == "toggle":   # a bool, or a choice: on = its last choice, off = None (or its first)
        on = opt.choices[-1] if opt.kind == "choice" else True
        _seed(key, current == on)
        flag = container.toggle(label, key=key)
        value = flag if opt.kind == "bool" else on if flag else (None if opt.nullable else opt.choices[0])
    elif kind == "bool":
        _seed(key, bool(current))
        value = container.checkbox(label, key=key)
    elif kind in ("int", "float"):
        cast = int if kind == "int" else float
        _seed(key, cast(current) if current is not None else cast(opt.min or 0))
        value = container.number_input(label, key=key, min_value=None if opt.min is None else cast(opt.min),
                                       max_value=None if opt.max is None else cast(opt.max),
                                       step=1 if kind == "int" else 0.01)
    elif kind == "text":
        _seed(key, current or "")
        value = container.text_input(label, key=key)
    elif kind == "area":
        value = _area(opt, ds, current, key, label, container)
    elif kind == "pairs":
        value = _pairs(opt, ds, current or [], key, label, container)
    elif kind == "blocks":
        value = _blocks(_predictors(spec, ds, entry), ds, current or [], key, container)
    elif kind == "map":
        value = _reference_levels(spec, opt, ds, entry, current or {}, key, label, container)
    elif kind == "level":
        value = _level(ds, entry.get(opt.of[0]), current, key, label, container)
    elif kind == "count":
        value = _count(spec, opt, current, key, label, container)
    else:  # hidden: a custom section or the recipe sets it
        value = current
    entry[opt.name] = value
    return value


def _area(opt: Option, ds: Dataset, current, key: str, label: str, container) -> str:
    """Model text: the box starts from the suggestion while the option is at its default, and an
    unchanged suggestion stays the default (it follows the data)."""
    suggestion = opt.suggest(ds) if opt.suggest is not None else ""
    key = f"{key}.{hash(suggestion) & 0xffff}"
    _seed(key, current or suggestion)
    text = container.text_area(label, key=key, height=160, help=state.t("forms.model_help"))
    return opt.default if suggestion and text.strip() == suggestion.strip() else text


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


def _blocks(options: list[str], ds: Dataset, current: list, key: str, container) -> list[list[str]]:
    """Blocks of predictors entered in order: how many, then one picker per block."""
    _seed(f"{key}.n", max(1, len(current)))
    n = int(container.number_input(state.t("forms.n_blocks"), min_value=1, max_value=5, step=1, key=f"{key}.n",
                                   help=state.t("forms.blocks_help")))
    cols = container.columns(min(n, 3))
    chosen = []
    for i in range(n):
        _seed(f"{key}.{i}", [v for v in (current[i] if i < len(current) else []) if v in options])
        chosen.append(list(cols[i % len(cols)].multiselect(
            state.t("forms.block", i=i + 1), options, key=f"{key}.{i}", format_func=var_label(ds),
            placeholder=state.t("forms.choose"))))
    return [b for b in chosen if b]


def _reference_levels(spec: AnalysisSpec, opt: Option, ds: Dataset, entry: dict, current: dict, key: str,
                      label: str, container) -> dict:
    """{variable: reference level code} for the variables of ``opt.of`` taken as categorical (text
    variables always are; numeric ones with 2–20 levels, not scales, may be); the options ``applies`` leaves out
    are not offered."""
    live = spec.applies(spec.entry_options(entry)) if spec.applies else None
    offered = [v for n in opt.of if live is None or f"{opt.name}:{n}" in live for v in _chosen(entry, [n])
               if ds.has(v) and (not ds.is_numeric(v) or v not in ds.scales and 2 <= len(ds.levels(v)[0]) <= 20)]
    forced = [v for v in offered if not ds.is_numeric(v)]
    _seed(key, [v for v in offered if v in current or v in forced])
    S[key] = [v for v in S[key] if v in offered]
    if not offered:
        return {}
    picked = container.multiselect(label, offered, key=key, format_func=var_label(ds),
                                   placeholder=state.t("forms.choose"))
    cols = container.columns(min(len(picked), 4)) if picked else []
    out = {}
    for i, v in enumerate(picked):
        wanted = current.get(v)
        try:
            wanted = json_code(ds.resolve_level(v, wanted)) if wanted is not None else None
        except UserError:
            wanted = None
        ref = _level(ds, v, wanted, f"{key}.{v}", translated("forms.reference", state.lang(), name=ds.label(v)),
                     cols[i % len(cols)])
        if ref is not None:
            out[v] = ref
    return out


def _level(ds: Dataset, var, current, key: str, label: str, container):
    """One level code of ``var`` (its last level to start: the event of a logistic model)."""
    if not var or not ds.has(var):
        return None
    codes, labels = _levels(ds, var)
    if not codes:
        return None
    if key not in S or S[key] not in codes:
        S[key] = current if current in codes else codes[-1]
    return container.selectbox(label, codes, key=key, format_func=lambda c: labels.get(c, str(c)))


def _count(spec: AnalysisSpec, opt: Option, current, key: str, label: str, container):
    """One of the option's choices (a rule), or a whole number."""
    modes = (*opt.choices, "fixed")
    _seed(key, current if current in opt.choices else "fixed")
    mode = container.selectbox(label, modes, key=key, format_func=choice_label(spec, opt))
    if mode != "fixed":
        return mode
    _seed(f"{key}.n", int(current) if isinstance(current, int) else 2)
    return int(container.number_input(state.t(f"{spec.type}.opt.{opt.name}_count"), min_value=1, max_value=30, step=1, key=f"{key}.n"))


def applies(spec: AnalysisSpec, entry: dict, name: str, prefix: str) -> bool:
    """Whether an option applies under the entry's other choices (``AnalysisSpec.applies``).  One that
    does not is reset to its default in the entry — the recipe stays valid — and its value kept in the
    session, to come back when a choice that uses it is made again."""
    if spec.applies is None or name in spec.applies(spec.entry_options(entry)):
        if not entry.get(name) and S.get(f"{prefix}.{name}.kept"):
            entry[name] = S[f"{prefix}.{name}.kept"]
        return True
    if entry.get(name):
        S[f"{prefix}.{name}.kept"] = entry[name]
    entry[name] = spec.option(name).default
    return False


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
