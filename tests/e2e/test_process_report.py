"""One report, several PROCESS models, in a real browser: on the process page
run model 4 and pin its effects; switch to model 1 and pin the simple slopes
and the Johnson–Neyman plot; switch to model 14 and pin its index of moderated
mediation; then the Report page's Word file (opened with python-docx) holds
all three — each under its model's number — and no error text.

Written against what a user sees (link, combobox, tab and button names from
the catalogue), not widget keys, so pages can be rebuilt without breaking it.
"""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from core.i18n import t

from .conftest import open_app, shot, wait_idle

pytestmark = pytest.mark.browser

LONG = 180_000   # ms: bootstrap on a busy machine


def fixed(key: str, lang: str) -> str:
    """The longest fixed part of a catalogue text (its {placeholders} left out)."""
    return max(re.split(r"\{[a-z_]+\}", t(key, lang)), key=len)


def no_errors(pg, where: str) -> None:
    found = pg.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
    assert found.count() == 0, f"{where}: {found.first.inner_text()}"


def open_page(pg, lang: str, nav_key: str) -> None:
    pg.get_by_role("link", name=t(nav_key, lang), exact=True).click()
    wait_idle(pg, LONG)


def choose_model(pg, lang: str, number: int) -> None:
    box = pg.get_by_role("combobox", name=t("process.opt.model", lang), exact=True)
    box.scroll_into_view_if_needed(timeout=LONG)
    box.click()
    pg.get_by_role("option", name=t(f"process.model.{number}", lang), exact=True).click()
    wait_idle(pg, LONG)
    pg.get_by_role("tab", name=t("process.page.tab_effects", lang), exact=True).wait_for(timeout=LONG)
    no_errors(pg, f"model {number}")


def pin_after(pg, lang: str, heading: str) -> None:
    """Pin the table shown under ``heading`` (its first pin button after the heading)."""
    pin = pg.get_by_text(heading, exact=True).first.locator("xpath=following::button") \
        .filter(has_text=re.compile("^.*" + re.escape(t("report.pin", lang)) + "$")).first
    pin.scroll_into_view_if_needed()
    pin.click()
    wait_idle(pg, LONG)
    no_errors(pg, heading)


def pin_charts(pg, lang: str, n: int) -> None:
    """Pin the first ``n`` charts of the open tab (simple slopes, then Johnson–Neyman)."""
    panel = pg.get_by_role("tabpanel")
    panel.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=LONG)
    for _ in range(n):
        pin = panel.get_by_role("button", name=t("report.pin", lang), exact=True).first
        pin.scroll_into_view_if_needed()
        pin.click()
        wait_idle(pg, LONG)
    assert panel.get_by_role("button", name=t("report.unpin", lang), exact=True).count() == n


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_models_4_1_and_14_in_one_word_report(page, server, lang):
    pg = page
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    pg.set_viewport_size({"width": 1400, "height": 2000})
    open_app(pg, f"{server}/?lang={lang}", LONG)

    # model 4 (the page opens on it): its effects
    open_page(pg, lang, "nav.process")
    pg.get_by_text(tr("process.table.effects"), exact=True).first.wait_for(timeout=LONG)
    no_errors(pg, "model 4")
    pin_after(pg, lang, tr("process.table.effects"))

    # model 1: the simple slopes and the Johnson–Neyman plot
    choose_model(pg, lang, 1)
    pg.get_by_role("tab", name=tr("process.page.tab_plots"), exact=True).click()
    wait_idle(pg, LONG)
    pin_charts(pg, lang, 2)
    shot(pg, f"process_report_{lang}_model1")

    # model 14: the index of moderated mediation
    choose_model(pg, lang, 14)
    pg.get_by_role("tab", name=tr("process.page.tab_effects"), exact=True).click()
    wait_idle(pg, LONG)
    pin_after(pg, lang, tr("process.table.index_moderated_mediation"))

    # the report: four items, then the Word file
    open_page(pg, lang, "nav.report")
    pg.get_by_text(tr("report.items"), exact=True).first.wait_for(timeout=LONG)
    no_errors(pg, "report")
    shot(pg, f"process_report_{lang}_report")
    body = pg.inner_text("[data-testid='stMain']")
    assert fixed("report.missing.gone", lang) not in body
    with pg.expect_download(timeout=LONG) as dl:
        pg.get_by_role("button", name=tr("report.dl.docx")).click()
    doc = Document(io.BytesIO(open(dl.value.path(), "rb").read()))

    text = "\n".join(p.text for p in doc.paragraphs)
    for number in (4, 1, 14):   # each pinned model under its own number
        assert tr("process.title_model", model=number) in text, number
    assert tr("process.table.effects") in text and tr("process.table.index_moderated_mediation") in text
    assert len(doc.tables) == 2, len(doc.tables)                     # model 4's effects, model 14's index
    images = [r for r in doc.part.rels.values() if r.reltype.endswith("/image")]
    assert len(images) >= 2, len(images)                              # model 1's slopes and J–N plot
    # the slopes figure's caption (in Chinese the labels stand between characters without spaces)
    slopes = tr("process.chart.slopes_title", y=".*", x=".*", w=".*").split(":")[0].replace(" ", "")
    assert re.search(slopes, text.replace(" ", "")), slopes
    for bad in (fixed("report.missing.gone", lang), fixed("report.missing.failed", lang), "Traceback", "Error"):
        assert bad not in text, bad
    assert pg.dialogs == []
