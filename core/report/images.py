"""Charts as images: PNG (high resolution) and SVG through vl-convert.

vl-convert renders Vega-Lite without a browser.  Chinese needs a CJK font:
Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto``, "Noto Sans
CJK SC", the first family of ``core.theme.FONT``) is registered once, plus
any directory named in the ``PE_FONT_DIRS`` environment variable
(``os.pathsep``-separated).  Charts declared with ``width="container"`` (the
pages' responsive width) are exported at a fixed width.
"""
from __future__ import annotations

import copy
import os
import struct
import threading
from pathlib import Path

import vl_convert as vlc

FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",        # Debian fonts-noto-cjk
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/noto-cjk",             # Fedora/Arch
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/droid",       # Debian fonts-droid-fallback
    "/System/Library/Fonts",                 # macOS (PingFang)
    "C:/Windows/Fonts",                      # Windows (Microsoft YaHei)
)
DEFAULT_WIDTH = 640
_lock = threading.Lock()
_registered: list[str] = []


def font_dirs() -> list[str]:
    extra = [d for d in os.environ.get("PE_FONT_DIRS", "").split(os.pathsep) if d]
    return [d for d in (*extra, *FONT_DIRS) if Path(d).is_dir()]


def ensure_fonts() -> list[str]:
    """Register the CJK font directories with vl-convert (once)."""
    with _lock:
        if not _registered:
            for d in font_dirs():
                try:
                    vlc.register_font_directory(str(Path(d).resolve()))
                    _registered.append(d)
                except Exception:  # an unreadable directory must not stop exports
                    pass
            if not _registered:
                _registered.append("")
    return [d for d in _registered if d]


def _fix_sizes(node, width: int):
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if k == "width" and v == "container":
                node[k] = width
            elif k == "height" and v == "container":
                node[k] = int(width * 0.6)
            else:
                _fix_sizes(v, width)
    elif isinstance(node, list):
        for v in node:
            _fix_sizes(v, width)


def vega_lite(chart, width: int = DEFAULT_WIDTH, title: bool = True) -> dict:
    """The chart's Vega-Lite spec with container sizes made fixed; without
    ``title`` the chart's title is left out (a report's caption carries it)
    and a subtitle (a star legend) stays as a plain line."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else copy.deepcopy(chart)
    if not isinstance(spec, dict):
        raise TypeError("not a chart")
    _fix_sizes(spec, width)
    if not title and "title" in spec:
        head = spec.pop("title")
        sub = head.get("subtitle") if isinstance(head, dict) else None
        if sub:
            spec["title"] = {"text": sub, "anchor": "start", "fontSize": 11, "fontWeight": "normal"}
    return spec


def to_svg(chart, width: int = DEFAULT_WIDTH, title: bool = True) -> str:
    """SVG of a chart (Vega-Lite → Vega → SVG; compiling first is faster than
    vl-convert's one-step conversion); ``title`` as in :func:`vega_lite`."""
    ensure_fonts()
    return vlc.vega_to_svg(vlc.vegalite_to_vega(vega_lite(chart, width, title)))


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    ensure_fonts()
    return vlc.svg_to_png(svg, scale=scale)


def to_png(chart, scale: float = 2.0, width: int = DEFAULT_WIDTH) -> bytes:
    """A PNG at ``scale`` × the chart's CSS pixel size (2 = print quality),
    rasterised from the SVG."""
    return svg_to_png(to_svg(chart, width), scale)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])
