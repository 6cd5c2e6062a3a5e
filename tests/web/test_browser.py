"""The search page in a real headless Chromium, driven by Playwright: type a query, see
highlighted hits, click a facet, open an article, page forward, sort by date, use the
keyboard, read it on a phone. Saves a screenshot of the results page.

Needs Debian's chromium (``apt-get install chromium``) and Playwright for Python
(``pip install playwright``, in the ``test`` extra); no browser is downloaded. Without
either, these tests are skipped with that message and the rest of the suite runs.
``SEARCHKIT_SCREENSHOT=1`` also writes the README's screenshot, tests/data/screenshot-search.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: Debian's chromium; $SEARCHKIT_CHROMIUM names another binary (the skip is tested so).
CHROMIUM = os.environ.get("SEARCHKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "browser tests skipped: no Chromium; install it with: apt-get install -y chromium",
        allow_module_level=True,
    )
try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:
    pytest.skip(
        "browser tests skipped: no Playwright; install it with: pip install playwright "
        "(no playwright install needed: Debian's chromium is used)",
        allow_module_level=True,
    )

ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
README_SHOT = Path(__file__).resolve().parents[1] / "data" / "screenshot-search.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    context = browser.new_context(
        locale="fr-FR",
        extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
        viewport={"width": 1200, "height": 900},
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.goto(live_url)
    yield opened
    context.close()


def search(page: Page, text: str) -> None:
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")


def hit_langs(page: Page) -> list[str]:
    return [t.strip().lower() for t in page.locator(".hit .meta .lang").all_inner_texts()]


def test_typing_a_query_shows_highlighted_hits(page: Page, tmp_path: Path) -> None:
    search(page, "base militaire")
    expect(page.locator("#summary")).to_contain_text("articles pour « base militaire »")
    marks = page.locator(".hit mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} & {"base", "militaire", "militaires"}
    first = page.locator(".hit h3 a").first
    expect(first).to_have_text(re.compile("Base militaire russe dans le sud du Kirghizstan"))
    page.screenshot(path=tmp_path / "search.png", full_page=False)
    if os.environ.get("SEARCHKIT_SCREENSHOT"):
        page.screenshot(path=README_SHOT, full_page=False)
    assert (tmp_path / "search.png").stat().st_size > 10_000


def test_clicking_a_facet_filters(page: Page) -> None:
    search(page, "Kirghizstan")
    page.locator('[data-facet="lang"] a', has_text="allemand").click()
    page.wait_for_url(re.compile(r"lang=de"))
    assert set(hit_langs(page)) == {"de"}
    expect(page.locator(".active .chip")).to_have_text("allemand ×")
    page.locator(".active .chip").click()  # the filter comes off again
    page.wait_for_url(lambda url: "lang=" not in url)
    assert set(hit_langs(page)) == {"fr", "de"}


def test_opening_an_article_shows_it_whole(page: Page) -> None:
    search(page, "base militaire")
    page.locator(".hit h3 a").first.click()
    expect(page.locator("h1")).to_have_text(re.compile("Base militaire russe"))
    expect(page.locator("article h2").first).to_be_visible()
    expect(page.locator(".twin a")).to_have_text(re.compile("Militärbasis"))
    assert page.locator(".similar li").count() >= 3
    page.locator(".twin a").click()
    expect(page.locator("article")).to_have_attribute("lang", "de")


def test_paging_forward(page: Page) -> None:
    search(page, "Kirghizstan")
    first_page = page.locator(".hit h3 a").all_inner_texts()
    page.locator('a[rel="next"]').click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")
    assert set(page.locator(".hit h3 a").all_inner_texts()).isdisjoint(first_page)
    expect(page.locator(".pages")).to_contain_text("Page 2 sur 2")


def test_sorting_by_date(page: Page) -> None:
    search(page, "Kirghizstan")
    page.locator('a[data-sort="date"]').click()
    page.wait_for_url(re.compile(r"sort=date"))
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    days = [d[:10] for d in dates]
    assert len(days) >= 5 and days == sorted(days, reverse=True)
    expect(page.locator(".sort strong")).to_have_text("date")


def test_the_keyboard_is_enough(page: Page) -> None:
    search(page, "Rogun")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("End")  # "/" selects the query, to type a new one over it
    page.keyboard.type(" barrage")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Rogun\+barrage"))
    for _ in range(30):  # tab to the first hit's title, then follow it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit h3') !== null"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_be_visible()


def test_readable_on_a_phone_and_in_german(browser: Browser, live_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        extra_http_headers={"Accept-Language": "de"},
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    phone.goto(f"{live_url}/?q=Milit%C3%A4rbasis")
    expect(phone.locator("button[type=submit]").first).to_have_text("Suchen")
    expect(phone.locator(".hit mark").first).to_be_visible()
    width: Any = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]  # no sideways scrolling
    context.close()
