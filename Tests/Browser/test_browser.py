"""Real-browser tests of ZoneCast's web application: headless Chromium from Debian, driven by Selenium.

Run by scripts/browser-test, which starts `zonecast serve` on a fresh demo database and sets:
  ZONECAST_URL        the server's base URL, e.g. http://127.0.0.1:40123
  ZONECAST_ACCOUNTS   a JSON file {"analyst": {"username": ..., "password": ...}, ...} (one-time passwords)
  BROWSER_ARTIFACTS   where screenshots go
  ZONECAST_BIN        the zonecast binary, for test_70's second server (walk_support.py: a whole cycle with the scheduler
                      and alert e-mail to an SMTP test server; skips naming the reason when none is available) and test_64's
  ZONECAST_DEMO_DB    the suite's demo database, which test_64 copies (`zonecast backup`) for a second server with --tile-url
Issue #14's map checks (every page's map at 1440 and 390 px, zoom views, tiles, the briefing's zone pages) are in map_checks.py.
Plain unittest (no pytest). Tests of pages that are not built yet skip when the page answers 404.
Nothing is downloaded: the driver and the browser are Debian's (/usr/bin/chromedriver, /usr/bin/chromium).
"""

import datetime
import html
import json
import os
import re
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import map_checks     # issue #14's map tests (test_62 to test_64), a mixin of BrowserTests; beside this file
import walk_support   # the whole-cycle walk's own server (test_70); beside this file

BASE = os.environ.get("ZONECAST_URL", "http://127.0.0.1:8080").rstrip("/")
ACCOUNTS_FILE = os.environ.get("ZONECAST_ACCOUNTS", "")
ARTIFACTS = os.environ.get("BROWSER_ARTIFACTS", os.path.join(os.getcwd(), ".build", "test-artifacts", "browser"))
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
NEW_PASSWORD = "Browser-test-pass-2026!"   # set on the first sign-in when the app asks for a new password
TIMEOUT = 10                               # seconds for any explicit wait
DESKTOP = (1280, 1000)
PHONE = (390, 844)
SUBMIT = "button[type=submit], input[type=submit], button:not([type])"

ACCOUNTS = {}
driver = None


