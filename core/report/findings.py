"""Key findings of a whole session, and the slides made from them.

Each analysis may declare ``AnalysisSpec.findings(result, dataset, lang) ->
list[Finding]`` (see :class:`core.types.Finding`): one sentence with its
numbers per significant difference, predictor, indirect effect, interaction…,
honest about non-significant and small effects.  An analysis without it
contributes the first sentence of each of its ``spec.interpret`` paragraphs.
Findings are ordered like the results chapter of a thesis (description,
measurement, differences, associations, predictors, mediation, moderation);
within a kind, significant ones first, stronger first.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from core import registry
from core.errors import UserError
from core.i18n import t
from core.report import model
from core.report.content import _Session, analysis_title, build, method_notes, suppress_result
from core.types import Finding, Result

log = logging.getLogger("pressure_explorer.report")

# what officials need first: levels, who differs (and who does not), what drives it, how; then the rest
KIND_ORDER = ("description", "difference", "predictor", "mediation", "moderation", "association",
              "measurement")
# the kind of fallback findings (first sentences of interpretation) by page group
GROUP_KIND = {"describe": "description", "measurement": "measurement", "differences": "difference",
              "regression": "association", "process": "mediation"}
PER_ANALYSIS = 6   # at most this many findings of one analysis in the summary (strongest first)


@dataclass
class KeyFinding:
    analysis: str        # analysis id in the recipe
    type: str            # analysis type
    finding: Finding
    source: str = "findings"  # "findings" (the spec's) or "interpret" (first sentence fallback)

    @property
    def headline(self) -> str:
        return self.finding.headline

    @property
    def detail(self) -> str:
        return self.finding.detail

    @property
    def chart(self) -> str | None:
        return self.finding.chart

    @property
    def plain(self) -> str:
        """The headline in plain words (statistics taken out), for officials."""
        return split_statistics(self.headline)[0] or self.headline

    @property
    def statistic(self) -> str:
        """The statistics taken out of the headline ("F(2, 568) = 16.32, p < .001")."""
        return split_statistics(self.headline)[1]


_NAN = re.compile(r"\bnan\b", re.IGNORECASE)   # a sentence built on a suppressed number
# one statistic: "F(2, 568) = 16.32", "p < .001", "η² = .05", "Welch's F(3, 109.70) = 8.47", "ΔR² = 0.035",
# "RMSEA = .011", "χ²/df = 1.05"; in brackets, one level of brackets nested: "(CFI = .42; Δχ²(15) = 3558.24)"
_STAT = (r"(?:Welch(?:'s| 检验)?\s*)?[A-Za-zχβηωΔ²]{1,5}(?:/[A-Za-z]{1,3})?(?:\([^()]*\))?"
         r"\s*[=<>≤≥]\s*[-−]?\d*\.?\d+%?")
_STATS = re.compile(r"\s*(?:[,，;；:：]\s*" + _STAT + r")+"                 # ", t(569) = -5.72, p < .001"
                    r"|\s*[(（]" + _STAT + r"(?:[^()（）]|\([^()]*\))*[)）]"     # " (β = .28, p < .001)"
                    r"|\s*[(（][^()（）\[\]]*\[[^\]]*\][)）]")                  # " (95% CI [0.07, 0.13])"


def split_statistics(text: str) -> tuple[str, str]:
    """(the sentence without its statistics, the statistics) of a finding's
    headline: "X differs by Y, F(2, 568) = 16.32, p < .001. It is highest
    among Z (M = 3.12)." → ("X differs by Y. It is highest among Z.",
    "F(2, 568) = 16.32, p < .001 · M = 3.12")."""
    stats = [m.group(0).strip(" ,，;；:：()（）") for m in _STATS.finditer(text)]
    plain = _STATS.sub("", text)
    plain = re.sub(r"\s+([.。,，;；])(?=\s|$)", r"\1", re.sub(r"\s{2,}", " ", plain)).strip()
    return plain, " · ".join(stats)
_SENTENCE = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=[^\s\d.,;:)\]])")


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (English or Chinese); decimals such as
    "3.85" and "p < .001" are not sentence ends."""
    text = " ".join(str(paragraph).split())
    return [part.strip() for part in _SENTENCE.split(text) if part and part.strip()]


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph."""
    found = sentences(paragraph)
    return found[0] if found else " ".join(str(paragraph).split())


def _strength(f: Finding) -> float:
    try:
        s = abs(float(f.strength))
    except (TypeError, ValueError):
        return 0.0
    return s if math.isfinite(s) else 0.0


def _sort_key(kf: KeyFinding, position: int, main: str | None = None):
    kind = kf.finding.kind
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    if main and kf.finding.table == "levels" and kf.finding.chart == f"level_{main}":
        rank = -1   # the study's headline: the level of its main outcome

    sig = 3 if kf.source == "summary" else 0 if kf.finding.significant else 1 if kf.finding.significant is None \
        else 2
    return (rank, sig, -_strength(kf.finding), position)


def analysis_findings(spec, aid: str, res: Result, dataset, lang: str) -> list[KeyFinding]:
    """One analysis' findings (its own, or the interpretation fallback)."""
    if spec.findings is not None:
        try:
            found = list(spec.findings(res, dataset, lang) or [])
        except Exception as exc:  # one analysis' bug must not cost the whole summary
            log.warning("findings of %s failed: %s: %s", aid, type(exc).__name__, exc)
            found = []
        return [KeyFinding(aid, spec.type, f) for f in found if isinstance(f, Finding) and f.headline]
    if spec.interpret is None:
        return []
    try:
        paras = list(spec.interpret(res, dataset, lang) or [])
    except Exception as exc:
        log.warning("interpretation of %s failed: %s: %s", aid, type(exc).__name__, exc)
        return []
    chart = None
    if spec.charts is not None:
        try:
            names = [name for name, _ in spec.charts(res, dataset, lang)]
            chart = names[0] if names else None
        except Exception:
            chart = None
    out = []
    kind = GROUP_KIND.get(spec.group, "")
    for p in paras:
        s = first_sentence(p)
        if s:
            out.append(KeyFinding(aid, spec.type, Finding(headline=s, detail=p if p != s else "", chart=chart,
                                                          kind=kind), source="interpret"))
    return out


