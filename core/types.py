"""The declarations every analysis is made of.

An analysis is one :class:`AnalysisSpec`: typed :class:`Option` s (stable
codes; ``fit=False`` marks display-only options that never trigger a refit),
a pure ``run(dataset, options) -> Result`` and the tables it promises
(:class:`TableSpec` with documented :class:`Column` s).  Charts and
interpretation text are made *from* the result's tables.

Numbers in a :class:`Result` are raw floats; rounding, p formatting, stars and
language happen only at the edge (``core.format``, pages, exporters).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import pandas as pd

from core.i18n import t

class lazy:
    """A function named ``"package.module:function"``, imported on its first call.

    Declarations (``core/analyses/<family>/spec.py``) name their compute, chart
    and text functions this way, so reading every declaration (the registry,
    the recipe validator, ``python -m core run``) imports none of them.
    """

    __slots__ = ("target", "_fn")

    def __init__(self, target: str):
        if ":" not in target:
            raise ValueError(f"lazy target {target!r} is not 'module:function'")
        self.target = target
        self._fn = None

    def resolve(self) -> Callable:
        if self._fn is None:
            module, name = self.target.split(":")
            self._fn = getattr(importlib.import_module(module), name)
        return self._fn

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"lazy({self.target!r})"


# What an option holds.  Pages map kinds to widgets (pages/_ui/forms.py);
# core.registry validates recipe values against them.
OPTION_KINDS = (
    "variable",   # one column or scale name
    "variables",  # list of column/scale names
    "choice",     # one of ``choices`` (stable codes)
    "choices",    # a list drawn from ``choices``
    "int",
    "float",
    "bool",
    "text",
    "map",        # {variable: value}, e.g. categorical reference levels
    "blocks",     # list of lists of variable names (hierarchical regression)
    "pairs",      # list of [a, b] variable-name pairs (paired t test)
    "json",       # free structure validated by the analysis itself
)

# Which variables a variable option offers.
ROLES = ("any", "numeric", "categorical", "scale", "item")

# How a page draws an option (``Option.widget``); "" = the widget of its kind (pages/_ui/forms.py):
# "area" a multi-line text box (model text), "toggle" a switch (a bool, or a nullable choice whose only
# other value is its last choice), "level" one level code of the variable chosen in ``of``, "count" one
# of ``choices`` or a whole number (the number of factors), "hidden" not drawn (a custom section or the
# recipe sets it).
WIDGETS = ("", "area", "toggle", "level", "count", "hidden")


@dataclass(frozen=True)
class Option:
    """One analysis option, as it appears in a recipe."""

    name: str
    kind: str
    default: Any = None
    required: bool = False
    choices: tuple = ()
    fit: bool = True          # False: display only, the fit is reused
    role: str = "any"         # for variable/variables: what to offer
    min: float | None = None
    max: float | None = None
    nullable: bool = False    # None is an allowed value
    doc: str = ""             # English one-liner for docs/recipes.md
    widget: str = ""          # how a page draws it (WIDGETS); "" = by its kind
    of: tuple[str, ...] = ()  # level / map / blocks: the options whose chosen variables it is about
    # "area": (dataset) -> the text the box starts from while the option is at its default; left unchanged
    # it stays the default (the CFA model the scales imply follows the scales)
    suggest: Callable | None = None

    def __post_init__(self):
        if self.kind not in OPTION_KINDS:
            raise ValueError(f"option {self.name}: unknown kind {self.kind!r}")
        if self.role not in ROLES:
            raise ValueError(f"option {self.name}: unknown role {self.role!r}")
        if self.widget not in WIDGETS:
            raise ValueError(f"option {self.name}: unknown widget {self.widget!r}")


@dataclass(frozen=True)
class Column:
    """A documented column of a result table.

    ``kind`` tells the formatter (``core.format``) how to show it: ``num``
    (estimate), ``df`` (degrees of freedom: whole numbers without decimals),
    ``int`` (count), ``p`` (p value), ``pct`` (percent), ``flag`` (True/False,
    shown as a tick), ``var`` (a variable name, shown as its label), ``level``
    (a level code of the variable named in the same row's column ``of``, shown
    as its value label in the reader's language — results keep codes, so a
    language switch refits nothing), ``analysis`` (an analysis type, shown as
    its title), ``table`` (a table of the analysis named in the column ``of``,
    shown as its title), ``row`` (a dict {column: value} picking a row of the
    table named in the column ``of``, shown as its values in words) or ``text``.  ``codes`` is the catalogue
    prefix of a column that holds stable codes: the cell ``v`` reads
    ``t(codes + v)`` in every page, download and report
    (``"difference.testname."`` makes ``student_t`` "Student's t").
    """

    name: str
    kind: str = "num"
    doc: str = ""
    codes: str = ""
    of: str = ""
    optional: bool = False    # pages show it only when it holds a value (a statistic an option asks for)

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r}")
        if (self.kind in OF_KINDS) != bool(self.of):
            raise ValueError(f"column {self.name}: a level, table or row column (and only one) names the column "
                             "it reads through (of)")


COLUMN_KINDS = ("num", "df", "int", "p", "pct", "flag", "var", "level", "analysis", "table", "row", "text")
OF_KINDS = ("level", "table", "row")   # read through another column of the same row (Column.of)


@dataclass(frozen=True)
class TableSpec:
    """A result table: its documented columns and ``keys``, the columns whose
    values identify a row (unique in every result; reference tests match R's
    rows on them).  No keys: the table has at most one row."""

    name: str
    columns: tuple[Column, ...]
    doc: str = ""
    keys: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Note:
    """A translated remark attached to a result (catalogue key + arguments)."""

    key: str
    kwargs: dict = field(default_factory=dict)
    # argument → the variable whose level code (or list of codes) it holds, read as the level's label in the
    # reader's language
    levels: dict = field(default_factory=dict)

    def arguments(self, dataset=None) -> dict:
        """The arguments, level codes read as their labels (a list of them joined by ", ") when there is a
        dataset; without one, codes as they are."""
        out = dict(self.kwargs)
        for k, var in self.levels.items():
            if k in out:
                codes = out[k] if isinstance(out[k], list) else [out[k]]
                read = dataset is not None and dataset.has(var)
                out[k] = ", ".join(str(dataset.level_label(var, c) if read else c) for c in codes)
        return out

    def text(self, lang: str = "en", dataset=None) -> str:
        return t(self.key, lang, **self.arguments(dataset))


@dataclass
class Result:
    """What an analysis returns: named tidy tables plus notes.

    ``n_used`` is the number of rows the analysis used (listwise within the
    analysis); ``notes`` say how many rows were dropped and why, which
    conventions were applied, and any cell that could not be computed.
    ``meta`` holds small structured facts renderers need (e.g. the seed).
    """

    type: str
    n_used: int
    tables: dict[str, pd.DataFrame]
    notes: list[Note] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One key finding of a result, for the session summary, presentation
    mode and the PowerPoint deck (``AnalysisSpec.findings``).

    ``headline`` is one plain sentence with its numbers in the requested
    language ("Career development is the strongest source of pressure
    (β = .42, p < .001)"); say so honestly when an effect is not significant
    or small.  ``detail`` is the technical line (test, statistic, df, p,
    effect size, CI).  ``chart`` names one of the charts from
    ``AnalysisSpec.charts`` or ``AnalysisSpec.chart`` that illustrates it (or None), ``table`` the
    result table it comes from.  ``strength`` orders findings across the
    session (an absolute standardised effect: |d|, |r|, |β|, η², R², ab/SD…;
    0 when there is none); ``significant`` is True/False for tests, None
    otherwise; ``kind`` is one of "difference", "association", "predictor",
    "mediation", "moderation", "measurement", "description".
    """

    headline: str
    detail: str = ""
    chart: str | None = None
    strength: float = 0.0
    significant: bool | None = None
    kind: str = ""
    table: str | None = None


