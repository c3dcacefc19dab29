#!/usr/bin/env python3
"""A local Salesforce OAuth token endpoint for jwtgrant's end-to-end tests.

It answers POST /services/oauth2/token the way Salesforce does for the JWT bearer grant
(RFC 7523): it checks the grant type, parses the assertion, verifies its RS256 signature with
the `openssl` CLI against the Connected App certificate, checks iss, aud, exp and sub, and
answers 200 with a token or 400 with {"error", "error_description"}. --refuse forces any
refusal of docs/salesforce-jwt.md after the checks passed; --mode makes the answer hostile or
oddly framed (see MODES below) to test the client's HTTP handling. --ciphers offers only the
TLS 1.2 suites named (an OpenSSL cipher list), to test that a client can use each suite.

It listens on loopback only (127.0.0.1, or ::1 with --ipv6), on a free port that it writes to
--port-file once listening. It exits by itself after --max-life seconds and on SIGTERM/SIGINT.
With --log it appends one JSON line per request: method, path, headers, the form's keys,
whether an assertion was present, its length and the first 16 hex digits of its SHA-256 (never
the assertion itself), the JWT's decoded header and claims (not its signature), TLS version,
cipher and SNI, the status and the verdict.

"Now" is real time, or JWTGRANT_MOCK_NOW (or --now): epoch seconds, or +N / -N seconds from
real time to simulate a server clock that is ahead or behind. The Date header follows it.

Only the Python standard library and the openssl CLI are used.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import socketserver
import ssl
import string
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_plus

TOKEN_PATH = "/services/oauth2/token"
REVOKE_PATH = "/services/oauth2/revoke"
# Salesforce answers 400 with one of two errors for a token it will not revoke (Mobile SDK guide,
# "Revoking OAuth Tokens": unsupported_token_type, invalid_token); this mock uses the first.
REVOKE_REFUSAL = {"error": "unsupported_token_type", "error_description": "this token type is not supported"}
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JSON_TYPE = "application/json;charset=UTF-8"
MAX_REQUEST_BODY = 1 << 20
MAX_EXP_AHEAD = 3600  # seconds; a later exp is refused as "invalid assertion"
HANDSHAKE_TIMEOUT = 10
IO_TIMEOUT = 30

# --refuse NAME -> (HTTP error code, error_description); every row of salesforce-jwt.md.
REFUSALS = {
    "invalid_client_id": ("invalid_client_id", "client identifier invalid"),
    "not_approved": ("invalid_grant", "user hasn't approved this consumer"),
    "invalid_app_access": ("invalid_app_access", "user is not admin approved to access this app"),
    "audience": ("invalid_grant", "audience is invalid"),
    "invalid_assertion": ("invalid_grant", "invalid assertion"),
    "expired": ("invalid_grant", "expired authorization code"),
    "ip_restricted": ("invalid_grant", "ip restricted"),
    "ip_hours": ("invalid_grant", "IP restricted or invalid login hours"),
    "inactive_user": ("invalid_grant", "inactive user"),
    "user_locked": ("invalid_grant", "user is locked"),
    "authentication_failure": ("invalid_grant", "authentication failure"),
    "inactive_org": ("invalid_grant", "inactive organization"),
    "app_not_found": ("app_not_found", "External client app is not installed in this org"),
    "unsupported_grant_type": ("unsupported_grant_type", "grant type not supported"),
    "rate_limit": ("rate_limit_exceeded", "login rate exceeded"),
    "unknown": ("some_new_error", "something new"),
    # A description a client must not print raw to a terminal.
    "control_chars": ("invalid_grant", "bad\x1b[31m red\nsecond line\u00e9 \u009b2J C1"),
    # An OAuth error without error_description.
    "no_description": ("invalid_grant", None),
}

# Transport modes deliver the real answer (grant or refusal) framed differently; content modes
# replace the answer whatever the request was (the request is still checked and logged).
MODES = {
    "ok": "Content-Length framing (default)",
    "chunked": "Transfer-Encoding: chunked, several small chunks, one TLS record each",
    "chunked-ext": "chunked with uppercase hex sizes, chunk extensions and a trailer",
    "close": "no Content-Length: body, then close",
    "slow": "sleep --delay seconds (default 30), then answer",
    "truncated": "Content-Length larger than the bytes sent, then close",
    "fail-then-ok": "the first --fail-count token requests get 503 with HTML, then normal",
    "always-503": "503 with an HTML body, every time",
    "status-429": "429 with Retry-After: 1 for the first --fail-count requests, then normal",
    "html": "200 text/html (a captive proxy page)",
    "empty": "200 with Content-Length: 0",
    "endless-headers": "header lines forever (up to ~10 MB or until the client closes)",
    "huge-body": "Content-Length of 10 MB of JSON-ish bytes, sent until the client closes",
    "big-header": "one 1 MB header line, then a normal answer",
    "nested-json": "200 with JSON arrays nested 10000 deep",
    "token-not-string": "200 with \"access_token\": 123",
    "id-without-ids": "200 with \"id\": \"https://login.salesforce.com/id/\"",
    "nul-json": "200 with a NUL byte and invalid UTF-8 inside JSON strings",
    "chunk-cut": "chunked, connection closed in the middle of a chunk",
    "drip": "the answer one byte per second",
    "redirect": "302 to https://login.salesforce.com/services/oauth2/token",
    "id-with-controls": "200 with ESC and a C1 control (U+009B) inside the org and user ids",
    "escaped-token-name": "500 whose JSON names \"access\\u005ftoken\" (a token, its name escaped)",
}

QUIET_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError,
                ssl.SSLError, ssl.SSLEOFError)

B64URL = re.compile(r"\A[A-Za-z0-9_-]*\Z")
URL_SAFE = string.ascii_letters + string.digits + "._"


def fail(message):
    sys.stderr.write("sf_mock: %s\n" % message)
    sys.exit(2)


def b64url_decode(text):
    """Strict base64url without padding, as JWT wants; None when malformed."""
    if not B64URL.match(text) or len(text) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


def json_object(raw):
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def parse_form(body):
    """application/x-www-form-urlencoded -> list of (name, value); None when not ASCII."""
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return None
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


def first(pairs, name):
    for key, value in pairs:
        if key == name:
            return value
    return None


class Clock:
    """Real time, a fixed epoch ("1700000000") or an offset from real time ("+600", "-600")."""

    def __init__(self, spec):
        self.fixed = None
        self.offset = 0
        if spec:
            spec = spec.strip()
            try:
                if spec[0] in "+-":
                    self.offset = int(spec)
                else:
                    self.fixed = int(spec)
            except ValueError:
                fail("bad clock value %r (epoch seconds, or +N/-N)" % spec)

    def now(self):
        if self.fixed is not None:
            return self.fixed
        return int(time.time()) + self.offset


class Mock:
    """Configuration and shared state of one mock server."""

    def __init__(self, args):
        self.args = args
        self.clock = Clock(args.now if args.now is not None else os.environ.get("JWTGRANT_MOCK_NOW"))
        self.users = [u.strip() for u in args.users.split(",") if u.strip()]
        audiences = args.audience or ["https://login.salesforce.com"]
        self.audiences = [a.strip() for item in audiences for a in item.split(",") if a.strip()]
        self.lock = threading.Lock()
        self.token_requests = 0
        self.live_tokens = set()  # issued and not revoked
        self.tmp = tempfile.mkdtemp(prefix="sf_mock.")
        self.pubkey = os.path.join(self.tmp, "app-pub.pem")
        self.load_app_key(args.app_cert)

    def load_app_key(self, path):
        try:
            with open(path, "rb") as f:
                pem = f.read()
        except OSError as e:
            self.exit(2, "cannot read --app-cert %s: %s" % (path, e.strerror))
        if b"-----BEGIN PUBLIC KEY-----" in pem:
            with open(self.pubkey, "wb") as f:
                f.write(pem)
            return
        run = subprocess.run(["openssl", "x509", "-in", path, "-pubkey", "-noout", "-out", self.pubkey],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
        if run.returncode != 0:
            self.exit(2, "cannot read the public key of --app-cert %s: %s"
                      % (path, run.stderr.decode(errors="replace").strip()))

    def exit(self, code=0, message=None):
        if message:
            sys.stderr.write("sf_mock: %s\n" % message)
            sys.stderr.flush()
        shutil.rmtree(self.tmp, ignore_errors=True)
        os._exit(code)

    def issue(self, token):
        with self.lock:
            self.live_tokens.add(token)

    def revoke(self, token):
        """True when token was issued here and not yet revoked; it is revoked now."""
        with self.lock:
            if token in self.live_tokens:
                self.live_tokens.discard(token)
                return True
            return False

    def count_token_request(self):
        with self.lock:
            self.token_requests += 1
            return self.token_requests

    def log(self, record):
        if not self.args.log:
            return
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=True, default=str) + "\n"
        with self.lock:
            with open(self.args.log, "a", encoding="ascii") as f:
                f.write(line)

    def verify_rs256(self, signing_input, signature):
        """RSASSA-PKCS1-v1_5 SHA-256 check by the openssl CLI, against the app's public key."""
        work = tempfile.mkdtemp(dir=self.tmp)
        try:
            data, sig = os.path.join(work, "in"), os.path.join(work, "sig")
            with open(data, "wb") as f:
                f.write(signing_input)
            with open(sig, "wb") as f:
                f.write(signature)
            run = subprocess.run(["openssl", "dgst", "-sha256", "-verify", self.pubkey,
                                  "-signature", sig, data],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
            return run.returncode == 0
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def judge(self, content_type, pairs, record):
        """Salesforce's checks, in the order it needs them: the grant type, the JWT's shape, the
        app (iss) whose certificate verifies the signature, then aud, exp and sub. Returns
        (None, None) to grant, else (error, description); record gets what was seen."""
        if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            record["reason"] = "content type is not application/x-www-form-urlencoded"
            return REFUSALS["unsupported_grant_type"]
        if pairs is None:
            record["reason"] = "body is not ASCII"
            return REFUSALS["unsupported_grant_type"]
        grant_type = first(pairs, "grant_type")
        record["grant_type"] = grant_type
        assertion = first(pairs, "assertion")
        record["assertion_present"] = assertion is not None
        record["assertion_len"] = len(assertion) if assertion is not None else 0
        if assertion is not None:  # a test that makes the same JWT can tell it is the one sent
            record["assertion_sha256"] = hashlib.sha256(assertion.encode("utf-8")).hexdigest()[:16]
        if grant_type != JWT_BEARER:
            record["reason"] = "grant_type"
            return REFUSALS["unsupported_grant_type"]
        if assertion is None:
            record["reason"] = "no assertion"
            return REFUSALS["invalid_assertion"]
        parts = assertion.split(".")
        if len(parts) != 3:
            record["reason"] = "assertion does not have 3 parts"
            return REFUSALS["invalid_assertion"]
        raw = [b64url_decode(p) for p in parts]
        if None in raw or not raw[2]:
            record["reason"] = "assertion part is not base64url"
            return REFUSALS["invalid_assertion"]
        header, claims = json_object(raw[0]), json_object(raw[1])
        record["jwt_header"], record["jwt_claims"] = header, claims
        if header is None or claims is None:
            record["reason"] = "header or claims are not a JSON object"
            return REFUSALS["invalid_assertion"]
        if header.get("alg") != "RS256":
            record["reason"] = "alg is not RS256"
            return REFUSALS["invalid_assertion"]
        if claims.get("iss") != self.args.client_id:
            record["reason"] = "iss is not the client id"
            return REFUSALS["invalid_client_id"]
        if not self.verify_rs256((parts[0] + "." + parts[1]).encode("ascii"), raw[2]):
            record["reason"] = "signature does not verify"
            return REFUSALS["invalid_assertion"]
        if claims.get("aud") not in self.audiences or not isinstance(claims.get("aud"), str):
            record["reason"] = "aud not accepted"
            return REFUSALS["audience"]
        exp, now = claims.get("exp"), self.clock.now()
        record["mock_now"] = now
        if not isinstance(exp, int) or isinstance(exp, bool):
            record["reason"] = "exp missing or not an integer"
            return REFUSALS["invalid_assertion"]
        if exp < now:
            record["reason"] = "exp is past"
            return REFUSALS["expired"]
        if exp > now + MAX_EXP_AHEAD:
            record["reason"] = "exp more than %d s ahead" % MAX_EXP_AHEAD
            return REFUSALS["invalid_assertion"]
        if claims.get("sub") not in self.users:
            record["reason"] = "sub is not an approved user"
            return REFUSALS["not_approved"]
        if self.args.refuse:
            record["reason"] = "forced by --refuse"
            return self.forced_refusal()
        return None, None

    def forced_refusal(self):
        name = self.args.refuse
        if name in REFUSALS:
            return REFUSALS[name]
        error, _, description = name.partition(":")  # "error:description" verbatim
        return error, description

    def grant_body(self):
        a = self.args
        token = a.access_token or "00D5g000004ABCD!AR" + "".join(
            secrets.choice(URL_SAFE) for _ in range(100))
        answer = {
            "access_token": token,
            "signature": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
            "scope": "api web",
            "instance_url": a.instance_url,
            "id": "https://login.salesforce.com/id/%s/%s" % (a.org_id, a.user_id),
            "token_type": "Bearer",
            "issued_at": str(self.clock.now() * 1000 + int(time.time() * 1000) % 1000),
        }
        self.issue(token)
        return answer


def html_page(title, text):
    return ("<!DOCTYPE html>\n<html><head><title>%s</title></head>\n<body><h1>%s</h1>\n<p>%s</p>\n"
            "</body></html>\n" % (title, title, text)).encode("ascii")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "jwtgrant-mock"
    sys_version = ""
    timeout = IO_TIMEOUT

    # --- plumbing ------------------------------------------------------------------------
    @property
    def mock(self):
        return self.server.mock

    def log_message(self, format, *args):  # noqa: A002 - keep http.server quiet
        pass

    def date_time_string(self, timestamp=None):
        return formatdate(self.mock.clock.now() if timestamp is None else timestamp, usegmt=True)

    def send(self, data):
        self.connection.sendall(data)

    def head(self, status, headers, reason=None):
        if reason is None:
            reason = self.responses.get(status, ("Unknown",))[0]
        lines = ["HTTP/1.1 %d %s" % (status, reason)]
        if not self.mock.args.no_date:
            lines.append("Date: " + self.date_time_string())
        lines += ["%s: %s" % kv for kv in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def record(self):
        path, _, query = self.path.partition("?")
        rec = {"method": self.command, "path": path}
        if query:
            in_url = re.search(r"(^|&)assertion=", query) is not None
            rec["query"] = re.sub(r"(^|&)(assertion=)[^&]*", r"\1\2<redacted>", query)
            rec["assertion_in_url"] = in_url
        rec["version"] = self.request_version
        rec["headers"] = [[k, v] for k, v in self.headers.items()]
        rec["time"] = round(time.time(), 3)
        rec["peer"] = self.client_address[0]
        rec.update(self.server.tls_info(self.connection))
        rec["mode"] = self.mock.args.mode
        self.server.local.requests += 1
        return rec

    # --- methods ---------------------------------------------------------------------------
    def not_found(self):
        rec = self.record()
        body = html_page("404 Not Found", "The requested URL was not found on this server.")
        headers = [("Content-Type", "text/html;charset=UTF-8"), ("Content-Length", str(len(body)))]
        if self.command != "HEAD":
            self.drain_body()
        rec.update(status=404, verdict="not-found")
        self.mock.log(rec)
        self.send(self.head(404, headers) + (b"" if self.command == "HEAD" else body))

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = not_found

    def __getattr__(self, name):
        if name.startswith("do_"):  # any other method: 404 too, not http.server's 501
            return self.not_found
        raise AttributeError(name)

    def do_CONNECT(self):
        self.close_connection = True
        self.not_found()

    def bad_request(self, rec, problem):
        status, text = problem
        rec.update(status=status, verdict="bad-request", reason=text)
        self.mock.log(rec)
        self.close_connection = True
        page = html_page("%d %s" % (status, self.responses[status][0]), text)
        self.send(self.head(status, [("Content-Type", "text/html;charset=UTF-8"),
                                     ("Content-Length", str(len(page))),
                                     ("Connection", "close")]) + page)

    def do_POST(self):
        path = self.path.partition("?")[0]
        if path == REVOKE_PATH:
            return self.revoke()
        if path != TOKEN_PATH:
            return self.not_found()
        rec = self.record()
        body, problem = self.read_body()
        if problem:
            return self.bad_request(rec, problem)
        rec["body_len"] = len(body)
        pairs = parse_form(body)
        rec["form_keys"] = [k for k, _ in pairs] if pairs is not None else None
        error, description = self.mock.judge(self.headers.get("Content-Type", ""), pairs, rec)
        number = self.mock.count_token_request()
        rec["request_number"] = number
        if error is None:
            status, answer = 200, self.mock.grant_body()
            rec["verdict"] = "granted"
        else:
            status = self.mock.args.refuse_status if rec.get("reason") == "forced by --refuse" else 400
            answer = {"error": error}
            if description is not None:
                answer["error_description"] = description
            rec["verdict"] = "refused:%s:%s" % (error, description)
        payload = json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.answer(rec, number, status, payload)

    def revoke(self):
        """POST /services/oauth2/revoke, token=<access token>, as Salesforce answers it: 200 and
        no body for a token this mock issued and has not revoked, else 400 and the JSON error.
        The log holds the first 16 hex digits of the token's SHA-256, never the token."""
        rec = self.record()
        body, problem = self.read_body()
        if problem:
            return self.bad_request(rec, problem)
        tokens = [v for k, v in (parse_form(body) or []) if k == "token"]
        rec["token_sha256"] = (hashlib.sha256(tokens[0].encode("utf-8")).hexdigest()[:16]
                               if len(tokens) == 1 else None)
        if len(tokens) == 1 and self.mock.revoke(tokens[0]):
            status, payload = 200, b""
            rec["verdict"] = "revoked"
        else:
            status = 400
            payload = json.dumps(REVOKE_REFUSAL, separators=(",", ":")).encode("ascii")
            rec["verdict"] = "refused:%s" % REVOKE_REFUSAL["error"]
        rec["status"] = status
        self.mock.log(rec)
        self.send(self.head(status, [("Content-Type", JSON_TYPE),
                                     ("Content-Length", str(len(payload)))]) + payload)

    # --- request body ----------------------------------------------------------------------
    def read_body(self):
        """Returns (body, None) or (None, (status, why))."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return None, (411, "Content-Length required")
        if not length.isdigit():
            return None, (400, "bad Content-Length")
        if int(length) > MAX_REQUEST_BODY:
            return None, (413, "request body too large")
        body = self.rfile.read(int(length))
        if len(body) != int(length):
            return None, (400, "request body cut short")
        return body, None

    def read_chunked(self):
        body = b""
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                return None, (400, "bad chunk size")
            if size == 0:
                break
            if len(body) + size > MAX_REQUEST_BODY:
                return None, (413, "request body too large")
            body += self.rfile.read(size)
            self.rfile.readline(1024)
        while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return body, None

    def drain_body(self):
        length = self.headers.get("Content-Length", "0")
        if length.isdigit() and int(length) <= MAX_REQUEST_BODY:
            self.rfile.read(int(length))
        else:
            self.close_connection = True

    # --- answers ---------------------------------------------------------------------------
    def answer(self, rec, number, status, payload):
        mock, mode = self.mock, self.mock.args.mode
        json_headers = [("Content-Type", JSON_TYPE),
                        ("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")]
        content = {
            "html": lambda: (200, [("Content-Type", "text/html")], html_page(
                "Network login", "Please accept the terms of use to continue.")),
            "empty": lambda: (200, [("Content-Type", JSON_TYPE)], b""),
            "nested-json": lambda: (200, json_headers, b'{"access_token":"x","n":'
                                    + b"[" * 10000 + b"]" * 10000 + b"}"),
            "token-not-string": lambda: (200, json_headers, self.grant_variant(access_token=123)),
            "id-without-ids": lambda: (200, json_headers, self.grant_variant(
                id="https://login.salesforce.com/id/")),
            "nul-json": lambda: (200, json_headers, (
                b'{"access_token":"00D5g000004ABCD!AR\x00hidden","instance_url":'
                b'"https://example.my.salesforce.com\xff\xfe","id":"https://login.salesforce.com/id/'
                + mock.args.org_id.encode() + b"/" + mock.args.user_id.encode()
                + b'","token_type":"Bearer\xc3"}')),
            "id-with-controls": lambda: (200, json_headers, self.grant_variant(
                id="https://login.salesforce.com/id/00D5g0000\u009b[2J4AB/005\x1b[2J00001ABCD")),
            "escaped-token-name": lambda: (500, json_headers, (
                b'{"error":"server_error","access\\u005ftoken":"00DSECRET!TOKENVALUE"}')),
            "redirect": lambda: (302, [("Location", "https://login.salesforce.com" + TOKEN_PATH),
                                       ("Content-Type", "text/html")],
                                 html_page("302 Found", "Moved.")),
        }
        failing = ((mode == "fail-then-ok" and number <= mock.args.fail_count)
                   or mode == "always-503")
        if failing:
            status, headers, payload = 503, [("Content-Type", "text/html")], html_page(
                "Service Unavailable", "The server is temporarily unable to service your request.")
            rec["verdict"] = "mode:503 (would have been %s)" % rec["verdict"]
        elif mode == "status-429" and number <= mock.args.fail_count:
            status, headers, payload = 429, [("Content-Type", "text/html"), ("Retry-After", "1")], \
                html_page("Too Many Requests", "Slow down.")
            rec["verdict"] = "mode:429 (would have been %s)" % rec["verdict"]
        elif mode in content:
            was = rec["verdict"]
            status, headers, payload = content[mode]()
            rec["verdict"] = "mode:%s (would have been %s)" % (mode, was)
        else:
            headers = json_headers
        rec["status"] = status
        mock.log(rec)
        if mode in ("slow",):
            time.sleep(mock.args.delay)
        self.deliver(mode, status, headers, payload)

    def grant_variant(self, **fields):
        answer = self.mock.grant_body()
        answer.update(fields)
        return json.dumps(answer, separators=(",", ":")).encode("ascii")

    def deliver(self, mode, status, headers, payload):
        """Frames and sends one answer according to the mode."""
        closing = [("Connection", "close")]
        if mode in ("chunked", "chunked-ext", "chunk-cut"):
            self.send(self.head(status, headers + [("Transfer-Encoding", "chunked")]))
            self.send_chunks(mode, payload)
        elif mode == "close":
            self.close_connection = True
            self.send(self.head(status, headers + closing) + payload)
        elif mode == "truncated":
            self.close_connection = True
            self.send(self.head(status, headers + [("Content-Length", str(len(payload) + 64))]
                                + closing) + payload)
        elif mode == "drip":
            self.close_connection = True
            data = self.head(status, headers + [("Content-Length", str(len(payload)))]) + payload
            for i in range(len(data)):
                self.send(data[i:i + 1])
                time.sleep(1)
        elif mode == "endless-headers":
            self.close_connection = True
            self.send_endless_headers()
        elif mode == "huge-body":
            self.close_connection = True
            self.send_huge_body()
        elif mode == "big-header":
            self.close_connection = True
            self.send(self.head(status, [("X-Big", "b" * (1 << 20))] + headers
                                + [("Content-Length", str(len(payload)))] + closing) + payload)
        else:
            if mode in ("fail-then-ok", "always-503", "status-429") and status != 200:
                headers = headers + closing
                self.close_connection = True
            self.send(self.head(status, headers + [("Content-Length", str(len(payload)))]) + payload)

    def send_chunks(self, mode, payload):
        sizes = [5, 1, 16, 7, 32, 3, 64]
        pieces, at, i = [], 0, 0
        while at < len(payload):
            size = sizes[i % len(sizes)]
            pieces.append(payload[at:at + size])
            at, i = at + size, i + 1
        if mode == "chunk-cut":
            half = len(pieces) // 2
            for piece in pieces[:half]:
                self.send(b"%x\r\n%s\r\n" % (len(piece), piece))
            rest = b"".join(pieces[half:])
            self.send(b"%x\r\n%s" % (len(rest) + 100, rest[:len(rest) // 2]))
            self.close_connection = True
            return
        for n, piece in enumerate(pieces):
            if mode == "chunked-ext":
                self.send(b"%X;ext%d=\"v\"\r\n%s\r\n" % (len(piece), n, piece))
            else:
                self.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.send(b"0\r\nX-Trailer: done\r\n\r\n" if mode == "chunked-ext" else b"0\r\n\r\n")

    def send_endless_headers(self):
        self.send(b"HTTP/1.1 200 OK\r\n")
        sent, n, limit = 0, 0, 10 << 20
        while sent < limit:
            block = b"".join(b"X-Filler-%d: %s\r\n" % (n + k, b"x" * 100) for k in range(128))
            n += 128
            self.send(block)
            sent += len(block)

    def send_huge_body(self):
        total = 10 << 20
        opening = b'{"access_token":"'
        self.send(self.head(200, [("Content-Type", JSON_TYPE), ("Content-Length", str(total)),
                                  ("Connection", "close")]) + opening)
        left = total - len(opening) - 2
        block = b"A" * 65536
        while left > 0:
            part = block[:min(left, len(block))]
            self.send(part)
            left -= len(part)
        self.send(b'"}')


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, mock, context):
        self.mock = mock
        self.context = context
        self.local = threading.local()
        if context is not None:
            context.sni_callback = self.remember_sni
        super().__init__(address, Handler)

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # no reverse lookup of the address
        self.server_name = "localhost"
        self.server_port = self.server_address[1]

    def remember_sni(self, _sock, name, _context):
        self.local.sni = name  # the handshake runs in the connection's own thread

    def tls_info(self, conn):
        if not isinstance(conn, ssl.SSLSocket):
            return {"tls": None}
        cipher = conn.cipher()
        return {"tls": conn.version(), "cipher": cipher[0] if cipher else None,
                "sni": getattr(self.local, "sni", None)}

    def finish_request(self, request, client_address):
        """TLS handshake in the connection's thread (a stalled client cannot block accept),
        then HTTP, then a lingering close so that the client reads the whole answer."""
        conn = request
        self.local.requests = 0
        self.local.sni = None
        if self.context is not None:
            request.settimeout(HANDSHAKE_TIMEOUT)
            try:
                conn = self.context.wrap_socket(request, server_side=True)
            except (OSError, ValueError) as e:
                self.mock.log({"event": "tls-handshake-failed", "peer": client_address[0],
                               "sni": self.local.sni, "error": str(e), "time": round(time.time(), 3)})
                return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            if self.local.requests == 0:  # e.g. the client rejected the certificate's name
                event = {"event": "closed-without-request", "peer": client_address[0]}
                event.update(self.tls_info(conn))
                event["time"] = round(time.time(), 3)
                self.mock.log(event)
            if conn is not request:
                self.close_tls(conn)

    def close_tls(self, conn):
        try:
            if self.mock.args.close_notify:
                conn.settimeout(2)
                conn = conn.unwrap()
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(1)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and conn.recv(65536):
                pass
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], QUIET_ERRORS):
            return
        super().handle_error(request, client_address)


class Server6(Server):
    address_family = socket.AF_INET6


def tls_context(args):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(args.cert, args.key)
    except (OSError, ssl.SSLError) as e:
        fail("cannot load --cert %s / --key %s: %s" % (args.cert, args.key, e))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if args.tls12_only:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    if args.tls13_only:
        context.minimum_version = ssl.TLSVersion.TLSv1_3
    if args.client_ca:
        # Mutual TLS: a CertificateRequest naming this CA, and a refusal without a certificate.
        context.verify_mode = ssl.CERT_REQUIRED
        try:
            context.load_verify_locations(args.client_ca)
        except (OSError, ssl.SSLError) as e:
            fail("cannot load --client-ca %s: %s" % (args.client_ca, e))
    if args.ciphers:
        # set_ciphers governs TLS 1.2 and below only (TLS 1.3 has its own suites): cap at 1.2 so
        # that the list is what a client can get.
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.set_ciphers(args.ciphers)
        except ssl.SSLError as e:
            fail("--ciphers %r: no cipher suite OpenSSL knows (%s)" % (args.ciphers, e))
    return context


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Local HTTPS Salesforce token endpoint for jwtgrant's tests.",
        epilog="modes: " + "; ".join("%s: %s" % kv for kv in MODES.items())
        + ". refusals: " + ", ".join(REFUSALS) + ", or ERROR:DESCRIPTION.")
    p.add_argument("--cert", help="server certificate (chain) PEM")
    p.add_argument("--key", help="server private key PEM")
    p.add_argument("--app-cert", required=True,
                   help="the Connected App's certificate (or public key) that verifies assertions")
    p.add_argument("--client-id", default="3MVG9TESTCLIENTID", help="accepted iss")
    p.add_argument("--users", default="ci@example.com", help="comma list of approved usernames")
    p.add_argument("--audience", action="append",
                   help="accepted aud (repeatable or comma list; default https://login.salesforce.com)")
    p.add_argument("--port-file", help="write the chosen port there once listening")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--mode", default="ok", choices=sorted(MODES))
    p.add_argument("--refuse", help="force this refusal after the checks pass")
    p.add_argument("--refuse-status", type=int, default=400, help="HTTP status of --refuse (400)")
    p.add_argument("--fail-count", type=int, default=1, help="failures for fail-then-ok/status-429")
    p.add_argument("--delay", type=float, default=30.0, help="seconds for --mode slow")
    p.add_argument("--tls12-only", action="store_true", help="offer TLS 1.2 only")
    p.add_argument("--tls13-only", action="store_true", help="require TLS 1.3")
    p.add_argument("--client-ca", help="require a client certificate issued by this CA (PEM)")
    p.add_argument("--ciphers", help="TLS 1.2 suites offered, an OpenSSL cipher list such as "
                   "ECDHE-RSA-CHACHA20-POLY1305 (implies --tls12-only)")
    p.add_argument("--plain", action="store_true", help="plain HTTP, no TLS")
    p.add_argument("--close-notify", action="store_true", help="send TLS close_notify before closing")
    p.add_argument("--no-date", action="store_true", help="omit the Date header")
    p.add_argument("--ipv6", action="store_true", help="listen on ::1 instead of 127.0.0.1")
    p.add_argument("--max-life", type=float, default=120.0, help="exit after this many seconds")
    p.add_argument("--now", help="server clock: epoch seconds or +N/-N (env JWTGRANT_MOCK_NOW)")
    p.add_argument("--access-token", help="fixed access token instead of a random one")
    p.add_argument("--instance-url", default="https://example.my.salesforce.com")
    p.add_argument("--org-id", default="00D5g000004ABCDEAA")
    p.add_argument("--user-id", default="0055g00000ABCDEAA2")
    args = p.parse_args(argv)
    if args.refuse and "," in args.refuse:
        p.error("--refuse takes one name")
    if args.refuse and args.refuse not in REFUSALS and ":" not in args.refuse:
        p.error("unknown --refuse %r (one of %s, or ERROR:DESCRIPTION)"
                % (args.refuse, ", ".join(REFUSALS)))
    if args.tls13_only and (args.tls12_only or args.ciphers):
        p.error("--tls13-only excludes --tls12-only and --ciphers")
    if not args.plain and not (args.cert and args.key):
        p.error("--cert and --key are required unless --plain")
    return args


def write_port_file(path, port):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv):
    args = parse_args(argv)
    context = None if args.plain else tls_context(args)
    mock = Mock(args)
    signal.signal(signal.SIGTERM, lambda *_: mock.exit(0))
    signal.signal(signal.SIGINT, lambda *_: mock.exit(0))
    timer = threading.Timer(args.max_life, mock.exit, (0,))
    timer.daemon = True
    timer.start()
    try:
        if args.ipv6:
            server = Server6(("::1", 0), mock, context)
        else:
            server = Server(("127.0.0.1", 0), mock, context)
    except OSError as e:
        mock.exit(2, "cannot listen: %s" % e)
    if args.port_file:
        write_port_file(args.port_file, server.server_address[1])
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        mock.exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
