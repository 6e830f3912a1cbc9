"""The page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``), driven by selenium.

Each page is opened from a file; the checks: no console message of any level above
``INFO`` (a script error, a blocked request, a Content Security Policy violation), no
network request but the page itself and its ``data:`` pictures (Chromium's performance
log and the page's own resource timing), a node per role, a band filter that hides the
weak arrows, a click (and Enter) that highlights a role's arrows and shows its group's
page, sorting, the heat map's tooltip, zoom, the language switch and the print style.
Screenshots of a 5-role and a 60-role map are saved in ``RELCOORD_SCREENSHOTS`` (a
folder) when it is set, to look at.

Skipped when Chromium, its driver or selenium is missing, except under ``CI=true``, where
``.ci/run`` installs them and a missing one is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Final

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.messages import Language
from relcoord.plugins import PluginHost
from relcoord.testing.surveys import care_study

# --- the studies and pages these tests share, analysed and written once per module ----------


@cache
def analysis_of(name: str, lang: Language = "en") -> Analysis:
    """``example`` (the embedded example), ``surveyN`` (a generated N-role RC survey) or
    ``mapN`` (a generated N-role relationship map), analysed in ``lang``."""
    if name == "example":
        return analyze(load_example(), lang=lang)
    if name.startswith("survey"):
        return analyze(care_study(int(name[6:])), lang=lang)
    if name.startswith("map"):
        return analyze(care_study(int(name[3:]), kind="relationskort"), lang=lang)
    raise KeyError(name)


@cache
def page(name: str, lang: str = "en") -> Path:
    """The page of study ``name`` (see :func:`analysis_of`), option ``lang`` as given
    (``"da,en"`` for both), written by the registered ``html`` exporter."""
    analysis = analysis_of(name, lang.split(",")[0])
    path = Path(tempfile.mkdtemp(prefix="relcoord-html-")) / f"{name}-{lang}.html"
    PluginHost().write(analysis.study, path, format="html", analysis=analysis,
                       options={"lang": lang, "dpi": "72"})
    return path


@pytest.fixture(scope="module")
def html_page() -> Callable[..., Path]:
    """:func:`page`: the page of a study by name, written once."""
    return page


@pytest.fixture(scope="module")
def html_analysis() -> Callable[..., Analysis]:
    """:func:`analysis_of`: a study by name, analysed once."""
    return analysis_of


CHROMIUM: Final = ("chromium", "chromium-browser")
DRIVER: Final = "chromedriver"


def _require_browser() -> tuple[str, str]:
    browser = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    driver = shutil.which(DRIVER)
    try:
        import selenium  # noqa: F401
    except ImportError:
        selenium_missing = True
    else:
        selenium_missing = False
    missing = [name for name, gone in (("chromium", browser is None),
                                       ("chromium-driver", driver is None),
                                       ("selenium (PyPI)", selenium_missing)) if gone]
    if missing:
        why = f"not installed: {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser checks; {why}")
        pytest.skip(why)
    assert browser is not None
    assert driver is not None
    return browser, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium that keeps its console and network logs."""
    path, driver_path = _require_browser()
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = path
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--disable-background-networking", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, path: Path) -> None:
    """Open ``path`` and check that it logged nothing above INFO and fetched nothing but
    itself."""
    driver.get_log("browser")  # drop what an earlier page left
    driver.get_log("performance")
    url = path.resolve().as_uri()
    driver.get(url)
    driver.execute_script("return document.readyState")
    problems = [e for e in driver.get_log("browser") if e["level"] not in ("INFO", "DEBUG")]
    assert not problems, problems
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    assert requests, "the performance log shows no request at all (not even the page)"
    elsewhere = [r for r in requests if r != url and not r.startswith("data:")]
    assert not elsewhere, elsewhere  # a data: URL is inside the page (its pictures)
    assert driver.execute_script(
        "return performance.getEntriesByType('resource').length") == 0


def shown_root(driver: Any) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, ".rc-lang:not([hidden])")


def displayed(elements: list[Any]) -> int:
    return sum(1 for e in elements if e.is_displayed())


def no_console_errors(driver: Any) -> None:
    problems = [e for e in driver.get_log("browser") if e["level"] not in ("INFO", "DEBUG")]
    assert not problems, problems


