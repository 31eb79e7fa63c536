"""Report items resolved against results: the blocks every writer draws.

:func:`build` turns the recipe's report items (or, when there are none, every
table, chart and interpretation paragraph of every analysis) into a
:class:`Document` of blocks.  Everything here is generic over the registry:
tables are drawn from ``AnalysisSpec.tables`` (column kinds decide the
formatting), charts from ``spec.charts``, text from ``spec.interpret``, the
method footnote from ``Result.notes``.  Writers (docx, xlsx, html, pptx) only
lay blocks out.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from core import registry
from core.errors import UserError
from core import format as fmt
from core.format import STAR_SCHEMES, TEXT_KINDS, column_title
from core.i18n import t
from core.report import model
from core.types import AnalysisSpec, Column, Result, TableSpec

log = logging.getLogger("pressure_explorer.report")


# ---- blocks ------------------------------------------------------------------
@dataclass
class ColumnInfo:
    name: str
    title: str
    kind: str     # a core.types.COLUMN_KINDS kind
    codes: str = ""   # catalogue prefix of a code column
    of: str = ""      # a level column: the column naming its variable

    @property
    def column(self) -> Column:
        return Column(self.name, self.kind, codes=self.codes, of=self.of)


@dataclass
class SectionBlock:
    title: str
    kind: str = "section"


@dataclass
class TextBlock:
    text: str
    analysis: str | None = None
    kind: str = "text"


@dataclass
class TableBlock:
    analysis: str
    type: str
    name: str
    title: str
    frame: pd.DataFrame            # raw numbers (after small-cell suppression)
    columns: list[ColumnInfo]
    notes: list[str]               # method footnote of the analysis, plain text, in the report language
    star_note: str | None          # legend of the star scheme when the table has p values
    stars: str = "apa"
    digits: int = 3
    number: int = 0                # "Table n"
    lang: str = "en"
    own_notes: list[str] = field(default_factory=list)   # notes of this table only (view, suppression)
    kind: str = "table"
    labels: dict = field(default_factory=dict)   # variable name → label, for var and code columns

    def cell_text(self, value, col: ColumnInfo, with_stars: bool = True) -> str:
        """The cell as text (Word, HTML, slides), through the one formatter."""
        return fmt.cell(value, col.column, self.lang, self.digits, self.stars if with_stars else None, self.labels)

    def cell_value(self, value, col: ColumnInfo):
        """The cell for a workbook or a CSV: numbers stay numbers, codes in words."""
        return fmt.value(value, col.column, self.lang, self.labels)

    def footnote_lines(self, method: bool = True) -> list[str]:
        """The method footnote (unless ``method`` is False: it was told under
        an earlier table of the same analysis), the table's own notes and the
        star legend, each a finished sentence without a "Note." label."""
        lines = (self.notes if method else []) + self.own_notes
        if self.star_note and not any(self.star_note in x for x in lines):   # a view's note may have the legend
            lines.append(self.star_note)
        label = t("report.note_label", self.lang)
        return [sentence(x.strip().removeprefix(label).strip(), self.lang) for x in lines if x and x.strip()]

    def footnote(self, method: bool = True) -> str:
        """The whole note under the table (without the "Note." label)."""
        return ("" if self.lang == "zh" else " ").join(self.footnote_lines(method))


@dataclass
class ChartBlock:
    analysis: str
    type: str
    name: str
    title: str
    chart: dict                    # the Vega-Lite spec (pages draw it with st.vega_lite_chart)
    number: int = 0                # "Figure n"
    kind: str = "chart"
    _png: bytes | None = field(default=None, repr=False)
    _svg: str | None = field(default=None, repr=False)

    def svg(self) -> str:
        """The figure for a report: without its title, which the caption carries."""
        from core.report import images

        if self._svg is None:
            self._svg = images.to_svg(self.chart, title=False)
        return self._svg

    def png(self, scale: float = 2.0) -> bytes:
        """PNG rasterised from the (cached) SVG, so each chart is laid out once."""
        from core.report import images

        if scale != 2.0:
            return images.svg_to_png(self.svg(), scale)
        if self._png is None:
            self._png = images.svg_to_png(self.svg(), scale)
        return self._png


@dataclass
class FindingsBlock:
    findings: list                 # list[KeyFinding]
    kind: str = "findings"


@dataclass
class MissingBlock:
    """An item whose analysis failed or no longer exists: said plainly."""
    text: str
    kind: str = "missing"


@dataclass
class Document:
    title: str
    lang: str
    settings: dict
    blocks: list
    subtitle: list[str]            # data file, N, date
    date: str = ""

    @property
    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]

    @property
    def charts(self) -> list[ChartBlock]:
        return [b for b in self.blocks if isinstance(b, ChartBlock)]

    @property
    def missing(self) -> list[str]:
        """What could not be included (a pin whose analysis is gone or failed)."""
        return [b.text for b in self.blocks if isinstance(b, MissingBlock)]

    def exported(self) -> Document:
        """The document as files get it: what could not be included is said on
        the Report page and on the command line, never written into a file."""
        if not self.missing:
            return self
        return replace(self, blocks=[b for b in self.blocks if not isinstance(b, MissingBlock)])


# ---- formatting --------------------------------------------------------------
def sentence(text: str, lang: str) -> str:
    """``text`` ending with a full stop of the language (unless it has one)."""
    text = str(text).strip()
    if not text or text[-1] in ".。!！?？:：;；”\"":
        return text
    return text + ("。" if lang == "zh" else ".")


def column_kinds(df: pd.DataFrame, tspec: TableSpec | None) -> dict[str, str]:
    return {c.name: c.kind for c in fmt.columns_of(df, tspec)}


# ---- small cells ---------------------------------------------------------------
def suppress_small(df: pd.DataFrame, k: int, kinds: dict[str, str] | None = None) -> tuple[pd.DataFrame, int]:
    """Blank every statistic of rows whose ``n`` is below ``k``.

    Applies to tables with an ``n`` column (one row per group, level or
    variable).  Text columns (group names) stay; every numeric cell of the
    row, ``n`` included, becomes missing.  Returns (copy, rows suppressed).
    """
    if "n" not in df.columns or k <= 1:
        return df, 0
    n = pd.to_numeric(df["n"], errors="coerce")
    mask = (n < k).to_numpy()
    if not mask.any():
        return df, 0
    kinds = kinds or column_kinds(df, None)
    out = df.copy()
    for col in out.columns:
        if kinds.get(col, "text") in TEXT_KINDS and col != "n":
            continue
        if not (pd.api.types.is_numeric_dtype(out[col]) or col == "n"):
            continue
        out[col] = out[col].astype("float64")
        out.loc[mask, col] = np.nan
    return out, int(mask.sum())


def suppress_result(res: Result, spec: AnalysisSpec, k: int) -> tuple[Result, dict[str, int]]:
    """A copy of ``res`` with small groups suppressed in every table."""
    tables, counts = {}, {}
    for name, df in res.tables.items():
        tables[name], counts[name] = suppress_small(df, k, column_kinds(df, spec.columns_spec(name)))
    _suppress_pairs(res, spec, tables, counts)
    if not any(counts.values()):
        return res, counts
    return replace(res, tables=tables), counts


def _suppress_pairs(res: Result, spec: AnalysisSpec, tables: dict, counts: dict) -> None:
    """Pairwise rows (post-hoc comparisons: ``level_a`` vs ``level_b`` of a
    ``group``) that involve a suppressed group would still tell its standing
    ("tiny > big, p < .001"): their statistics are blanked too."""
    small = set()
    for name, df in tables.items():
        if counts.get(name) and {"group", "level", "n"} <= set(df.columns):
            gone = df["n"].isna().to_numpy() & pd.to_numeric(res.tables[name]["n"], errors="coerce").notna().to_numpy()
            small |= set(zip(df.loc[gone, "group"], df.loc[gone, "level"]))
    if not small:
        return
    for name, df in tables.items():
        if "n" in df.columns or not {"group", "level_a", "level_b"} <= set(df.columns):
            continue
        mask = np.array([(g, a) in small or (g, b) in small
                         for g, a, b in zip(df["group"], df["level_a"], df["level_b"])], dtype=bool)
        if not mask.any():
            continue
        kinds = column_kinds(df, spec.columns_spec(name))
        out = df.copy()
        for col in out.columns:
            if kinds.get(col, "text") not in TEXT_KINDS and pd.api.types.is_numeric_dtype(out[col]):
                out[col] = out[col].astype("float64")
                out.loc[mask, col] = np.nan
        tables[name], counts[name] = out, int(mask.sum())


# ---- footnotes -------------------------------------------------------------------
def n_note(res: Result, dataset, lang: str) -> str:
    total = len(dataset.frame) if dataset is not None else None
    text = t("report.note.n_used", lang, n=int(res.n_used))
    if total is not None and total > res.n_used:
        text += " " + t("report.note.n_left_out", lang, m=int(total - res.n_used), total=total)
    excluded = getattr(dataset, "excluded", None) or {}
    n_ex = sum(int(v) for v in excluded.values())
    if n_ex:
        reasons = "; ".join(f"{k} ({v})" for k, v in excluded.items())
        text += " " + t("report.note.excluded", lang, k=n_ex, reasons=reasons)
    return text


def method_notes(res: Result, dataset, lang: str) -> list[str]:
    # a lone table handed over by a page (no whole result) has no N to report
    lines = [] if res.meta.get("table_only") else [n_note(res, dataset, lang)]
    for note in res.notes:
        try:
            lines.append(note.text(lang, dataset))
        except (KeyError, IndexError, ValueError) as exc:  # a malformed note must not break a report
            log.warning("note %s: %s", note.key, exc)
            lines.append(note.key)
    return lines


# ---- building --------------------------------------------------------------------
def analysis_title(entry: dict, lang: str) -> str:
    title = entry.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if entry.get("type") == "process" and isinstance(entry.get("model"), int):   # models 4, 1, 14 side by side
        return t("process.title_model", lang, model=entry["model"])
    return t(f"{entry['type']}.title", lang)


class _Session:
    """Results of one session, with charts and paragraphs computed once."""

    def __init__(self, recipe: dict, dataset, results: dict, lang: str, opts: dict, charts=None):
        self.recipe, self.dataset, self.results, self.lang, self.opts = recipe, dataset, results, lang, opts
        self.provider = charts
        self.entries = {a["id"]: a for a in recipe.get("analyses") or []}
        self._shown: dict = {}
        self._charts: dict = {}
        self._made: dict = {}        # (analysis id, name) → a chart made on demand
        self._paras: dict = {}
        types = [a["type"] for a in model.distinct(list(self.entries.values()))]   # a pinned snapshot is no repeat
        self.repeated = {x for x in types if types.count(x) > 1}

    def spec(self, aid: str) -> AnalysisSpec | None:
        entry = self.entries.get(aid)
        if entry is None:
            return None
        try:
            return registry.get(entry["type"])
        except UserError:
            return None

    def result(self, aid: str):
        return self.results.get(aid)

    def options(self, aid: str) -> dict:
        """The analysis' options as its recipe entry sets them (display options included)."""
        spec = self.spec(aid)
        return spec.entry_options(self.entries.get(aid)) if spec else {}

    def shown(self, aid: str) -> tuple[Result, dict[str, int]]:
        """The result as reports show it (small groups suppressed if asked)."""
        if aid not in self._shown:
            res, spec = self.results[aid], self.spec(aid)
            if self.opts["small_cells"] and spec is not None:
                self._shown[aid] = suppress_result(res, spec, self.opts["min_cell"])
            else:
                self._shown[aid] = (res, {})
        return self._shown[aid]

    def charts(self, aid: str) -> dict:
        if aid not in self._charts:
            spec, out = self.spec(aid), {}
            res = self.results.get(aid)
            if spec is not None and spec.charts and isinstance(res, Result) and self.dataset is not None:
                try:
                    shown, counts = self.shown(aid)
                    if self.provider is not None and not any(counts.values()):
                        out = dict(self.provider(aid))   # the page's cached chart specs
                    else:
                        out = dict(spec.charts(shown, self.dataset, self.lang, self.options(aid)))
                    # Vega-Lite dicts from here on (serialised once, without re-validation)
                    out = {k: c if isinstance(c, dict) else c.to_dict(validate=False) for k, c in out.items()}
                except Exception as exc:  # a chart that cannot be drawn is left out, the report goes on
                    log.warning("charts of %s failed: %s: %s", aid, type(exc).__name__, exc)
            self._charts[aid] = out
        return self._charts[aid]

    def chart(self, aid: str, name: str):
        """One chart of an analysis by name: from its charts, or made on
        demand (``AnalysisSpec.chart``: a finding's own chart), as a
        Vega-Lite dict; None when there is none."""
        found = self.charts(aid).get(name)
        spec, res = self.spec(aid), self.results.get(aid)
        if found is not None or spec is None or spec.chart is None or not isinstance(res, Result) \
                or self.dataset is None:
            return found
        key = (aid, name)
        if key not in self._made:
            try:
                made = spec.chart(self.shown(aid)[0], self.dataset, self.lang, name)
                self._made[key] = made if made is None or isinstance(made, dict) else made.to_dict(validate=False)
            except Exception as exc:  # a chart that cannot be drawn is left out, the report goes on
                log.warning("chart %s of %s failed: %s: %s", name, aid, type(exc).__name__, exc)
                self._made[key] = None
        return self._made[key]

    def paragraphs(self, aid: str) -> list[str]:
        if aid not in self._paras:
            spec, out = self.spec(aid), []
            res = self.results.get(aid)
            if spec is not None and spec.interpret and isinstance(res, Result) and self.dataset is not None:
                try:
                    out = list(spec.interpret(self.shown(aid)[0], self.dataset, self.lang))
                except Exception as exc:
                    log.warning("interpretation of %s failed: %s: %s", aid, type(exc).__name__, exc)
            self._paras[aid] = out
        return self._paras[aid]

    def prefix(self, aid: str) -> str:
        entry = self.entries[aid]
        if entry.get("title") or entry["type"] in self.repeated:
            return analysis_title(entry, self.lang) + ("：" if self.lang == "zh" else ": ")
        return ""


