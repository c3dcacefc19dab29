#!/usr/bin/env python3
"""A local Google OAuth token endpoint for jwtgrant's end-to-end tests.

It answers POST /token (--path) the way https://oauth2.googleapis.com/token does for a service
account's JWT bearer grant (RFC 7523, "OAuth 2.0 for Server to Server Applications"): it checks
the grant type, the JWT's header (alg RS256, typ JWT, the key's kid), its RS256 signature (with
the `openssl` CLI, against --app-cert), iss, aud, scope, iat/exp and sub, and answers 200 with
{"access_token","expires_in","token_type"} or 400 with {"error","error_description"} in Google's
words (REFUSALS below). --refuse forces one of those refusals after every check passed; --mode
always-503 / fail-then-ok make the endpoint unavailable to test the client's retries.

It listens on 127.0.0.1 only, on a free port written to --port-file once listening, and exits by
itself after --max-life seconds and on SIGTERM/SIGINT. --token-uri auto expects the aud
https://localhost:<its port><path>, since a test cannot know the port before the start. With
--log it appends one JSON line per request (the fields of sf_mock.py's log, plus the decoded JWT
header and claims, claim_order and request_number; never the assertion or its signature).

"Now" is real time, or JWTGRANT_MOCK_NOW (or --now): epoch seconds, or +N / -N seconds from real
time. The Date header follows it.

The TLS server, request plumbing, clock, key loading and signature check are sf_mock.py's,
imported; only the Python standard library and the openssl CLI are used.
"""

import argparse
import json
import os
import re
import secrets
import signal
import sys
import tempfile
import threading