@dataclass(frozen=True)
class ViewSpec:
    """A table made from a result for display — a thesis layout such as the
    correlation triangle or the wide EFA loading matrix.  Pages draw it, and
    it is pinned into reports like a result table (same name space as the
    analysis' tables), but it is never part of the results JSON.

    ``make(result, dataset, lang, options)`` returns ``(DataFrame, note)``;
    ``options`` are the analysis' recipe options (display options included,
    e.g. a loading cutoff).  Column names are either codes that
    ``T.col.<name>`` / ``col.<name>`` translate or headers already in the
    language; cells may be preformatted text.  ``note`` ("" for none) is the
    footnote under the table.  Its title is ``T.table.<name>``.

    ``per`` names the option whose values each make one table (the thesis
    tables: one per split).  Such a view is shown, pinned and exported as
    ``"<name>:<value>"`` and made with ``key=<value>``; its title adds the
    value's label.  ``columns`` declares the kinds of the columns that are not
    plain numbers or text (a factor column that reads as the scales' labels);
    the others' kinds are inferred.
    """

    name: str
    make: Callable[..., tuple]
    doc: str = ""
    per: str = ""
    columns: tuple[Column, ...] = ()


def split_view(name: str) -> tuple[str, str | None]:
    """ "thesis:gender" → ("thesis", "gender"); "triangle" → ("triangle", None)."""
    base, sep, key = name.partition(":")
    return base, (key if sep else None)


