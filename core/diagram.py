"""Path diagrams as Vega-Lite charts: boxes, ellipses and arrows laid out in
pixels by the caller, drawn as layered marks (no Graphviz, no browser).

A :class:`Diagram` holds nodes (text measured and wrapped with
:mod:`core.report.textfit`, so each box is as large as its text needs) and
edges.  The caller places the nodes (centres, in pixels); :meth:`Diagram.chart`
then routes the edges — straight, or bent around any box in the way —, clips
them at the node outlines, puts each label where it covers no box and no
other label, and returns an Altair layer chart whose scales are the pixels
themselves (``scale=None``).  Being an ordinary chart, a diagram is pinned,
downloaded as PNG/SVG and exported to Word, PowerPoint and HTML like any
other (vl-convert with the CJK font, :mod:`core.report.images`).

Nodes may also be *points*: the middle of another edge, where a moderator's
arrow ends in a conceptual diagram.  :meth:`Diagram.geometry` exposes what is
drawn (boxes, polylines, label boxes) for tests.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from core.report import textfit
from core.theme import FONT

FONT_SIZE = 12.0            # px, node text
SUB_SIZE = 10.5             # px, a node's second text (R²)
LABEL_SIZE = 11.0           # px, edge labels and the note under the drawing
TITLE_SIZE = 14.0
LINE = 1.3                  # line height / font size
PAD_X, PAD_Y = 9.0, 6.0     # text to box edge
SLACK = 1.08                # measured width × this: browsers' fallback fonts differ a little
WRAP = 150.0                # px: a node's text wraps at this width
ELLIPSE = 1.30              # an ellipse around a text box of w × h is ELLIPSE·w × ELLIPSE·h
MARGIN = 10.0
HEAD = 9.0                  # arrowhead length, px
INK, GREY, BLUE, ORANGE = "#333333", "#9A9A9A", "#1F4E79", "#C8650A"
FILL = {"observed": "#F4F6FA", "latent": "#EAF2FB", "moderator": "#FFF4E0", "outcome": "#E8F1FA",
        "point": "#333333"}
STROKE = {"observed": "#4C78A8", "latent": "#1F4E79", "moderator": "#F58518", "outcome": "#1F4E79",
          "point": "#333333"}
# an arrowhead: a triangle in the unit square, tip at the top; Vega scales it to sqrt(size) px and turns it
HEAD_PATH = "M0,-1L0.75,1L-0.75,1Z"


NO_LINE_START = "）)】」』》〉，,。.、；;：:！!？?％%"   # closing brackets and punctuation never start a line


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """:func:`core.report.textfit.wrap`, with closing punctuation kept at the
    end of the line before (the line may then be a character wider)."""
    lines: list[str] = []
    for line in textfit.wrap(text, width, size, bold):
        while lines and line and line[0] in NO_LINE_START:
            lines[-1], line = lines[-1] + line[0], line[1:].lstrip()
        if line:
            lines.append(line)
    return lines


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Measured width of one line in px (Noto Sans CJK metrics, with slack)."""
    return textfit.width_pt(text, size, bold) * SLACK


@dataclass
class Node:
    id: str
    lines: list[str]
    shape: str = "rect"          # rect | ellipse | point
    style: str = "observed"      # observed | latent | moderator | outcome | point
    sub: list[str] = field(default_factory=list)
    bold: bool = False
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0               # centre
    y: float = 0.0
    anchor: int | None = None    # a point: the index of the edge whose middle it is

    def box(self) -> tuple[float, float, float, float]:
        return self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2

    def text_block(self) -> tuple[float, float]:
        """(width, height) of the text inside the node."""
        tw = max([text_width(s, FONT_SIZE, self.bold) for s in self.lines] +
                 [text_width(s, SUB_SIZE) for s in self.sub] + [0.0])
        th = FONT_SIZE * LINE * len(self.lines) + SUB_SIZE * LINE * len(self.sub)
        return tw, th

    def boundary(self, tx: float, ty: float) -> tuple[float, float]:
        """Where the ray from the centre towards (tx, ty) leaves the outline."""
        dx, dy = tx - self.x, ty - self.y
        if self.shape == "point" or (dx == 0 and dy == 0):
            return self.x, self.y
        a, b = self.w / 2, self.h / 2
        if self.shape == "ellipse":
            s = 1.0 / math.sqrt((dx / a) ** 2 + (dy / b) ** 2)
        else:
            s = min(a / abs(dx) if dx else math.inf, b / abs(dy) if dy else math.inf)
        return self.x + s * dx, self.y + s * dy