# Importing sf_mock must not leave a tests/mock/__pycache__ behind in the checkout.
sys.dont_write_bytecode = True
import sf_mock  # noqa: E402
from sf_mock import (Clock, b64url_decode, first, html_page, parse_form,  # noqa: E402
                     tls_context, write_port_file)

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER = sf_mock.JWT_BEARER
JSON_TYPE = "application/json; charset=utf-8"
MAX_LIFETIME = 3600  # Google: "a short-lived token (60 minutes)"
IAT_SKEW = 60  # seconds an iat may lie ahead of the mock's clock (a client's clock runs fast)
CLAIM_ORDER = ["iss", "scope", "aud", "exp", "iat"]  # what jwtgrant sends (docs/providers.md)
CLAIM_ORDER_SUB = ["iss", "sub", "scope", "aud", "exp", "iat"]
# Google answers with extra caching headers; a client must not care about them.
GOOGLE_HEADERS = [("Content-Type", JSON_TYPE),
                  ("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
                  ("Pragma", "no-cache"),
                  ("Expires", "Mon, 01 Jan 1990 00:00:00 GMT"),
                  ("Vary", "Origin, X-Origin, Referer"),
                  ("X-Content-Type-Options", "nosniff")]

# Google's texts as its token endpoint sends them. The clock text has had two endings (the other:
# "...Check your iat and exp values and use a clock with skew to account for clock differences
# between systems."): a client should match its start.
SIGNATURE = ("invalid_grant", "Invalid JWT Signature.")
ACCOUNT_NOT_FOUND = ("invalid_grant", "Invalid grant: account not found")
AUDIENCE = ("invalid_grant", "Invalid JWT: Failed audience check. The right audience is %s")
NO_SCOPE = ("invalid_scope", "Empty or missing scope not allowed.")
CLOCK = ("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
         "reasonable timeframe. Check your iat and exp values in the JWT claim.")
UNAUTHORIZED = ("unauthorized_client", "Client is unauthorized to retrieve access tokens using "
                "this method, or client not authorized for any of the scopes requested.")
# The mock's own wording (Google's for these cases is not documented): a missing assertion in
# Google's usual "Missing required parameter" form, a malformed one as an "Invalid JWT".
NO_ASSERTION = ("invalid_request", "Missing required parameter: assertion")
MALFORMED = ("invalid_request", "Invalid JWT: Unable to parse the assertion.")

# --refuse NAME -> (error, error_description); "%s" in a description is the expected aud.
REFUSALS = {
    "bad_signature": SIGNATURE,
    "clock": CLOCK,
    # An unknown scope (the missing-scope text belongs to the real check)
    "invalid_scope": ("invalid_scope", "Invalid OAuth scope or ID token audience provided."),
    "unauthorized_client": UNAUTHORIZED,
    "account_not_found": ACCOUNT_NOT_FOUND,
    "audience": AUDIENCE,
    # What Google has answered for a service account whose project or account is disabled.
    "disabled": ("invalid_grant", "Robot is disabled."),
    "unknown": ("some_new_error", "something new"),
}

MODES = {
    "ok": "answer every request (default)",
    "always-503": "503 with an HTML body, every time (the request is still checked and logged)",
    "fail-then-ok": "the first --fail-count token requests get 503 with HTML, then normal",
}


def fail(message):
    sys.stderr.write("google_mock: %s\n" % message)
    sys.exit(2)


def json_members(raw):
    """A JSON object with its members in the order sent; None when it is not one, or when a
    member name repeats (a client must not send an ambiguous header or claims set)."""
    def no_repeats(pairs):
        members = dict(pairs)
        if len(members) != len(pairs):
            raise ValueError("repeated member")
        return members
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_repeats)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class GoogleMock(sf_mock.Mock):
    """Configuration and shared state. sf_mock.Mock's key loading, openssl check, log and request
    counter are inherited; its __init__ is not (it reads Salesforce's users and audiences), so
    this one sets the attributes those methods use: args, lock, token_requests, tmp, pubkey."""

    def __init__(self, args):
        self.args = args
        spec = args.now if args.now is not None else os.environ.get("JWTGRANT_MOCK_NOW")
        if spec and not re.fullmatch(r"\s*[+-]?[0-9]+\s*", spec):  # else Clock fails as "sf_mock"
            fail("bad clock value %r (epoch seconds, or +N/-N)" % spec)
        self.clock = Clock(spec)
        self.subjects = [s.strip() for s in args.subjects.split(",") if s.strip()]
        self.token_uri = args.token_uri  # "auto" is resolved by listen_on once the port is known
        self.lock = threading.Lock()
        self.token_requests = 0
        self.live_tokens = set()
        self.tmp = tempfile.mkdtemp(prefix="google_mock.")
        self.pubkey = os.path.join(self.tmp, "app-pub.pem")
        self.load_app_key(args.app_cert)

    def listen_on(self, port):
        if self.token_uri == "auto":
            self.token_uri = "https://localhost:%d%s" % (port, self.args.path)

    def exit(self, code=0, message=None):
        if message:
            sys.stderr.write("google_mock: %s\n" % message)
            sys.stderr.flush()
        super().exit(code)

    def judge(self, content_type, pairs, record):
        """The checks in this order: grant type, assertion shape, header, signature, iss, aud,
        scope, iat/exp, sub. Returns (None, None) to grant, else (error, description);
        record gets what was seen and, on a refusal, why."""
        is_form = content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"
        form = pairs if is_form and pairs is not None else []  # Google reads no other body
        grant_type, assertion = first(form, "grant_type"), first(form, "assertion")
        record["grant_type"] = grant_type
        record["assertion_present"] = assertion is not None
        record["assertion_len"] = len(assertion) if assertion is not None else 0
        if grant_type != JWT_BEARER:
            record["reason"] = "grant_type" if is_form else "content type is not a form"
            return "unsupported_grant_type", "Invalid grant_type: %s" % (grant_type or "")
        if assertion is None:
            record["reason"] = "no assertion"
            return NO_ASSERTION
        parts = assertion.split(".")
        raw = [b64url_decode(p) for p in parts]
        if len(parts) != 3 or None in raw or not raw[2]:
            record["reason"] = "assertion is not three base64url parts"
            return MALFORMED
        header, claims = json_members(raw[0]), json_members(raw[1])
        record["jwt_header"], record["jwt_claims"] = header, claims
        if header is None or claims is None:
            record["reason"] = "header or claims are not a JSON object (or repeat a member)"
            return MALFORMED
        record["claim_order"] = list(claims) in (CLAIM_ORDER, CLAIM_ORDER_SUB)
        return self.judge_jwt(parts, raw[2], header, claims, record)

    def judge_jwt(self, parts, signature, header, claims, record):
        a = self.args
        # Google picks the verification key by kid: any header it cannot use is a bad signature.
        if "kid" not in header or header["kid"] != a.key_id:
            record["reason"] = "kid missing or not --key-id"
            return SIGNATURE
        if (set(header) != {"alg", "typ", "kid"} or header["alg"] != "RS256"
                or header["typ"] != "JWT"):
            record["reason"] = "header is not exactly alg RS256, typ JWT, kid"
            return SIGNATURE
        if not self.verify_rs256((parts[0] + "." + parts[1]).encode("ascii"), signature):
            record["reason"] = "signature does not verify"
            return SIGNATURE
        if claims.get("iss") != a.client_email:
            record["reason"] = "iss is not --client-email"
            return ACCOUNT_NOT_FOUND
        if claims.get("aud") != self.token_uri:
            record["reason"] = "aud is not --token-uri"
            return AUDIENCE[0], AUDIENCE[1] % self.token_uri
        scope = claims.get("scope")
        if not isinstance(scope, str) or not scope.strip():
            record["reason"] = "scope missing or empty"
            return NO_SCOPE
        if not self.timely(claims.get("iat"), claims.get("exp"), record):
            return CLOCK
        if "sub" in claims and claims["sub"] not in self.subjects:
            record["reason"] = "sub is not one of --subjects"
            return UNAUTHORIZED
        if a.refuse:
            record["reason"] = "forced by --refuse"
            return self.forced_refusal()
        return None, None

    def timely(self, iat, exp, record):
        """iat and exp integers, iat not ahead of now (beyond IAT_SKEW), exp ahead of now and of
        iat, and at most MAX_LIFETIME after iat."""
        now = self.clock.now()
        record["mock_now"] = now
        if not is_int(iat) or not is_int(exp):
            record["reason"] = "iat or exp missing or not an integer"
        elif iat > now + IAT_SKEW:
            record["reason"] = "iat more than %d s ahead" % IAT_SKEW
        elif exp <= now:
            record["reason"] = "exp is past"
        elif exp <= iat or exp - iat > MAX_LIFETIME:
            record["reason"] = "exp - iat is not within 1..%d s" % MAX_LIFETIME
        else:
            return True
        return False

    def forced_refusal(self):
        name = self.args.refuse
        if name in REFUSALS:
            error, description = REFUSALS[name]
            return error, description.replace("%s", self.token_uri)
        error, _, description = name.partition(":")  # "error:description" verbatim
        return error, description

    def access_token(self):
        """ya29. and random URL-safe text, padded with a random run of dots as Google pads its
        tokens: a client must not assume a length."""
        if self.args.access_token:
            return self.args.access_token
        core = "ya29.c." + secrets.token_urlsafe(64 + secrets.randbelow(96))
        return core + "." * secrets.randbelow(400)


