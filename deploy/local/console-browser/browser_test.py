"""The agent console in a real headless Chromium, through a stand-in login proxy (proxy.py): the queue with its
countdowns and live updates, a case with the hand-off summary on top, claim, note, reply, close, the audit, a customer's
<script> shown as text, a POST without the CSRF token refused, no CSP violations, and axe with 0 violations on the
queue and case pages. Usage: browser_test.py CONSOLE_PORT PROXY_PORT (OMBUD_DATABASE_URL in the environment)."""
import json
import os
import subprocess
import sys
import threading
import time
import uuid

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proxy  # noqa: E402

DATABASE = os.environ["OMBUD_DATABASE_URL"]
CONSOLE_PORT, PROXY_PORT = int(sys.argv[1]), int(sys.argv[2])
TEAM = "bt-" + uuid.uuid4().hex[:8]
AGENT = f"agent-{TEAM}@example.com"
BASE = f"http://127.0.0.1:{PROXY_PORT}"
XSS = '<script>window.ombudOwned=1</script><img src=x onerror="window.ombudOwned=2"> Where is my refund?'

SCREENSHOTS = os.environ.get("OMBUD_CONSOLE_SCREENSHOTS")  # a directory: save the pages as PNG for a look
failures = []
seeded = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition or not detail else f": {detail}"))
    if not condition:
        failures.append(name)


def sql(query):
    return subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-At", DATABASE, "-c", query],
                          check=True, capture_output=True, text=True).stdout.strip()


def seed(priority, due_minutes, body="I returned the shoes and want my money back.",
         summary="Customer wants a refund for returned shoes.\nOrder: none found.", regulatory_minutes=None):
    case_id, ticket_id = uuid.uuid4(), uuid.uuid4()
    regulatory = f"now() + interval '{regulatory_minutes} minutes'" if regulatory_minutes is not None else "NULL"
    sql(f"""
        INSERT INTO ombud.cases (id, status, stage, channel, customer_ref, intent, language, priority, team, sla_due_at,
                                 regulatory_due_at, outcome, rule)
        VALUES ('{case_id}', 'escalated', 'escalate', 'chat', 'cus-{TEAM}', 'refund_status', 'en', {priority}, '{TEAM}',
                now() + interval '{due_minutes} minutes', {regulatory}, 'escalated', 'browser-test');
        INSERT INTO ombud.case_messages (ticket_id, case_id, channel, external_id, thread_id, body, language, received_at)
        VALUES ('{ticket_id}', '{case_id}', 'chat', 'bt-{ticket_id}', 'thread-{ticket_id}', $b${body}$b$, 'en', now());
        INSERT INTO ombud.escalations (ticket_id, case_id, team, priority, language, first_response_due, regulatory_due,
                                       reason, summary, summary_text)
        VALUES ('{ticket_id}', '{case_id}', '{TEAM}', {priority}, 'en', now() + interval '{due_minutes} minutes',
                {regulatory}, 'browser test', '{{}}', $s${summary}$s$);
    """)
    seeded.append(str(case_id))
    return str(case_id)


def eventually(driver, condition, seconds=10):
    """Whether `condition(driver)` holds within `seconds` (a click's navigation may still be loading)."""
    try:
        WebDriverWait(driver, seconds).until(lambda d: condition(d))
        return True
    except Exception:  # noqa: BLE001
        return False


def screenshot(driver, name):
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        driver.set_window_size(1400, max(900, driver.execute_script("return document.body.scrollHeight")))
        driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))


def axe_violations(driver):
    axe = Axe(driver)
    axe.inject()
    return axe.run()["violations"]


