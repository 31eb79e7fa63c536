"""Text measured before it is placed: how many lines a string needs in a box
of a given width at a given size, and the largest size (down to a floor) at
which it fits in a number of lines — so slide text never overflows its box.

Widths come from Noto Sans CJK (Debian's ``fonts-noto-cjk``, found in the
directories :func:`core.report.images.font_dirs` lists) through Pillow; its
Latin glyphs are wider than Calibri's and its CJK glyphs as wide as Microsoft
YaHei's, so text measured with it fits the fonts the deck names and the
charts draw with.  Without the font a conservative estimate is used: a full em
for every CJK or full-width character, 0.62 em (0.66 bold) for anything else.

Office renderers (``typeface``: the Latin typeface a slide names) draw less
predictably: they put about a quarter em between CJK and Latin characters
(autospace, :data:`AUTOSPACE` per boundary), and one without the named font
substitutes its own — Calibri has a metric twin (Carlito), narrower than Noto's
Latin, but LibreOffice on Linux draws the Latin of text set in Microsoft YaHei
in DejaVu Sans, ~20% wider than Noto's.  Latin runs in such a typeface
(:data:`WIDE_SUBSTITUTE`) are measured at the wider of Noto's and DejaVu
Sans' glyphs (0.80 em, 0.74 regular, without DejaVu Sans).
tests/reference/slide_text_widths.json holds the widths LibreOffice draws,
which the measure must never undercut.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

PT_PER_INCH = 72.0
EMU_PER_PT = 12700
LINE_SPACING = 1.2      # line height as a multiple of the font size (PowerPoint's single spacing ≈ 1.2)
FONT_FILES = {False: ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
              True: ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf")}
LATIN_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
LATIN_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
AUTOSPACE = 0.25        # em office renderers add between a CJK and a Latin character
WIDE_SUBSTITUTE = {"Microsoft YaHei"}   # typefaces whose Latin a renderer without them may draw in DejaVu Sans
_REF_SIZE = 100         # fonts are measured at 100 px and scaled


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    from PIL import ImageFont

    from core.report.images import font_dirs

    for d in font_dirs():
        for name in FONT_FILES[bold]:
            for path in Path(d).rglob(name):
                try:
                    return ImageFont.truetype(str(path), _REF_SIZE, layout_engine=ImageFont.Layout.BASIC)
                except OSError:
                    continue
    return None


@functools.lru_cache(maxsize=2)
def _latin_font(bold: bool):
    """DejaVu Sans: what office renderers on Linux substitute for a missing font."""
    from PIL import ImageFont

    from core.report.images import font_dirs

    for d in (*LATIN_DIRS, *font_dirs()):
        for path in sorted(Path(d).rglob(LATIN_FILES[bold])) if Path(d).is_dir() else ():
            try:
                return ImageFont.truetype(str(path), _REF_SIZE, layout_engine=ImageFont.Layout.BASIC)
            except OSError:
                continue
    return None


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@functools.lru_cache(maxsize=4096)
def _em(text: str, bold: bool) -> float:
    """Width of ``text`` in ems."""
    font = _font(bold)
    if font is not None:
        return font.getlength(text) / _REF_SIZE
    narrow = 0.66 if bold else 0.62
    return sum(1.0 if is_wide(c) else narrow for c in text)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"   # CJK characters and full-width forms
_RUNS = re.compile(rf"([{_CJK}]+)|[^{_CJK}]+")


@functools.lru_cache(maxsize=4096)
def _office_em(text: str, bold: bool, typeface: str) -> float:
    """Width of ``text`` in ems as the widest office renderer may draw it."""
    runs = list(_RUNS.finditer(text))
    latin = _latin_font(bold) if typeface in WIDE_SUBSTITUTE else None
    total = AUTOSPACE * max(0, len(runs) - 1)
    for m in runs:
        run = m.group(0)
        own = _em(run, bold)
        if typeface in WIDE_SUBSTITUTE and m.group(1) is None:
            own = max(own, latin.getlength(run) / _REF_SIZE if latin is not None
                      else len(run) * (0.80 if bold else 0.74))
        total += own
    return total


def width_pt(text: str, size: float, bold: bool = False, typeface: str | None = None) -> float:
    """Width in points of one line of ``text`` at ``size`` pt; with the Latin
    ``typeface`` a slide names, as the widest office renderer draws it (see
    the module's doc)."""
    return (_office_em(text, bold, typeface) if typeface else _em(text, bold)) * size


# a break is allowed after a space and before and after any CJK character — but never before CJK closing
# punctuation nor after an opening bracket (kinsoku: "。" does not start a line, "（" does not end one)
_OPEN, _CLOSE = "[（【「『《〈“‘]*", "[）】」』》〉”’，。、；：！？％]*"
_TOKEN = re.compile(rf"\s+|{_OPEN}(?:[{_CJK}]|[^\s{_CJK}]+){_CLOSE}")


def words(text: str) -> list[str]:
    """The pieces a line may break between (words; single CJK characters)."""
    return [w for w in _TOKEN.findall(str(text)) if w.strip()] or [""]


def wrap(text: str, width: float, size: float, bold: bool = False, typeface: str | None = None) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (greedy; a
    word wider than the line is broken between characters)."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for tok in _TOKEN.findall(para):
            cand = line + tok
            if width_pt(cand.rstrip(), size, bold, typeface) <= width or not line.strip():
                line = cand
                if width_pt(line.rstrip(), size, bold, typeface) > width:   # one word longer than the line
                    while len(line) > 1 and width_pt(line, size, bold, typeface) > width:
                        cut = len(line) - 1
                        while cut > 1 and width_pt(line[:cut], size, bold, typeface) > width:
                            cut -= 1
                        lines.append(line[:cut])
                        line = line[cut:]
                continue
            lines.append(line.rstrip())
            line = tok.lstrip()
        lines.append(line.rstrip())
    return lines


def height_pt(n_lines: int, size: float) -> float:
    return n_lines * size * LINE_SPACING


def fit(text: str, width: float, max_lines: int, sizes, bold: bool = False,
        typeface: str | None = None) -> tuple[float, list[str]]:
    """The largest of ``sizes`` (descending) at which ``text`` takes at most
    ``max_lines`` lines, and the lines; at the smallest size, the first
    ``max_lines`` lines with the last one ending in "…" if text is left over."""
    sizes = list(sizes)
    for size in sizes:
        lines = wrap(text, width, size, bold, typeface)
        if len(lines) <= max_lines:
            return size, lines
    size = sizes[-1]
    lines = wrap(text, width, size, bold, typeface)[:max_lines]
    last = lines[-1].rstrip()
    while last and width_pt(last + "…", size, bold, typeface) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return size, lines
