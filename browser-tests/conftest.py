"""Shared fixtures for the browser tests: a headless Chromium driven through the system chromedriver,
an accessibility scanner (axe-core 4.9 through axe-selenium-python-nhsuk), and screenshots on failure.

Nothing is downloaded: the driver and the browser come from Debian, and SE_OFFLINE stops Selenium Manager.
"""

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

os.environ.setdefault("SE_OFFLINE", "true")

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BLOCKING_IMPACTS = ("serious", "critical")
# One line per scanned page, repeated in the terminal summary so CI logs show the scans ran.
SCAN_SUMMARY = []
# A debug build on a busy 2-core CI machine can be slow to answer.
WAIT_SECONDS = 30


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9._-]+", "-", name)


@pytest.fixture(scope="session")
def base_url() -> str:
    return os.environ.get("TRELLIS_URL", "http://127.0.0.1:8089").rstrip("/")


@pytest.fixture
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(WAIT_SECONDS * 2)
    browser.set_script_timeout(WAIT_SECONDS * 2)  # an axe run on a 300-row table takes a moment
    yield browser
    browser.quit()


class AccessibilityLog:
    """Runs axe-core on each page the journey reaches and keeps the serious and critical violations."""

    def __init__(self, driver):
        self.driver = driver
        self.pages = []  # (url, violations) for every scan, in order

    def scan(self, label: str) -> None:
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        url = self.driver.current_url
        violations = results["violations"]
        self.pages.append({"label": label, "url": url, "violations": violations})
        counts = Counter(v.get("impact") or "unknown" for v in violations)
        summary = ", ".join(f"{impact}={counts.get(impact, 0)}"
                            for impact in ("critical", "serious", "moderate", "minor"))
        SCAN_SUMMARY.append(f"axe [{label}] {url}: {len(violations)} violation(s) ({summary}); "
                            f"{len(results['passes'])} rules passed")

    def blocking(self):
        return [(page, v) for page in self.pages for v in page["violations"]
                if v.get("impact") in BLOCKING_IMPACTS]

    def report(self) -> str:
        lines = []
        for page, v in self.blocking():
            targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:5]]
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n"
                         f"    page: {page['label']} {page['url']}\n"
                         f"    targets ({len(v['nodes'])} node(s)): {targets}")
        return "\n".join(lines)

    def write(self) -> None:
        artifact_path("axe-results.json").write_text(json.dumps(self.pages, indent=2))


@pytest.fixture
def a11y(driver):
    log = AccessibilityLog(driver)
    yield log
    log.write()


class Pages:
    """Page-level helpers: every navigation waits for the new document, then scans it with axe."""

    def __init__(self, driver, base_url, a11y):
        self.driver = driver
        self.base_url = base_url
        self.a11y = a11y

    def wait(self):
        return WebDriverWait(self.driver, WAIT_SECONDS)

    def _loaded(self, label):
        self.wait().until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.a11y.scan(label)

    def open(self, path: str, label: str) -> None:
        self.driver.get(self.base_url + path)
        self._loaded(label)

    def click_and_load(self, element, label: str) -> None:
        """Clicks a link or submit button and waits until the browser shows the next document.

        The old page's window carries a marker; a new document comes with a new window object. Watching
        for an old element to go stale instead is flaky: mid-navigation, chromedriver sometimes answers
        with "Node with given id does not belong to the document" rather than a stale-element error.
        """
        self.driver.execute_script("window.__trellisPageBeforeClick = true;")
        element.click()
        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return window.__trellisPageBeforeClick !== true && document.readyState === 'complete';"),
            f"no new page loaded after the click that leads to: {label}")
        self._loaded(label)

    def path(self) -> str:
        url = self.driver.current_url
        return url[len(self.base_url):] if url.startswith(self.base_url) else url

    def h1(self) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, "main h1").text.strip()

    def flash(self) -> str:
        flashes = self.driver.find_elements(By.CSS_SELECTOR, "main .flash")
        return flashes[0].text.strip() if flashes else ""

    def button(self, text: str, within: str = "main"):
        return self.driver.find_element(
            By.XPATH, f"//{within}//button[normalize-space()={xpath_literal(text)}]")

    def link(self, text: str, within: str = "main"):
        return self.driver.find_element(
            By.XPATH, f"//{within}//a[normalize-space()={xpath_literal(text)}]")


def xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


@pytest.fixture
def pages(driver, base_url, a11y):
    return Pages(driver, base_url, a11y)


def pytest_sessionstart(session):
    """Starts each run with an empty artifacts folder, so no screenshot is mistaken for this run's."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)


def pytest_terminal_summary(terminalreporter):
    if SCAN_SUMMARY:
        terminalreporter.section("accessibility scans (axe-core)")
        for line in SCAN_SUMMARY:
            terminalreporter.write_line(line)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        browser = item.funcargs.get("driver")
        if browser is not None:
            shot = artifact_path(f"{item.name}-failure.png")
            try:
                browser.save_screenshot(str(shot))
                artifact_path(f"{item.name}-failure.html").write_text(browser.page_source)
                note = f"Failure at {browser.current_url}; screenshot: {shot}"
            except Exception as error:  # the browser itself may be what failed
                note = f"Could not save a failure screenshot: {error}"
            report.sections.append(("failure screenshot", note))