def describe(violations):
    return json.dumps([{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in violations])


def main():
    server = proxy.serve(PROXY_PORT, CONSOLE_PORT, AGENT, f"staff,ombud-team-{TEAM}")
    threading.Thread(target=server.serve_forever, daemon=True).start()

    urgent = seed(1, 30, regulatory_minutes=3 * 24 * 60,
                  summary="Customer wants: a refund of 25.00 EUR for returned shoes.\nAlready done: nothing.")
    normal = seed(2, 300)
    overdue = seed(3, -20)
    xss = seed(2, 120, body=XSS, summary="Customer wrote: " + XSS)

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 10)
    try:
        # The queue: this team's cases, most urgent first, countdowns in text and colour class.
        driver.get(f"{BASE}/?team={TEAM}")
        rows = driver.find_elements(By.CSS_SELECTOR, "#queue-body tr")
        ids = [row.get_attribute("id").removeprefix("case-") for row in rows]
        check("queue lists the team's cases, most urgent first", ids[:1] == [urgent] and set(ids) == {urgent, normal, overdue, xss},
              str(ids))
        urgent_due = driver.find_element(By.CSS_SELECTOR, f"#case-{urgent} td:nth-child(5) .countdown")
        check("first-response countdown in text and class", urgent_due.text.startswith("due in 2") and
              "due-warning" in urgent_due.get_attribute("class"), f"{urgent_due.text} {urgent_due.get_attribute('class')}")
        urgent_regulatory = driver.find_element(By.CSS_SELECTOR, f"#case-{urgent} td:nth-child(6) .countdown")
        check("regulatory countdown shown", urgent_regulatory.text.startswith("due in 2d") or urgent_regulatory.text.startswith("due in 3d"),
              urgent_regulatory.text)
        late = driver.find_element(By.CSS_SELECTOR, f"#case-{overdue} .countdown")
        check("overdue says so in text", late.text.startswith("overdue by") and "due-overdue" in late.get_attribute("class"), late.text)
        violations = axe_violations(driver)
        check("axe: queue page has 0 violations", not violations, describe(violations))
        screenshot(driver, "queue")

        # Live: a new case appears without reloading (LISTEN/NOTIFY -> SSE -> console.js).
        wait.until(lambda d: d.find_element(By.ID, "live-status").text == "Live updates on.")
        fresh = seed(2, 240)
        try:
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, f"case-{fresh}"))
            check("live update adds the new case to the open queue", True)
        except Exception as error:  # noqa: BLE001
            check("live update adds the new case to the open queue", False, repr(error))

        # A customer's markup is text.
        driver.get(f"{BASE}/cases/{xss}")
        try:
            driver.switch_to.alert
            alert = True
        except NoAlertPresentException:
            alert = False
        check("injected script did not run", driver.execute_script("return window.ombudOwned") is None and not alert)
        check("injected script is shown as text", "<script>window.ombudOwned=1</script>" in driver.find_element(By.ID, "handoff").text)

        # The case: hand-off summary on top.
        driver.get(f"{BASE}/?team={TEAM}")
        driver.find_element(By.CSS_SELECTOR, f"#case-{urgent} a").click()
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]
        check("hand-off summary is the first section", headings[:1] == ["Hand-off summary"], str(headings))
        check("summary text shown", "a refund of 25.00 EUR" in driver.find_element(By.ID, "handoff").text)
        violations = axe_violations(driver)
        check("axe: case page (waiting) has 0 violations", not violations, describe(violations))

        # A POST without the CSRF token is refused.
        status = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch(location.pathname + '/claim', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                  body: 'x=1'}).then(r => done(r.status), e => done(String(e)));
        """)
        check("POST without CSRF token gets 403", status == 403, str(status))

        driver.find_element(By.XPATH, "//button[text()='Claim this case']").click()
        check("claim", eventually(driver, lambda d: "You claimed this case." in d.page_source) and
              driver.find_element(By.ID, "case-status").text == f"claimed by {AGENT}", driver.find_element(By.ID, "case-status").text)

        driver.find_element(By.ID, "note-body").send_keys("Checked with the merchant: <b>return received</b>.")
        driver.find_element(By.XPATH, "//button[text()='Add note']").click()
        check("note added (as text)", eventually(driver, lambda d: "Checked with the merchant: <b>return received</b>."
                                                 in d.find_element(By.ID, "notes").text))

        driver.find_element(By.ID, "reply-text").send_keys("Hello! Your refund of 25.00 EUR is on its way.")
        driver.find_element(By.XPATH, "//button[text()='Send reply']").click()
        check("reply sent", eventually(driver, lambda d: "Your reply was sent to the customer." in d.page_source))
        recorded = sql(f"SELECT count(*) FROM ombud.replies WHERE case_id = '{urgent}' AND stage = 'agent'")
        check("reply recorded on the case", recorded == "1", recorded)
        driver.get(f"{BASE}/cases/{urgent}?page=0")
        check("reply on the timeline", "Your refund of 25.00 EUR is on its way." in driver.find_element(By.ID, "timeline").text)
        violations = axe_violations(driver)
        check("axe: case page (claimed, with forms) has 0 violations", not violations, describe(violations))
        screenshot(driver, "case")

        Select(driver.find_element(By.ID, "close-outcome")).select_by_value("refunded")
        driver.find_element(By.ID, "close-note").send_keys("refund confirmed")
        driver.find_element(By.XPATH, "//button[text()='Close case']").click()
        check("close", eventually(driver, lambda d: "The case is closed." in d.page_source)
              and driver.find_element(By.ID, "case-status").text == "closed")

        audit = driver.find_element(By.ID, "audit").text
        actions = sql(f"SELECT string_agg(action, ',' ORDER BY id) FROM ombud.agent_audit WHERE case_id = '{urgent}' "
                      f"AND outcome = 'done' AND action <> 'view'")
        check("audit has claim, note, reply, close", actions == "claim,note,reply,close", actions)
        check("audit shown on the case page", all(a in audit for a in ("claim", "note", "reply", "close")), audit)
        refused = sql(f"SELECT count(*) FROM ombud.agent_audit WHERE case_id = '{urgent}' AND outcome = 'refused' "
                      f"AND detail->>'reason' LIKE 'CSRF%'")
        check("refused CSRF POST is audited", refused == "1", refused)

        csp = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
        check("no Content-Security-Policy violations in the browser", not csp, str(csp[:3]))
    finally:
        driver.quit()
        server.shutdown()
        sql(f"""UPDATE ombud.cases SET status = 'closed', closed_at = now(), close_outcome = 'duplicate',
                close_note = 'browser test cleanup' WHERE team = '{TEAM}' AND status <> 'closed'""")

    print(f"console browser test: {len(failures)} failed" + (": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
