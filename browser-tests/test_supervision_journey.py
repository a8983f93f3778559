"""Caseload management, supervision and outcome reporting in a real browser (issue 5): a case manager
starts the day on "Who needs me today" (cases ranked, each with its reasons); an administrator makes
Emergency Shelter closures wait for approval; the case manager's closure is returned by the supervisor
with a comment, shown back to the case manager, asked again and approved, and the case closes. The
supervisor sees the team's caseloads against targets; the administrator opens every outcome report
(table, SVG chart, CSV link) and the data-quality report, and follows a count to the records to fix.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import re
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import xpath_literal
from test_assessment_journey import sign_in


def sign_out(pages, who):
    pages.click_and_load(pages.button("Sign out", within="header"), f"{who} signed out")


def clear_for_closing(pages, driver, close_path):
    """On the close form, acknowledge every open risk alert it lists (a closure waits for them), then return to it."""
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".alert-box a[href*='/alerts/']")]
    for href in links:
        pages.open(urlparse(href).path, "risk alert to acknowledge")
        driver.find_element(By.ID, "f-actionTaken").send_keys("Safety plan reviewed with the client.")
        pages.click_and_load(pages.button("Acknowledge alert"), "alert acknowledged")
    if links:
        pages.open(close_path, "close form, alerts acknowledged")
    assert not driver.find_elements(By.CSS_SELECTOR, ".alert-box")


def confirm_open_work(driver, reason):
    """Where work is still open on the case, confirm closing with it and say why."""
    if driver.find_elements(By.ID, "f-confirmOpenWork"):
        if not driver.find_element(By.ID, "f-confirmOpenWork").is_selected():
            driver.find_element(By.CSS_SELECTOR, "label[for='f-confirmOpenWork']").click()
        field = driver.find_element(By.ID, "f-openWorkReason")
        field.clear()
        field.send_keys(reason)


def test_supervision_journey(driver, pages, a11y):
    # 1. The case manager's day starts with the ranked list, each case with its reasons.
    sign_in(pages, driver, "casemanager1")
    assert pages.path() == "/today", pages.path()
    items = driver.find_elements(By.CSS_SELECTOR, "ol.priority-list > li")
    assert items, "no cases on the dashboard"
    # The ranking is a need score, a word apart from the case's priority (low, medium, high).
    scores = [int(re.search(r"need score (\d+)", li.text).group(1)) for li in items]
    assert scores == sorted(scores, reverse=True), scores
    top = items[0]
    reasons = [r.text for r in top.find_elements(By.CSS_SELECTOR, "ul.why li")]
    print("Top of the list:", top.find_element(By.CSS_SELECTOR, ".who").text, scores[0], reasons)
    assert reasons and all(re.search(r"\+\d+$", r) for r in reasons), reasons
    case_link = items[-1].find_element(By.CSS_SELECTOR, "a.who")
    client_name = case_link.text
    pages.click_and_load(case_link, "a case from the dashboard")
    case_path = pages.path()
    assert re.fullmatch(r"/cases/[0-9a-f-]{36}", case_path), case_path
    program = pages.h1().split(" · ")[-1]
    sign_out(pages, "casemanager1")

    # 2. The administrator makes closures in this case's program wait for a supervisor.
    sign_in(pages, driver, "admin")
    pages.open("/admin/programs", "program settings")
    details = driver.find_element(By.XPATH, f"//main//details[summary[starts-with(normalize-space(), {xpath_literal(program)})]]")
    driver.execute_script("arguments[0].open = true", details)
    box = details.find_element(By.CSS_SELECTOR, "input[name='requiresClosureApproval']")
    if not box.is_selected():
        box.click()
    pages.click_and_load(details.find_element(By.XPATH, ".//button"), "supervision settings saved")
    assert "saved" in pages.flash(), pages.flash()
    sign_out(pages, "admin")

    # 3. The case manager closes the case: it waits for approval and stays open.
    sign_in(pages, driver, "casemanager1")
    pages.open(case_path + "/close", "close form")
    clear_for_closing(pages, driver, case_path + "/close")
    Select(driver.find_element(By.ID, "f-reason")).select_by_value("goals_achieved")
    Select(driver.find_element(By.ID, "f-destination")).select_by_value("410")
    confirm_open_work(driver, "Remaining tasks move to the housing navigator.")
    pages.click_and_load(pages.button("Close the case"), "closure sent for approval")
    assert "approval" in pages.flash(), pages.flash()
    assert "waits for a supervisor's approval" in driver.find_element(By.TAG_NAME, "main").text
    sign_out(pages, "casemanager1")

    # 4. The supervisor sees the team's caseloads against targets, then returns the closure with a comment.
    sign_in(pages, driver, "supervisor1")
    pages.open("/workload", "team caseloads against targets")
    assert driver.find_elements(By.XPATH, "//main//table//th[normalize-space()='Share of target']")
    pages.open("/reviews", "review queue")
    item = driver.find_element(By.XPATH, f"//main//article[.//h3[normalize-space()={xpath_literal(client_name)}]]")
    pages.click_and_load(item.find_element(By.XPATH, ".//button[normalize-space()='Return with comments']"), "return without a comment")
    assert "is required" in driver.find_element(By.TAG_NAME, "main").text
    item = driver.find_element(By.XPATH, f"//main//article[.//h3[normalize-space()={xpath_literal(client_name)}]]")
    item.find_element(By.TAG_NAME, "textarea").send_keys("Plan a 30-day follow-up before closing.")
    pages.click_and_load(item.find_element(By.XPATH, ".//button[normalize-space()='Return with comments']"), "closure returned")
    sign_out(pages, "supervisor1")

    # 5. The case manager sees it returned, asks again with a follow-up, and the supervisor approves.
    sign_in(pages, driver, "casemanager1")
    returned = driver.find_element(By.XPATH, "//section[@aria-labelledby='returned']")
    assert "Plan a 30-day follow-up before closing." in returned.text, returned.text
    pages.click_and_load(returned.find_element(By.XPATH, f".//a[contains(normalize-space(), {xpath_literal(client_name)})]"), "close form again")
    Select(driver.find_element(By.ID, "f-reason")).select_by_value("goals_achieved")
    Select(driver.find_element(By.ID, "f-destination")).select_by_value("410")
    driver.find_element(By.ID, "f-followUpDays-30").click()
    confirm_open_work(driver, "Remaining tasks move to the housing navigator.")
    pages.click_and_load(pages.button("Close the case"), "closure asked again")
    sign_out(pages, "casemanager1")
    sign_in(pages, driver, "supervisor1")
    pages.open("/reviews", "review queue again")
    item = driver.find_element(By.XPATH, f"//main//article[.//h3[normalize-space()={xpath_literal(client_name)}]]")
    pages.click_and_load(item.find_element(By.XPATH, ".//button[normalize-space()='Approve']"), "closure approved")
    pages.open(case_path, "the closed case")
    assert "Closed" in driver.find_element(By.TAG_NAME, "main").text
    sign_out(pages, "supervisor1")

    # 6. The administrator reads every outcome report and the data-quality report.
    sign_in(pages, driver, "admin")
    pages.open("/reports", "reports")
    for slug in ["ssm", "goals", "referrals", "exits", "participation", "compliance", "caseloads"]:
        pages.open(f"/reports/outcomes/{slug}", f"outcome report {slug}")
        main = driver.find_element(By.TAG_NAME, "main")
        assert main.find_elements(By.CSS_SELECTOR, "table.data, table"), slug
        assert main.find_elements(By.CSS_SELECTOR, "svg[role='img']"), f"{slug}: no chart"
        assert main.find_elements(By.XPATH, ".//a[contains(@href, 'format=csv')]"), slug
        caption = main.find_element(By.TAG_NAME, "caption").text
        print(f"{slug}: {caption}")
    pages.open("/reports/data-quality?grouping=worker", "data quality by worker")
    link = driver.find_element(By.XPATH, "//main//table[1]//tr[th[normalize-space()='Date of birth']]//a")
    pages.click_and_load(link, "records to fix")
    assert driver.find_elements(By.XPATH, "//main//a[normalize-space()='Fix']")