class GoogleHandler(sf_mock.Handler):
    """sf_mock's handler (404 for any other method or path, request bodies, Date, the log record)
    with Google's token endpoint as its only POST."""

    def do_POST(self):
        if self.path.partition("?")[0] != self.mock.args.path:
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
            answer = {"access_token": self.mock.access_token(),
                      "expires_in": self.mock.args.expires_in, "token_type": "Bearer"}
            status, rec["verdict"] = 200, "granted"
        else:
            answer = {"error": error, "error_description": description}
            status, rec["verdict"] = 400, "refused:%s:%s" % (error, description)
        self.reply(rec, number, status, answer)

    def reply(self, rec, number, status, answer):
        args = self.mock.args
        if args.mode == "always-503" or (args.mode == "fail-then-ok" and number <= args.fail_count):
            rec["verdict"] = "mode:503 (would have been %s)" % rec["verdict"]
            status = 503
            payload = html_page("Service Unavailable",
                                "The server is temporarily unable to service your request.")
            headers = [("Content-Type", "text/html; charset=UTF-8"), ("Connection", "close")]
            self.close_connection = True
        else:
            # Google indents its JSON by two spaces; --pretty tests that a client does not mind.
            text = (json.dumps(answer, indent=2) + "\n" if args.pretty
                    else json.dumps(answer, separators=(",", ":"), ensure_ascii=False))
            payload, headers = text.encode("utf-8"), GOOGLE_HEADERS
        rec["status"] = status
        self.mock.log(rec)
        self.send(self.head(status, headers + [("Content-Length", str(len(payload)))]) + payload)