def save_screenshot(element: Any, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RELCOORD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    element.screenshot(str(path))
    assert path.stat().st_size > 10_000  # a picture, not a blank
    return path


# --- the tests ----------------------------------------------------------------------------------


def test_the_map_has_a_node_per_role_and_the_filters_work(
        browser: Any, html_page: Callable[..., Path], html_analysis: Callable[..., Analysis]
) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, html_page("example", "en"))
    figure = shown_root(browser).find_element(By.CSS_SELECTOR, "figure.rc-map")
    nodes = figure.find_elements(By.CSS_SELECTOR, ".rc-node")
    assert displayed(nodes) == len(html_analysis("example").study.roles)
    weak = figure.find_elements(By.CSS_SELECTOR, '.rc-arrow[data-band="weak"]')
    other = figure.find_elements(By.CSS_SELECTOR, '.rc-arrow:not([data-band="weak"])')
    assert weak
    assert displayed(weak) == len(weak)
    shown_other = displayed(other)
    assert shown_other > 0
    box = figure.find_element(By.CSS_SELECTOR, '.rc-f-band[value="weak"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    assert displayed(weak) == 0
    assert displayed(other) == shown_other
    count = figure.find_element(By.CSS_SELECTOR, ".rc-count").text
    assert f"{shown_other} of {len(weak) + len(other)}" in count
    box.click()
    assert displayed(weak) == len(weak)
    # named vs rated: "rated" leaves only arrows with a rating
    rated = figure.find_element(By.CSS_SELECTOR, '.rc-f-kind[value="rated"]')
    rated.click()
    for arrow in figure.find_elements(By.CSS_SELECTOR, ".rc-arrow"):
        if arrow.is_displayed():
            assert arrow.get_attribute("data-rated") == "1"
    figure.find_element(By.CSS_SELECTOR, '.rc-f-kind[value="all"]').click()
    # a wave: only the arrows named or rated in it
    from selenium.webdriver.support.ui import Select

    waves = Select(figure.find_element(By.CSS_SELECTOR, ".rc-f-wave"))
    wave = waves.options[1].get_attribute("value")
    assert wave in html_analysis("example").study.waves
    waves.select_by_value(wave)
    arrows = figure.find_elements(By.CSS_SELECTOR, ".rc-arrow")
    in_wave = [a for a in arrows if wave in (a.get_attribute("data-waves") or "").split()]
    assert 0 < displayed(arrows) == len(in_wave) < len(arrows)
    waves.select_by_value("")
    assert displayed(arrows) == len(arrows)
    # an organisation off hides its roles and their arrows
    organisation = figure.find_element(By.CSS_SELECTOR, ".rc-f-org")
    org = organisation.get_attribute("value")
    organisation.click()
    for node in nodes:
        assert node.is_displayed() == (node.get_attribute("data-org") != org)
    organisation.click()
    no_console_errors(browser)


def test_clicking_a_role_highlights_its_arrows_and_shows_its_page(
        browser: Any, html_page: Callable[..., Path], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, html_page("example", "en"))
    figure = shown_root(browser).find_element(By.CSS_SELECTOR, "figure.rc-map")
    svg = figure.find_element(By.CSS_SELECTOR, "svg.rc-map-svg")
    node = figure.find_element(By.CSS_SELECTOR, '.rc-node[data-role="teachers"]')
    index = node.get_attribute("data-i")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
    node.click()
    assert "rc-dim" in svg.get_attribute("class")
    assert node.get_attribute("aria-pressed") == "true"
    mine = figure.find_elements(
        By.CSS_SELECTOR, f'.rc-arrow[data-s="{index}"], .rc-arrow[data-t="{index}"]')
    assert mine
    for arrow in mine:
        kind = "rc-out" if arrow.get_attribute("data-s") == index else "rc-in"
        assert kind in arrow.get_attribute("class").split()
        assert float(arrow.value_of_css_property("opacity")) == 1.0
    others = figure.find_elements(
        By.CSS_SELECTOR, f'.rc-arrow:not([data-s="{index}"]):not([data-t="{index}"])')
    assert all(float(a.value_of_css_property("opacity")) < 0.2 for a in others)
    panel = figure.find_element(By.CSS_SELECTOR, ".rc-panel")
    assert node.get_attribute("data-name") in panel.text
    page = panel.find_element(By.CSS_SELECTOR, ".rc-page")
    assert page.find_elements(By.CSS_SELECTOR, "h3, h4")
    link = panel.find_element(By.CSS_SELECTOR, "a.rc-go")
    assert link.get_attribute("href").endswith("#en-group-teachers")
    save_screenshot(figure, "example-teachers-selected.png", tmp_path)
    # the same role again clears; Enter on a focused role selects it
    node.click()
    assert "rc-dim" not in svg.get_attribute("class")
    browser.execute_script("arguments[0].focus()", node)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert node.get_attribute("aria-pressed") == "true"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert node.get_attribute("aria-pressed") == "false"
    no_console_errors(browser)


def test_keyboard_reaches_every_role(browser: Any, html_page: Callable[..., Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, html_page("survey5", "en"))
    first = shown_root(browser).find_element(By.CSS_SELECTOR, ".rc-zoom-fit")
    browser.execute_script("arguments[0].focus()", first)
    reached = []
    for _ in range(5):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(browser.switch_to.active_element.get_attribute("data-role"))
    assert sorted(reached) == sorted(r for r in reached if r)  # only roles, in map order
    assert len(set(reached)) == 5
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("aria-pressed") == "true"
    no_console_errors(browser)


def test_tables_sort_and_the_heat_map_tells_its_values(
        browser: Any, html_page: Callable[..., Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(browser, html_page("example", "en"))
    root = shown_root(browser)
    table = root.find_element(By.CSS_SELECTOR, '[data-section="roles"] table.rc-table')
    heads = table.find_elements(By.CSS_SELECTOR, "thead th")
    column = next(i for i, h in enumerate(heads) if h.text.startswith("RC as target"))
    button = heads[column].find_element(By.CSS_SELECTOR, "button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()

    def values() -> list[float | None]:
        cells = table.find_elements(By.CSS_SELECTOR, f"tbody td:nth-child({column + 1})")
        return [None if c.get_attribute("data-v") is None else float(c.get_attribute("data-v"))
                for c in cells]

    up = values()
    known = [v for v in up if v is not None]
    assert known == sorted(known)
    assert up[:len(known)] == known  # missing values last
    assert heads[column].get_attribute("aria-sort") == "ascending"
    button.click()
    down = [v for v in values() if v is not None]
    assert down == sorted(known, reverse=True)
    cell = root.find_element(By.CSS_SELECTOR, "svg.rc-heat-svg rect[data-v]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    ActionChains(browser).move_to_element(cell).perform()
    tip = browser.find_element(By.CSS_SELECTOR, ".rc-tip")
    assert tip.is_displayed()
    assert "Rater:" in tip.text
    assert "RC " in tip.text
    no_console_errors(browser)


def test_zoom_and_the_language_switch(browser: Any, html_page: Callable[..., Path]) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, html_page("example", "da,en"))
    root = shown_root(browser)
    assert root.get_attribute("data-lang") == "da"
    svg = root.find_element(By.CSS_SELECTOR, "svg.rc-map-svg")

    def view() -> list[float]:
        box = browser.execute_script("return arguments[0].getAttribute('viewBox')", svg)
        return [float(x) for x in box.split()]

    before = view()
    zoom = root.find_element(By.CSS_SELECTOR, ".rc-zoom-in")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", zoom)
    zoom.click()
    assert view()[2] < before[2]
    root.find_element(By.CSS_SELECTOR, ".rc-zoom-fit").click()
    assert view() == pytest.approx(before, abs=0.01)
    browser.find_element(By.CSS_SELECTOR, '.rc-lang-to[data-to="en"]').click()
    root = shown_root(browser)
    assert root.get_attribute("data-lang") == "en"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith("en")
    assert "Findings" in root.text
    no_console_errors(browser)


def test_the_print_style_hides_the_controls(browser: Any, html_page: Callable[..., Path],
                                            tmp_path: Path) -> None:
    import base64

    from selenium.webdriver.common.by import By

    open_page(browser, html_page("example", "da,en"))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        root = shown_root(browser)
        for selector in (".rc-controls", ".rc-zoom", ".rc-panel", ".rc-switch"):
            for element in browser.find_elements(By.CSS_SELECTOR, selector):
                assert not element.is_displayed(), selector
        assert root.find_element(By.CSS_SELECTOR, "svg.rc-map-svg").is_displayed()
        pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
        (tmp_path / "report.pdf").write_bytes(base64.b64decode(pdf["data"]))
        assert (tmp_path / "report.pdf").stat().st_size > 50_000
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize(("name", "roles"), [("survey5", 5), ("survey60", 60), ("map60", 60)])
def test_small_and_large_maps_open_cleanly(
        browser: Any, html_page: Callable[..., Path], tmp_path: Path, name: str,
        roles: int) -> None:
    """Screenshots of the map at 5 and 60 roles (a survey and a relationship map); the
    60-role survey opens on the printed map's selection of arrows."""
    from selenium.webdriver.common.by import By

    open_page(browser, html_page(name, "en"))
    figure = shown_root(browser).find_element(By.CSS_SELECTOR, "figure.rc-map")
    assert displayed(figure.find_elements(By.CSS_SELECTOR, ".rc-node")) == roles
    arrows = figure.find_elements(By.CSS_SELECTOR, ".rc-arrow")
    selection = figure.find_elements(By.CSS_SELECTOR, ".rc-f-sel")
    if selection:
        assert browser.execute_script(
            "return arguments[0].querySelectorAll('.rc-arrow:not(.rc-off)').length",
            figure) == len(figure.find_elements(By.CSS_SELECTOR, ".rc-arrow[data-sel]"))
    else:
        assert displayed(arrows) == len(arrows)
    browser.execute_script("arguments[0].scrollIntoView()", figure)
    save_screenshot(figure, f"map-{name}.png", tmp_path)
    node = figure.find_elements(By.CSS_SELECTOR, ".rc-node")[roles // 3]
    node.click()
    save_screenshot(figure, f"map-{name}-selected.png", tmp_path)
    no_console_errors(browser)
