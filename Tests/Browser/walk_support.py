"""A ZoneCast server of its own for the browser suite's whole-cycle walk (test_70 in test_browser.py).

The suite's main server (scripts/browser-test) has no SMTP relay and runs the scheduler every 10 minutes; the walk needs
alert e-mail and a scheduler run within seconds, so it starts a second `zonecast serve` on a fresh database:

  1. `zonecast demo --no-serve` (20,000 synthetic incidents ending yesterday: a cycle in force for 48 h with the Violent
     Crimes Enforcement Division deployed, the next cycle's proposal, the IRIS meeting to decide it, one account per role);
  2. `zonecast propose --at <the next cycle's start>`: the analyst proposes the next cycle again from the command line,
     which records it under the same cycle id (the meeting reviews the CLI's proposal, audited as `cli:$USER`);
  3. `zonecast serve --schedule-every 5s` with alert e-mail (ZONECAST_SMTP_URL to the SMTP test server, one recipient unique
     to this run) and lenient low-patrol thresholds (no alert at start: the walk's admin sets the real one later).

The SMTP server is scripts/test's (ZONECAST_TEST_SMTP_URL and ZONECAST_TEST_SMTP_DIR, scripts/smtp-test-server) or, when
the suite runs alone, a private aiosmtpd on a free port with scripts/zonecast_smtp_sink.Sink. Neither available:
`Unavailable`, which the test turns into a skip naming the reason. Everything lives in a temporary directory that `stop`
removes; the server's log is kept in the artefacts as walk-server.log.
"""

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Unavailable(Exception):
    """What the walk needs is missing here (not a failure of ZoneCast): the test skips with this message."""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_log(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def start_serve(binary, db, port, env, log_path, *args):
    """`zonecast serve --db DB --port PORT ARGS` with its output in `log_path`, once it answers /health (30 s at most).
    Returns the process; an AssertionError with the log's tail when it exits or never answers."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), *args], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(f"zonecast serve on {base} exited ({process.returncode}): {read_log(log_path)[-2000:]}")
        try:
            opener.open(base + "/health", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    process.wait()
    raise AssertionError(f"no answer from {base}/health: {read_log(log_path)[-2000:]}")


def stop_process(process):
    """Terminates a server started by `start_serve` (killed after 15 s)."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SMTPSink:
    """The SMTP server the alert e-mail goes to, and the messages it kept (one .eml and one .json envelope each)."""

    def __init__(self, work):
        self.controller = None
        url, directory = os.environ.get("ZONECAST_TEST_SMTP_URL"), os.environ.get("ZONECAST_TEST_SMTP_DIR")
        if url and directory:
            self.url, self.directory, self.origin = url, directory, f"the SMTP test server at {url} (ZONECAST_TEST_SMTP_URL)"
            return
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            raise Unavailable("no SMTP test server: ZONECAST_TEST_SMTP_URL and ZONECAST_TEST_SMTP_DIR are not set and python3-aiosmtpd "
                              "is not installed for this interpreter (scripts/test installs it and starts scripts/smtp-test-server)")
        sys.path.insert(0, os.path.join(ROOT, "scripts"))
        import zonecast_smtp_sink
        self.directory = os.path.join(work, "smtp")
        port = free_port()
        try:
            self.controller = Controller(zonecast_smtp_sink.Sink(self.directory), hostname="127.0.0.1", port=port)
            self.controller.start()
        except Exception as e:
            self.controller = None
            raise Unavailable(f"the private SMTP test server (aiosmtpd on 127.0.0.1:{port}) did not start: {e}")
        self.url, self.origin = f"smtp://127.0.0.1:{port}", f"a private aiosmtpd on 127.0.0.1:{port}"

    def messages_to(self, recipient):
        """(envelope, message text) of every message whose only recipient is `recipient`."""
        out = []
        for meta in sorted(glob.glob(os.path.join(self.directory, "[!.]*.json"))):
            try:
                with open(meta, encoding="utf-8") as f:
                    envelope = json.load(f)
                if envelope.get("rcpt_tos") != [recipient]:
                    continue
                with open(meta[:-5] + ".eml", encoding="utf-8", errors="replace", newline="") as f:
                    out.append((envelope, f.read()))
            except (OSError, ValueError):
                continue
        return out

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class WalkServer:
    """The walk's database, server and SMTP server. After `start`: base, accounts (role -> username, password),
    in_force (the demo's cycle in force), proposed (the cycle `zonecast propose` recorded), proposed_zones, meeting,
    recipient (the alert e-mail address unique to this run), smtp."""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.bin = os.environ.get("ZONECAST_BIN") or os.path.join(ROOT, ".build", "debug", "zonecast")
        if not os.access(self.bin, os.X_OK):
            raise Unavailable(f"no zonecast binary at {self.bin} (set ZONECAST_BIN; scripts/browser-test does)")
        self.work = tempfile.mkdtemp(prefix="zonecast-walk.")
        self.process = None
        self.smtp = None
        self.log_path = os.path.join(artifacts, "walk-server.log")
        self.recipient = f"duty-{uuid.uuid4().hex[:8]}@pd.example"
        # The demo and the server key their audit log with a key of their own, never the user's ~/.config one.
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.work, "config"))

    def run(self, name, *args):
        """Runs `zonecast ARGS`; its output is kept in the artefacts as walk-NAME.log. A failure fails the test."""
        result = subprocess.run([self.bin, *args], env=self.env, capture_output=True, text=True, timeout=300)
        with open(os.path.join(self.artifacts, f"walk-{name}.log"), "w", encoding="utf-8") as f:
            f.write(result.stdout + result.stderr)
        if result.returncode != 0:
            raise AssertionError(f"zonecast {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:] or result.stdout[-2000:]}")
        return result.stdout

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self):
        self.smtp = SMTPSink(self.work)
        db = os.path.join(self.work, "walk.sqlite")
        started = time.monotonic()
        demo = self.run("demo", "demo", "--no-serve", "--db", db, "--incidents", "20000", "--seed", "2017")
        self.accounts = {m.group(1): {"username": "demo-" + m.group(1), "password": m.group(2)}
                         for m in re.finditer(r"(?m)^\s+demo-(\w+)\s+(\S+)\s*$", demo)}
        missing = {"admin", "analyst", "commander", "officer", "auditor"} - self.accounts.keys()
        if missing:
            raise AssertionError(f"zonecast demo printed no password for {', '.join(sorted(missing))}")
        self.in_force = re.search(r"Cycle (\S+) approved and in force", demo).group(1)
        found = re.search(r"Next cycle (\S+) proposed .* for the IRIS meeting (\S+) at", demo)
        self.meeting = found.group(2)
        # The next cycle's start from its id ("C-2026-12-04T170000Z"), so the CLI's proposal takes its place.
        d, h, m, s = re.fullmatch(r"C-(\d{4}-\d\d-\d\d)T(\d\d)(\d\d)(\d\d)Z", found.group(1)).groups()
        proposal = json.loads(self.run("propose", "propose", "--db", db, "--at", f"{d}T{h}:{m}:{s}Z", "--json"))
        self.proposed = proposal["cycle"]
        if self.proposed != found.group(1):
            raise AssertionError(f"zonecast propose recorded {self.proposed}, not the demo's next cycle {found.group(1)}")
        self.proposed_zones = [z["id"] for z in proposal["zones"]]
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = dict(self.env, ZONECAST_SMTP_URL=self.smtp.url + "?timeout=10", ZONECAST_MAIL_FROM="zonecast@pd.example",
                   ZONECAST_BASE_URL=self.base, ZONECAST_ALERT_RECIPIENTS=self.recipient,
                   # Lenient until the walk's admin changes them on the web: a 48 h old cycle with no visit raises nothing at start.
                   ZONECAST_DOSAGE_MIN_VISITS_PER_DAY="0", ZONECAST_DOSAGE_MAX_GAP_HOURS="168", ZONECAST_DOSAGE_MIN_HARM_COVERAGE="0")
        self.process = start_serve(self.bin, db, port, env, self.log_path, "--schedule-every", "5s")
        print(f"  walk server on {self.base} (demo, propose and start in {time.monotonic() - started:.0f} s), "
              f"mail via {self.smtp.origin} to {self.recipient}", flush=True)

    def username(self, role):
        return self.accounts[role]["username"]

    def log(self):
        return read_log(self.log_path)

    def wait_for_log(self, pattern, timeout):
        """Every match of `pattern` in the server's log, once there is one; [] after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.findall(pattern, self.log())
            if found or time.monotonic() > deadline:
                return found
            if self.process.poll() is not None:
                return re.findall(pattern, self.log())
            time.sleep(0.5)

    def stop(self):
        stop_process(self.process)
        self.process = None
        if self.smtp is not None:
            self.smtp.stop()
        shutil.rmtree(self.work, ignore_errors=True)