def setUpModule():
    global driver, ACCOUNTS
    if not ACCOUNTS_FILE:
        raise unittest.SkipTest("ZONECAST_ACCOUNTS is not set: run scripts/browser-test")
    with open(ACCOUNTS_FILE, encoding="utf-8") as f:
        ACCOUNTS = json.load(f)
    os.makedirs(ARTIFACTS, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-proxy-server",
                "--disable-gpu", "--no-first-run", "--lang=en-US", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(arg)
    # An explicit driver path: Selenium Manager never runs, so nothing is downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)


def tearDownModule():
    if driver is not None:
        driver.quit()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# Plain HTTP beside the browser (to read status codes, which WebDriver does not expose); never through a proxy.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


class BrowserTests(map_checks.MapChecks, unittest.TestCase):
    """Numbered so they run in order: a decision at the IRIS meeting comes before the patrol and the audit."""

    decided_by = None   # the username that took a decision in test_20, for the audit check
    meeting = None      # the meeting test_20 scheduled and decided, closed by test_22

    # ---- plumbing --------------------------------------------------------------------------------------------

    def setUp(self):
        self.d = driver
        self.base, self.accounts = BASE, ACCOUNTS   # test_70 points both at a server of its own
        self._dismiss_alert()
        self.d.delete_all_cookies()
        self.d.set_window_size(*DESKTOP)

    def run(self, result=None):
        # A screenshot of whatever the browser shows when a test fails or errs.
        before = len(result.failures) + len(result.errors) if result is not None else 0
        out = super().run(result)
        if result is not None and len(result.failures) + len(result.errors) > before and driver is not None:
            try:
                self._dismiss_alert()
                self.screenshot("FAILED-" + self._testMethodName)
            except Exception:  # the screenshot is a courtesy; never hide the real failure
                pass
        return out

    def _dismiss_alert(self):
        try:
            self.d.switch_to.alert.dismiss()
        except NoAlertPresentException:
            pass

    def url(self, path):
        return self.base + path

    def path(self):
        return urllib.parse.urlsplit(self.d.current_url).path

    def screenshot(self, name):
        file = os.path.join(ARTIFACTS, name + ".png")
        self.d.save_screenshot(file)
        return file

    def wait(self, condition, message, timeout=TIMEOUT):
        return WebDriverWait(self.d, timeout).until(condition, message)

    def open(self, path):
        self.d.get(self.url(path))
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"{path} did not finish loading")

    def navigate_by(self, action, what, failure):
        """Runs `action` (a click) and waits until a new document has replaced this one and finished loading.
        The old document is marked from WebDriver (page scripts are not involved); while Chromium swaps documents
        WebDriver may answer with transient errors, which the wait ignores."""
        self.d.execute_script("window.__zonecastOldPage = true")
        action()
        WebDriverWait(self.d, TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return !window.__zonecastOldPage && document.readyState === 'complete'"),
            f"{what}: {failure}")

    def submit(self, form, what):
        """Clicks the form's submit button and waits for the next page to load."""
        button = form.find_element(By.CSS_SELECTOR, SUBMIT)
        self.navigate_by(button.click, what, "the form did not submit (an empty required field or an invalid value?)")

    def follow(self, link, what):
        self.navigate_by(link.click, what, "the link did not open")

    def visible_errors(self):
        return [e.text for e in self.d.find_elements(By.CSS_SELECTOR, ".error") if e.is_displayed() and e.text.strip()]

    def link_path(self, a):
        """The path an <a> points to; also for SVG links, whose href property is not a string."""
        return urllib.parse.urlsplit(urllib.parse.urljoin(self.d.current_url, a.get_dom_attribute("href") or a.get_dom_attribute("xlink:href") or "")).path

    def session_cookie(self):
        c = self.d.get_cookie("zc_session")
        return c["value"] if c and c.get("value") else None

    def http(self, path, signed_in=True):
        """(status, headers, body) of a GET with the browser's session cookie, without following redirects."""
        request = urllib.request.Request(self.url(path))
        if signed_in:
            cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.d.get_cookies())
            if cookies:
                request.add_header("Cookie", cookies)
        try:
            with _opener.open(request, timeout=TIMEOUT) as r:
                return r.status, r.headers, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")

    def require_page(self, path):
        """Skips the test while the page is not built (it answers 404)."""
        status, _, _ = self.http(path)
        if status == 404:
            self.skipTest(f"GET {path} answers 404: that page is not built yet")
        return status

    def sign_in(self, role):
        """Signs in through the real form; changes a one-time password on /account/password if the app asks."""
        account = self.accounts[role]
        self.open("/login")
        form = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "form:has(input[name=username])")), "no sign-in form on /login")
        form.find_element(By.NAME, "username").send_keys(account["username"])
        form.find_element(By.NAME, "password").send_keys(account["password"])
        self.submit(form, f"sign-in as {account['username']}")
        if self.path() == "/account/password":
            form = self.d.find_element(By.CSS_SELECTOR, "form:has(input[name=new])")
            form.find_element(By.NAME, "current").send_keys(account["password"])
            form.find_element(By.NAME, "new").send_keys(NEW_PASSWORD)
            form.find_element(By.NAME, "confirm").send_keys(NEW_PASSWORD)
            self.submit(form, f"password change for {account['username']}")
            self.assertNotEqual(self.path(), "/account/password",
                                f"the password change for {account['username']} was refused: {self.visible_errors()}")
            account["password"] = NEW_PASSWORD
        landing = "/officer" if role == "officer" else "/"   # officers land on My zones (issue #15)
        self.assertEqual(self.path(), landing, f"sign-in as {account['username']} did not land on {landing}: {self.d.current_url} {self.visible_errors()}")
        self.assertIsNotNone(self.session_cookie(), "signed in but no zc_session cookie")

    def set_value(self, element, value):
        """Sets an input's value as a person would leave it (datetime-local typing depends on the locale)."""
        self.d.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)

    def type_into(self, element, value):
        element.clear()
        element.send_keys(str(value))

    def assert_fits_phone(self, what):
        overflow = self.d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 1, f"{what} is {overflow}px wider than a {PHONE[0]}px phone screen (sideways scrolling)")

    # ---- tests that run now ----------------------------------------------------------------------------------

    def test_01_anonymous_is_sent_to_login(self):
        status, headers, _ = self.http("/", signed_in=False)
        self.assertIn(status, (302, 303, 307), "an anonymous GET / must redirect")
        self.assertEqual(urllib.parse.urlsplit(headers.get("Location", "")).path, "/login")
        self.open("/")
        self.assertEqual(self.path(), "/login")
        self.assertNotIn("data-zone", self.d.page_source, "zone markup reached an anonymous visitor")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "input[name=username]"), "the login page has no username input")
        status, _, body = self.http("/api/zones", signed_in=False)
        self.assertEqual(status, 401, "the zone API answered an anonymous request")
        self.assertNotIn("cells", body)

    def test_02_wrong_password_is_refused(self):
        self.open("/login")
        form = self.d.find_element(By.CSS_SELECTOR, "form:has(input[name=username])")
        form.find_element(By.NAME, "username").send_keys(ACCOUNTS["analyst"]["username"])
        form.find_element(By.NAME, "password").send_keys("not-the-password-123")
        self.submit(form, "sign-in with a wrong password")
        self.assertEqual(self.path(), "/login", "a wrong password left the login page")
        errors = self.visible_errors()
        self.assertTrue(errors, "no error message shown for a wrong password")
        self.screenshot("login-wrong-password")
        self.assertIsNone(self.session_cookie(), "a wrong password produced a session cookie")
        self.open("/")
        self.assertEqual(self.path(), "/login", "a wrong password gave access to the dashboard")
        self.assertNotIn("data-zone", self.d.page_source)

    def test_03_analyst_dashboard_draws_zones(self):
        self.sign_in("analyst")
        svg = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "svg#map")), "no svg#map on the dashboard")
        zones = svg.find_elements(By.CSS_SELECTOR, "g[data-zone]")
        self.assertGreaterEqual(len(zones), 1, "the map draws no zone (g[data-zone])")
        for z in zones:
            self.assertTrue(z.get_attribute("data-zone"), "a g.zone without data-zone")
            self.assertTrue(z.find_elements(By.CSS_SELECTOR, "rect, path, polygon"), f"zone {z.get_attribute('data-zone')} has no shape")
        self.assertGreater(svg.size["width"], 100)
        self.assertGreater(svg.size["height"], 100)
        self.assertIn("CONFIDENTIAL", self.d.find_element(By.TAG_NAME, "body").text)
        self.screenshot("dashboard-analyst")

    def test_04_display_name_is_escaped(self):
        account = ACCOUNTS["xss"]
        self.sign_in("xss")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "svg#map")), "no svg#map on the dashboard")
        try:
            WebDriverWait(self.d, 1).until(EC.alert_is_present())
            alert = self.d.switch_to.alert
            text = alert.text
            alert.dismiss()
            self.fail(f"markup in a display name ran as script (alert: {text!r})")
        except TimeoutException:
            pass
        # The page's Content-Security-Policy would block an injected script anyway, so check the DOM itself.
        self.assertFalse(self.d.find_elements(By.ID, "xss-img"), "an <img> from the display name reached the DOM")
        self.assertFalse(self.d.find_elements(By.ID, "xss-b"), "a <b> from the display name reached the DOM")
        self.assertFalse([s for s in self.d.find_elements(By.TAG_NAME, "script") if "xss" in (s.get_attribute("innerHTML") or "")],
                         "a <script> from the display name reached the DOM")
        self.assertIn(account["displayName"], self.d.find_element(By.TAG_NAME, "body").text,
                      "the display name is not shown literally")
        self.screenshot("dashboard-escaped-display-name")

    def test_05_sign_out_ends_the_session(self):
        self.sign_in("analyst")
        form = self.d.find_element(By.CSS_SELECTOR, "form[action='/logout']")
        self.submit(form, "sign out")
        self.assertEqual(self.path(), "/login")
        self.assertIsNone(self.session_cookie(), "the session cookie survived signing out")
        self.open("/")
        self.assertEqual(self.path(), "/login", "the dashboard is still reachable after signing out")

    # ---- flows whose pages are being built: each skips while its page answers 404 ----------------------------

    def test_10_zone_page(self):
        self.sign_in("analyst")
        group = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "svg#map g[data-zone]")), "no zone on the dashboard")
        # The zone table's links first (what a person clicks); the map's SVG links overlap where a proposed zone
        # is kept from the active cycle.
        links = [a for a in self.d.find_elements(By.CSS_SELECTOR, "a.zone-link") + self.d.find_elements(By.CSS_SELECTOR, "a[href*='/zones/']")
                 if re.fullmatch(r"/zones/[^/]+/[^/]+", self.link_path(a))]
        if links:   # the dashboard links to its zones: follow the first as a person would
            path = self.link_path(links[0])
            zone = urllib.parse.unquote(path.rsplit("/", 1)[1])
            self.require_page(path)
            self.follow(links[0], f"the dashboard's link to {path}")
        else:       # no link (yet): the cycle from the zone API, the zone from the map
            zone = group.get_attribute("data-zone")
            status, _, body = self.http("/api/zones")
            self.assertEqual(status, 200, "the zone API refused the analyst")
            data = json.loads(body)
            cycle = data.get("cycle") or next((v["cycle"] for k in ("active", "proposed") for v in [data.get(k)] if isinstance(v, dict) and v.get("cycle")), None)
            self.assertTrue(cycle, f"no cycle id in /api/zones: {body[:200]}")
            path = f"/zones/{urllib.parse.quote(cycle)}/{urllib.parse.quote(zone)}"
            self.require_page(path)
            self.open(path)
        self.assertEqual(self.path(), path)
        h1 = self.wait(EC.presence_of_element_located((By.TAG_NAME, "h1")), f"no h1 on {path}")
        self.assertIn(zone, h1.text, f"the zone page's h1 does not name zone {zone}")
        self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "svg#zone-map")), f"no svg#zone-map on {path}")
        self.screenshot("zone-page")

    def test_20_meeting_approves_a_proposal(self):
        self.sign_in("commander")
        self.require_page("/meetings")
        self.open("/meetings")
        self.screenshot("meetings")
        # Schedule a meeting through the page's form (every form but sign-out), filling what it asks for.
        forms = [f for f in self.d.find_elements(By.CSS_SELECTOR, "form")
                 if (f.get_attribute("action") or "").rstrip("/").split("/")[-1] != "logout" and f.find_elements(By.CSS_SELECTOR, SUBMIT)]
        self.assertTrue(forms, "/meetings has no form to schedule a meeting")
        form = forms[0]
        soon = datetime.datetime.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
        for field in form.find_elements(By.CSS_SELECTOR, "input, select, textarea"):
            kind = (field.get_attribute("type") or "").lower()
            if kind in ("hidden", "submit", "button", "checkbox", "radio") or not field.is_enabled() or (field.get_attribute("value") and field.tag_name != "textarea"):
                continue
            if field.tag_name == "select":
                values = [o.get_attribute("value") for o in Select(field).options if o.get_attribute("value")]
                if values:
                    Select(field).select_by_value(values[0])
            elif kind == "datetime-local":
                self.set_value(field, soon.strftime("%Y-%m-%dT%H:%M"))
            elif kind == "date":
                self.set_value(field, soon.strftime("%Y-%m-%d"))
            elif kind == "time":
                self.set_value(field, soon.strftime("%H:%M"))
            elif kind == "number":
                self.type_into(field, 1)
            elif not field.get_attribute("value"):
                self.type_into(field, "Browser test IRIS meeting")
        self.submit(form, "scheduling a meeting")
        self.assertFalse(self.visible_errors(), f"scheduling a meeting failed: {self.visible_errors()}")
        if not re.fullmatch(r"/meetings/[^/]+", self.path()):
            links = [a for a in self.d.find_elements(By.CSS_SELECTOR, "a[href*='/meetings/']")
                     if re.fullmatch(r"/meetings/[^/]+", self.link_path(a))]
            self.assertTrue(links, "no link to the scheduled meeting (/meetings/{id})")
            self.open(self.link_path(links[-1]))
        meeting = self.path()
        decisions = self.d.find_elements(By.CSS_SELECTOR, "form.decision")
        self.assertTrue(decisions, f"{meeting} offers no decision form (form.decision)")
        self.screenshot("meeting-before-decision")
        for i in range(len(decisions)):
            forms = self.d.find_elements(By.CSS_SELECTOR, "form.decision")
            if i >= len(forms):
                break
            form = forms[i]
            Select(form.find_element(By.NAME, "decision")).select_by_value("approve")
            self.type_into(form.find_element(By.NAME, "reason"), "Approved in the browser test: forecast harm is highest here.")
            self.submit(form, f"decision {i + 1} at {meeting}")
            self.assertFalse(self.visible_errors(), f"the decision was refused: {self.visible_errors()}")
        BrowserTests.decided_by = ACCOUNTS["commander"]["username"]
        BrowserTests.meeting = meeting
        self.assertRegex(self.d.find_element(By.TAG_NAME, "body").text.lower(), r"approv",
                         "the page does not show the approval after deciding")
        self.screenshot("meeting-after-decision")

    def test_22_commander_closes_the_meeting_and_deploys_the_upcoming_cycle(self):
        """Issue #15: closing asks for confirmation (a server page, no script); once confirmed, the dashboard points
        to the approved cycle (deploy units, schedule the next meeting) and /deployments shows it beside the cycle in
        force, labelled upcoming, deployable before it starts."""
        if not BrowserTests.meeting:
            self.skipTest("test_20 scheduled no meeting")
        self.sign_in("commander")
        self.open(BrowserTests.meeting)
        close = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "form#close-form")), "no close form on the meeting page")
        self.submit(close, "asking to close the meeting")
        # A confirmation page: nothing closed yet
        self.assertTrue(self.d.find_elements(By.ID, "confirm-close"), f"no confirmation step: {self.d.current_url} {self.visible_errors()}")
        cycle = re.search(r"approve cycle (\S+)", self.d.find_element(By.CSS_SELECTOR, "form#confirm-close-form").text).group(1)
        self.screenshot("meeting-close-confirm")
        status, _, body = self.http(BrowserTests.meeting)
        self.assertEqual(status, 200)
        self.assertNotIn('id="outcome"', body, "the meeting closed before the confirmation")
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form#confirm-close-form"), "confirming the close")
        self.assertEqual(self.path(), BrowserTests.meeting)
        self.assertTrue(self.d.find_elements(By.ID, "outcome"), f"the meeting did not close: {self.visible_errors()}")
        # The dashboard says what needs doing next
        self.open("/")
        card = self.wait(EC.visibility_of_element_located((By.ID, "next-steps")), "no 'what needs doing next' card on the dashboard")
        self.assertIn(f"Cycle {cycle} approved", card.text)
        self.assertRegex(card.text, r"starts in \d+ h")
        self.assertTrue(self.d.find_elements(By.ID, "no-proposal"), "the proposal card vanished after the meeting")
        self.screenshot("dashboard-next-steps")
        deploy = card.find_elements(By.CSS_SELECTOR, "a[href$='/deployments/" + cycle + "']")
        self.assertTrue(deploy, f"the card has no 'deploy units' link: {card.text}")
        self.follow(deploy[0], "the dashboard's deploy units link")
        self.assertIn("(upcoming, starts", self.d.find_element(By.ID, "cycle-phase").text)
        self.assertNotIn("(active)", self.d.page_source, "the upcoming cycle's zones are labelled active")
        form = self.d.find_elements(By.CSS_SELECTOR, "form.assign")[0]
        form.find_elements(By.CSS_SELECTOR, "input[name=unit]")[0].click()
        self.submit(form, "assigning units to the upcoming cycle")
        self.assertFalse(self.visible_errors(), f"assigning units ahead of time was refused: {self.visible_errors()}")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "p.ok[role=status]"), "no confirmation that the units were saved")
        self.open("/deployments")
        upcoming = self.d.find_element(By.ID, "deploy-upcoming")
        self.assertEqual(upcoming.get_attribute("data-cycle"), cycle)
        self.assertTrue(self.d.find_elements(By.ID, "deploy-in-force"), "/deployments does not show the cycle in force beside it")
        self.assertIn("(upcoming, starts", upcoming.text)
        self.screenshot("deployments-side-by-side")

    def test_25_officer_times_a_visit_on_a_phone(self):
        """Issue #15: on a 390x844 phone the officer lands on My zones, starts the visit timer, reloads (the visit keeps
        running from localStorage), stops it, and the visit is stored (the page confirms it)."""
        self.d.set_window_size(*PHONE)
        self.sign_in("officer")
        self.assertEqual(self.path(), "/officer")
        self.assert_fits_phone("/officer")
        self.d.execute_script("window.localStorage.removeItem('zonecast-visit')")
        self.open("/officer")
        start = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, ".zc-timer .zc-timer-start")), "no visible visit timer on /officer")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
        start.click()
        # The visit began 14 minutes ago (a timer test cannot wait that long; the server stores minute times).
        self.d.execute_script("var v = JSON.parse(localStorage.getItem('zonecast-visit')); v.startedAt -= 14 * 60000;"
                              " localStorage.setItem('zonecast-visit', JSON.stringify(v));")
        self.d.refresh()
        stop = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, ".zc-timer .zc-timer-stop")), "the timer stopped running after a reload")
        self.assertIn("Visit running", self.d.find_element(By.CSS_SELECTOR, ".zc-timer .zc-timer-state").text)
        self.screenshot("visit-timer-running-phone")
        # Stopped two hours ago by the page's clock, so the visit does not overlap the one test_30 logs for the last hour.
        self.d.execute_script("var v = JSON.parse(localStorage.getItem('zonecast-visit')); v.startedAt -= 120 * 60000;"
                              " localStorage.setItem('zonecast-visit', JSON.stringify(v)); var now = Date.now;"
                              " Date.now = function () { return now() - 120 * 60000; };")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", stop)
        stop.click()
        try:
            self.wait(lambda d: "logged=" in d.current_url, "stopping the visit did not store it")
        except Exception:
            self.fail("stopping the visit did not store it: " + self.d.find_element(By.CSS_SELECTOR, ".zc-timer .zc-timer-state").text)
        self.assertTrue(self.d.find_elements(By.ID, "logged"), "no confirmation of the timed visit")
        self.assertIsNone(self.d.execute_script("return localStorage.getItem('zonecast-visit')"), "the stored visit stayed queued")
        self.screenshot("visit-timer-logged-phone")

    def test_26_officer_checks_being_in_the_zone(self):
        """Issue #15: the in-zone check asks for the phone's location only when pressed (Chromium's geolocation is
        granted and set through DevTools to the zone's centre); the server answers inside or outside and the visit,
        stopped, is stored with that flag."""
        self.d.set_window_size(*PHONE)
        self.sign_in("officer")
        self.d.execute_script("window.localStorage.removeItem('zonecast-visit')")
        self.open("/officer")
        box = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, ".zc-timer")), "no visible visit timer on /officer")
        cycle, zone = box.get_attribute("data-zone").split("/", 1)
        status, _, body = self.http(f"/api/cycles/{urllib.parse.quote(cycle)}")
        self.assertEqual(status, 200, body[:200])
        centre = next(z["centre"] for z in json.loads(body)["zones"] if z["id"] == zone)
        self.d.execute_cdp_cmd("Browser.grantPermissions", {"origin": BASE, "permissions": ["geolocation"]})
        self.d.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": centre["lat"], "longitude": centre["lon"], "accuracy": 10})
        self.assertFalse(box.find_element(By.CSS_SELECTOR, ".zc-timer-locate").is_displayed(), "the check is offered before a visit runs")
        start = box.find_element(By.CSS_SELECTOR, ".zc-timer-start")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
        start.click()
        # Nothing asked the phone for its position yet: the page says what the check does before it is pressed.
        where = box.find_element(By.CSS_SELECTOR, ".zc-timer-where")
        self.assertIn("only whether you were in the zone is kept", where.text)
        locate = box.find_element(By.CSS_SELECTOR, ".zc-timer-locate")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", locate)
        locate.click()
        self.wait(lambda d: re.search(r"You are (inside|outside) zone", where.text), f"no answer from the in-zone check: {where.text!r}")
        where_text = where.text
        print(f"  in-zone check at the centre of {zone}: {where_text}", flush=True)
        self.screenshot("visit-in-zone-check-phone")
        # Stopped four hours ago by the page's clock, after 12 minutes, clear of test_25's and test_30's visits.
        self.d.execute_script("var v = JSON.parse(localStorage.getItem('zonecast-visit')); v.startedAt = Date.now() - 252 * 60000;"
                              " localStorage.setItem('zonecast-visit', JSON.stringify(v)); var now = Date.now;"
                              " Date.now = function () { return now() - 240 * 60000; };")
        stop = box.find_element(By.CSS_SELECTOR, ".zc-timer-stop")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", stop)
        stop.click()
        try:
            self.wait(lambda d: "logged=" in d.current_url, "stopping the checked visit did not store it")
        except Exception:
            self.fail("stopping the checked visit did not store it: " + self.d.find_element(By.CSS_SELECTOR, ".zc-timer .zc-timer-state").text)
        self.assertIsNone(self.d.execute_script("return localStorage.getItem('zonecast-visit')"), "the position stayed on the phone after the visit was stored")
        self.d.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
        # The server worked out the flag from the position sent with the visit; the audit entry has it, not the coordinates.
        answer = "inside" if "You are inside" in where_text else "outside"
        self.sign_in("auditor")
        status, _, body = self.http("/audit?action=log-patrol")
        self.assertEqual(status, 200)
        self.assertIn(f"in-zone check: {answer}", body, "the stored visit has no in-zone flag in the audit log")
        self.assertNotIn(str(centre["lat"]), body, "the audit log shows the phone's coordinates")

    def test_30_officer_logs_a_patrol_on_a_phone(self):
        self.d.set_window_size(*PHONE)
        self.sign_in("officer")
        self.require_page("/officer")
        self.open("/officer")
        self.screenshot("officer-phone")
        self.assert_fits_phone("/officer")
        link = self.d.find_elements(By.CSS_SELECTOR, "a[href$='/patrols/new']")
        self.assertTrue(link, "/officer has no link to /patrols/new")
        self.require_page("/patrols/new")
        self.follow(link[0], "the link to /patrols/new")
        self.assertEqual(self.path(), "/patrols/new")
        form = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "form:has(select[name=zone])")), "/patrols/new has no form with select[name=zone]")
        self.assert_fits_phone("/patrols/new")
        zones = [o.get_attribute("value") for o in Select(form.find_element(By.NAME, "zone")).options if o.get_attribute("value")]
        self.assertTrue(zones, "the officer has no zone to log a patrol for (is the unit assigned to an approved zone?)")
        Select(form.find_element(By.NAME, "zone")).select_by_value(zones[0])
        end = datetime.datetime.now().replace(second=0, microsecond=0)
        for name, when in (("start", end - datetime.timedelta(hours=1)), ("end", end)):
            field = form.find_element(By.NAME, name)
            self.assertEqual(field.get_attribute("type"), "datetime-local", f"input {name} is not datetime-local")
            if not field.get_attribute("value"):   # keep what the form proposes (e.g. the zone's cycle window)
                self.set_value(field, when.strftime("%Y-%m-%dT%H:%M"))
        counts = {"communityContacts": 3, "businessChecks": 2, "fieldInterviews": 0, "minorCitations": 0, "otherCitations": 0, "arrests": 0}
        for name, value in counts.items():
            field = form.find_element(By.NAME, name)
            self.assertEqual(field.get_attribute("type"), "number", f"input {name} is not a number input")
            self.type_into(field, value)
        self.type_into(form.find_element(By.NAME, "notes"), "Browser test: foot patrol, spoke with shop owners on the block.")
        self.screenshot("patrol-form-phone")
        self.submit(form, "logging a patrol")
        self.assertFalse(self.visible_errors(), f"the patrol log was refused: {self.visible_errors()}")
        self.assertNotEqual(self.path(), "/login", "logging a patrol signed the officer out")
        self.screenshot("patrol-logged-phone")

    def test_40_audit_trail(self):
        self.sign_in("auditor")
        self.require_page("/audit")
        self.open("/audit")
        table = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table#audit")), "/audit has no table#audit")
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr") or table.find_elements(By.CSS_SELECTOR, "tr")[1:]
        self.assertGreaterEqual(len(rows), 1, "the audit trail is empty after this run's sign-ins and views")
        if BrowserTests.decided_by:
            self.assertIn(BrowserTests.decided_by, table.text, "the IRIS decision taken in this run is not in the audit trail")
        self.screenshot("audit")


    # ---- issue #14: maps on every page and the printed briefing ------------------------------------------------

    def briefing_path(self):
        self.open("/meetings")
        links = [self.link_path(a) for a in self.d.find_elements(By.CSS_SELECTOR, "a[href*='/meetings/']")]
        meetings = [p for p in links if re.fullmatch(r"/meetings/[^/]+", p)]
        if not meetings:
            self.skipTest("no IRIS meeting to brief (test_20 schedules one)")
        return meetings[0] + "/briefing"

    def test_50_briefing_prints_confidential_on_every_page(self):
        """Chromium prints the briefing (DevTools Page.printToPDF) on US Letter and A4; pdftotext must find
        CONFIDENTIAL on every page, at most 6 pages, and no interactive widget (the "Cell numbers" disclosure). The demo's
        proposal has 4 zones (issue #14's case): each zone's printed page has its street map (legend rows, scale, a street
        name), location description, units and the Koper guidance (map_checks.check_briefing_zone_pages)."""
        import base64
        import subprocess
        self.sign_in("analyst")
        path = self.briefing_path()
        self.open(path)
        sections = self.briefing_sections(path)
        zones = len(sections)
        print(f"  {path}: {zones} zone section(s)", flush=True)
        # Issue #14 asks for a 4-zone cycle's briefing: the demo proposes 4 zones.
        self.assertEqual(zones, 4, f"{path} briefs {zones} zone(s), not the demo's 4-zone proposal")
        for s in sections:
            self.assertGreater(s["streets"], 0, f"zone {s['zone']}'s briefing map draws no street")
            self.assertTrue(s["where"].startswith("Where:") and "no street layer" not in s["where"].lower(), f"zone {s['zone']}: {s['where']!r}")
            self.assertIn("Units assigned:", s["units"])
            self.assertIn("Koper 1995", s["guidance"])
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "section.briefing-overview svg.zc-map"), f"{path} has no city overview map")
        for paper, (width, height) in {"letter": (8.5, 11), "a4": (8.27, 11.69)}.items():
            pdf = self.d.execute_cdp_cmd("Page.printToPDF", {"paperWidth": width, "paperHeight": height, "printBackground": True,
                                                             "marginTop": 0.4, "marginBottom": 0.4, "marginLeft": 0.4, "marginRight": 0.4})
            file = os.path.join(ARTIFACTS, f"briefing-{paper}.pdf")
            with open(file, "wb") as f:
                f.write(base64.b64decode(pdf["data"]))
            text = subprocess.run(["pdftotext", "-layout", file, "-"], check=True, capture_output=True, text=True).stdout
            pages = [t for t in text.split("\f") if t.strip()]
            print(f"  briefing on {paper}: {zones} zone(s), {len(pages)} page(s)", flush=True)
            self.assertLessEqual(len(pages), 6, f"the {paper} briefing of {zones} zone(s) prints on {len(pages)} pages")
            for k, page in enumerate(pages):
                self.assertIn("CONFIDENTIAL", page, f"page {k + 1} of {len(pages)} of the {paper} briefing lacks CONFIDENTIAL")
            self.assertNotIn("Cell numbers", text, f"the {paper} briefing prints the cell-number disclosure")
            self.assertNotIn("Zoom in", text, f"the {paper} briefing prints the zoom links")
            self.check_briefing_zone_pages(sections, pages, paper)

    def test_60_maps_on_desktop_and_phone(self):
        """The zone page's and the proposal's maps at 1440 px and on a 390x844 phone (screenshots kept); the zoom
        links work without script; clicking a proposal cell puts its number into the cell input."""
        self.sign_in("analyst")
        status, _, body = self.http("/api/zones")
        self.assertEqual(status, 200)
        data = json.loads(body)
        cycle = next((v["cycle"] for k in ("proposed", "active") for v in [data.get(k)] if isinstance(v, dict) and v.get("cycle")), None)
        zone = next((z.get("id") for k in ("proposed", "active") for v in [data.get(k)] if isinstance(v, dict) for z in v.get("zones", [])), None)
        if not cycle or not zone:
            self.skipTest(f"no cycle with zones in /api/zones: {body[:200]}")
        for size, label in (((1440, 1000), "desktop"), (PHONE, "phone")):
            self.d.set_window_size(*size)
            self.open(f"/zones/{cycle}/{zone}")
            self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "svg#zone-map.zc-map")), "no zone map")
            self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "svg#zone-map [data-legend^='zones-']"), "the zone map's legend lists no zone")
            self.d.execute_script("document.getElementById('fig-zone-map').scrollIntoView()")
            self.screenshot(f"map-zone-{label}")
            if label == "phone":
                # The map figure must fit the phone (the page's tables may scroll sideways on their own).
                right = self.d.execute_script("return document.getElementById('fig-zone-map').getBoundingClientRect().right")
                self.assertLessEqual(right, PHONE[0] + 1, f"the zone map reaches {right}px on a {PHONE[0]}px phone")
                widest = self.d.execute_script(
                    "var w = null; document.querySelectorAll('main *').forEach(function (e) { var r = e.getBoundingClientRect().right;"
                    " if (!w || r > w[0]) { w = [r, e.tagName + (e.id ? '#' + e.id : '')]; } }); return w;")
                print(f"  zone page on a phone: widest element {widest}", flush=True)
        self.d.set_window_size(1440, 1000)
        zoom_in = self.d.find_element(By.CSS_SELECTOR, "#fig-zone-map a[data-map-nav=in]")
        self.follow(zoom_in, "the zone map's Zoom in link")
        self.assertIn("zoom=1", self.d.current_url)
        self.screenshot("map-zone-zoomed-desktop")
        self.open(f"/proposals/{cycle}")
        cells = self.d.find_elements(By.CSS_SELECTOR, "[data-adjust-for=adjust-cells] [data-cell]")
        if cells:
            cell = cells[len(cells) // 2]
            number = cell.get_attribute("data-cell")
            self.d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", cell)
            value = self.d.find_element(By.ID, "adjust-cells").get_attribute("value")
            self.assertIn(number, value.replace(" ", "").split(","), f"clicking cell {number} left the input at {value!r}")
        self.screenshot("map-proposal-desktop")
        self.d.set_window_size(*PHONE)
        self.open(f"/proposals/{cycle}")
        self.screenshot("map-proposal-phone")

    def test_61_zone_page_names_its_streets(self):
        """The demo imports its synthetic street network: the zone page's map draws streets and renders street
        names (text the browser lays out with a real size, not only markup), screenshot kept."""
        self.sign_in("analyst")
        status, _, body = self.http("/api/zones")
        self.assertEqual(status, 200)
        data = json.loads(body)
        cycle = next((v["cycle"] for k in ("proposed", "active") for v in [data.get(k)] if isinstance(v, dict) and v.get("cycle")), None)
        zone = next((z.get("id") for k in ("proposed", "active") for v in [data.get(k)] if isinstance(v, dict) for z in v.get("zones", [])), None)
        if not cycle or not zone:
            self.skipTest(f"no cycle with zones in /api/zones: {body[:200]}")
        self.d.set_window_size(1440, 1000)
        self.open(f"/zones/{cycle}/{zone}")
        self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "svg#zone-map.zc-map")), "no zone map")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "svg#zone-map [data-layer^='streets-'] path"), "the zone map draws no streets")
        labels = self.d.find_elements(By.CSS_SELECTOR, "svg#zone-map [data-labels=streets] text")
        names = [t.get_attribute("textContent") for t in labels]
        print(f"  zone {cycle}/{zone}: street labels {names}", flush=True)
        self.assertTrue([n for n in names if re.search(r" (Ave|St)$|^(Broadway|Interstate 235|US Highway 81|Kellogg Parkway)$", n or "")],
                        f"no street of the synthetic network is named on the zone map: {names}")
        sizes = self.d.execute_script(
            "return Array.from(document.querySelectorAll('svg#zone-map [data-labels=streets] text'))"
            ".map(function (t) { var b = t.getBBox(); return [b.width, b.height]; });")
        self.assertTrue([s for s in sizes if s[0] > 10 and s[1] > 5], f"no street label is laid out with a size: {sizes}")
        self.d.execute_script("document.getElementById('fig-zone-map').scrollIntoView()")
        self.screenshot("map-zone-street-names")

    # ---- issue #15 "Done when": one whole cycle, on a server of its own (walk_support.WalkServer) -------------

    def test_70_one_whole_cycle(self):
        """The analyst reviews and adjusts the proposal `zonecast propose` recorded, the commander decides it at the IRIS
        meeting, closes the meeting through the confirmation page and deploys the upcoming cycle, the officer on a phone
        sees it and times a visit checked inside a zone in force, an admin sets the low-patrol threshold on the web, the
        scheduler's next run (every minute here) raises the alert, which reaches the commander's notices and dashboard and
        the local SMTP server, and the auditor reads the non-enforcement monitor and the audit trail of all of it."""
        try:
            walk = walk_support.WalkServer(ARTIFACTS)
            walk.start()
        except walk_support.Unavailable as e:
            self.skipTest(str(e))
        self.addCleanup(walk.stop)
        self.base, self.accounts = walk.base, walk.accounts
        cycle, in_force = walk.proposed, walk.in_force

        # 1. The analyst opens the CLI's proposal and drops one zone with a reason (only reviews it when it has one zone).
        self.sign_in("analyst")
        self.open(f"/proposals/{cycle}")
        form = self.wait(EC.presence_of_element_located((By.ID, "adjust-form")), f"no adjustment form on /proposals/{cycle}")
        zones = [o.get_attribute("value") for o in Select(form.find_element(By.NAME, "zone")).options]
        self.assertEqual(zones, walk.proposed_zones, "the proposal page does not show the zones zonecast propose recorded")
        if len(zones) >= 2:
            Select(form.find_element(By.NAME, "action")).select_by_value("drop-zone")
            Select(form.find_element(By.NAME, "zone")).select_by_value(zones[-1])
            self.type_into(form.find_element(By.NAME, "reason"), "Walk test: a school festival fills this area during the cycle.")
            self.submit(form, "dropping a zone from the proposal")
            self.assertFalse(self.d.find_elements(By.ID, "adjust-error"), f"the adjustment was refused: {self.visible_errors()}")
            self.assertIn("school festival", self.d.find_element(By.ID, "adjustments").text, "the adjustment is not listed")
            zones = zones[:-1]
        self.screenshot("walk-1-analyst-proposal")

        # 2. The commander decides every zone at the meeting, closes it after the confirmation step and deploys units.
        self.sign_in("commander")
        self.open(f"/meetings/{walk.meeting}")
        for z in zones:
            forms = self.d.find_elements(By.CSS_SELECTOR, f"form.decision[data-zone='{z}']")
            self.assertTrue(forms, f"/meetings/{walk.meeting} offers no decision form for zone {z}")
            Select(forms[0].find_element(By.NAME, "decision")).select_by_value("approve")
            self.type_into(forms[0].find_element(By.NAME, "reason"), "Walk test: approved, forecast harm is highest here.")
            self.submit(forms[0], f"the decision on {z} at {walk.meeting}")
            self.assertFalse(self.visible_errors(), f"the decision on {z} was refused: {self.visible_errors()}")
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form#close-form"), "asking to close the meeting")
        confirm = self.d.find_elements(By.CSS_SELECTOR, "form#confirm-close-form")
        self.assertTrue(confirm, f"no confirmation step before closing: {self.visible_errors()}")
        self.assertIn(f"approve cycle {cycle}", confirm[0].text)
        self.screenshot("walk-2-commander-confirm-close")
        self.submit(confirm[0], "confirming the close")
        self.assertTrue(self.d.find_elements(By.ID, "outcome"), f"the meeting did not close: {self.visible_errors()}")
        self.open("/")
        card = self.wait(EC.visibility_of_element_located((By.ID, "next-steps")), "no 'what needs doing next' card on the dashboard")
        self.assertIn(f"Cycle {cycle} approved", card.text)
        self.follow(card.find_element(By.CSS_SELECTOR, f"a[href$='/deployments/{cycle}']"), "the dashboard's deploy units link")
        self.assertIn("(upcoming, starts", self.d.find_element(By.ID, "cycle-phase").text)
        form = self.d.find_elements(By.CSS_SELECTOR, "form.assign")[0]
        deployed = form.get_attribute("data-zone")
        unit = form.find_element(By.CSS_SELECTOR, "input[name=unit][value='Violent Crimes Enforcement Division']")
        if not unit.is_selected():
            unit.click()
        self.submit(form, "deploying the officer's unit to the upcoming cycle")
        self.assertFalse(self.visible_errors(), f"deploying ahead of time was refused: {self.visible_errors()}")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "p.ok[role=status]"), "no confirmation that the units were saved")
        self.screenshot("walk-3-commander-deployed")

        # 3. The officer on a phone: the upcoming zone is listed; a visit in a zone in force, checked inside, timed, stored.
        self.d.set_window_size(*PHONE)
        self.sign_in("officer")
        self.assert_fits_phone("/officer")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, f"#upcoming-zones li[data-upcoming-zone='{deployed}']"),
                        f"the officer does not see upcoming zone {deployed} of cycle {cycle} once deployed")
        self.d.execute_script("window.localStorage.removeItem('zonecast-visit')")
        self.open("/officer")
        box = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, ".zc-timer")), "no visible visit timer on /officer")
        timer_cycle, zone = box.get_attribute("data-zone").split("/", 1)
        self.assertEqual(timer_cycle, in_force, "the visit timer is not for the cycle in force")
        status, _, body = self.http(f"/api/cycles/{urllib.parse.quote(in_force)}")
        self.assertEqual(status, 200, body[:200])
        centre = next(z["centre"] for z in json.loads(body)["zones"] if z["id"] == zone)
        spot = self.point_inside(box, centre)
        self.assertIsNotNone(spot, f"no point near the centre {centre} of zone {zone} is inside it (POST /patrols/check-location)")
        self.d.execute_cdp_cmd("Browser.grantPermissions", {"origin": self.base, "permissions": ["geolocation"]})
        self.d.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": spot[0], "longitude": spot[1], "accuracy": 10})
        start = box.find_element(By.CSS_SELECTOR, ".zc-timer-start")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
        start.click()
        where = box.find_element(By.CSS_SELECTOR, ".zc-timer-where")
        locate = box.find_element(By.CSS_SELECTOR, ".zc-timer-locate")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", locate)
        locate.click()
        self.wait(lambda d: f"You are inside zone {zone}" in where.text, f"the in-zone check did not answer inside: {where.text!r}")
        self.screenshot("walk-4-officer-visit-running")
        # A 12-minute visit (Koper) that ended 5 minutes ago by the page's clock.
        self.d.execute_script("var v = JSON.parse(localStorage.getItem('zonecast-visit')); v.startedAt = Date.now() - 17 * 60000;"
                              " localStorage.setItem('zonecast-visit', JSON.stringify(v)); var now = Date.now;"
                              " Date.now = function () { return now() - 5 * 60000; };")
        stop = box.find_element(By.CSS_SELECTOR, ".zc-timer-stop")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", stop)
        stop.click()
        try:
            self.wait(lambda d: "logged=" in d.current_url, "stopping the visit did not store it")
        except TimeoutException:
            self.fail("stopping the visit did not store it: " + self.d.find_element(By.CSS_SELECTOR, ".zc-timer .zc-timer-state").text)
        self.d.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
        officer_done = time.monotonic()
        self.screenshot("walk-5-officer-visit-stored")

        # 4. An admin sets the department's low-patrol threshold (2 visits a day). The visit's own background evaluation
        # (at most 5 s after the log) has run by then with the lenient thresholds, so the next alert is the scheduler's.
        self.d.set_window_size(*DESKTOP)
        time.sleep(max(0.0, 8 - (time.monotonic() - officer_done)))
        self.assertFalse(walk.wait_for_log(r"scheduler: alert raised: (\S+)", 0), "an alert was raised before the threshold changed")
        self.sign_in("admin")
        self.open("/settings/alerts")
        form = self.d.find_element(By.ID, "alert-settings")
        self.assertIn(walk.recipient, form.find_element(By.NAME, "recipients").get_attribute("value"))
        self.type_into(form.find_element(By.NAME, "dosage_min_visits_per_day"), 2)
        self.submit(form, "saving the alert settings")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, "p.ok[role=status]"), f"the alert settings were not saved: {self.visible_errors()}")
        saved = time.monotonic()

        # 5. The scheduler's next run raises the low-patrol alerts of the cycle in force and mails them.
        raised = walk.wait_for_log(r"scheduler: alert raised: (\S+)", 100)
        print(f"  scheduler raised {len(raised)} alert(s) {time.monotonic() - saved:.0f} s after the threshold changed: {raised}", flush=True)
        self.assertTrue(raised, f"the scheduler raised no alert within 100 s: {walk.log()[-1500:]}")
        self.assertTrue([a for a in raised if a.startswith(f"notice-low-patrol-{in_force}-")], f"no low-patrol alert for {in_force}: {raised}")
        self.assertNotIn("not mailed", walk.log(), "the scheduler could not mail an alert")

        # 6. It reaches a commander: the notices page and the dashboard.
        self.sign_in("commander")
        self.open("/notices")
        table = self.d.find_element(By.ID, "notices")
        for alert in raised:
            self.assertTrue(table.find_elements(By.CSS_SELECTOR, f"tr[data-notice='{alert}']"), f"alert {alert} is not on /notices")
        self.assertIn("Little patrol in zone", table.text)
        self.screenshot("walk-6-commander-notices")
        self.open("/")
        self.assertIn("Little patrol in zone", self.d.find_element(By.TAG_NAME, "main").text, "the dashboard does not show the alert")

        # 7. And the local SMTP server: one message per alert, to this run's recipient, with the alert's Message-ID.
        mails = walk.smtp.messages_to(walk.recipient)
        print(f"  {len(mails)} message(s) to {walk.recipient} at {walk.smtp.origin}", flush=True)
        for alert in raised:
            found = [text for _, text in mails if f"Message-ID: <{alert}@pd.example>\r\n" in text]
            self.assertEqual(len(found), 1, f"alert {alert}: {len(found)} message(s) with its Message-ID at the SMTP server")
            self.assertRegex(found[0], r"(?m)^Subject: ZoneCast: Little patrol in zone ")
        with open(os.path.join(ARTIFACTS, "walk-alert-mail.eml"), "w", encoding="utf-8", newline="") as f:
            f.write(mails[0][1])

        # 8. The auditor reads the non-enforcement monitor (figures, no map) and finds every step in the audit trail.
        self.sign_in("auditor")
        self.open("/oversight/enforcement")
        summary = self.d.find_element(By.ID, "enforcement-summary")
        rows = {cells[0].text: cells for cells in (r.find_elements(By.CSS_SELECTOR, "td, th") for r in summary.find_elements(By.CSS_SELECTOR, "tr"))
                if cells}
        self.assertIn(zone, rows, f"the monitor does not list the visited zone: {summary.text}")
        self.assertGreater(float(rows[zone][1].text), 0, f"the timed visit is not in {zone}'s patrol hours: {summary.text}")
        self.assertTrue(self.d.find_elements(By.CSS_SELECTOR, f"section.zone-oversight[data-zone-id='{zone}']"))
        self.assertFalse(self.d.find_elements(By.CSS_SELECTOR, "main svg.zc-map"), "the monitor draws a map")
        self.screenshot("walk-7-auditor-monitor")
        expected = {"propose": ["cli:", cycle], "adjust-proposal": [walk.username("analyst")] if len(walk.proposed_zones) >= 2 else [],
                    "approve-cycle": [walk.username("commander"), cycle], "assign-units": [cycle],
                    "log-patrol": [walk.username("officer"), "in-zone check: inside"], "alert-settings": ["dosage_min_visits_per_day 0 → 2"],
                    "low-patrol-alert": ["alert-monitor", raised[0]], "alert-mail": [f"sent to {walk.recipient}: 250"],
                    "view-oversight": [walk.username("auditor"), "enforcement monitor"]}
        for action, texts in expected.items():
            status, _, body = self.http(f"/audit?action={action}")
            self.assertEqual(status, 200, f"/audit?action={action}")
            for text in texts:
                self.assertIn(text, html_text(body), f"the audit trail's {action} entries do not mention {text!r}")

    def point_inside(self, box, centre):
        """A point the server says is inside the timer's zone (POST /patrols/check-location stores nothing): the zone's
        centre, else one of a few points around it (a zone need not hold its centre)."""
        for dlat, dlon in [(0, 0)] + [(a * r, b * r) for r in (0.0004, 0.0008) for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1))]:
            lat, lon = centre["lat"] + dlat, centre["lon"] + dlon
            answer = self.d.execute_async_script(
                "var done = arguments[arguments.length - 1], box = arguments[0], body = new URLSearchParams();"
                " body.set('csrf', box.getAttribute('data-csrf')); body.set('zone', box.getAttribute('data-zone'));"
                " body.set('latitude', String(arguments[1])); body.set('longitude', String(arguments[2]));"
                " fetch('/patrols/check-location', {method: 'POST', body: body, credentials: 'same-origin'})"
                ".then(function (r) { return r.json(); }).then(function (j) { done(j.inZone); }, function (e) { done('error ' + e); });",
                box, lat, lon)
            if answer == "yes":
                return lat, lon
        return None


def html_text(body):
    """A page's text as a person reads it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


if __name__ == "__main__":
    print(f"Browser tests against {BASE}; screenshots in {ARTIFACTS}", flush=True)
    unittest.main(verbosity=2)
