"""Need-to-know in a real browser (issue 14): a case manager registers a client and opens a case; a colleague of
another team finds the client by name and sees only who they are, asks for access, then breaks the glass with a
reason and reads the record; the case manager finds the break-the-glass notice among their tasks, records a
release of information (verbal, with a witness) and prints the client's accounting of disclosures, which names
the colleague; then revokes the release after confirming.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import datetime
import random
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_assessment_journey import set_value, sign_in
from test_journey import UUID, fill_client_form, random_letters


def sign_out(pages):
    pages.click_and_load(pages.button("Sign out", within="header"), "signed out")


def test_need_to_know_journey(driver, pages, a11y):
    today = datetime.date.today()
    first, last = "Perpetua", "Okonkwo" + random_letters(4)
    full_name = f"{first} {last}"
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(50 * 365))

    # 1. casemanager1 registers the client and opens a case.
    sign_in(pages, driver, "casemanager1")
    pages.open("/clients/new", "intake form")
    fill_client_form(driver, first, last, birth.isoformat())
    pages.click_and_load(pages.button("Register client"), "client registered")
    client_path = pages.path()
    assert re.search(UUID, client_path), client_path
    pages.click_and_load(pages.link("Open a case"), "open-case form")
    Select(driver.find_element(By.ID, "f-programID")).select_by_index(0)
    pages.click_and_load(pages.button("Open a case"), "case opened")
    case_path = pages.path()
    assert "/cases/" in case_path, case_path
    assert "Care team" in driver.page_source and "Primary case manager" in driver.page_source
    sign_out(pages)

    # 2. A colleague of another team finds the client: identity only, and the two ways in.
    sign_in(pages, driver, "casemanager2")  # another team (demo: one team per case manager at 300 clients)
    pages.open(f"/clients?q={last}", "search as a colleague off the team")
    pages.click_and_load(pages.link(full_name), "identity page")
    body = driver.find_element(By.TAG_NAME, "main").text
    assert "not on this client's care team" in body, body
    assert birth.isoformat() in body
    assert "Ask for access" in body and "Break the glass" in body
    pages.open(case_path, "case page off the team")
    assert "Break the glass" in driver.page_source

    # 3. Asking opens nothing; breaking the glass needs a reason.
    pages.open(client_path, "identity page again")
    driver.find_element(By.ID, "f-note").send_keys("Covering the front desk this week.")
    pages.click_and_load(pages.button("Ask the case manager"), "access asked")
    assert "asked to add you" in pages.flash(), pages.flash()
    pages.open(client_path, "identity page, still closed")
    pages.click_and_load(pages.button("Break the glass"), "break the glass without a reason")
    assert "is required" in driver.page_source
    driver.find_element(By.ID, "f-reason").send_keys("Client is at the front desk in crisis and asks for her plan.")
    Select(driver.find_element(By.ID, "f-hours")).select_by_visible_text("1 hour")
    pages.click_and_load(pages.button("Break the glass"), "glass broken")
    assert "Access opened" in pages.flash(), pages.flash()
    assert "Releases of information" in driver.page_source  # the whole record now
    sign_out(pages)

    # 4. The case manager is told, records a release and reads the accounting of disclosures.
    sign_in(pages, driver, "casemanager1")
    pages.open("/tasks", "tasks with the notices")
    tasks = driver.find_element(By.TAG_NAME, "main").text
    assert "Review break-glass access" in tasks and "asks to join the care team" in tasks, tasks
    pages.open(client_path, "client record")
    pages.click_and_load(pages.link("Record a release"), "release form")
    Select(driver.find_element(By.ID, "f-recipientKind")).select_by_visible_text("An outside organization")
    driver.find_element(By.ID, "f-recipientName").send_keys("Eastside Health Clinic")
    for label in ("Identity (name, birth date, demographics)", "Case notes"):
        box_id = driver.find_element(By.XPATH, f"//main//label[normalize-space()='{label}']").get_attribute("for")
        box = driver.find_element(By.ID, box_id)
        if not box.is_selected():
            box.click()
        assert box.is_selected()
    driver.find_element(By.ID, "f-purpose").send_keys("Coordinating primary care")
    set_value(driver, "f-endsOn", (today + datetime.timedelta(days=20)).isoformat())
    Select(driver.find_element(By.ID, "f-method")).select_by_visible_text("Verbal, with a witness")
    pages.click_and_load(pages.button("Save the release"), "release without a witness")
    assert "witnessName" in driver.page_source or "Witness" in driver.find_element(By.TAG_NAME, "main").text
    driver.find_element(By.ID, "f-witnessName").send_keys("Dana Reyes")
    pages.click_and_load(pages.button("Save the release"), "release saved")
    assert "Release saved" in pages.flash(), pages.flash()
    release_path = pages.path()
    pages.open("/today", "today with the release ending soon")
    assert "Releases ending soon" in driver.page_source
    pages.open(client_path + "/disclosures", "accounting of disclosures")
    accounting = driver.find_element(By.TAG_NAME, "main").text
    assert "Break the glass" in accounting and "Eastside Health Clinic" in accounting, accounting
    # Its Print button works under the Content-Security-Policy (no inline handler): the print dialog is stubbed.
    driver.execute_script("window.__printed = false; window.print = function () { window.__printed = true; };")
    pages.button("Print").click()
    assert driver.execute_script("return window.__printed"), "the Print button did not print"
    # 5. Revoking asks for a confirmation first.
    pages.open(release_path, "release page")
    pages.click_and_load(pages.button("Revoke this release"), "revoke without confirming")
    assert "tick the box" in driver.page_source
    driver.find_element(By.ID, "f-confirm").click()
    pages.click_and_load(pages.button("Revoke this release"), "release revoked")
    assert "Release revoked" in pages.flash(), pages.flash()
    sign_out(pages)
