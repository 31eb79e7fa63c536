"""A self-contained HTML report: one page, inline CSS, charts embedded.

Every piece of user text (variable names, value labels, titles, free text)
goes through :func:`html.escape`; charts are embedded as SVG images
(``<img src="data:image/svg+xml;base64,…">``), which browsers never run
scripts from.  No external resources are loaded.
"""
from __future__ import annotations

import base64
import html

from core.format import TEXT_KINDS
from core.i18n import t
from core.report.content import ChartBlock, Document, FindingsBlock, SectionBlock, TableBlock, TextBlock

CSS = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Times New Roman",SimSun,serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#111;line-height:1.5}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{font-size:1.35rem;margin-top:2rem;border-bottom:1px solid #ddd}
.sub{color:#555;font-style:italic;margin:.1rem 0}
table.apa{border-collapse:collapse;margin:.4rem auto .2rem auto;font-size:.92rem}
p.cap{margin:1.2rem 0 .2rem 0}p.cap .lab{font-weight:bold;display:block}p.cap .ttl{font-style:italic}
html[lang=zh] p.cap{text-align:center;font-weight:bold}
html[lang=zh] p.cap .lab{display:inline;margin-right:.6em}html[lang=zh] p.cap .ttl{font-style:normal}
table.apa thead th{border-top:2px solid #000;border-bottom:1px solid #000;padding:.25rem .6rem;font-weight:normal}
table.apa tbody tr:last-child td{border-bottom:2px solid #000}
table.apa td{padding:.15rem .6rem}
table.apa .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}table.apa .txt{text-align:left}
p.note{font-size:.85rem;margin:.2rem 0 1.4rem 0}p.note .lab{font-style:italic}
figure{margin:1.2rem 0;text-align:center}figure img{max-width:100%;height:auto}
figcaption{text-align:left;margin-bottom:.3rem}figcaption .lab{font-weight:bold;display:block}
figcaption .ttl{font-style:italic}
html[lang=zh] figcaption{text-align:center;font-weight:bold}html[lang=zh] figcaption .lab{display:inline;margin-right:.6em}
html[lang=zh] figcaption .ttl{font-style:normal}
ul.findings li{margin:.3rem 0}
"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def table_html(block: TableBlock, lang: str) -> str:
    out = [f'<p class="cap"><span class="lab">{esc(t("report.table_label", lang, n=block.number))}</span>'
           f'<span class="ttl">{esc(block.title)}</span></p>', '<table class="apa"><thead><tr>']
    for col in block.columns:
        cls = "txt" if col.kind in TEXT_KINDS else "num"
        out.append(f'<th class="{cls}" scope="col">{esc(col.title)}</th>')
    out.append("</tr></thead><tbody>")
    values = block.frame.to_numpy(dtype=object)
    for row in values:
        out.append("<tr>")
        for v, col in zip(row, block.columns):
            cls = "txt" if col.kind in TEXT_KINDS else "num"
            out.append(f'<td class="{cls}">{esc(block.cell_text(v, col))}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append(f'<p class="note"><span class="lab">{esc(t("report.note_label", lang))}</span> '
               f'{esc(block.footnote())}</p>')
    return "".join(out)


def chart_html(block: ChartBlock, lang: str) -> str:
    svg = block.svg()
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    cap = (f'<figcaption><span class="lab">{esc(t("report.figure_label", lang, n=block.number))}</span>'
           f'<span class="ttl">{esc(block.title)}</span></figcaption>')
    return f'<figure>{cap}<img alt="{esc(block.title)}" src="data:image/svg+xml;base64,{data}"></figure>'


def write(document: Document) -> bytes:
    lang = document.lang
    parts = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(document.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{esc(document.title)}</h1>"]
    parts += [f'<p class="sub">{esc(line)}</p>' for line in document.subtitle]
    for block in document.blocks:
        if isinstance(block, SectionBlock):
            parts.append(f"<h2>{esc(block.title)}</h2>")
        elif isinstance(block, TextBlock):
            parts.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, TableBlock):
            parts.append(table_html(block, lang))
        elif isinstance(block, ChartBlock):
            parts.append(chart_html(block, lang))
        elif isinstance(block, FindingsBlock):
            parts.append(f"<h2>{esc(t('report.findings_title', lang))}</h2>")
            if block.findings:
                parts.append('<ul class="findings">' + "".join(f"<li>{esc(kf.headline)}</li>"
                                                               for kf in block.findings) + "</ul>")
            else:
                parts.append(f"<p><em>{esc(t('report.no_findings', lang))}</em></p>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
