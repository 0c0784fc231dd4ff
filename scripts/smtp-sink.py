#!/usr/bin/env python3
"""A local SMTP server for Weaver's mail tests (aiosmtpd, from PyPI).

Listens on 127.0.0.1 (the port given, or a free one), accepts every message
and writes each as a JSON file into DIR: the envelope's sender and
recipients, the decoded subject, the plain-text and HTML bodies and the
Content-Language. Prints "port N" on its first line once it listens, then
runs until its standard input closes or it is killed.

    python3 scripts/smtp-sink.py DIR [--port N]
"""

import argparse
import email
import email.policy
import json
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller


def lines(part):
    """A body part's text with its line ends as written (\\n), or None."""
    if part is None:
        return None
    return part.get_content().replace("\r\n", "\n")


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "text": lines(text),
            "html": lines(html),
        }
        with self.lock:
            self.count += 1
            name = "%06d" % self.count
        # Written whole, then renamed: a reader never sees half a message.
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.folder, name + ".json"))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    port = args.port or free_port()
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=port)
    controller.start()
    print("port %d" % port, flush=True)
    try:
        # Until the test that started it closes our standard input.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
