#!/usr/bin/env python3
"""A real SMTP server for ratify's tests (issue 12), on loopback.

Runs aiosmtpd; records every accepted message as DIR/msg-<n>.json (the
envelope, the raw message, and its headers and decoded text/HTML parts,
so tests need no MIME parser), written atomically.

It can be told to refuse chosen recipients: DIR/rules.json, re-read at
every RCPT, maps an address to {"code": 451, "times": 2, "text": "..."}:
the first `times` tries get that reply (all tries when times is absent),
later ones are accepted.

Options for the tests of the relay settings and of leases (the plain
server is unchanged without them):

  --data-delay S      answer each message's final "." S seconds late (a
                      slow relay; the message is recorded before the 250)
  --security MODE     "none" (default), "starttls" (STARTTLS offered and
                      required) or "tls" (implicit TLS), with --cert/--key
  --auth-user U       require AUTH (PLAIN or LOGIN) as U, with the password
  --auth-password-file F  read from F; AUTH is offered only under TLS
                      (after STARTTLS, or from the start with "tls")

Usage: sink.py --port PORT --dir DIR [options]
"""

import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory, data_delay=0.0):
        self.directory = directory
        self.data_delay = data_delay
        self.counter = itertools.count(1)
        self.tries = {}
        self.lock = threading.Lock()

    def rules(self):
        try:
            with open(os.path.join(self.directory, "rules.json")) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = self.rules().get(address.lower())
        if rule:
            with self.lock:
                n = self.tries.get(address, 0) + 1
                self.tries[address] = n
            times = rule.get("times")
            if times is None or n <= times:
                return "%d %s" % (rule["code"], rule.get("text", "refused by the test"))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            kind = part.get_content_type()
            if kind in ("text/plain", "text/html") and kind not in parts:
                parts[kind] = part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": str(message.get("Message-ID", "")),
            "subject": str(message.get("Subject", "")),
            "to": str(message.get("To", "")),
            "from": str(message.get("From", "")),
            "content_language": str(message.get("Content-Language", "")),
            "text": parts.get("text/plain", ""),
            "html": parts.get("text/html", ""),
            "raw": raw.decode("utf-8", "replace"),
        }
        with self.lock:
            n = next(self.counter)
        path = os.path.join(self.directory, "msg-%07d-%d.json" % (n, os.getpid()))
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, path)
        return "250 2.0.0 Message accepted for delivery"


class Authenticator:
    """Accepts one user name and password (PLAIN or LOGIN); logs neither."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


def tls_context(args):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    return context


def server_options(args):
    options = {}
    if args.security == "starttls":
        options["tls_context"] = tls_context(args)
        options["require_starttls"] = True
    elif args.security == "tls":
        options["ssl_context"] = tls_context(args)
    if args.auth_user:
        with open(args.auth_password_file) as f:
            password = f.read().rstrip("\r\n")
        options["authenticator"] = Authenticator(args.auth_user, password)
        options["auth_required"] = True
        # aiosmtpd 1.4 counts only STARTTLS as TLS for AUTH; under implicit
        # TLS every byte is encrypted already.
        options["auth_require_tls"] = args.security != "tls"
    return options


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--data-delay", type=float, default=0.0)
    parser.add_argument("--security", choices=["none", "starttls", "tls"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password-file")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(
        Recorder(args.dir, args.data_delay),
        hostname="127.0.0.1",
        port=args.port,
        data_size_limit=10 * 1024 * 1024,
        **server_options(args),
    )
    controller.start()
    with open(os.path.join(args.dir, "ready"), "w") as f:
        f.write(str(args.port))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
