"""A handler for Debian's aiosmtpd that keeps every message, for the mail tests (scripts/smtp-test-server runs it).

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c zonecast_smtp_sink.Sink DIR     # PYTHONPATH=scripts
    python3 scripts/zonecast_smtp_sink.py --auth HOST PORT DIR USER PASSWORD    # the same, requiring AUTH PLAIN/LOGIN
                                                                               # (and on PORT+1 AUTH LOGIN only)

Each message is written to DIR as N-PID.eml holding the DATA exactly as received (after dot-unstuffing, CRLF line
endings kept), beside N-PID.json with the envelope (mail_from, rcpt_tos, auth_login). A recipient whose local part
starts with "refuse" is answered 550, so the tests can check how a refusal is reported. For tests, never mail.
"""
import itertools
import json
import os
import sys
import threading

_counter = itertools.count(1)
_lock = threading.Lock()


class Sink:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("zonecast_smtp_sink.Sink takes one argument: the directory to write messages to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("refuse"):
            return f"550 5.1.1 <{address}>: recipient refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with _lock:
            n = next(_counter)
        name = f"{n:06d}-{os.getpid()}"
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "auth_login": _text(getattr(session, "auth_data", None))}
        for suffix, data in ((".eml", envelope.original_content), (".json", json.dumps(meta).encode())):
            tmp = os.path.join(self.directory, "." + name + suffix)
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(self.directory, name + suffix))
        return f"250 OK queued as {name}"


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _serve_with_auth(host, port, directory, user, password):
    import time
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    # PORT: AUTH PLAIN and LOGIN offered; PORT+1: LOGIN only, so a client's LOGIN path is exercised too.
    controllers = [Controller(Sink(directory), hostname=host, port=int(port) + k, authenticator=authenticator, auth_required=True,
                              auth_require_tls=False, auth_exclude_mechanism=exclude) for k, exclude in ((0, []), (1, ["PLAIN"]))]
    for c in controllers:
        c.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        for c in controllers:
            c.stop()


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--auth":
        _serve_with_auth(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