def _cap(found: list[KeyFinding], limit: int, title: str, lang: str, main: str | None = None) -> list[KeyFinding]:
    """The ``limit`` most important findings of one analysis (in their own
    order), plus one line saying how many more are in its tables."""
    if limit <= 0 or len(found) <= limit:
        return found
    order = sorted(range(len(found)), key=lambda i: (min(_sort_key(found[i], i, main)[0], 0),
                                                     *_sort_key(found[i], i)[1:]))
    keep = sorted(order[:limit])
    rest = len(found) - limit
    last = found[keep[-1]]
    more = Finding(t("report.more_in_tables", lang, n=rest, title=title), kind=last.finding.kind)
    return [found[i] for i in keep] + [KeyFinding(last.analysis, last.type, more, source="summary")]


def key_findings(recipe: dict, dataset, results: dict, lang: str = "en",
                 per_analysis: int = PER_ANALYSIS) -> list[KeyFinding]:
    """The key findings of every analysis of the session, in summary order
    (at most ``per_analysis`` of one analysis, then a pointer to its tables)."""
    opts = model.settings(recipe)
    roles = recipe.get("roles") or {}
    main = roles.get("outcome") or roles.get("y")
    found: list[KeyFinding] = []
    # defaults nobody chose are left out first, so that a pinned snapshot of one is kept; then a snapshot
    # not changed since is told once
    for entry in model.distinct([a for a in recipe.get("analyses") or [] if model.invited(a, recipe)]):
        res = results.get(entry["id"])
        if not isinstance(res, Result):
            continue
        try:
            spec = registry.get(entry["type"])
        except UserError:
            continue
        if opts["small_cells"]:   # findings are told from the tables as the report shows them
            res = suppress_result(res, spec, opts["min_cell"])[0]
        own = analysis_findings(spec, entry["id"], res, dataset, lang)
        if opts["small_cells"]:
            own = [kf for kf in own if not _NAN.search(kf.headline)]
        found += _cap(own, per_analysis, analysis_title(entry, lang), lang, main)
    order = sorted(range(len(found)), key=lambda i: _sort_key(found[i], i, main))
    return [found[i] for i in order]


@dataclass
class Slide:
    """One screen of presentation mode / one slide of the deck."""

    headline: str                 # the finding in plain words (statistics taken out)
    detail: str
    analysis: str | None
    analysis_title: str
    chart: object | None          # Altair chart or None
    chart_name: str | None
    notes: list[str]              # method footnote lines of the analysis
    statistic: str = ""           # the statistics of the headline ("F(2, 568) = 16.32, p < .001")
    full: str = ""                # the headline as the analysis wrote it (statistics included)
    n: int | None = None          # respondents the analysis used


def slides(recipe: dict, dataset, results: dict, lang: str = "en", findings: list | None = None,
           charts=None) -> list[Slide]:
    """One slide per key finding, with its chart (drawn from the result as
    reports show it, small groups suppressed when the report asks for it).
    ``charts``: optional provider, analysis id → [(name, chart)]."""

    sess = _Session(recipe, dataset, results, lang, model.settings(recipe), charts)
    findings = key_findings(recipe, dataset, results, lang) if findings is None else findings
    out = []
    for kf in findings:
        if kf.source == "summary":   # "… n more results in the tables" is for the written summary only
            continue
        entry = sess.entries.get(kf.analysis) or {"type": kf.type}
        chart = sess.chart(kf.analysis, kf.chart) if kf.chart else None
        res = results.get(kf.analysis)
        notes = method_notes(res, dataset, lang) if isinstance(res, Result) else []
        out.append(Slide(kf.plain, kf.detail, kf.analysis, analysis_title(entry, lang), chart,
                         kf.chart if chart is not None else None, notes, kf.statistic, kf.headline,
                         int(res.n_used) if isinstance(res, Result) else None))
    return out


def figure_slides(recipe: dict, dataset, results: dict, lang: str = "en", charts=None) -> list[Slide]:
    """One slide per pinned chart (a path diagram, a plot the user chose),
    after the findings: the chart's title as the headline, the chart, the n."""
    items = [i for i in recipe.get("report") or [] if isinstance(i, dict) and i.get("kind") == "chart"]
    if not items:
        return []
    doc = build(recipe, dataset, results, lang, items=items, findings=[], charts=charts)
    out = []
    for block in doc.charts:
        entry = next((a for a in recipe.get("analyses") or [] if a.get("id") == block.analysis), {"type": block.type})
        res = results.get(block.analysis)
        out.append(Slide(block.title, "", block.analysis, analysis_title(entry, lang), block.chart, block.name,
                         method_notes(res, dataset, lang) if isinstance(res, Result) else [], "", block.title,
                         int(res.n_used) if isinstance(res, Result) else None))
    return out