# The default report (nothing pinned): a results chapter in thesis order, each
# analysis with its thesis tables, the charts a thesis shows and its
# interpretation; long detail tables (all post-hoc pairs, every test, item
# statistics, predicted values) stay in the app and the Excel workbook.
CHAPTER = ("sample", "measurement", "descriptives", "differences", "regression", "mediation", "moderation",
           "moderated_mediation", "other")
THESIS_TABLES = {
    "describe": {"sample": ("frequencies",), "descriptives": ("describe",)},
    "reliability": {"measurement": ("alpha",)},
    "efa": {"measurement": ("kmo", "bartlett", "loading_matrix", "variance")},
    "cfa": {"measurement": ("fit", "loadings", "validity", "fornell_larcker_matrix")},
    "correlation": {"descriptives": ("triangle",)},
    "difference": {"differences": ("thesis:*", "factorial")},   # "view:*": the view made per value of its option
    "crosstab": {"differences": ("chi2",)},
    "regression": {"regression": ("steps", "coefficients")},
    "sem": {"regression": ("fit", "paths", "r2")},
    "process": {"mediation": ("models", "effects"),
                "moderation": ("coefficients", "interaction_tests", "conditional_effects", "johnson_neyman"),
                "moderated_mediation": ("coefficients", "effects", "index_moderated_mediation")},
}
THESIS_CHARTS = {"regression": ("forest",), "process": ("diagram", "slopes_"), "cfa": ("diagram",),
                 "sem": ("diagram",)}   # chart names (prefixes): the figures a thesis shows
