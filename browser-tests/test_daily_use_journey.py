"""Daily use, walked as a new user would (issue 13): a case manager, a supervisor and an administrator, in
English and in Spanish, on a laptop (1366 px) and on a phone (a true 412 px viewport, Chromium mobile
emulation). Every page is scanned with axe-core (no serious or critical violations) and measured: no page may
be wider than the screen. Each page's screenshot is kept in browser-tests/artifacts/.
"""

import re
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import WAIT_SECONDS, AccessibilityLog, Pages, artifact_path
from test_journey import PASSWORD

SPANISH = {"nav": "Hoy", "signout": "Cerrar sesión"}


def make_driver(width: int):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    if width < 600:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": 915, "pixelRatio": 1}})
    else:
        options.add_argument(f"--window-size={width},900")
    browser = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(WAIT_SECONDS * 2)
    browser.set_script_timeout(WAIT_SECONDS * 2)
    return browser


class Walk:
    """One person's walk: opens pages, checks each one's width, keeps a screenshot."""

    def __init__(self, driver, pages, width, language, tag):
        self.driver, self.pages, self.width, self.language, self.tag = driver, pages, width, language, tag
        self.wide = []
        self.count = 0

    def check(self, label):
        self.count += 1
        wide = self.driver.execute_script("return document.documentElement.scrollWidth")
        viewport = self.driver.execute_script("return document.documentElement.clientWidth")
        if wide > self.width or wide > viewport:
            self.wide.append(f"{label} ({self.pages.path()}): {wide}px on a {self.width}px screen")
        lang = self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        assert lang == self.language, f"{label}: page in {lang}, not {self.language}"
        name = re.sub(r"[^a-z0-9]+", "-", f"daily-{self.tag}-{self.count:02d}-{label}".lower())[:80]
        self.driver.save_screenshot(str(artifact_path(name + ".png")))

    def open(self, path, label):
        self.pages.open(path, f"{self.tag}: {label}")
        self.check(label)

    def click(self, element, label):
        self.pages.click_and_load(element, f"{self.tag}: {label}")
        self.check(label)

    def first_link(self, pattern):
        for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]"):
            path = urlparse(a.get_attribute("href")).path
            if re.fullmatch(pattern, path):
                return path
        return None


def sign_in(walk, username):
    walk.pages.open("/signin", f"{walk.tag}: sign-in")
    walk.driver.find_element(By.ID, "f-username").send_keys(username)
    walk.driver.find_element(By.ID, "f-password").send_keys(PASSWORD)
    walk.pages.click_and_load(walk.driver.find_element(By.CSS_SELECTOR, "main form button"), f"{walk.tag}: signed in")


def set_language(walk, code):
    Select(walk.driver.find_element(By.ID, "f-language")).select_by_value(code)
    walk.pages.click_and_load(walk.driver.find_element(By.CSS_SELECTOR, "footer form button"), f"{walk.tag}: language {code}")


def sign_out(walk):
    walk.pages.click_and_load(walk.driver.find_element(By.CSS_SELECTOR, "header form button"), f"{walk.tag}: signed out")


def case_manager_day(walk):
    walk.open("/today", "today")
    walk.open("/caseload", "caseload")
    case = walk.first_link(r"/cases/[0-9a-f-]{36}")
    assert case, "no case on the caseload"
    walk.open(case, "a case")
    header = walk.driver.find_element(By.CSS_SELECTOR, "header.record-header").text
    client = walk.first_link(r"/clients/[0-9a-f-]{36}")
    surname = walk.driver.find_element(By.CSS_SELECTOR, "header.record-header h1").text.split(" · ")[0].split()[-1]
    assert walk.driver.find_elements(By.CSS_SELECTOR, "nav.record-nav a[href='#s-notes']"), "no section menu"
    assert header.strip(), "empty record header"
    walk.open(case + "/close", "close form")
    assert walk.driver.find_elements(By.CSS_SELECTOR, "section.open-work, main p.hint"), "close form says nothing of open work"
    walk.open("/tasks", "tasks")
    task = walk.first_link(r"/tasks/[0-9a-f-]{36}")
    if task:
        walk.open(task, "a task")
    walk.open("/tasks/week", "week")
    walk.open("/tasks/new", "new task")
    # An empty form: every problem in the summary names its field and links to it.
    walk.click(walk.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"), "new task, empty")
    items = walk.driver.find_elements(By.CSS_SELECTOR, ".error-summary li")
    assert items, "no error summary"
    for li in items:
        link = li.find_element(By.TAG_NAME, "a")
        assert ": " in link.text, f"summary item does not name its field: {link.text!r}"
        target = link.get_attribute("href").split("#", 1)[1]
        assert walk.driver.find_elements(By.ID, target), f"summary links to #{target}, which is not on the page"
    walk.open("/clients?q=" + surname[:4].lower(), "client search")
    assert walk.first_link(r"/clients/[0-9a-f-]{36}"), f"searching {surname[:4]!r} found no client"
    assert client, "the case page does not link to its client"
    walk.open(client, "a client")
    walk.open("/directory", "directory")


def supervisor_day(walk):
    walk.open("/team", "team")
    walk.open("/workload", "workload")
    walk.open("/reviews", "reviews")
    walk.open("/reports", "reports")
    walk.open("/reports/referrals", "referral report")
    walk.open("/reports/services", "service report")
    walk.open("/reports/data-quality", "data quality")


def admin_day(walk):
    walk.open("/admin/users", "users")
    user = walk.first_link(r"/admin/users/[0-9a-f-]{36}")
    assert user, "no user to open"
    walk.open(user, "a user")
    walk.open("/admin/programs", "programs")
    program = walk.first_link(r"/admin/programs/[0-9a-f-]{36}")
    assert program, "no program to open"
    walk.open(program, "a program")
    walk.open("/admin/letters", "letters and letterhead")
    walk.open("/admin/audit", "audit log")
    client = walk.first_link(r"/clients/[0-9a-f-]{36}/history")
    if client:
        walk.open(client, "a client's access history")


@pytest.mark.parametrize("width,language", [(1366, "en"), (412, "en"), (1366, "es"), (412, "es")])
def test_daily_use_journey(base_url, width, language):
    driver = make_driver(width)
    a11y = AccessibilityLog(driver)
    pages = Pages(driver, base_url, a11y)
    wide, visited = [], 0
    try:
        for username, day in (("casemanager1", case_manager_day), ("supervisor1", supervisor_day), ("admin", admin_day)):
            walk = Walk(driver, pages, width, "en", f"{username}-{width}-{language}")
            sign_in(walk, username)
            if language == "es":
                set_language(walk, "es")
                walk.language = "es"
                nav = driver.find_element(By.CSS_SELECTOR, "header nav").text
                assert SPANISH["nav"] in nav, nav
            try:
                day(walk)
            finally:
                if language == "es":
                    walk.language = "en"
                    set_language(walk, "en")
                sign_out(walk)
            wide += walk.wide
            visited += walk.count
        print(f"daily use at {width}px in {language}: {visited} pages, {len(wide)} wider than the screen")
        assert not wide, "pages wider than the screen:\n" + "\n".join(wide)
        blocking = a11y.blocking()
        assert not blocking, "axe found serious or critical violations:\n" + a11y.report()
    finally:
        a11y.write()
        driver.quit()
