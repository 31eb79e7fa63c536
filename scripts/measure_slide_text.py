"""Widths LibreOffice Impress gives slide text, for tests/reference/slide_text_widths.json.

Each string is put on one line of a deck written like core/report/pptx_writer's (its
typefaces: Calibri in English, Microsoft YaHei in Chinese), the deck is rendered
with ``soffice --headless --convert-to pdf`` and every line's width is read from
``pdftotext -bbox``.  The test checks that core.report.textfit never measures a
string narrower than this renderer draws it.

    python scripts/measure_slide_text.py > tests/reference/slide_text_widths.json
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.report import pptx_writer, textfit  # noqa: E402

SIZE, SUB = 26.0, 13.0
STRINGS = {
    "zh": ["模型拟合，χ²/df = 1.05，RMSEA = .011 [.000, .021]，拟合良好。",
           "样本共 409 人；各变量中占比最大的类别为——性别：男占 55.7%；",
           "PS 的聚合效度较弱（AVE 低于 .50 或 CR 低于 .70）。",
           "7 个量表的信度：Cronbach's α 系数介于 .83（RCF）与 .91 之间",
           "单因子模型拟合明显更差（CFI = .419，RMSEA = .137",
           "间接效应 RP->PS->WW：0.097（95% 置信区间 [0.06, 0.14]）。"],
    "en": ["Model fit, χ²/df = 1.05, RMSEA = .011 [.000, .021] — good fit.",
           "The sample has 409 respondents; largest groups — Gender: Male",
           "Index of moderated mediation of RP->PS->WW by Error-management",
           "WWWWWWWWWWWWWWWWWWWWWWWWWWWW",
           "0123456789 [0.06, 0.14] (95% CI) p < .001, d = -0.20",
           "Discriminant validity (Fornell–Larcker): each factor's √AVE"],
}


def main() -> None:
    from pptx import Presentation

    out = {"source": "LibreOffice Impress " + subprocess.run(["soffice", "--version"], capture_output=True,
                                                              text=True).stdout.strip()
           + " rendering to PDF (Debian fonts: fonts-noto-cjk, fonts-dejavu-core, fonts-crosextra-carlito); "
             "line widths from poppler's pdftotext -bbox",
           "script": "scripts/measure_slide_text.py", "unit": "pt", "cases": []}
    cases = [(lang, s, size, bold) for lang, strings in STRINGS.items() for s in strings
             for size, bold in ((SIZE, True), (SUB, False))]
    with tempfile.TemporaryDirectory() as tmp:
        prs = Presentation()
        prs.slide_width, prs.slide_height = pptx_writer._emu(1400), pptx_writer.H   # wide: no line reaches the edge
        for lang, s, size, bold in cases:   # one slide per string, on one line of a box wider than the slide
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            fitted = pptx_writer.Fitted(size, [s], bold)
            box = slide.shapes.add_textbox(pptx_writer._emu(10), pptx_writer._emu(40), pptx_writer._emu(1380),
                                           pptx_writer._emu(fitted.height))
            pptx_writer._frame(box.text_frame, fitted, lang)
            box.text_frame.word_wrap = False
        path = Path(tmp) / "widths.pptx"
        prs.save(path)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)], check=True,
                       capture_output=True)
        for page, (lang, s, size, bold) in enumerate(cases, 1):
            xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path.with_suffix(".pdf")),
                                  "-"], capture_output=True, text=True, check=True).stdout
            right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', xml))
            estimate = textfit.width_pt(s, size, bold, pptx_writer.latin_typeface(lang))
            out["cases"].append({"lang": lang, "text": s, "size": size, "bold": bold, "rendered": round(right - 10, 2),
                                 "estimate_at_recording": round(estimate, 2)})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
