"""The main journey of a case manager, in a real browser: sign in, register a client, be warned about a
near-duplicate, open a case, write and sign a note, see the contact on the caseload, sign out.

Every page the journey reaches is scanned with axe-core; serious and critical violations fail the test.
Run against a demo server: `TRELLIS_URL=http://127.0.0.1:8089 pytest -v browser-tests`.
"""

import datetime
import random
import re
import string

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import artifact_path, xpath_literal

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
USERNAME = "casemanager1"
PASSWORD = "trellis-demo-2026"


def random_letters(count: int) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=count))


def one_letter_changed(name: str) -> str:
    last = name[-1]
    replacement = random.choice([c for c in string.ascii_lowercase if c != last.lower()])
    return name[:-1] + replacement


def summary_value(driver, term: str) -> str:
    """The value shown beside a term in the page's summary list (<dl class="summary">)."""
    return driver.find_element(
        By.XPATH,
        f"//main//dl[contains(@class, 'summary')]/dt[normalize-space()={xpath_literal(term)}]"
        "/following-sibling::dd[1]",
    ).text.strip()


def fill_client_form(driver, first: str, last: str, birth_date: str) -> None:
    driver.find_element(By.ID, "f-firstName").send_keys(first)
    driver.find_element(By.ID, "f-lastName").send_keys(last)
    # Typing into a date input depends on the browser's locale; set the ISO value directly.
    birth = driver.find_element(By.ID, "f-birthDate")
    driver.execute_script("arguments[0].value = arguments[1];", birth, birth_date)
    assert birth.get_attribute("value") == birth_date
    # The SSN's data quality has no default: the worker says why there is no number.
    Select(driver.find_element(By.ID, "f-ssnDataQuality")).select_by_visible_text("Client prefers not to answer")
    Select(driver.find_element(By.ID, "f-sex")).select_by_visible_text("Female")
    race = driver.find_element(By.ID, "f-races-HispanicLatinao")
    if not race.is_selected():
        race.click()
    assert race.is_selected()
    Select(driver.find_element(By.ID, "f-veteranStatus")).select_by_visible_text("No")