MEDIATION_MODELS, MODERATION_MODELS = {4, 6, 80, 81, 82}, {1, 2, 3}
CHAPTER_PARAGRAPHS = 8   # interpretation paragraphs of one analysis in the chapter (all of them are in the app)


def chapter_section(entry: dict, part: str) -> str:
    """The section of the chapter an analysis' tables go to."""
    if entry.get("type") == "process":
        model_no = entry.get("model", 4)
        return "mediation" if model_no in MEDIATION_MODELS else "moderation" if model_no in MODERATION_MODELS \
            else "moderated_mediation"
    return part


def default_items(recipe: dict, dataset, results: dict, lang: str = "en") -> list[dict]:
    """The default report: key findings, then a results chapter in thesis
    order (see :data:`THESIS_TABLES`)."""
    sess = _Session(recipe, dataset, results, lang, model.settings(recipe))
    return _default_items(sess)


def _every_item(sess: _Session) -> list[dict]:
    """Every table, chart and interpretation paragraph of every analysis,
    after the key findings (the Excel workbook's default)."""
    items: list[dict] = [{"kind": "findings"}]
    for entry in model.distinct(list(sess.entries.values())):
        aid = entry["id"]
        items.append({"kind": "section", "title": analysis_title(entry, sess.lang)})
        res, spec = sess.result(aid), sess.spec(aid)
        if spec is None or not isinstance(res, Result):
            items.append({"kind": "table", "analysis": aid, "table": spec.tables[0].name if spec else ""})
            continue
        items += [{"kind": "table", "analysis": aid, "table": ts.name} for ts in spec.tables
                  if res.tables.get(ts.name) is not None and not res.tables[ts.name].empty]
        items += [{"kind": "chart", "analysis": aid, "chart": name} for name in sess.charts(aid)]
        items += [{"kind": "text", "analysis": aid, "paragraph": i} for i, _ in enumerate(sess.paragraphs(aid))]
    return items


