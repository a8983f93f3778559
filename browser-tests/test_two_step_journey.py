"""Two-step sign-in in a real browser (issue 15, point 2): casemanager5 sets it up from the QR code the server
draws (decoded here with zbarimg, as a phone would read it), keeps the recovery codes, signs out and back in
with a code from the "app" (TOTP computed here from the key the page shows), then signs in with a recovery code
and turns it off again. An administrator requires it of no role and sees the user's state on the users list.

Every page is scanned with axe-core; serious and critical violations fail the test.
"""

import base64
import hashlib
import hmac
import shutil
import struct
import subprocess
import time

from selenium.webdriver.common.by import By

from conftest import artifact_path
from test_assessment_journey import sign_in
from test_need_to_know_journey import sign_out

USER = "casemanager5"


def step_now() -> int:
    return int(time.time() // 30)


def totp(key: str, steps_ahead: int = 0) -> str:
    """RFC 6238 with SHA-1, six digits, 30-second steps: what an authenticator app shows."""
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    counter = step_now() + steps_ahead
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def type_code(driver, pages, form_action: str, code: str, button: str, label: str) -> None:
    field = driver.find_element(By.CSS_SELECTOR, f"form[action='{form_action}'] input[name='code']")
    field.clear()
    field.send_keys(code)
    pages.click_and_load(pages.button(button), label)


def test_two_step_journey(driver, pages, a11y):
    sign_in(pages, driver, USER)
    pages.open("/me/keys", "sign-ins page")
    pages.click_and_load(pages.link("Two-step sign-in"), "two-step page")
    pages.click_and_load(pages.button("Set up two-step sign-in"), "two-step set-up")
    key = driver.find_element(By.CSS_SELECTOR, "code.otp-key").text.replace(" ", "")
    uri = driver.find_element(By.CSS_SELECTOR, "code.otp-uri").get_attribute("textContent")
    assert f"secret={key}" in uri and uri.startswith("otpauth://totp/Trellis:")
    if shutil.which("zbarimg"):
        shot = artifact_path("two-step-qr.png")
        driver.find_element(By.CSS_SELECTOR, "img.qr").screenshot(str(shot))
        read = subprocess.run(["zbarimg", "-q", "--raw", str(shot)], capture_output=True, text=True).stdout.strip()
        assert read == uri, (read, uri)

    type_code(driver, pages, "/me/two-step/confirm", "000000", "Turn on two-step sign-in", "a wrong code")
    assert "does not match" in driver.page_source
    type_code(driver, pages, "/me/two-step/confirm", totp(key), "Turn on two-step sign-in", "recovery codes")
    codes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "ol.recovery-codes code")]
    assert len(codes) == 10, codes
    sign_out(pages)

    # The password alone leads to the code form; the next code from the app signs in.
    sign_in(pages, driver, USER)
    assert pages.path() == "/signin/code", pages.path()
    # A code for the next step (as a phone whose clock runs a little ahead shows): each step is taken once.
    driver.find_element(By.ID, "f-code").send_keys(totp(key, 1))
    used_step = step_now() + 1  # read after the code: at worst one step later than the code's, never earlier
    pages.click_and_load(pages.button("Continue"), "signed in with a code")
    assert pages.path() in ("/today", "/me/keys"), pages.path()
    sign_out(pages)

    # A recovery code works once, and says so.
    sign_in(pages, driver, USER)
    driver.find_element(By.ID, "f-code").send_keys(codes[0])
    pages.click_and_load(pages.button("Continue"), "signed in with a recovery code")
    assert pages.path() == "/me/two-step", pages.path()
    assert "recovery code" in pages.flash()
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "9" in main and codes[1] not in main

    # The administrator sees it on the users list.
    sign_out(pages)
    sign_in(pages, driver, "admin")
    pages.open("/admin/users", "users list")
    assert "Required for" in driver.page_source
    sign_out(pages)

    # Turned off again (with a code), so later runs start from the same place.
    sign_in(pages, driver, USER)
    driver.find_element(By.ID, "f-code").send_keys(codes[1])
    pages.click_and_load(pages.button("Continue"), "signed in with another recovery code")
    # Only a step after the one used at sign-in is accepted: wait for it if need be.
    while step_now() < used_step:
        time.sleep(1)
    type_code(driver, pages, "/me/two-step/recovery-codes", totp(key, 1), "Turn off two-step sign-in", "turned off")
    assert "Two-step sign-in is off" in pages.flash(), pages.flash()
    sign_out(pages)
