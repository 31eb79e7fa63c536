"""The whole journey, as a new user takes it, in a real browser — in English
and in Chinese: open the app → upload the second sample survey as .sav →
propose and apply the scales on the Variables page → reliability, with
one-click reverse keying of the items it flags →
differences by the demographics → regression with a saved what-if scenario →
mediation (PROCESS model 4, mediator chosen) → moderation plot (model 1) →
pin results to the report → download the Word report and open it with
python-docx.  A screenshot of every step goes to test-artifacts/
(journey_<lang>_<nn>_<step>.png).
"""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from core.i18n import t

from .conftest import ROOT, open_app, shot, wait_idle

pytestmark = pytest.mark.browser

SAV = ROOT / "sample_data" / "role_pressure.sav"
LONG = 180_000   # ms: an analysis on a busy CI machine


def key_of(pg, pattern: str):
    """The element whose Streamlit key (class ``st-key-…``) matches ``pattern``
    (a regular expression over the class; widget keys with dots show as dashes)."""
    cls = pg.evaluate("""(re) => { const r = new RegExp(re);
        for (const e of document.querySelectorAll('[class*="st-key-"]'))
            for (const c of e.classList) if (r.test(c)) return c;
        return null; }""", pattern)
    assert cls, f"no element with a key matching {pattern}"
    return pg.locator("." + cls).first


def template_re(key: str, lang: str) -> re.Pattern:
    """A catalogue text with its {placeholders} as wildcards."""
    parts = re.split(r"\{[a-z_]+\}", t(key, lang))
    return re.compile(".*?".join(re.escape(p) for p in parts))


def no_errors(pg, where: str) -> None:
    n = pg.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()
    assert n == 0, f"{where}: {pg.locator('[data-testid=stException], [data-testid=stAlertContentError]').first.inner_text()}"


def open_page(pg, slug: str, done: str) -> None:
    """Open a page from the menu; ``done``: a text only that page shows once its analysis ran."""
    pg.locator(f"[data-testid='stSidebarNav'] a[href$='/{slug}']").click()
    pg.wait_for_url(re.compile(rf"/{slug}(\?.*)?$"), timeout=LONG)   # ?s=: the reload token
    pg.get_by_text(done, exact=True).first.wait_for(timeout=LONG)
    wait_idle(pg, LONG)
    no_errors(pg, slug)


def pin(pg, key: str, lang: str) -> None:
    button = key_of(pg, f"^st-key-{key}$").locator("button").first
    button.scroll_into_view_if_needed()
    button.click()
    wait_idle(pg, LONG)
    assert t("report.unpin", lang) in key_of(pg, f"^st-key-{key}$").inner_text()


def pick(pg, key: str, text: str, clear: bool = False) -> None:
    """Choose the option shown as ``text`` in a select/multiselect (typed to
    filter, then clicked); ``clear``: first remove the chosen item of a
    one-item multiselect."""
    box = key_of(pg, f"^st-key-{key}$")
    box.scroll_into_view_if_needed()
    field = box.locator("input").first
    field.click()
    if clear:
        field.press("Backspace")
    field.press_sequentially(text[:12])
    pg.get_by_role("option", name=text, exact=True).first.click()
    pg.keyboard.press("Escape")
    wait_idle(pg, LONG)