def _expand(spec: AnalysisSpec, entry: dict, names) -> list[str]:
    """Table names with each "view:*" made one name per value of the view's
    option ("thesis:*" → "thesis:gender", "thesis:age", …)."""
    out = []
    for name in names:
        if not name.endswith(":*"):
            out.append(name)
            continue
        view = spec.view(name[:-2] + ":x")
        values = entry.get(view.per, spec.option(view.per).default) or []
        out += [f"{name[:-2]}:{v}" for v in (values if isinstance(values, list) else [values])]
    return out


def _default_items(sess: _Session) -> list[dict]:
    parts: dict[str, list[dict]] = {p: [] for p in CHAPTER}
    for entry in model.distinct([a for a in sess.entries.values() if model.invited(a, sess.recipe)]):
        aid = entry["id"]
        res, spec = sess.result(aid), sess.spec(aid)
        if spec is None or not isinstance(res, Result):
            continue
        wanted = THESIS_TABLES.get(spec.type, {"other": tuple(t.name for t in spec.tables)})
        if spec.type == "process":
            wanted = {chapter_section(entry, ""): wanted[chapter_section(entry, "")]}
        first = True
        for part, names in wanted.items():
            for name in _expand(spec, entry, names):
                df = res.tables.get(name)
                if (df is not None and not df.empty) or (df is None and spec.has_view(name)):
                    parts[part].append({"kind": "table", "analysis": aid, "table": name})
            prefixes = THESIS_CHARTS.get(spec.type, ())
            if first:   # the charts and the interpretation once, after the analysis' first tables
                parts[part] += [{"kind": "chart", "analysis": aid, "chart": c} for c in sess.charts(aid)
                                if any(c.startswith(p) for p in prefixes)]
                parts[part] += [{"kind": "text", "analysis": aid, "paragraph": i}
                                for i in range(min(len(sess.paragraphs(aid)), CHAPTER_PARAGRAPHS))]
                first = False
    items: list[dict] = [{"kind": "findings"}]
    for part in CHAPTER:
        if parts[part]:
            items.append({"kind": "section", "title": t(f"report.chapter.{part}", sess.lang)})
            items += parts[part]
    return items


