"""Assessment, planning and reassessment in a real browser (issue 3): a case manager completes a
Self-Sufficiency Matrix and a PHQ-9 with item 9 above 0, sees the reassessment fall due on the caseload,
builds a plan from two needs the matrix found, reassesses, and reads the change on the progress view;
the supervisor sees the risk alert on their dashboard and acknowledges it.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import datetime
import random
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import xpath_literal
from test_journey import PASSWORD, UUID, fill_client_form, random_letters, summary_value


def set_value(driver, element_id: str, value: str) -> None:
    """Sets an input's value directly (date inputs depend on the browser's locale when typed into)."""
    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1];", element, value)
    assert element.get_attribute("value") == value


def choose(driver, item: str, index: int) -> None:
    """Picks an item's option by position (its label is clicked, as a person would)."""
    driver.find_element(By.CSS_SELECTOR, f"label[for='f-a-{item}-{index}']").click()
    assert driver.find_element(By.ID, f"f-a-{item}-{index}").is_selected()


def sign_in(pages, driver, username: str) -> None:
    pages.open("/signin", f"sign-in as {username}")
    driver.find_element(By.ID, "f-username").send_keys(username)
    driver.find_element(By.ID, "f-password").send_keys(PASSWORD)
    pages.click_and_load(pages.button("Sign in"), f"{username} signed in")


SSM_DOMAINS = ["housing", "employment", "income", "food", "childCare", "childrensEducation", "adultEducation",
               "healthCareCoverage", "lifeSkills", "mentalHealth", "substanceUse", "familyRelations", "mobility",
               "communityInvolvement", "parentingSkills", "legal", "safety"]


def complete_ssm(pages, driver, case_path: str, date: str, levels: dict, label: str) -> str:
    pages.open(f"{case_path}", f"case before {label}")
    pages.click_and_load(pages.link("Self-Sufficiency Matrix"), f"{label} form")
    assert pages.h1().startswith("Self-Sufficiency Matrix")
    set_value(driver, "f-completedOn", date)
    for domain in SSM_DOMAINS:
        level = levels.get(domain, 3)
        choose(driver, domain, 5 if level == "na" else level - 1)
    pages.click_and_load(pages.button("Save assessment"), f"{label} saved")
    assert re.fullmatch(f"/assessments/{UUID}", pages.path()), pages.path()
    return pages.path()