@dataclass
class Edge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False
    color: str = INK
    heads: int = 1               # 0: a line, 1: an arrow to dst, 2: both ends (a covariance)
    bend: float | None = None    # px the curve's middle stands off the straight line (None: straight if it can)
    width: float = 1.6
    ports: tuple | None = None   # (angle at src, angle at dst) in degrees, clockwise from →: a curve that
    #                              leaves and enters in those directions, ``bend`` px out (a covariance arc)
    label_at: float = 0.5        # where along the edge its label is best (it moves to avoid others)
    points: list = field(default_factory=list)       # the drawn polyline, set by Diagram.route
    label_box: tuple | None = None


def _quad(p0, c, p1, n: int = 24) -> list[tuple[float, float]]:
    out = []
    for i in range(n + 1):
        t = i / n
        out.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
                    (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1]))
    return out


def _cubic(p0, c0, c1, p1, n: int = 28) -> list[tuple[float, float]]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append((u ** 3 * p0[0] + 3 * u * u * t * c0[0] + 3 * u * t * t * c1[0] + t ** 3 * p1[0],
                    u ** 3 * p0[1] + 3 * u * u * t * c0[1] + 3 * u * t * t * c1[1] + t ** 3 * p1[1]))
    return out


def _seg_hits_box(p, q, box, pad: float = 0.0) -> bool:
    """Whether segment p–q passes through the box (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
            continue
        r = qk / pk
        if pk < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo > hi:
            return False
    return True


def crosses(p, q, node: Node, pad: float = 0.0) -> bool:
    """Whether segment p–q passes through a node (its box, or its ellipse), grown by ``pad``."""
    if not _seg_hits_box(p, q, node.box(), pad):
        return False
    if node.shape != "ellipse":
        return True
    a, b = node.w / 2 + pad, node.h / 2 + pad
    steps = max(2, int(math.dist(p, q) / 2))
    return any(((p[0] + (q[0] - p[0]) * k / steps - node.x) / a) ** 2 +
               ((p[1] + (q[1] - p[1]) * k / steps - node.y) / b) ** 2 < 1 for k in range(steps + 1))


def overlaps(a, b, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _at(points, t: float) -> tuple[float, float, float]:
    """(x, y, direction angle) at fraction ``t`` of a polyline's length."""
    lens = [math.dist(points[i], points[i + 1]) for i in range(len(points) - 1)]
    goal = t * sum(lens)
    for i, seg in enumerate(lens):
        if goal <= seg or i == len(lens) - 1:
            f = goal / seg if seg else 0.0
            (x0, y0), (x1, y1) = points[i], points[i + 1]
            return x0 + f * (x1 - x0), y0 + f * (y1 - y0), math.atan2(y1 - y0, x1 - x0)
        goal -= seg
    x, y = points[-1]
    return x, y, 0.0


