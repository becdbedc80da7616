#!/usr/bin/env python3
"""A real SMTP server for ratify's tests (issue 12), on loopback.

Runs aiosmtpd; records every accepted message as DIR/msg-<n>.json (the
envelope, the raw message, and its headers and decoded text/HTML parts,
so tests need no MIME parser), written atomically.

It can be told to refuse chosen recipients: DIR/rules.json, re-read at
every RCPT, maps an address to {"code": 451, "times": 2, "text": "..."}:
the first `times` tries get that reply (all tries when times is absent),
later ones are accepted.

Usage: sink.py --port PORT --dir DIR
"""

import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(
        Recorder(args.dir), hostname="127.0.0.1", port=args.port, data_size_limit=10 * 1024 * 1024
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
