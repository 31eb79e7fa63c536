"""Path diagrams (core/diagram.py) checked on what they draw — the Vega-Lite
spec itself: every node box inside the canvas, no two boxes overlapping, every
line starting and ending on a node's outline (or, for a moderator's arrow, on
the path it moderates), no line through a third box, every text inside its box
by its measured width, labels clear of boxes and of each other — for the
conceptual and statistical diagram of every PROCESS model number and for the
CFA and SEM of both sample surveys, in both languages, with long labels too.
Then: a pinned diagram goes into Word, PowerPoint and HTML as a picture."""
from __future__ import annotations

import copy
import io
import math

import pytest

from core import recipe as recipes
from core import registry
from core import i18n
from core.analyses.measurement import charts as mch
from core.analyses.process import charts as pch
from core.analyses.process.spec import MODEL_NUMBERS
from core.data import samples
from core.data.prepare import build_dataset
from core.format import TOTAL
from core.diagram import FONT_SIZE, PAD_X, SLACK, SUB_SIZE, Diagram, text_width
from core.report import textfit
from tests.report_sessions import long_labels, pad

TOL = 1.5   # px


# ---- reading a diagram back from its Vega-Lite spec -----------------------------------------------
def _layers(spec: dict):
    for layer in spec["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        yield mark, layer, spec["datasets"][layer["data"]["name"]]


def read(spec: dict) -> dict:
    """Boxes, ellipses, polylines, arrowheads, node texts and label boxes of a diagram."""
    out = {"width": spec["width"], "height": spec["height"], "nodes": [], "lines": [], "heads": [],
           "texts": [], "labels": []}
    for mark, layer, rows in _layers(spec):
        enc = layer["encoding"]
        if mark == "rect" and "stroke" in enc:
            out["nodes"] += [("rect", r["x"], r["y"], r["x2"], r["y2"]) for r in rows]
        elif mark == "rect":
            out["labels"] += [(r["x"], r["y"], r["x2"], r["y2"]) for r in rows]
        elif mark == "point" and "shape" in enc:
            for r in rows:
                w = math.sqrt(r["size"])
                h = w * float(r["path"].split("A1,")[1].split(",")[0])
                out["nodes"].append(("ellipse", r["x"] - w / 2, r["y"] - h / 2, r["x"] + w / 2, r["y"] + h / 2))
        elif mark == "point":
            out["heads"] += [(r["x"], r["y"]) for r in rows]
        elif mark == "line":
            lines: dict = {}
            for r in rows:
                lines.setdefault(r["edge"], []).append((r["k"], r["x"], r["y"]))
            out["lines"] += [[(x, y) for _, x, y in sorted(v)] for v in lines.values()]
        elif mark == "text" and "size" in enc:
            out["texts"] += [(r["x"], r["y"], r["text"], r["size"]) for r in rows]
    return out


def _on_outline(p, node) -> bool:
    kind, x0, y0, x1, y1 = node
    cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    if kind == "ellipse":
        return abs(math.hypot((p[0] - cx) / a, (p[1] - cy) / b) - 1) * min(a, b) < TOL
    inside = x0 - TOL <= p[0] <= x1 + TOL and y0 - TOL <= p[1] <= y1 + TOL
    return inside and min(abs(p[0] - x0), abs(p[0] - x1), abs(p[1] - y0), abs(p[1] - y1)) < TOL


def _dist_to_line(p, line) -> float:
    best = math.inf
    for (ax, ay), (bx, by) in zip(line, line[1:]):
        dx, dy = bx - ax, by - ay
        f = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / ((dx * dx + dy * dy) or 1.0)))
        best = min(best, math.hypot(p[0] - ax - f * dx, p[1] - ay - f * dy))
    return best


def _overlap(a, b, gap: float = 0.0) -> bool:
    return a[0] < b[2] - gap and b[0] < a[2] - gap and a[1] < b[3] - gap and b[1] < a[3] - gap