class Diagram:
    """Nodes and edges in pixel space; see the module docstring."""

    def __init__(self, title: str = "", note: list[str] | tuple = ()):
        self.title, self.note = title, [x for x in note if x]
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.width = self.height = 0.0

    # ---- building ----------------------------------------------------------------------------
    def node(self, nid: str, text: str, shape: str = "rect", style: str = "observed", sub: str = "",
             wrap: float = WRAP, bold: bool = False) -> Node:
        lines = self._balanced(str(text), wrap / SLACK, bold)
        node = Node(nid, lines, shape, style, [sub] if sub else [], bold)
        tw, th = node.text_block()
        node.w, node.h = tw + 2 * PAD_X, th + 2 * PAD_Y
        if shape == "ellipse":
            node.w, node.h = node.w * ELLIPSE, node.h * ELLIPSE
        self.nodes[nid] = node
        return node

    @staticmethod
    def _balanced(text: str, width: float, bold: bool) -> list[str]:
        """``text`` wrapped at ``width`` into as few lines as it needs, as even
        as they can be (no single character left on a line of its own)."""
        lines = wrap(text, width, FONT_SIZE, bold) or [""]
        if len(lines) < 2:
            return lines
        widest_word = max(textfit.width_pt(w, FONT_SIZE, bold) for w in textfit.words(text))
        lo, hi = max(width / len(lines), min(widest_word, width)), width   # never break inside a word
        if lo >= hi:
            return lines
        while hi - lo > 2:
            mid = (lo + hi) / 2
            if len(wrap(text, mid, FONT_SIZE, bold)) <= len(lines):
                hi = mid
            else:
                lo = mid
        return wrap(text, hi, FONT_SIZE, bold)

    def point(self, nid: str, edge: int) -> Node:
        """A point at the middle of edge number ``edge`` (a moderator's arrow ends there)."""
        node = Node(nid, [], "point", "point", anchor=edge)
        self.nodes[nid] = node
        return node

    def edge(self, src: str, dst: str, **kw) -> int:
        self.edges.append(Edge(src, dst, **kw))
        return len(self.edges) - 1

    # ---- routing -----------------------------------------------------------------------------
    def _obstacles(self, e: Edge) -> list:
        return [n for n in self.nodes.values() if n.id not in (e.src, e.dst) and n.shape != "point"]

    def _path(self, e: Edge, bend: float) -> list:
        a, b = self.nodes[e.src], self.nodes[e.dst]
        if e.ports is not None:
            ends = []
            for node, ang in ((a, e.ports[0]), (b, e.ports[1])):
                dx, dy = math.cos(math.radians(ang)), math.sin(math.radians(ang))
                p = node.boundary(node.x + dx * node.w / 2, node.y + dy * node.h / 2)   # the angle on the outline
                ends.append((p, (p[0] + bend * dx, p[1] + bend * dy)))
            return _cubic(ends[0][0], ends[0][1], ends[1][1], ends[1][0])
        if not bend:
            return [a.boundary(b.x, b.y), b.boundary(a.x, a.y)]
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        nx, ny = -(b.y - a.y) / length, (b.x - a.x) / length
        c = (mx + 2 * bend * nx, my + 2 * bend * ny)    # a quadratic's middle is half-way to its control point
        p0, p1 = a.boundary(*c), b.boundary(*c)
        return _quad(p0, c, p1)

    def _clear(self, points, obstacles) -> bool:
        return not any(crosses(points[i], points[i + 1], node, 3.0)
                       for i in range(len(points) - 1) for node in obstacles)

    def arc(self, src: str, dst: str, ports: tuple[float, float], reach: float, **kw) -> int:
        """A curve leaving ``src`` and entering ``dst`` in the directions of
        ``ports`` (degrees), reaching out ``reach`` px or as much further as
        it takes to pass no other box (a covariance drawn beside a column)."""
        e = Edge(src, dst, ports=ports, **kw)
        obstacles = self._obstacles(e)
        for _ in range(16):
            if self._clear(self._path(e, reach), obstacles):
                break
            reach *= 1.2
        e.bend = reach
        self.edges.append(e)
        return len(self.edges) - 1

    def route(self) -> None:
        """Polylines of every edge: as asked, or straight, or the smallest bend
        (either side) that passes no other box; points on edges follow."""
        for i, e in enumerate(self.edges):
            for n in self.nodes.values():     # points anchored on earlier edges
                if n.anchor is not None and n.anchor < i and self.edges[n.anchor].points:
                    n.x, n.y, _ = _at(self.edges[n.anchor].points, 0.5)
            if e.bend is not None:
                e.points = self._path(e, e.bend)
                continue
            obstacles = self._obstacles(e)
            for bend in (0, 28, -28, 56, -56, 90, -90, 130, -130, 180, -180):
                e.points = self._path(e, bend)
                if self._clear(e.points, obstacles):
                    break
            else:
                e.points = self._path(e, 0)

    def place_labels(self) -> None:
        """Each label on its edge where it covers no box and no other label."""
        boxes = [n.box() for n in self.nodes.values() if n.shape != "point"]
        placed: list = []
        for e in self.edges:
            if not e.label:
                continue
            w = text_width(e.label, LABEL_SIZE) + 6
            h = LABEL_SIZE * LINE + 2
            best, least = None, math.inf
            ts = sorted((k / 20 for k in range(3, 18)), key=lambda v: abs(v - e.label_at))
            for shift in (0.0, 0.75, -0.75, 1.5, -1.5):      # on the line first, then beside it
                for t in ts:
                    x, y, ang = _at(e.points, t)
                    x, y = x - math.sin(ang) * shift * h, y + math.cos(ang) * shift * h
                    box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                    hits = sum(overlaps(box, b, 2) for b in boxes + placed)
                    if hits < least:
                        best, least = box, hits
                    if not hits:
                        break
                if not least:
                    break
            e.label_box = best
            placed.append(best)

    def _extent(self) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for n in self.nodes.values():
            b = n.box()
            xs += [b[0], b[2]]
            ys += [b[1], b[3]]
        for e in self.edges:
            xs += [p[0] for p in e.points]
            ys += [p[1] for p in e.points]
            if e.label_box:
                xs += [e.label_box[0], e.label_box[2]]
                ys += [e.label_box[1], e.label_box[3]]
        return min(xs), min(ys), max(xs), max(ys)

    def layout(self) -> None:
        """Route, label, and move everything so the drawing starts at the margin."""
        self.route()
        self.place_labels()
        x0, y0, x1, y1 = self._extent()
        dx, dy = MARGIN - x0, MARGIN - y0
        for n in self.nodes.values():
            n.x, n.y = n.x + dx, n.y + dy
        for e in self.edges:
            e.points = [(x + dx, y + dy) for x, y in e.points]
            if e.label_box:
                b = e.label_box
                e.label_box = (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)
        self.width = x1 - x0 + 2 * MARGIN
        self.height = y1 - y0 + 2 * MARGIN
        self.width = max(self.width, text_width(self.title, TITLE_SIZE, True) + 2 * MARGIN)
        self.note_lines = []
        if self.note:
            self.width = max(self.width, 320)
            for para in self.note:
                self.note_lines += wrap(para, (self.width - 2 * MARGIN) / SLACK, LABEL_SIZE)
            self.height += LABEL_SIZE * LINE * len(self.note_lines) + MARGIN / 2

    def geometry(self) -> dict:
        """What is drawn, for tests: node boxes, edge polylines and label boxes, the canvas."""
        return {"width": self.width, "height": self.height,
                "nodes": {n.id: n for n in self.nodes.values()},
                "edges": list(self.edges)}

    # ---- drawing -----------------------------------------------------------------------------
    def chart(self) -> alt.LayerChart:
        self.layout()
        X = lambda f: alt.X(f, type="quantitative", scale=None, axis=None)   # noqa: E731  pixels as they are
        Y = lambda f: alt.Y(f, type="quantitative", scale=None, axis=None)   # noqa: E731
        layers = []
        # edges: one polyline per edge, solid and dashed apart
        for dashed in (False, True):
            rows = [{"edge": i, "k": k, "x": x, "y": y, "color": e.color, "w": e.width}
                    for i, e in enumerate(self.edges) if e.dashed == dashed for k, (x, y) in enumerate(e.points)]
            if rows:
                layers.append(alt.Chart(pd.DataFrame(rows)).mark_line(
                    strokeDash=[5, 4] if dashed else [1, 0], interpolate="linear").encode(
                    x=X("x"), y=Y("y"), detail="edge:N", order="k:Q",
                    color=alt.Color("color:N", scale=None), strokeWidth=alt.StrokeWidth("w:Q", scale=None)))
        heads = []
        for e in self.edges:
            ends = [(e.points[-1], e.points[-2])] if e.heads >= 1 else []
            if e.heads == 2:
                ends.append((e.points[0], e.points[1]))
            for tip, before in ends:
                ang = math.degrees(math.atan2(tip[0] - before[0], before[1] - tip[1]))   # clockwise from up
                r = math.radians(ang)
                # the symbol is centred: move it back half its length so the tip touches the outline
                heads.append({"x": tip[0] - math.sin(r) * HEAD / 2, "y": tip[1] + math.cos(r) * HEAD / 2,
                              "angle": ang, "color": e.color})
        if heads:
            layers.append(alt.Chart(pd.DataFrame(heads)).mark_point(
                shape=HEAD_PATH, filled=True, size=HEAD ** 2, opacity=1, strokeWidth=0).encode(
                x=X("x"), y=Y("y"), angle=alt.Angle("angle:Q", scale=None), color=alt.Color("color:N", scale=None)))
        # nodes
        rects = [n for n in self.nodes.values() if n.shape == "rect"]
        if rects:
            layers.append(alt.Chart(pd.DataFrame([
                {"x": n.box()[0], "x2": n.box()[2], "y": n.box()[1], "y2": n.box()[3],
                 "fill": FILL[n.style], "stroke": STROKE[n.style]} for n in rects])).mark_rect(
                cornerRadius=4, strokeWidth=1.4).encode(
                x=X("x"), x2="x2", y=Y("y"), y2="y2", fill=alt.Fill("fill:N", scale=None),
                stroke=alt.Stroke("stroke:N", scale=None)))
        ellipses = [n for n in self.nodes.values() if n.shape == "ellipse"]
        if ellipses:
            layers.append(alt.Chart(pd.DataFrame([
                {"x": n.x, "y": n.y, "size": n.w ** 2, "fill": FILL[n.style], "stroke": STROKE[n.style],
                 "path": f"M-1,0A1,{n.h / n.w:.4f},0,1,1,1,0A1,{n.h / n.w:.4f},0,1,1,-1,0Z"} for n in ellipses])
            ).mark_point(filled=True, opacity=1, strokeWidth=1.4).encode(
                x=X("x"), y=Y("y"), shape=alt.Shape("path:N", scale=None), size=alt.Size("size:Q", scale=None),
                fill=alt.Fill("fill:N", scale=None), stroke=alt.Stroke("stroke:N", scale=None)))
        # text: node lines (bold apart), second lines, edge labels on a white ground
        for bold in (False, True):
            rows = []
            for n in self.nodes.values():
                if n.shape == "point" or n.bold != bold:
                    continue
                _, th = n.text_block()
                y = n.y - th / 2
                for s in n.lines:
                    rows.append({"x": n.x, "y": y + FONT_SIZE * LINE / 2, "text": s, "size": FONT_SIZE})
                    y += FONT_SIZE * LINE
                for s in n.sub:
                    rows.append({"x": n.x, "y": y + SUB_SIZE * LINE / 2, "text": s, "size": SUB_SIZE})
                    y += SUB_SIZE * LINE
            if rows:
                layers.append(alt.Chart(pd.DataFrame(rows)).mark_text(
                    baseline="middle", align="center", color="#1A1A1A", fontWeight="bold" if bold else "normal").encode(
                    x=X("x"), y=Y("y"), text="text:N", size=alt.Size("size:Q", scale=None)))
        labelled = [e for e in self.edges if e.label]
        if labelled:
            lab = pd.DataFrame([{"x": e.label_box[0], "x2": e.label_box[2], "y": e.label_box[1],
                                 "y2": e.label_box[3], "cx": (e.label_box[0] + e.label_box[2]) / 2,
                                 "cy": (e.label_box[1] + e.label_box[3]) / 2, "text": e.label, "color": e.color}
                                for e in labelled])
            layers.append(alt.Chart(lab).mark_rect(fill="white", opacity=0.92).encode(
                x=X("x"), x2="x2", y=Y("y"), y2="y2"))
            layers.append(alt.Chart(lab).mark_text(baseline="middle", align="center", fontSize=LABEL_SIZE).encode(
                x=X("cx"), y=Y("cy"), text="text:N", color=alt.Color("color:N", scale=None)))
        if self.note_lines:
            top = self.height - MARGIN / 2 - LABEL_SIZE * LINE * len(self.note_lines)
            layers.append(alt.Chart(pd.DataFrame([
                {"x": MARGIN, "y": top + LABEL_SIZE * LINE * (k + 0.5), "text": s}
                for k, s in enumerate(self.note_lines)])).mark_text(
                baseline="middle", align="left", fontSize=LABEL_SIZE, color="#555555").encode(
                x=X("x"), y=Y("y"), text="text:N"))
        # autosize "pad": the view keeps its pixels and the title is added around it (Streamlit's default,
        # "fit", would shrink the view by the title's height and cut off the bottom of the drawing)
        chart = alt.layer(*layers).properties(width=round(self.width), height=round(self.height),
                                              autosize=alt.AutoSizeParams(type="pad"),
                                              usermeta={"diagram": True})   # pages show it as a picture
        if self.title:
            chart = chart.properties(title=alt.TitleParams(self.title, anchor="start", fontSize=TITLE_SIZE))
        return chart.configure(font=FONT, view=alt.ViewConfig(stroke=None), padding=4)
