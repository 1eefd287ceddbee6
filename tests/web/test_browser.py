"""The web app in a real browser: Debian's chromium driven by Playwright, against ``alliantie serve`` on the demo.

Skipped when ``/usr/bin/chromium`` is missing (``.ci/run`` installs it and sets ``ALLIANTIE_TEST_REQUIRE_BROWSER``,
which turns the skip into a failure). Screenshots go to the test's temporary folder (``ALLIANTIE_SCREENSHOTS``
names another folder to keep them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alliantie.testing.page_checks import BROKEN_WORDS, CONTRAST
from alliantie.testing.web_demo import shared_demo

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not CHROMIUM.exists():
    if os.environ.get("ALLIANTIE_TEST_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing but ALLIANTIE_TEST_REQUIRE_BROWSER is set")
    pytest.skip(f"{CHROMIUM} is not installed (Debian's chromium; .ci/run installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``alliantie serve`` on a copy of the shared small demo, on a free loopback port."""
    source = shared_demo(tmp_path_factory.getbasetemp()).parent
    folder = tmp_path_factory.mktemp("browser") / "demo"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.lock", "workshops.sqlite*"))
    port = _free_port()
    exe = Path(sys.executable).with_name("alliantie")
    log = open(folder / "server.log", "w")  # noqa: SIM115 (kept open while the server runs)
    process = subprocess.Popen([str(exe), "serve", str(folder), "--port", str(port)], stdout=log,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None:
                raise AssertionError((folder / "server.log").read_text())
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("ALLIANTIE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser, base: str, outside: list[str], errors: list[str], **context):
    """A new page that records requests leaving the server (there must be none) and script errors."""
    page = browser.new_context(**context).new_page()
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def _join(page, link: str, name: str, organisation: str, discipline: str):
    """``page`` joins the workshop of ``link`` through the join form."""
    page.goto(link)
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Organisatie").fill(organisation)
    page.get_by_label("Discipline").select_option(discipline)
    page.get_by_role("button", name="Meedoen").click()
    return page


def test_the_atlas_switches_theme_and_scenario_offline(server, browser, shots):
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, server, outside, errors, viewport={"width": 1400, "height": 900})
    page.goto(server + "/#/atlas")
    themes = page.get_by_role("group", name="Thema")
    themes.get_by_role("button").first.wait_for(timeout=30_000)
    themes.get_by_role("button", name=re.compile("Hitte|hitte")).first.click()
    scenarios = page.get_by_role("group", name="Klimaat").first
    buttons = scenarios.get_by_role("button")
    buttons.first.wait_for(timeout=10_000)
    title_before = page.locator("section.map-info h2").inner_text()
    enabled = [i for i in range(buttons.count()) if buttons.nth(i).is_enabled()
               and buttons.nth(i).get_attribute("aria-pressed") != "true"]
    assert enabled, "the heat map has more than one scenario"
    buttons.nth(enabled[-1]).click()
    page.wait_for_function("t => document.querySelector('section.map-info h2').innerText !== t", arg=title_before)
    assert page.locator("section.map-info h2").inner_text() != title_before
    assert page.locator("section.map-info .caption").inner_text().strip()
    page.wait_for_timeout(1500)  # the tiles of the new map
    page.screenshot(path=str(shots / "atlas.png"))
    assert page.evaluate(CONTRAST) == []  # every text at WCAG AA contrast
    assert not outside, f"requests left the server: {outside[:5]}"
    assert not errors, errors


def test_two_participants_draw_and_see_each_other_live(server, browser, shots):
    outside: list[str] = []
    errors: list[str] = []
    lead = _page(browser, server, outside, errors, viewport={"width": 1440, "height": 900})
    lead.goto(server + "/#/workshop")
    lead.get_by_label("Naam van het atelier").fill("Klimaatatelier Eemvallei")
    lead.get_by_label("Uw naam").fill("Fenna")
    lead.get_by_role("button", name="Atelier starten").click()
    link = lead.locator("input.share").input_value(timeout=15_000)
    assert "#/workshop/" in link
    lead.get_by_role("link", name="Naar het atelier").click()
    lead.locator("#ws-map").wait_for(timeout=15_000)

    other = _join(_page(browser, server, outside, errors, viewport={"width": 1280, "height": 800}), link,
                  "Bram <script>alert(1)</script>", "Waterschap Vallei en Veluwe", "water")
    other.locator("button.measure").first.wait_for(timeout=60_000)

    # the participant draws a polygon measure with the mouse at the town level
    other.get_by_role("tab", name=re.compile("^Stad")).click()
    other.wait_for_timeout(800)
    measures = other.locator("button.measure")
    polygon = next(i for i in range(measures.count()) if "vlak" in measures.nth(i).inner_text())
    measures.nth(polygon).click()
    box = other.locator("#ws-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in [(-50, -35), (50, -35), (50, 35), (-50, 35), (-50, -35)]:
        other.mouse.click(cx + dx, cy + dy)
        other.wait_for_timeout(250)
    other.get_by_label("Toelichting").fill("Hier <b>berging</b> bij de school")
    other.get_by_role("button", name="Opslaan").click()
    other.locator("button.sketch-item").first.wait_for(timeout=15_000)

    # ... and a second one without a mouse: corners placed at the cross in the map centre, the map moved by keys
    other.locator("button.measure").nth(polygon).focus()
    other.keyboard.press("Enter")
    corner = other.get_by_role("button", name="Hoek plaatsen bij het kruis")
    canvas = other.locator("#ws-map canvas").first
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft"):
        corner.focus()
        other.keyboard.press("Enter")
        canvas.focus()
        other.keyboard.press(key)
        other.wait_for_timeout(400)
    other.get_by_role("button", name="Vorm afmaken").focus()
    other.keyboard.press("Enter")
    other.get_by_label("Toelichting").fill("met het toetsenbord getekend")
    other.get_by_role("button", name="Opslaan").focus()
    other.keyboard.press("Enter")
    other.wait_for_function("() => document.querySelectorAll('button.sketch-item').length === 2", timeout=15_000)

    # the facilitator sees them appear without reloading, with the author's name as plain text
    lead.wait_for_function("() => document.querySelectorAll('button.sketch-item').length === 2", timeout=10_000)
    item = lead.locator("button.sketch-item").first
    assert "Bram <script>" in item.inner_text()
    # ... and the indicators of the whole workshop change from nothing to an investment
    lead.wait_for_function(
        "() => /[1-9]/.test((document.querySelector('table.indicators') || {}).innerText || '')", timeout=120_000)
    lead.screenshot(path=str(shots / "workshop_facilitator.png"))
    other.screenshot(path=str(shots / "workshop_participant.png"))
    # at 1,280 and 1,440 px: every text at WCAG AA contrast, and no indicator's word broken over two lines
    for page in (lead, other):
        assert page.evaluate(CONTRAST) == []
        assert page.evaluate(BROKEN_WORDS, "table.indicators") == []

    # the facilitator may delete any sketch; the participant's sketch shows no delete button to others
    third = _join(_page(browser, server, outside, errors, viewport={"width": 1280, "height": 800}), link,
                  "Sanne", "Gemeente", "green")
    third.locator("button.sketch-item").first.wait_for(timeout=30_000)
    third.locator("button.sketch-item").first.click()
    third.wait_for_timeout(500)
    assert third.get_by_role("button", name="Verwijderen").count() == 0
    lead.locator("button.sketch-item").first.click()
    assert lead.get_by_role("button", name="Verwijderen").count() == 1

    # on a narrow touch screen (390 px) the page is no wider than the screen and the panels under the map can
    # be reached: a sketch of the list is selected with a tap, the indicators are shown
    phone = _join(_page(browser, server, outside, errors, viewport={"width": 390, "height": 844}, has_touch=True,
                        is_mobile=True), link, "Noor", "Provincie", "planning")
    phone.locator("button.sketch-item").first.wait_for(timeout=30_000)
    phone.wait_for_timeout(500)
    assert phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]") == [390, 390]
    phone.locator("button.sketch-item").first.tap(timeout=10_000)
    phone.locator("table.indicators").first.wait_for(timeout=60_000)
    # scrolled in the page in one go: the table is drawn anew when the indicator worker's later results arrive,
    # and an element handle taken just before that detaches (a flaky "not attached to the DOM" on a loaded machine)
    phone.wait_for_function("() => { const t = document.querySelector('table.indicators');"
                            " if (t) t.scrollIntoView({block: 'nearest'}); return t !== null; }", timeout=30_000)
    phone.screenshot(path=str(shots / "workshop_phone.png"), full_page=True)
    assert phone.evaluate(CONTRAST) == []
    assert phone.evaluate(BROKEN_WORDS, "table.indicators") == []
    assert not outside, f"requests left the server: {outside[:5]}"
    assert not errors, errors


def _square(lon: float, lat: float, half_deg: float) -> dict:
    ring = [[lon - half_deg, lat - half_deg], [lon + half_deg, lat - half_deg], [lon + half_deg, lat + half_deg],
            [lon - half_deg, lat + half_deg], [lon - half_deg, lat - half_deg]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_switching_the_language_keeps_the_level_the_view_and_the_selected_sketch(server, browser, shots):
    """Before: a switch of nl/en drew the workshop page anew at the region level with nothing selected."""
    created = httpx.post(f"{server}/api/workshops", json={"title": "Taalwissel", "facilitator_name": "Fenna"},
                         timeout=30).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    w, s, e, n = httpx.get(f"{server}/api/dossier", timeout=30).json()["levels"]["town"]["bbox"]
    feature = {"type": "Feature", "geometry": _square((w + e) / 2, (s + n) / 2, 0.0004),
               "properties": {"measure": "wadi", "level": "town", "comment": "bij de school"}}
    sid = str(httpx.post(f"{server}/api/workshops/{created['id']}/sketches", json=feature, headers=auth,
                         timeout=30).raise_for_status().json()["id"])
    session = {"token": created["token"], "participant_id": created["participant_id"], "role": created["role"]}
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, server, outside, errors, viewport={"width": 1440, "height": 900})
    page.context.add_init_script(
        f"sessionStorage.setItem({('alliantie.workshop.' + created['id'])!r}, {json.dumps(json.dumps(session))});"
        "localStorage.setItem('alliantie.lang', 'nl');")
    page.goto(f"{server}/#/workshop/{created['id']}")
    page.get_by_role("tab", name=re.compile("^Stad")).click()
    item = page.locator("button.sketch-item").first
    item.click()
    page.get_by_role("heading", name="Geselecteerde schets").wait_for(timeout=15_000)
    page.wait_for_timeout(800)  # the map settles at the town's extent
    view_key = f"alliantie.workshop_view.{created['id']}"

    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Selected sketch").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("tab", name=re.compile("^Town")).get_attribute("aria-selected") == "true"
    assert page.get_by_role("tab", name=re.compile("^Region")).get_attribute("aria-selected") == "false"
    assert page.locator("button.sketch-item").first.get_attribute("aria-pressed") == "true"
    assert page.locator("p.level-hint").inner_text().startswith("Town:")
    before = json.loads(page.evaluate("k => sessionStorage.getItem(k)", view_key))
    assert before["level"] == "town" and before["selectedSketch"] == sid
    page.wait_for_timeout(1500)  # the tiles of the view
    page.screenshot(path=str(shots / "workshop_language_switched.png"))

    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("heading", name="Geselecteerde schets").wait_for(timeout=15_000)
    assert page.get_by_role("tab", name=re.compile("^Stad")).get_attribute("aria-selected") == "true"
    page.get_by_role("link", name="Atlas").click()  # leaving the page stores the view it shows
    page.locator("#atlas-map").wait_for(timeout=15_000)
    after = json.loads(page.evaluate("k => sessionStorage.getItem(k)", view_key))
    assert after["level"] == "town" and after["selectedSketch"] == sid
    assert after["map"]["zoom"] == pytest.approx(before["map"]["zoom"], abs=0.01)
    assert after["map"]["center"] == pytest.approx(before["map"]["center"], abs=1e-5)
    assert not outside, f"requests left the server: {outside[:5]}"
    assert not errors, errors


def test_switching_the_language_keeps_the_atlas_map_and_its_view(server, browser, shots):
    """Before: the atlas kept its theme and scenario over a switch of language, but its map went back to the
    whole dossier."""
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, server, outside, errors, viewport={"width": 1400, "height": 900})
    page.context.add_init_script("localStorage.setItem('alliantie.lang', 'nl');")
    page.goto(server + "/#/atlas")
    themes = page.get_by_role("group", name="Thema")
    themes.get_by_role("button").first.wait_for(timeout=30_000)
    themes.get_by_role("button", name=re.compile("Hitte|hitte")).first.click()
    page.get_by_role("group", name="Inzoomen op").get_by_role("button", name=re.compile("^Stad")).click()
    page.wait_for_timeout(1500)  # the zoom has settled
    scale = page.locator(".maplibregl-ctrl-scale").inner_text()  # the scale bar follows the zoom
    stored = page.evaluate("sessionStorage.getItem('alliantie.atlas')")

    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Atlas of the dossier").wait_for(timeout=15_000)
    page.wait_for_timeout(1000)
    assert page.locator(".maplibregl-ctrl-scale").inner_text() == scale
    assert page.get_by_role("group", name="Theme").get_by_role("button", pressed=True).count() == 1
    assert page.locator("section.map-info h2").inner_text().strip()
    before = json.loads(stored)
    after = json.loads(page.evaluate("sessionStorage.getItem('alliantie.atlas')"))
    assert after["theme"] == before["theme"] and after["base"] == before["base"]
    assert after["view"]["zoom"] == pytest.approx(before["view"]["zoom"], abs=0.01)
    assert after["view"]["center"] == pytest.approx(before["view"]["center"], abs=1e-5)
    page.screenshot(path=str(shots / "atlas_language_switched.png"))
    assert not outside, f"requests left the server: {outside[:5]}"
    assert not errors, errors