@dataclass(frozen=True)
class Section:
    """One part of an analysis page, drawn in order by the generic page (pages/_ui/page.py).

    ``columns``: options side by side, one tuple of option names per column (relative ``widths``;
    ``one`` names variables options picked one at a time here, a list of one).  ``show``: what of the
    result it shows — table and view names (a per-value view once per value of its option), ``"tables"``
    (every table),
    ``"charts"`` or ``"chart:<pattern>"`` (fnmatch), ``"text"`` (the pinnable paragraphs), ``"notes"``;
    ``side`` puts them side by side.  ``custom``: a named custom section, a widget or display no option
    kind or table describes (the PROCESS model picker, the what-if simulator), registered under that name
    in the shell (pages/_ui/custom.py).  ``title``: catalogue key of its heading; ``box``: "" (plain),
    "expander", "expanded" or "tab" (consecutive tab sections form one set of tabs); ``caption``: a
    catalogue key under it; ``none``: a caption when none of its tables has rows.  The sections before
    the first one with ``show`` are the form: the analysis runs when they are drawn."""

    columns: tuple[tuple[str, ...], ...] = ()
    show: tuple[str, ...] = ()
    custom: str = ""
    title: str = ""
    box: str = ""
    caption: str = ""
    none: str = ""
    widths: tuple[float, ...] = ()
    one: tuple[str, ...] = ()
    side: bool = False

    def __post_init__(self):
        if self.box not in ("", "expander", "expanded", "tab"):
            raise ValueError(f"section {self.title or self.custom}: unknown box {self.box!r}")


@dataclass(frozen=True)
class Layout:
    """How a page draws an analysis (``AnalysisSpec.layout``; a named alternative in ``layouts``).

    It runs once every one of ``needs`` is chosen ("a|b": either; empty: every required option); until then, or when the
    analysis raises the UserError ``empty``, the hint ``t(empty)`` is shown, not an error, and the page
    keeps no recipe entry that cannot run.  ``fixed``: options the page runs with whatever the entry
    holds ((name, value) pairs: the saved what-if scenarios are drawn from the fit, not refitted).
    ``start``: where a new entry drawn this way starts, over the analysis' ``defaults`` (computed in
    core: the two-way ANOVA of the first two demographics)."""

    sections: tuple[Section, ...] = ()
    needs: tuple[str, ...] = ()
    empty: str = ""
    fixed: tuple[tuple[str, Any], ...] = ()
    start: Callable | None = None   # (dataset, roles) -> what a new entry of this layout starts from
    form: int = 0                   # the leading sections that make the form (0: those before the first show)


