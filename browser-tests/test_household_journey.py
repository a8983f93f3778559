"""A household of real clients in a real browser (issue 16, point 1): a case manager registers a head of
household, registers her son into the household from its page, finds her partner (registered on his own) and
adds him, opens one case for the three of them, and sees the household on the case and on the son's record.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import datetime
import random
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_assessment_journey import sign_in
from test_journey import UUID, fill_client_form, random_letters


def register(pages, driver, first, last, born, path="/clients/new", label="intake form"):
    pages.open(path, label)
    fill_client_form(driver, first, last, born)


def test_household_journey(driver, pages, a11y):
    last = "Householder" + random_letters(5)
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randrange(30 * 365))
    sign_in(pages, driver, "casemanager3")

    register(pages, driver, "Inés", last, born.isoformat())
    pages.click_and_load(pages.button("Register client"), "head registered")
    head_path = pages.path()
    assert re.search(UUID, head_path), head_path
    pages.click_and_load(pages.link("Add a household member"), "household page, empty")
    assert "not in a household with anyone else yet" in driver.page_source

    # A new person into the household: the intake form says whose household, and asks the relationship.
    pages.click_and_load(pages.link("Register a new person in this household"), "intake into the household")
    assert "joins the household of Inés " + last in driver.page_source
    fill_client_form(driver, "Tomasito", last, "2016-04-02")
    Select(driver.find_element(By.ID, "f-relationshipToHead")).select_by_visible_text("Child")
    pages.click_and_load(pages.button("Register client"), "son registered")
    son_path = pages.path()
    assert son_path != head_path and re.search(UUID, son_path)

    # Someone registered on his own, found by name and added as her partner.
    register(pages, driver, "Baltasar", "Partner" + last, "1979-09-09")
    pages.click_and_load(pages.button("Register client"), "partner registered")
    pages.open(head_path + "/household?q=Baltasar", "household search")
    partner_id = re.search(UUID, driver.find_element(
        By.XPATH, "//main//input[@name='clientID']").get_attribute("value")).group(0)
    Select(driver.find_element(By.ID, f"f-relationship-{partner_id}")).select_by_visible_text("Spouse or partner")
    pages.click_and_load(pages.button("Add to household"), "partner added")
    assert pages.flash() == "Added to the household."
    rows = driver.find_elements(By.CSS_SELECTOR, "main table.data tbody tr")
    assert len(rows) == 3, len(rows)

    # One case for the household: the members are offered, ticked.
    pages.open(head_path + "/cases/new", "open-case form with the household")
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[name='memberIDs[]']")
    assert len(boxes) == 2 and all(b.is_selected() for b in boxes)
    Select(driver.find_element(By.ID, "f-programID")).select_by_index(0)
    pages.click_and_load(pages.button("Open a case"), "household case opened")
    assert "/cases/" in pages.path()
    assert "Household enrolled together" in driver.page_source
    assert "Tomasito " + last in driver.page_source and "Baltasar Partner" + last in driver.page_source

    # The son's own record shows the household and the case he is enrolled in.
    pages.open(son_path, "son's record")
    assert "Inés " + last in driver.page_source
    assert driver.find_elements(By.CSS_SELECTOR, "main a[href^='/cases/']")