class GoogleServer(sf_mock.Server):
    """sf_mock's threaded TLS server (handshake per thread, SNI, lingering close) with the
    Google handler."""

    def __init__(self, address, mock, context):
        super().__init__(address, mock, context)
        self.RequestHandlerClass = GoogleHandler


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Local HTTPS Google OAuth token endpoint for jwtgrant's tests.",
        epilog="modes: " + "; ".join("%s: %s" % kv for kv in MODES.items())
        + ". refusals: " + ", ".join(REFUSALS) + ", or ERROR:DESCRIPTION.")
    p.add_argument("--cert", required=True, help="server certificate (chain) PEM")
    p.add_argument("--key", required=True, help="server private key PEM")
    p.add_argument("--app-cert", required=True,
                   help="certificate or public key PEM of the service account's key")
    p.add_argument("--key-id", default="0123456789abcdef0123456789abcdef01234567",
                   help="the private_key_id expected as the header's kid")
    p.add_argument("--client-email", default="ci-bot@jwtgrant-test.iam.gserviceaccount.com",
                   help="the expected iss")
    p.add_argument("--token-uri", default=GOOGLE_TOKEN_URI,
                   help="the expected aud; auto: https://localhost:<port><path>")
    p.add_argument("--subjects", default="",
                   help="comma list of users sub may name (domain-wide delegation; default none)")
    p.add_argument("--path", default="/token", help="the token endpoint's path")
    p.add_argument("--refuse", help="force this refusal after the checks pass")
    p.add_argument("--mode", default="ok", choices=sorted(MODES))
    p.add_argument("--fail-count", type=int, default=1, help="503s before fail-then-ok answers")
    p.add_argument("--expires-in", type=int, default=3599, help="expires_in of a grant")
    p.add_argument("--access-token", help="fixed access token instead of a random one")
    p.add_argument("--pretty", action="store_true", help="indent the JSON answers as Google does")
    p.add_argument("--now", help="server clock: epoch seconds or +N/-N (env JWTGRANT_MOCK_NOW)")
    p.add_argument("--port-file", help="write the chosen port there once listening")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--max-life", type=float, default=120.0, help="exit after this many seconds")
    # What sf_mock's TLS context, handler and server read, fixed here.
    p.set_defaults(tls12_only=False, tls13_only=False, client_ca=None, ciphers=None,
                   no_date=False, close_notify=False)
    args = p.parse_args(argv)
    if args.refuse and args.refuse not in REFUSALS and ":" not in args.refuse:
        p.error("unknown --refuse %r (one of %s, or ERROR:DESCRIPTION)"
                % (args.refuse, ", ".join(REFUSALS)))
    if not args.path.startswith("/"):
        p.error("--path must start with /")
    return args


def main(argv):
    args = parse_args(argv)
    context = tls_context(args)
    mock = GoogleMock(args)
    signal.signal(signal.SIGTERM, lambda *_: mock.exit(0))
    signal.signal(signal.SIGINT, lambda *_: mock.exit(0))
    timer = threading.Timer(args.max_life, mock.exit, (0,))
    timer.daemon = True
    timer.start()
    try:
        server = GoogleServer(("127.0.0.1", 0), mock, context)
    except OSError as e:
        mock.exit(2, "cannot listen: %s" % e)
    mock.listen_on(server.server_address[1])
    if args.port_file:
        write_port_file(args.port_file, server.server_address[1])
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        mock.exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