def _crosses(p, q, node) -> bool:
    """Whether segment p–q passes through the inside of a node (shrunk by the tolerance)."""
    kind, x0, y0, x1, y1 = node
    cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - TOL, (y1 - y0) / 2 - TOL
    steps = max(2, int(math.dist(p, q)))
    for k in range(steps + 1):
        x, y = p[0] + (q[0] - p[0]) * k / steps, p[1] + (q[1] - p[1]) * k / steps
        if kind == "ellipse" and ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 < 1:
            return True
        if kind == "rect" and abs(x - cx) < a and abs(y - cy) < b:
            return True
    return False


def check(chart) -> dict:
    """Every geometric promise of a diagram; returns what was read."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    d = read(spec)
    W, H = d["width"], d["height"]
    boxes = [n[1:] for n in d["nodes"]]
    assert boxes, "a diagram without nodes"
    for b in boxes:                                           # inside the canvas
        assert b[0] >= 0 and b[1] >= 0 and b[2] <= W and b[3] <= H, (b, W, H)
    for i, a in enumerate(boxes):                             # no two boxes overlap
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    for line in d["lines"]:                                   # lines start and end on an outline (or a path)
        for end in (line[0], line[-1]):
            on = [n for n in d["nodes"] if _on_outline(end, n)]
            assert on or any(_dist_to_line(end, other) < TOL for other in d["lines"] if other is not line), end
            assert 0 <= end[0] <= W and 0 <= end[1] <= H
        ends = [n for n in d["nodes"] if _on_outline(line[0], n) or _on_outline(line[-1], n)]
        for n in d["nodes"]:                                  # and pass through no third box or ellipse
            if n in ends:
                continue
            assert not any(_crosses(p, q, n) for p, q in zip(line, line[1:])), ("line through a node", n)
    for h in d["heads"]:                                      # every arrowhead sits at a line's end
        assert any(min(math.dist(h, line[0]), math.dist(h, line[-1])) < 6 for line in d["lines"]), h
    for x, y, text, size in d["texts"]:                       # texts inside their box by measured width
        width = text_width(text, size)
        half_h = size * 1.3 / 2
        home = [n for n in d["nodes"] if n[1] <= x <= n[3] and n[2] <= y <= n[4]]
        assert len(home) == 1, (text, home)
        kind, x0, y0, x1, y1 = home[0]
        if kind == "rect":
            assert x - width / 2 >= x0 + PAD_X / 2 and x + width / 2 <= x1 - PAD_X / 2, (text, width, x1 - x0)
            assert y - half_h >= y0 and y + half_h <= y1
        else:
            cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
            for px in (x - width / 2, x + width / 2):
                for py in (y - half_h, y + half_h):
                    assert ((px - cx) / a) ** 2 + ((py - cy) / b) ** 2 <= 1.0, (text, kind)
    for i, lab in enumerate(d["labels"]):                     # labels clear of boxes and of each other
        assert lab[0] >= 0 and lab[1] >= 0 and lab[2] <= W and lab[3] <= H
        for b in boxes:
            assert not _overlap(lab, b), ("label over a box", lab, b)
        for other in d["labels"][i + 1:]:
            assert not _overlap(lab, other), ("labels overlap", lab, other)
    return d


# ---- PROCESS ---------------------------------------------------------------------------------------
ROLES = {1: dict(w="EMC"), 2: dict(w="EMC", z="RA"), 3: dict(w="EMC", z="RA")}


def _designs():
    for num in MODEL_NUMBERS:
        if num in (1, 2, 3):
            yield num, {"x": "RP", "y": "WW", **ROLES[num]}
        elif num == 4:
            yield num, {"x": "RP", "y": "WW", "m": ["PS"]}
            yield num, {"x": "RP", "y": "WW", "m": ["PS", "EMC", "RA"]}
        elif num == 6:
            yield num, {"x": "RP", "y": "WW", "m": ["PS", "EMC"]}
            yield num, {"x": "RA", "y": "WW", "m": ["RCF", "RO", "PS", "EMC"]}
        else:
            yield num, {"x": "RP", "y": "WW", "m": ["PS"], "w": "EMC"}
            yield num, {"x": "RA", "y": "WW", "m": ["PS", "RO"], "w": "EMC"}


@pytest.fixture(scope="module", params=[("en", False), ("zh", False), ("zh", True), ("en", True)],
                ids=["en", "zh", "zh-long", "en-long"])
def role_pressure(request):
    lang, long = request.param
    raw, recipe, _ = samples.load("role_pressure")
    recipe = copy.deepcopy(recipe)
    if long:   # every variable, value and scale label a sentence long
        raw = long_labels(raw)
        for sc in recipe["scales"]:
            sc["label"] = pad(sc.get("label") or sc["name"])
    recipe = recipes.validate(recipe)
    return lang, build_dataset(raw, recipe, lang)


def test_every_process_model_draws_readable_diagrams(role_pressure):
    lang, ds = role_pressure
    spec = registry.get("process")
    for num, design in _designs():
        opts = {o.name: o.default for o in spec.options} | design | {"model": num, "n_boot": 0, "seed": 1}
        res = registry.run("process", ds, opts)
        charts = dict(pch.chart_list(res, ds, lang, opts))
        concept = check(charts["conceptual"])
        stat = check(charts["diagram"])
        roles = 2 + len(design.get("m", [])) + sum(1 for k in ("w", "z") if k in design)
        assert len(concept["nodes"]) == roles, (num, design)
        # every coefficient but the constants is an arrow with its estimate and stars
        co = res.tables["coefficients"]
        drawn = co[(co["term"] != "constant") & ~co["equation"].str.endswith(TOTAL)]
        assert len(stat["labels"]) == len(drawn) == len(stat["lines"])
        title = charts["diagram"].to_dict()["title"]["text"]
        assert title == i18n.t("process.chart.statistical_title", lang)   # the model number is the caption's
        texts = " ".join(t for *_, t, _ in stat["texts"])
        assert ds.label("WW").split()[0][:4] in texts


def test_statistical_diagram_marks_stars_by_the_scheme_and_dashes_what_is_not_significant():
    raw, recipe, _ = samples.load("role_pressure")
    recipe = recipes.validate(copy.deepcopy(recipe))
    ds = build_dataset(raw, recipe, "en")
    opts = {"model": 14, "x": "RP", "m": ["PS"], "w": "EMC", "y": "WW", "n_boot": 0}
    res = registry.run("process", ds, opts)
    co = res.tables["coefficients"].set_index(["equation", "term"])
    apa = pch.statistical_diagram(res, ds, "en", "apa").to_dict()
    spss = pch.statistical_diagram(res, ds, "en", "spss").to_dict()

    def label_texts(spec):
        return [r["text"] for mark, layer, rows in _layers(spec) if mark == "text" and "color" in layer["encoding"]
                for r in rows]

    b_rp_ps = co.loc[("PS", "RP")]
    assert b_rp_ps["p"] < .001
    assert f"{b_rp_ps['b']:.3f}***" in label_texts(apa) and f"{b_rp_ps['b']:.3f}**" in label_texts(spss)
    assert not any(s.endswith("***") for s in label_texts(spss))
    # the product term is not significant at .05: its line is dashed and grey
    assert co.loc[("WW", "PS*EMC")]["p"] > .05
    dashed = [layer for mark, layer, _ in _layers(apa) if mark == "line" and layer["mark"].get("strokeDash") == [5, 4]]
    assert len(dashed) == 1 and len(apa["datasets"][dashed[0]["data"]["name"]]) >= 2


def test_long_labels_wrap_within_the_box_width():
    g_node = Diagram().node("n", "一个非常非常长的变量标签，需要在路径图中换成好几行才能放得下" * 2)
    assert len(g_node.lines) > 2
    # at most the wrap width, plus a closing mark kept at the end of its line
    assert all(text_width(s, FONT_SIZE) <= 150 + FONT_SIZE * SLACK for s in g_node.lines)
    assert not any(s[0] in "）】」，。、；：" for s in g_node.lines)
    assert g_node.w <= 150 + FONT_SIZE * SLACK + 2 * PAD_X + 1
    # even lines, never broken inside a word
    text = "Psychological safety × Error-management climate"
    product = Diagram().node("p", text)
    assert [w for line in product.lines for w in line.split()] == text.split()
    widths = [text_width(s, FONT_SIZE) for s in Diagram().node("q", "工作压力 " * 9).lines]
    assert len(widths) > 2 and max(widths) - min(widths) < 30   # balanced: no full lines and a stub
    assert textfit.width_pt("abc", 10) * SLACK == pytest.approx(text_width("abc", 10))
    assert SUB_SIZE < FONT_SIZE


# ---- CFA / SEM -------------------------------------------------------------------------------------
SEM_MODELS = {"role_pressure": "PS ~ RP\nWW ~ PS + RP", "civil_servants": "CD ~ OC + PO\nWP ~ CD + FE + RC"}


@pytest.fixture(scope="module", params=[("role_pressure", "en"), ("role_pressure", "zh"),
                                        ("civil_servants", "zh"), ("civil_servants", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def measured(request):
    key, lang = request.param
    raw, recipe, _ = samples.load(key)
    recipe = copy.deepcopy(recipe)
    recipe["analyses"] = [{"id": "cfa", "type": "cfa", "compare_one_factor": False},
                          {"id": "sem", "type": "sem", "model": SEM_MODELS[key]}]
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, lang)
    return key, lang, ds, recipes.run_all(recipe, ds)


@pytest.mark.parametrize("kind", ["cfa", "sem"])
@pytest.mark.parametrize("items,covariances", [("show", "show"), ("hide", "show"), ("auto", "auto")])
def test_cfa_and_sem_diagrams_are_readable(measured, kind, items, covariances):
    key, lang, ds, results = measured
    res = results[kind]
    spec = registry.get(kind)
    charts = dict(spec.charts(res, ds, lang, {"items": items, "covariances": covariances, "stars": "apa"}))
    d = check(charts["diagram"])
    latents = res.meta["latent"]
    observed = res.meta["observed"]
    n_items = sum(1 for n in d["nodes"] if n[0] == "rect")
    n_latent = sum(1 for n in d["nodes"] if n[0] == "ellipse")
    assert n_latent == len(latents)
    shown = items == "show" or (items == "auto" and len(observed) <= mch.AUTO_ITEMS[kind])
    assert n_items == (len([o for o in observed if o not in latents]) if shown else 0)
    est = res.tables["estimates"]
    loads = est[(est["op"] == "=~") & (shown | est["rhs"].isin(latents))]
    regs = est[est["op"] == "~"]
    cov = est[(est["op"] == "~~") & (est["lhs"] != est["rhs"])]
    n_cov_lat = int((cov["lhs"].isin(latents) & cov["rhs"].isin(latents)).sum())
    cov_shown = covariances == "show" or (covariances == "auto" and n_cov_lat <= mch.AUTO_COV)
    expected = len(loads) + len(regs) + (n_cov_lat if cov_shown else 0)
    assert len(d["lines"]) == expected
    title = charts["diagram"].to_dict()["title"]["text"]
    assert ("模型" in title) == (lang == "zh")
    if kind == "sem":
        texts = " ".join(t for *_, t, _ in d["texts"])
        assert "R²" in texts


def test_second_order_factor_and_residual_covariance_are_drawn():
    """A higher-order factor holds its first-order factors; a residual
    covariance between two items is a two-headed curve beside them."""
    raw, recipe, _ = samples.load("role_pressure")
    recipe = copy.deepcopy(recipe)
    model = ("RA =~ RA1 + RA2 + RA3 + RA4\nRCF =~ RCF1 + RCF2 + RCF3 + RCF4\nRO =~ RO1 + RO2 + RO3 + RO4\n"
             "RPX =~ RA + RCF + RO\nRA1 ~~ RA2")
    recipe["analyses"] = [{"id": "cfa", "type": "cfa", "model": model, "compare_one_factor": False}]
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, "en")
    res = recipes.run_all(recipe, ds)["cfa"]
    d = check(dict(registry.get("cfa").charts(res, ds, "en", {"items": "show"}))["diagram"])
    assert sum(1 for n in d["nodes"] if n[0] == "ellipse") == 4
    assert len(d["lines"]) == 12 + 3 + 1
    # the covariance is drawn with an arrowhead at both ends
    assert len(d["heads"]) == 12 + 3 + 2


# ---- into the deliverables -------------------------------------------------------------------------
def test_pinned_diagrams_are_pictures_in_word_powerpoint_and_html():
    """Pinned diagrams are figures in Word (captioned, at a readable size) and
    HTML, and each gets its own slide after the findings in PowerPoint."""
    from docx import Document as open_docx
    from pptx import Presentation

    from core import report as reports
    from core.report import images

    raw, recipe, _ = samples.load("role_pressure")
    recipe = copy.deepcopy(recipe)
    recipe["analyses"] = [{"id": "process", "type": "process", "model": 4, "x": "RP", "m": ["PS"], "y": "WW",
                           "n_boot": 200, "seed": 1},
                          {"id": "sem", "type": "sem", "model": SEM_MODELS["role_pressure"]}]
    recipe["report"] = [{"kind": "chart", "analysis": "process", "chart": "diagram"},
                        {"kind": "chart", "analysis": "process", "chart": "conceptual"},
                        {"kind": "chart", "analysis": "sem", "chart": "diagram"}]
    recipe = recipes.validate(recipe)
    for lang in ("zh", "en"):
        ds = build_dataset(raw, recipe, lang)
        results = recipes.run_all(recipe, ds)
        doc = reports.build(recipe, ds, results, lang)
        assert not doc.missing and [b.name for b in doc.charts] == ["diagram", "conceptual", "diagram"]
        word = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, lang, document=doc)))
        assert len(word.inline_shapes) == 3
        text = "\n".join(p.text for p in word.paragraphs)
        assert doc.charts[0].title in text and ("统计模型图" in text) == (lang == "zh")
        for shape in word.inline_shapes:   # a readable size: at least 3 inches wide
            assert shape.width >= 3 * 914400
        png = doc.charts[0].png()
        w, h = images.png_size(png)
        assert w >= 1000 and h >= 300          # rendered at print resolution
        html = reports.export("html", recipe, ds, results, lang, document=doc).decode()
        assert html.count("data:image/svg+xml;base64,") == 3
        # the deck: after the findings, one slide per pinned chart, its picture inside the slide and clear of
        # every text on it
        findings = reports.key_findings(recipe, ds, results, lang)
        deck = reports.slides(recipe, ds, results, lang, findings)
        prs = Presentation(io.BytesIO(reports.export("pptx", recipe, ds, results, lang, findings=findings)))
        slides = list(prs.slides)
        assert len(slides) == 2 + len(deck) + 3
        for slide, chart in zip(slides[-3:], doc.charts):
            pictures = [s for s in slide.shapes if s.shape_type == 13]
            texts = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
            assert len(pictures) == 1 and pictures[0].width > prs.slide_width // 3
            assert any(chart.title.split("：")[0].split(":")[0] in s.text_frame.text for s in texts)
            for shape in slide.shapes:
                assert shape.left >= 0 and shape.top >= 0
                assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height
            p = pictures[0]
            for s in texts:
                assert s.top + s.height <= p.top or p.top + p.height <= s.top, s.text_frame.text


# ---- on the pages ----------------------------------------------------------------------------------
def test_pages_draw_the_diagrams_with_pin_and_downloads():
    """The Process page shows both diagrams as charts with their pin and
    PNG/SVG downloads (a pin puts the diagram into the report); the
    measurement page does the same for the CFA and SEM diagrams."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    raw, recipe, _ = samples.load("role_pressure")
    at = AppTest.from_file(str(root / "pages" / "process.py"), default_timeout=180)
    at.session_state["lang"] = "zh"
    at.session_state["raw"], at.session_state["recipe"] = raw, copy.deepcopy(recipe)
    at.run()
    assert not at.exception
    downloads = [d.proto.id for d in at.get("download_button")]
    for name in ("conceptual", "diagram"):
        for key in (f"dl_png_process_{name}", f"dl_svg_process_{name}"):
            assert any(i.endswith("-" + key) for i in downloads), key
    pin = next(b for b in at.button if b.key == "pin_chart_process_diagram")
    pin.click().run()
    assert not at.exception
    items = at.session_state["recipe"]["report"]
    assert [(i["kind"], i["chart"]) for i in items] == [("chart", "diagram")]

    at = AppTest.from_file(str(root / "pages" / "measurement.py"), default_timeout=300)
    at.session_state["lang"] = "en"
    at.session_state["raw"], at.session_state["recipe"] = raw, copy.deepcopy(recipe)
    at.run()
    assert not at.exception
    keys = {b.key for b in at.button}
    assert {"pin_chart_cfa_diagram", "pin_chart_sem_diagram"} <= keys
