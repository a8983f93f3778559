"""Implementation, coordination and closure in a real browser (issue 4): an administrator imports the
Open Referral HSDS examples (twice: the second import updates rather than duplicates); a case manager
sees an overdue home visit flagged, refers the client from a plan goal to the imported counselling
service and follows the referral to connected, records rental assistance, files an appeal whose deadline
becomes a task, prints a letter from a template, and closes the case with a HUD destination and a
follow-up that appears among their tasks.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import datetime
import os
import random
import re
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import xpath_literal
from test_assessment_journey import set_value, sign_in
from test_journey import UUID, fill_client_form, random_letters, summary_value

HSDS = Path(os.environ.get("HSDS_DIR", Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "hsds"))


def import_hsds(pages, driver, label):
    pages.open("/directory/import", f"import form ({label})")
    files = sorted(str(p) for p in HSDS.glob("*.csv"))
    assert len(files) >= 15, files
    driver.find_element(By.ID, "f-files").send_keys("\n".join(files))
    pages.click_and_load(pages.button("Import"), f"import report ({label})")
    rows = {r.find_element(By.XPATH, "td[1]").text: [c.text for c in r.find_elements(By.XPATH, "td")]
            for r in driver.find_elements(By.XPATH, "//main//table[caption[normalize-space()='Rows by file']]/tbody/tr")}
    print(f"HSDS import ({label}):", rows)
    rejected = driver.find_elements(By.XPATH, "//main//h3[starts-with(normalize-space(), 'Rejected rows')]/following-sibling::table[1]/tbody/tr")
    print("  rejected:", [r.text for r in rejected])
    return rows


def test_coordination_and_closure_journey(driver, pages, a11y):
    today = datetime.date.today()
    opened = today - datetime.timedelta(days=200)
    first, last = "Teodora", "Baptiste" + random_letters(4)
    full_name = f"{first} {last}"
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(50 * 365))

    # 1. An administrator imports the HSDS examples, then imports them again.
    sign_in(pages, driver, "admin")
    first_rows = import_hsds(pages, driver, "first")
    # Columns: file, read, created, updated, unchanged, attached, rejected.
    assert first_rows["services.csv"][1] == "1", first_rows
    second_rows = import_hsds(pages, driver, "second")
    assert second_rows["services.csv"][2] == "0" and second_rows["services.csv"][4] == "1", second_rows
    assert second_rows["organizations.csv"][2] == "0", second_rows
    pages.open("/directory?q=counselling", "directory search after two imports")
    hits = driver.find_elements(By.XPATH, "//main//table//a[normalize-space()='Community Counselling']")
    assert len(hits) == 1, "the second import duplicated the service"

    # 2. A case manager opens a Rapid Re-Housing case 200 days ago: no home visit in 180 days.
    pages.click_and_load(pages.button("Sign out", within="header"), "admin signed out")
    sign_in(pages, driver, "casemanager1")
    pages.open("/clients/new", "register a client")
    fill_client_form(driver, first, last, birth.isoformat())
    pages.click_and_load(pages.button("Register client"), "client registered")
    if pages.path() == "/clients":
        pages.click_and_load(pages.button("None of these: register a new client"), "client registered anyway")
    pages.click_and_load(pages.link("Open a case"), "open a case")
    Select(driver.find_element(By.ID, "f-programID")).select_by_visible_text("Rapid Re-Housing (Rapid re-housing)")
    set_value(driver, "f-openedOn", opened.isoformat())
    pages.click_and_load(pages.button("Open a case"), "case opened")
    assert re.fullmatch(f"/cases/{UUID}", pages.path()), pages.path()
    case_path = pages.path()
    rule_row = driver.find_element(By.XPATH, "//section[@aria-labelledby='s-contact']//tr[td[1][starts-with(normalize-space(), 'Home visit')]]")
    assert "Overdue" in rule_row.text, rule_row.text
    pages.open("/caseload?contact=overdue", "caseload filtered to overdue contact rules")
    row = driver.find_element(By.XPATH, f"//main//table/tbody/tr[th//a[normalize-space()={xpath_literal(full_name)}]]")
    assert "Overdue: " in row.text and "Home visit every 180 days" in row.text, row.text
    print("Caseload row:", row.text)
    pages.open("/caseload?contact=compliant", "caseload filtered to compliant")
    assert not driver.find_elements(By.XPATH, f"//main//table/tbody/tr[th//a[normalize-space()={xpath_literal(full_name)}]]")

    # 3. A plan goal in the mental health domain, then a referral from it to the imported service.
    pages.open(case_path + "/plan/edit", "plan editor")
    Select(driver.find_element(By.ID, "f-goals-0-domain")).select_by_value("mental_health")
    driver.find_element(By.ID, "f-goals-0-goal").send_keys("Feel less anxious day to day")
    driver.find_element(By.ID, "f-goals-0-target").send_keys("Attends six counselling sessions")
    set_value(driver, "f-goals-0-targetDate", (today + datetime.timedelta(days=90)).isoformat())
    driver.find_element(By.ID, "f-goals-0-steps-0-description").send_keys("Start counselling")
    set_value(driver, "f-goals-0-steps-0-dueOn", (today + datetime.timedelta(days=14)).isoformat())
    set_value(driver, "f-agreedOn", today.isoformat())
    Select(driver.find_element(By.ID, "f-agreementMethod")).select_by_visible_text("Signed in person")
    pages.click_and_load(pages.button("Save plan"), "plan saved")
    pages.open(case_path, "case with a plan")
    pages.click_and_load(pages.link("Find a service in the directory"), "directory for this case")
    Select(driver.find_element(By.ID, "f-need")).select_by_value("mental_health")
    pages.click_and_load(pages.button("Search"), "directory by need")
    pages.click_and_load(driver.find_element(By.XPATH, "//main//tr[td//a[normalize-space()='Community Counselling']]//a[normalize-space()='Refer']"),
                         "referral form")
    Select(driver.find_element(By.ID, "f-goalID")).select_by_visible_text("Feel less anxious day to day (Mental health)")
    driver.find_element(By.ID, "f-reason").send_keys("Counselling for anxiety, as agreed in the plan.")
    pages.click_and_load(pages.button("Send referral"), "referral without consent")
    assert "consent" in driver.find_element(By.ID, "f-consentOn-error").text
    set_value(driver, "f-consentOn", today.isoformat())
    pages.click_and_load(pages.button("Send referral"), "referral sent")
    assert re.fullmatch(f"/referrals/{UUID}", pages.path()), pages.path()
    assert summary_value(driver, "Status") == "Sent"
    for status in ("Accepted", "Connected"):
        Select(driver.find_element(By.ID, "f-status")).select_by_visible_text(status)
        pages.click_and_load(pages.button("Save"), f"referral {status.lower()}")
        assert summary_value(driver, "Status") == status, summary_value(driver, "Status")
    assert summary_value(driver, "Connected") == today.isoformat()
    pages.click_and_load(pages.link("Printable referral form"), "printable referral form")
    assert "Community Counselling" in driver.find_element(By.CSS_SELECTOR, "main article").text

    # 4. Rental assistance: a negative amount is refused, then $1,250.00 is recorded.
    pages.open(case_path + "/services/new", "service form")
    Select(driver.find_element(By.ID, "f-typeCode")).select_by_value("152:1")
    driver.find_element(By.ID, "f-amount").send_keys("-50")
    set_value(driver, "f-periodStart", today.replace(day=1).isoformat())
    set_value(driver, "f-periodEnd", (today.replace(day=1) + datetime.timedelta(days=31)).replace(day=1).isoformat())
    driver.find_element(By.ID, "f-payee").send_keys("Maple Court Apartments")
    pages.click_and_load(pages.button("Save"), "service with a negative amount")
    assert "cannot be negative" in driver.find_element(By.ID, "f-amount-error").text
    amount = driver.find_element(By.ID, "f-amount")
    amount.clear(); amount.send_keys("1250.00")
    pages.click_and_load(pages.button("Save"), "rental assistance recorded")
    services = driver.find_element(By.XPATH, "//section[@aria-labelledby='s-services']").text
    assert "SSVF Financial Assistance: Rental assistance" in services and "$1,250.00" in services, services

    # 5. An appeal with a filing deadline, which becomes a task.
    deadline = today + datetime.timedelta(days=10)
    pages.open(case_path + "/advocacy/new", "appeal form")
    Select(driver.find_element(By.ID, "f-issue")).select_by_visible_text("Denied benefits")
    driver.find_element(By.ID, "f-otherParty").send_keys("County Benefits Office")
    set_value(driver, "f-filingDeadline", deadline.isoformat())
    pages.click_and_load(pages.button("Save"), "appeal saved")
    advocacy_path = pages.path()
    pages.open(case_path, "case with the appeal")
    tasks = driver.find_element(By.XPATH, "//section[@aria-labelledby='s-tasks']").text
    assert "File appeal with County Benefits Office" in tasks and deadline.isoformat() in tasks, tasks

    # 6. A letter from a template, merged with the appeal, kept and printed.
    pages.open(advocacy_path, "appeal")
    pages.click_and_load(pages.link("Write a letter"), "letter form")
    Select(driver.find_element(By.ID, "f-template")).select_by_visible_text("Request for appeal hearing")
    pages.click_and_load(pages.button("Fill in from the case"), "letter merged")
    body = driver.find_element(By.ID, "f-body").get_attribute("value")
    assert full_name in body and "County Benefits Office" in body and deadline.isoformat() in body, body
    # The client has no address on file: the draft flags the merge field instead of leaving it blank,
    # and the worker writes it in before keeping the letter.
    if "{{client.address}}" in body:
        assert "{{client.address}}" in driver.find_element(By.ID, "f-body-error").text
        field = driver.find_element(By.ID, "f-body")
        field.clear()
        field.send_keys(body.replace("{{client.address}}", "Shelter mail room, 14 Gum Street"))
    pages.click_and_load(pages.button("Keep on the case and print"), "printable letter")
    assert re.fullmatch(f"/letters/{UUID}", pages.path()), pages.path()
    assert "County Benefits Office" in driver.find_element(By.CSS_SELECTOR, "main article").text
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {})
    assert len(pdf["data"]) > 1000
    print("Letter printed to PDF:", len(pdf["data"]), "base64 characters")

    # 7. Closing: without a reason it is refused; then goals achieved, rental by client, a 30-day follow-up.
    pages.open(case_path, "case before closing")
    pages.click_and_load(pages.link("Close case"), "closure form")
    pages.click_and_load(pages.button("Close the case"), "closure without a reason")
    assert "is required" in driver.find_element(By.ID, "f-reason-error").text
    Select(driver.find_element(By.ID, "f-reason")).select_by_value("goals_achieved")
    Select(driver.find_element(By.ID, "f-destination")).select_by_value("410")
    for check in ("stable_access", "support_system", "independent"):
        driver.find_element(By.CSS_SELECTOR, f"label[for='f-checklist-{check.replace('_', '-')}']").click()
    driver.find_element(By.CSS_SELECTOR, "label[for='f-followUpDays-30']").click()
    # The appeal (its deadline is ahead) and its filing task are still open: the form lists them and asks
    # for an explicit confirmation with a reason before the case closes.
    still_open = driver.find_element(By.CSS_SELECTOR, "section.open-work").text
    assert "County Benefits Office" in still_open and "File appeal with County Benefits Office" in still_open, still_open
    pages.click_and_load(pages.button("Close the case"), "closure with open work not confirmed")
    assert driver.find_element(By.ID, "f-openWorkReason-error").text
    driver.find_element(By.CSS_SELECTOR, "label[for='f-confirmOpenWork']").click()
    driver.find_element(By.ID, "f-openWorkReason").send_keys("The appeal is now handled by Legal Aid.")
    pages.click_and_load(pages.button("Close the case"), "case closed")
    assert summary_value(driver, "Status") == "Closed"
    history = driver.find_element(By.XPATH, "//section[@aria-labelledby='s-history']").text
    assert "410" in history and "Goals achieved" in history, history
    assert "handled by Legal Aid" in history, history
    pages.open("/tasks", "my tasks")
    follow = (today + datetime.timedelta(days=30)).isoformat()
    task = driver.find_element(By.XPATH, f"//main//tr[td//a[starts-with(normalize-space(), 'Follow-up 30 days after closure')]][td[1][contains(., {xpath_literal(follow)})]]")
    print("Follow-up task:", task.text)

    blocking = a11y.blocking()
    assert not blocking, "axe found serious or critical violations:\n" + a11y.report()