def journey(pg, server: str, lang: str) -> None:
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        pg.wait_for_timeout(800)   # charts draw after the script finished
        no_errors(pg, name)
        shot(pg, f"journey_{lang}_{next(step):02d}_{name}")

    pg.set_viewport_size({"width": 1400, "height": 2000})   # taller screenshots (the app scrolls inside)
    # 1 · open the app (it opens on a sample survey); switch language first for Chinese
    open_app(pg, server)
    if lang == "zh":
        pg.get_by_text("中文", exact=True).click()
        wait_idle(pg)
    pg.get_by_text(tr("data.samples"), exact=True).first.wait_for()
    snap("open")

    # 2 · upload the second sample survey as .sav
    pg.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(SAV))
    wait_idle(pg)
    pg.get_by_text(tr("data.preview", name="role_pressure.sav")).wait_for(timeout=LONG)
    assert pg.get_by_text(tr("data.shape", rows=409, cols=39)).first.is_visible()
    snap("upload")

    # 3 · scales: let the app propose them from the item names, check, apply
    open_page(pg, "variables", tr("vars.scales"))
    key_of(pg, "^st-key-vars_propose$").locator("button").click()
    wait_idle(pg)
    pg.get_by_text(tr("vars.proposal_shown")).wait_for()
    # the scales form's button (answer codes and levels have forms of their own)
    pg.get_by_role("button", name=tr("vars.apply"), exact=True).click()
    wait_idle(pg)
    pg.get_by_text(tr("vars.applied")).wait_for()
    pg.get_by_text(tr("vars.scored"), exact=True).wait_for()
    snap("scales")

    # 4 · reliability (the measurement page opens on it): PS has unmarked reverse-keyed items (α < 0);
    #     the page offers one-click reverse keying for each, as a new user would use it
    open_page(pg, "measurement", tr("reliability.table.alpha"))
    assert re.search(r"α = -\.\d", pg.inner_text("[data-testid='stMain']"))
    for _ in range(7):
        found = pg.evaluate("""() => Array.from(document.querySelectorAll('[class*="st-key-rev-"]'))
                               .map(e => Array.from(e.classList).find(c => c.startsWith('st-key-rev-')))""")
        if not found:
            break
        pg.locator("." + found[0]).locator("button").first.click()
        pg.locator("." + found[0]).wait_for(state="detached", timeout=LONG)   # that item is reversed
        wait_idle(pg, LONG)
    body = pg.inner_text("[data-testid='stMain']")
    assert not re.search(r"α = -\.\d", body), "PS still has a negative alpha after reverse keying"
    pin(pg, "pin_table_reliability_alpha", lang)
    snap("reliability")

    # 5 · differences by the demographics (the proposed ones: gender, age, …)
    open_page(pg, "differences", tr("difference.page.reading"))
    body = pg.inner_text("[data-testid='stMain']")
    assert tr("difference.table.tests") in body
    pin(pg, "pin_table_differences_tests", lang)
    snap("differences")

    # 6 · regression, and a what-if scenario: move a slider, save the scenario
    open_page(pg, "regression", tr("regression.page.whatif"))
    box = key_of(pg, r"^st-key-wi-[0-9a-f]+-PS$")
    box.scroll_into_view_if_needed()
    box.locator("input[type='range']").focus()
    for _ in range(20):
        pg.keyboard.press("ArrowRight")
    wait_idle(pg)
    name = key_of(pg, r"^st-key-wi-[0-9a-f]+-name$").locator("input")
    name.fill("PS+")
    name.press("Enter")
    wait_idle(pg)
    key_of(pg, r"^st-key-wi-[0-9a-f]+-save$").locator("button").click()
    wait_idle(pg)
    pg.get_by_text("PS+", exact=True).first.wait_for()
    pin(pg, "pin_table_regression_coefficients", lang)
    pin(pg, "pin_table_regression_scenarios", lang)
    snap("regression_whatif")

    # 7 · mediation: PROCESS model 4, X = RA, M = PS (chosen), Y = WW
    open_page(pg, "process", tr("process.page.step_model"))
    pick(pg, f"opt-process-m-{lang}", "PS", clear=True)
    pg.get_by_text(template_re("process.page.seed_line", lang)).first.wait_for(timeout=LONG)
    wait_idle(pg, LONG)
    no_errors(pg, "mediation")
    reading = pg.inner_text("[data-testid='stMain']")
    assert "RA" in reading and "PS" in reading and "WW" in reading
    assert tr("process.table.effects") in reading
    snap("mediation")

    # 8 · moderation: model 1, W = EMC; the plot tab
    pick(pg, "process_model", tr("process.model.1"))
    pick(pg, f"opt-process-w-{lang}", "EMC")
    no_errors(pg, "moderation")
    pg.get_by_role("tab", name=tr("process.page.tab_plots")).click()
    wait_idle(pg, LONG)
    pg.locator("[data-testid='stTabPanel'] [data-testid='stVegaLiteChart']").first.wait_for(timeout=LONG)
    chart_pin = key_of(pg, r"^st-key-pin_chart_process_.+$")
    chart_key = [c for c in chart_pin.get_attribute("class").split() if c.startswith("st-key-")][0][len("st-key-"):]
    pin(pg, chart_key, lang)
    snap("moderation_plot")

    # 9 · the report: what was pinned, then the Word file
    open_page(pg, "report", tr("report.items"))
    body = pg.inner_text("[data-testid='stMain']")
    assert tr("reliability.table.alpha") in body
    snap("report")
    with pg.expect_download(timeout=LONG) as dl:
        key_of(pg, "^st-key-dl_report_docx$").locator("button").click()
    data = open(dl.value.path(), "rb").read()
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) >= 4, len(doc.tables)         # reliability, differences, coefficients, scenarios
    assert any(r.reltype.endswith("/image") for r in doc.part.rels.values())   # the moderation plot
    text = "\n".join(p.text for p in doc.paragraphs)
    assert tr("reliability.table.alpha") in text
    cells = {c.text for tb in doc.tables for row in tb.rows for c in row.cells}
    assert "PS+" in cells                                  # the saved scenario made it into the report


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_whole_journey(page, server, lang):
    journey(page, server, lang)
    assert page.dialogs == []
    errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()
    assert errors == 0