def test_assessment_plan_and_progress_journey(driver, pages, a11y):
    today = datetime.date.today()
    intake_day = today - datetime.timedelta(days=45)
    first, last = "Rosalind", "Okonkwo" + random_letters(4)
    full_name = f"{first} {last}"
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(50 * 365))

    # A case manager registers a client and opens a case 45 days ago (the program reassesses every 30).
    sign_in(pages, driver, "casemanager1")
    pages.open("/clients/new", "register a client")
    fill_client_form(driver, first, last, birth.isoformat())
    pages.click_and_load(pages.button("Register client"), "client registered")
    if pages.path() == "/clients":
        pages.click_and_load(pages.button("None of these: register a new client"), "client registered anyway")
    assert re.fullmatch(f"/clients/{UUID}", pages.path()), pages.path()
    pages.click_and_load(pages.link("Open a case"), "open a case")
    program = Select(driver.find_element(By.ID, "f-programID"))
    program.select_by_visible_text("Emergency Shelter (Emergency shelter)")
    set_value(driver, "f-openedOn", intake_day.isoformat())
    pages.click_and_load(pages.button("Open a case"), "case opened")
    assert re.fullmatch(f"/cases/{UUID}", pages.path()), pages.path()
    case_path = pages.path()

    # 1. An intake Self-Sufficiency Matrix on the day the case opened: housing in crisis, employment vulnerable.
    #    The level descriptions are shown beside each choice.
    pages.open(case_path, "case")
    pages.click_and_load(pages.link("Self-Sufficiency Matrix"), "SSM form")
    description = driver.find_element(By.ID, "f-a-housing-0-d").text
    assert "Homeless" in description, description
    pages.open(case_path, "case again")
    intake_path = complete_ssm(pages, driver, case_path, intake_day.isoformat(),
                               {"housing": 1, "employment": 2, "childCare": "na", "parentingSkills": "na"}, "intake SSM")
    assert pages.flash().startswith("Assessment saved. It raised a risk alert"), pages.flash()  # housing at 1
    assert "Self-Sufficiency Matrix: Housing in crisis" in driver.find_element(By.CSS_SELECTOR, "main .alert-box").text

    # 2. The reassessment (30 days after intake) is overdue on the caseload.
    pages.open("/caseload", "caseload with a reassessment overdue")
    row = driver.find_element(By.XPATH, f"//main//table/tbody/tr[th//a[normalize-space()={xpath_literal(full_name)}]]")
    due = (intake_day + datetime.timedelta(days=30)).isoformat()
    assert f"Overdue since {due}" in row.text, row.text
    print(f"Caseload row: {row.text}")

    # 3. A PHQ-9 with item 9 at "Several days" raises a safety alert.
    pages.open(case_path, "case before PHQ-9")
    pages.click_and_load(pages.link("Patient Health Questionnaire (PHQ-9)"), "PHQ-9 form")
    for i in range(1, 10):
        choose(driver, f"item{i}", 1)
    # A missing answer is refused with the item named, and nothing is saved.
    driver.execute_script("document.getElementById('f-a-item3-1').checked = false;")
    pages.click_and_load(pages.button("Save assessment"), "PHQ-9 with a missing answer")
    assert "item3" not in pages.path() and pages.path().endswith("/assessments"), pages.path()
    assert "is required" in driver.find_element(By.ID, "f-a-item3-error").text
    choose(driver, "item3", 1)
    pages.click_and_load(pages.button("Save assessment"), "PHQ-9 saved")
    assert summary_value(driver, "Score") == "9 / 27"
    assert summary_value(driver, "Severity") == "Mild"
    assert "PHQ-9 item 9" in driver.find_element(By.CSS_SELECTOR, "main .alert-box").text

    # 4. A plan built from the two needs the intake matrix found.
    pages.open(intake_path, "intake SSM")
    needs = driver.find_elements(By.CSS_SELECTOR, "main form[method='get'] input[name='need']")
    assert len(needs) == 2, [n.get_attribute("value") for n in needs]
    for need in needs:
        driver.find_element(By.CSS_SELECTOR, f"label[for='{need.get_attribute('id')}']").click()
    pages.click_and_load(pages.button("Start plan goals from these needs"), "plan editor from two needs")
    assert pages.path().startswith(f"{case_path}/plan/edit?need="), pages.path()
    assert driver.find_element(By.ID, "f-goals-0-need").get_attribute("value").startswith("Housing: In Crisis")
    assert driver.find_element(By.ID, "f-goals-1-need").get_attribute("value").startswith("Employment: Vulnerable")
    driver.find_element(By.ID, "f-goals-0-goal").send_keys("Move into a place of my own")
    driver.find_element(By.ID, "f-goals-0-target").send_keys("Signed lease on a unit under 40% of income")
    set_value(driver, "f-goals-0-targetDate", (today + datetime.timedelta(days=90)).isoformat())
    driver.find_element(By.ID, "f-goals-0-clientWords").send_keys("I want my kids to have their own room.")
    driver.find_element(By.ID, "f-goals-0-steps-0-description").send_keys("Apply to three rapid re-housing units")
    set_value(driver, "f-goals-0-steps-0-dueOn", (today + datetime.timedelta(days=14)).isoformat())
    driver.find_element(By.ID, "f-goals-1-goal").send_keys("Find full-time work")
    set_value(driver, "f-goals-1-targetDate", (today + datetime.timedelta(days=120)).isoformat())
    # The second goal has no target yet: refused, with the field named.
    pages.click_and_load(pages.button("Save plan"), "plan without a target")
    assert "is required" in driver.find_element(By.ID, "f-goals-1-target-error").text
    driver.find_element(By.ID, "f-goals-1-target").send_keys("Offer letter for 35+ hours a week")
    set_value(driver, "f-agreedOn", today.isoformat())
    Select(driver.find_element(By.ID, "f-agreementMethod")).select_by_visible_text("Signed in person")
    pages.click_and_load(pages.button("Save plan"), "plan saved")
    assert pages.path() == f"{case_path}/plan"
    assert pages.flash() == "Plan saved as a new version."
    assert summary_value(driver, "Status") == "In force"
    goals = [g.text for g in driver.find_elements(By.CSS_SELECTOR, "main section.goal h3")]
    assert goals == ["Goal 1: Move into a place of my own", "Goal 2: Find full-time work"], goals

    # 5. Reassess today: housing and employment now safe.
    complete_ssm(pages, driver, case_path, today.isoformat(), {"childCare": "na", "parentingSkills": "na"}, "reassessment SSM")
    assert pages.flash() == "Assessment saved."

    # 6. The progress view shows the change, domain by domain, as charts with data tables.
    pages.open(f"{case_path}/progress", "progress view")
    section = driver.find_element(By.XPATH, "//main//section[h2[normalize-space()='Self-Sufficiency Matrix']]")
    housing = section.find_element(By.XPATH, ".//table//tr[th[normalize-space()='Housing']]")
    cells = [c.text for c in housing.find_elements(By.TAG_NAME, "td")]
    print(f"Progress, housing: {cells}")
    assert cells == ["1", "1", "3", "+2"], cells
    charts = section.find_elements(By.CSS_SELECTOR, "svg[role='img']")
    assert len(charts) == 1 + 17, len(charts)
    assert section.find_elements(By.CSS_SELECTOR, "figure table"), "each chart has its data table"
    pages.click_and_load(pages.button("Sign out", within="header"), "signed out")

    # 7. The supervisor sees the PHQ-9 alert on their dashboard and acknowledges it with the action taken.
    sign_in(pages, driver, "supervisor1")
    assert pages.path() == "/team"
    alert_link = driver.find_element(
        By.XPATH, f"//main//section[contains(@class,'alert-box')]//a[contains(., {xpath_literal(full_name)}) and contains(., 'PHQ-9 item 9')]")
    pages.click_and_load(alert_link, "risk alert")
    driver.find_element(By.ID, "f-actionTaken").send_keys("Called the client; safety plan reviewed; crisis line number given.")
    pages.click_and_load(pages.button("Acknowledge alert"), "alert acknowledged")
    assert pages.flash() == "Alert acknowledged."
    assert not driver.find_elements(
        By.XPATH, f"//main//a[contains(., {xpath_literal(full_name)}) and contains(., 'PHQ-9 item 9')]")

    blocking = a11y.blocking()
    assert not blocking, f"{len(blocking)} serious or critical accessibility violation(s):\n{a11y.report()}"