def chart_title(chart, fallback: str) -> str:
    try:
        title = (chart if isinstance(chart, dict) else chart.to_dict()).get("title")
    except Exception:
        title = None
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(x) for x in title)
    return str(title) if title else fallback


def _missing(sess: _Session, aid: str, what: str) -> MissingBlock:
    res = sess.result(aid)
    if isinstance(res, UserError):
        return MissingBlock(t("report.missing.failed", sess.lang, what=what, reason=res.message(sess.lang)))
    return MissingBlock(t("report.missing.gone", sess.lang, what=what))


def build(recipe: dict, dataset, results: dict, lang: str = "en", items: list[dict] | None = None,
          findings: list | None = None, charts=None, every: bool = False) -> Document:
    """Resolve report items into blocks.

    ``results`` maps analysis id → Result (or UserError for a failed one).
    ``items`` defaults to the recipe's report or, when the recipe has none,
    to the thesis chapter of :func:`default_items` (``every``: to every
    table, chart and interpretation paragraph, as the workbook has them).
    ``findings`` is the key-findings list, or a function that makes it when a
    findings item needs it (:func:`core.report.build` passes one).  ``charts``
    (optional) maps an analysis id to its ``[(name, chart)]``, e.g. a page's
    cached Vega-Lite specs; it is not used for results with suppressed cells.
    """
    opts = model.settings(recipe)
    sess = _Session(recipe, dataset, results, lang, opts, charts)
    if items is None:
        items = model.Report(dict(report=list(recipe.get("report") or []))).items \
            or (_every_item(sess) if every else _default_items(sess))
    items = [n for n in (model.normalise(i) for i in items) if n is not None]
    blocks: list = []
    n_table = n_chart = 0
    for item in items:
        kind = item["kind"]
        if kind == "section":
            blocks.append(SectionBlock(item["title"]))
        elif kind == "findings":
            if callable(findings):
                findings = findings()
            blocks.append(FindingsBlock(findings or []))
        elif kind == "text" and "text" in item:
            blocks.append(TextBlock(item["text"]))
        else:
            aid = item["analysis"]
            res, spec = sess.result(aid), sess.spec(aid)
            what = item.get("table") or item.get("chart") or t("report.kind.text", lang)
            if spec is None or not isinstance(res, Result):
                blocks.append(_missing(sess, aid, f"{aid} · {what}"))
                continue
            if kind == "table":
                block = _table_block(sess, aid, spec, item["table"])
                if block is None:
                    blocks.append(_missing(sess, aid, f"{aid} · {what}"))
                    continue
                n_table += 1
                block.number = n_table
                blocks.append(block)
            elif kind == "chart":
                chart = sess.chart(aid, item["chart"])   # one of its charts, or one made by name
                if chart is None:
                    blocks.append(_missing(sess, aid, f"{aid} · {what}"))
                    continue
                n_chart += 1
                blocks.append(ChartBlock(aid, spec.type, item["chart"],
                                         sess.prefix(aid) + chart_title(chart, item["chart"]), chart, n_chart))
            else:
                paras = sess.paragraphs(aid)
                if item["paragraph"] >= len(paras):
                    blocks.append(_missing(sess, aid, f"{aid} · {what}"))
                    continue
                blocks.append(TextBlock(paras[item["paragraph"]], aid))
    title = opts["title"] or t("report.default_title", lang)
    date = _dt.date.today().isoformat()
    return Document(title, lang, opts, blocks, _subtitle(recipe, dataset, lang, date), date)


