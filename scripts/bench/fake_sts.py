#!/usr/bin/env python
"""A tiny STS + IAM responder, so amazon.aws.aws_caller_info completes against 127.0.0.1.

usage: python scripts/bench/fake_sts.py --latency-ms 20 --url-file PATH

Answers GetCallerIdentity and ListAccountAliases (query protocol, any signature) after the same
emulated latency as the CloudFront emulator, with TCP_NODELAY like the benchmark's emulator.
aws_caller_info then does what it does against AWS: two clients, two requests, a normal exit.
"""

import argparse
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/bench</Arn>
    <UserId>AIDABENCHBENCHBENCH00</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""
ALIASES = """<ListAccountAliasesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListAccountAliasesResult><IsTruncated>false</IsTruncated><AccountAliases/></ListAccountAliasesResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000002</RequestId></ResponseMetadata>
</ListAccountAliasesResponse>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    latency = 0.0

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_POST(self):  # pylint: disable=invalid-name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        action = (parse_qs(body).get("Action") or [""])[0]
        time.sleep(self.latency)
        if action == "GetCallerIdentity":
            status, data = 200, IDENTITY
        elif action == "ListAccountAliases":
            status, data = 200, ALIASES
        else:
            status, data = 400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>%s</Message></Error></ErrorResponse>" % action
        payload = data.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--url-file", required=True)
    args = parser.parse_args()
    Handler.latency = args.latency_ms / 1000.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    tmp = args.url_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write("http://127.0.0.1:%d\n" % server.server_address[1])
    os.replace(tmp, args.url_file)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