def test_case_manager_journey(driver, pages, a11y):
    first_name = "Marisol"
    last_name = "Quintanilla" + random_letters(4)
    full_name = f"{first_name} {last_name}"
    near_last_name = one_letter_changed(last_name)
    # A birth date of its own for each run, so the clients earlier runs left on a reused server do not
    # look like this one and crowd it out of the (five-entry) duplicate list.
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(50 * 365))
    birth_date, near_birth_date = birth.isoformat(), (birth + datetime.timedelta(days=1)).isoformat()
    print(f"Client for this run: {full_name}, born {birth_date} "
          f"(near-duplicate: {first_name} {near_last_name}, born {near_birth_date})")

    # a. Sign in as a case manager and land on "Who needs me today".
    pages.open("/signin", "sign-in")
    assert pages.h1() == "Sign in"
    driver.find_element(By.ID, "f-username").send_keys(USERNAME)
    driver.find_element(By.ID, "f-password").send_keys(PASSWORD)
    pages.click_and_load(pages.button("Sign in"), "today after sign-in")
    assert pages.path() == "/today"
    assert pages.h1() == "Who needs me today"

    # b. Register a new client.
    pages.click_and_load(pages.link("Register a client"), "register a client")
    assert pages.path() == "/clients/new"
    assert pages.h1() == "Register a client"
    fill_client_form(driver, first_name, last_name, birth_date)
    pages.click_and_load(pages.button("Register client"), "registration submitted")
    if driver.find_elements(By.CSS_SELECTOR, "main .duplicates") and pages.path() == "/clients":
        # Only when the suite runs again against the same server: an earlier run's client looks alike.
        print("An earlier run's client looks alike; registering a new client anyway.")
        pages.click_and_load(pages.button("None of these: register a new client"), "client registered")
    assert re.fullmatch(f"/clients/{UUID}", pages.path()), pages.path()
    client_path = pages.path()
    assert pages.h1() == full_name
    assert pages.flash() == "Client registered."

    # c. Registering a near-duplicate (one letter of the last name, birth date a day later) is stopped
    #    with the possible existing record, and no second record is created.
    pages.open("/clients/new", "register a near-duplicate")
    fill_client_form(driver, first_name, near_last_name, near_birth_date)
    pages.click_and_load(pages.button("Register client"), "possible duplicates")
    assert not re.fullmatch(f"/clients/{UUID}", pages.path()), "a second client record was created"
    assert pages.flash() != "Client registered."
    duplicates = driver.find_element(By.CSS_SELECTOR, "main .duplicates")
    assert duplicates.find_element(By.CSS_SELECTOR, "h2").text.strip() == "Possible existing records"
    match = duplicates.find_element(By.CSS_SELECTOR, f"li a[href='{client_path}']")
    assert match.text == f"{full_name} ({birth_date})", match.text
    reasons = match.find_element(By.XPATH, "./ancestor::li[1]").text
    print(f"Duplicate listed: {reasons}")
    assert "same first name" in reasons
    assert "last name" in reasons
    assert "date of birth" in reasons
    # The form keeps what was typed, so the user can still go on if none of them is the person.
    assert driver.find_element(By.ID, "f-lastName").get_attribute("value") == near_last_name
    assert driver.find_element(By.ID, "f-birthDate").get_attribute("value") == near_birth_date
    pages.click_and_load(match, "existing client from the duplicate warning")
    assert pages.path() == client_path
    assert pages.h1() == full_name

    # The client search finds the first record and nothing under the near-duplicate's name.
    pages.click_and_load(pages.link("Clients", within="header"), "clients")
    assert pages.h1() == "Clients"
    driver.find_element(By.ID, "f-q").send_keys(near_last_name)
    pages.click_and_load(pages.button("Search"), "search for the near-duplicate")
    assert not driver.find_elements(By.XPATH, f"//main//a[contains(., {xpath_literal(near_last_name)})]")
    assert "No clients match" in driver.find_element(By.CSS_SELECTOR, "main .empty").text
    search = driver.find_element(By.ID, "f-q")
    search.clear()
    search.send_keys(last_name)
    pages.click_and_load(pages.button("Search"), "search for the client")
    found = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(found) == 1, [row.text for row in found]
    result = found[0].find_element(By.CSS_SELECTOR, "a")
    assert result.text.strip() == full_name
    assert result.get_attribute("href").endswith(client_path)
    pages.click_and_load(result, "client from search")
    assert pages.path() == client_path

    # d. Open a case in the first program.
    pages.click_and_load(pages.link("Open a case"), "open a case")
    assert pages.path() == f"{client_path}/cases/new"
    assert pages.h1().startswith("Open a case")
    program = Select(driver.find_element(By.ID, "f-programID"))
    program.select_by_index(0)
    program_name = program.first_selected_option.text.split(" (")[0].strip()
    pages.click_and_load(pages.button("Open a case"), "case opened")
    assert re.fullmatch(f"/cases/{UUID}", pages.path()), pages.path()
    case_path = pages.path()
    assert pages.flash() == "Case opened."
    assert full_name in pages.h1() and program_name in pages.h1(), pages.h1()
    assert summary_value(driver, "Status") == "Open"

    # e. Write a narrative note of a home visit, save it as a draft, then sign it.
    pages.click_and_load(pages.link("Write a case note"), "write a case note")
    assert pages.path() == f"{case_path}/notes/new"
    Select(driver.find_element(By.ID, "f-contactType")).select_by_visible_text("Home visit")
    today = driver.find_element(By.ID, "f-contactDate").get_attribute("value")  # the server's today
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today), today
    driver.find_element(By.ID, "f-durationMinutes").send_keys("30")
    assert Select(driver.find_element(By.ID, "f-format")).first_selected_option.text == "Narrative"
    narrative = "Home visit. Talked through the housing search and the next steps."
    driver.find_element(By.NAME, "sections.narrative.narrative").send_keys(narrative)
    pages.click_and_load(pages.button("Save draft"), "draft note")
    assert re.fullmatch(f"/notes/{UUID}", pages.path()), pages.path()
    note_path = pages.path()
    assert summary_value(driver, "Status") == "Draft"
    assert summary_value(driver, "Contact type") == "Home visit"
    assert summary_value(driver, "Contact date") == today
    assert summary_value(driver, "Duration (minutes)") == "30"
    assert narrative in driver.find_element(By.TAG_NAME, "main").text
    assert pages.link("Edit draft").is_displayed()
    # Signing is for good: the form asks the worker to confirm first.
    driver.find_element(By.ID, "f-confirm-1").click()
    pages.click_and_load(pages.button("Sign note"), "signed note")
    assert pages.path() == note_path
    assert pages.flash() == "Note signed."
    assert summary_value(driver, "Status").startswith("Signed"), summary_value(driver, "Status")
    assert not driver.find_elements(By.XPATH, "//main//a[normalize-space()='Edit draft']")
    assert not driver.find_elements(By.XPATH, "//main//button[normalize-space()='Sign note']")
    assert narrative in driver.find_element(By.TAG_NAME, "main").text

    # f. The caseload shows today's contact, on time; the client's name leads to the case.
    pages.click_and_load(pages.link("Caseload", within="header"), "caseload after the note")
    assert pages.path() == "/caseload"
    assert pages.h1() == "My caseload"
    row = driver.find_element(
        By.XPATH, f"//main//table/tbody/tr[th//a[normalize-space()={xpath_literal(full_name)}]]")
    cells = [cell.text.strip() for cell in row.find_elements(By.CSS_SELECTOR, "td")]
    print(f"Caseload row: {full_name} | {' | '.join(cells)}")
    assert today in cells, cells
    assert "On time" in cells, cells
    assert program_name in cells, cells
    pages.click_and_load(row.find_element(By.CSS_SELECTOR, "th a"), "case from the caseload")
    assert pages.path() == case_path
    assert full_name in pages.h1()
    assert summary_value(driver, "Last contact") == today

    # g. Sign out; the caseload is no longer reachable.
    pages.click_and_load(pages.button("Sign out", within="header"), "signed out")
    assert pages.path().startswith("/signin"), pages.path()
    assert pages.h1() == "Sign in"
    pages.open("/caseload", "caseload after sign-out")
    assert pages.path().startswith("/signin"), pages.path()

    driver.save_screenshot(str(artifact_path("journey-end.png")))

    blocking = a11y.blocking()
    assert not blocking, (
        f"{len(blocking)} serious or critical accessibility violation(s):\n{a11y.report()}")