def _subtitle(recipe: dict, dataset, lang: str, date: str) -> list[str]:
    lines = []
    path = (recipe.get("data") or {}).get("path")
    if path:
        lines.append(t("report.subtitle.data", lang, name=Path(str(path)).name,
                       n=len(dataset.frame) if dataset is not None else 0))
    lines.append(t("report.subtitle.date", lang, date=date))
    return lines


def _view(sess: _Session, aid: str, spec: AnalysisSpec, name: str) -> tuple[pd.DataFrame, str] | None:
    """A display table the analysis declares as a view (``AnalysisSpec.views``)
    made from the shown result with the entry's options, or None."""
    if not spec.has_view(name) or sess.dataset is None:
        return None
    try:
        df, note = spec.make_view(name, sess.shown(aid)[0], sess.dataset, sess.lang, sess.options(aid))
    except Exception as exc:  # a view that cannot be made is reported missing, the report goes on
        log.warning("view %s of %s failed: %s: %s", name, aid, type(exc).__name__, exc)
        return None
    if df is None:
        return None
    return df, note


def _table_block(sess: _Session, aid: str, spec: AnalysisSpec, name: str) -> TableBlock | None:
    shown, counts = sess.shown(aid)
    df, view_note = shown.tables.get(name), ""
    if df is None:
        made = _view(sess, aid, spec, name)
        if made is None:
            return None
        df, view_note = made
    tspec = spec.columns_spec(name)
    lang, opts = sess.lang, sess.opts
    declared = fmt.columns_of(df, tspec)
    cols = [ColumnInfo(c.name, column_title(c.name, lang, spec.type), c.kind, c.codes, c.of) for c in declared]
    # level codes read as their labels in the report's language; a level's variable column may be left out
    frame = fmt.level_labels(df, declared, sess.dataset)[[c.name for c in cols]].reset_index(drop=True)
    labels = fmt.variable_labels(frame, declared, sess.dataset)
    notes = method_notes(sess.results[aid], sess.dataset, lang)
    own = [view_note] if view_note else []
    if counts.get(name):
        own.append(t("report.note.suppressed", lang, k=opts["min_cell"], rows=counts[name]))
    has_p = any(c.kind == "p" for c in cols)
    # an analysis that lets the user choose its star scheme keeps that choice
    scheme = sess.entries[aid].get("stars")
    scheme = scheme if scheme in STAR_SCHEMES else opts["stars"]
    star_note = t(f"format.stars.{scheme}", lang) if has_p else None
    title = sess.prefix(aid) + spec.table_title(name, lang, sess.dataset)
    return TableBlock(aid, spec.type, name, title, frame, cols, notes, star_note, scheme, opts["digits"],
                      lang=lang, own_notes=own, labels=labels)


def table_block(recipe: dict, dataset, results: dict, aid: str, name: str, lang: str = "en") -> TableBlock | None:
    """One table of one analysis as a block (per-table downloads)."""
    sess = _Session(recipe, dataset, results, lang, model.settings(recipe))
    spec = sess.spec(aid)
    if spec is None or not isinstance(results.get(aid), Result):
        return None
    return _table_block(sess, aid, spec, name)


_SAFE_NAME = re.compile(r"[^\w\-]+", re.UNICODE)


def file_stem(text: str, fallback: str = "table") -> str:
    """A file-name-safe version of a title."""
    s = _SAFE_NAME.sub("_", str(text)).strip("_")[:60]
    return s or fallback