@dataclass(frozen=True)
class AnalysisSpec:
    """An analysis, declared once for pages, recipes, exports and tests."""

    type: str                  # recipe "type", e.g. "describe"
    group: str                 # page area, e.g. "describe", "differences"
    options: tuple[Option, ...]
    tables: tuple[TableSpec, ...]
    run: Callable[..., Result]                 # (dataset, options) -> Result
    charts: Callable[..., list] | None = None  # (result, dataset, lang, options) -> [(name, altair chart)]
    interpret: Callable[..., list[str]] | None = None  # (result, dataset, lang) -> paragraphs
    doc: str = ""              # English description for docs/recipes.md
    progress: bool = False     # run accepts progress=callable(fraction in [0, 1])
    findings: Callable[..., list[Finding]] | None = None  # (result, dataset, lang) -> key findings
    views: tuple[ViewSpec, ...] = ()   # display tables made from a result (pinnable, not in results JSON)
    # (dataset, roles) -> the options a new recipe entry starts from, from the recipe's roles (the study's
    # outcome on its stressors, demographics as splits …); computed in core, pages only apply them
    defaults: Callable[..., dict] | None = None
    # (result, dataset, lang, name) -> one chart made on demand (a finding's own chart, e.g. the means of
    # the groups that differ), or None when the name is not one of its
    chart: Callable[..., object] | None = None
    # how pages draw it (None: every option, then every table, the notes, charts and text); alternatives by name
    layout: Layout | None = None
    layouts: tuple[tuple[str, Layout], ...] = ()
    # (options) -> the names of the options that apply under the current choices (PROCESS: the roles of the
    # chosen model); pages draw only these and reset the others to their defaults
    applies: Callable[[dict], set] | None = None

    def option(self, name: str) -> Option:
        for o in self.options:
            if o.name == name:
                return o
        raise KeyError(name)

    def table(self, name: str) -> TableSpec:
        for tb in self.tables:
            if tb.name == name:
                return tb
        raise KeyError(name)

    def columns_spec(self, name: str) -> TableSpec | None:
        """What a table or a view declares about its columns (a view: its
        ``columns``, the rest inferred); None for neither."""
        try:
            return self.table(name)
        except KeyError:
            return TableSpec(name, self.view(name).columns) if self.has_view(name) else None

    def view(self, name: str) -> ViewSpec:
        """A view by its name, or by "<name>:<value>" for a view made per value of an option."""
        base, key = split_view(name)
        for v in self.views:
            if v.name == base and bool(v.per) == (key is not None):
                return v
        raise KeyError(name)

    def has_view(self, name: str) -> bool:
        try:
            self.view(name)
        except KeyError:
            return False
        return True

    def make_view(self, name: str, result: Result, dataset, lang: str, options: dict) -> tuple:
        """(DataFrame, note) of a view, a per-value one made for its value."""
        base, key = split_view(name)
        view = self.view(name)
        return view.make(result, dataset, lang, options, key=key) if view.per else \
            view.make(result, dataset, lang, options)

    def table_title(self, name: str, lang: str, dataset=None) -> str:
        """The title of a table or view in ``lang``; a per-value view adds the value's label."""
        base, key = split_view(name)
        if key is None:
            return t(f"{self.type}.table.{base}", lang)
        label = dataset.label(key) if dataset is not None and dataset.has(key) else key
        return t(f"{self.type}.table_per.{base}", lang, value=label)

    def entry_options(self, entry: dict | None) -> dict:
        """The options a recipe entry sets, declared defaults for the rest."""
        entry = entry or {}
        return {o.name: entry.get(o.name, o.default) for o in self.options}

    def page_layout(self, name: str = "") -> Layout:
        """The declared layout (``name``: an alternative); one without sections draws every shown
        option, then every table, the notes, charts and text."""
        lay = dict(self.layouts)[name] if name else self.layout or Layout()
        if lay.sections:
            return lay
        form = tuple(o.name for o in self.options if o.widget != "hidden")
        return replace(lay, sections=(Section(columns=(form,)), Section(show=("tables", "notes", "charts", "text"))))

    @property
    def fit_options(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options if o.fit)
