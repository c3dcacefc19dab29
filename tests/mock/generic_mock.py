#!/usr/bin/env python3
"""A local RFC 7523 token endpoint for jwtgrant's `--provider generic` end-to-end tests.

It answers POST /oauth2/token (--path), form-urlencoded, in both shapes of RFC 7523:
  bearer grant (2.1):     grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT
  client assertion (2.2): grant_type=client_credentials&client_assertion_type=
                          urn:ietf:params:oauth:client-assertion-type:jwt-bearer
                          &client_assertion=JWT
each with an optional scope and any extra fields (logged, not refused unless --require-form names
them). It checks, in this order: the grant type, the form, the JWT's three base64url parts, its
header (alg RS256, typ JWT if present, x5t if present or --require-x5t), the RS256 signature (the
`openssl` CLI against --app-cert), iss (and sub), aud (a string, or an array holding it), exp,
iat and the lifetime, jti, --require-claim, --require-scope, and that a jti is used once. A grant
is 200 {"access_token","token_type","expires_in","scope"}; a refusal is RFC 6749 5.2 JSON
{"error","error_description"}, 400, or 401 for invalid_client. A problem with the JWT is
invalid_grant in the bearer shape and invalid_client in the client-assertion shape (RFC 7523 3.1
and 3.2). --refuse ERROR:DESCRIPTION forces a refusal after every check passed; --mode always-503
and fail-then-ok make the endpoint unavailable to test the client's retries.

It listens on 127.0.0.1 only, on a free port written to --port-file once listening, and exits by
itself after --max-life seconds and on SIGTERM/SIGINT. --audience auto (the default) expects the
aud https://localhost:<its port><path>, since a test cannot know the port before the start. With
--log it appends one JSON line per request: sf_mock.py's request fields, the form's keys, its
values except assertion and client_assertion, the decoded JWT header and claims, the shape,
request_number, status and verdict; never an assertion or its signature.

"Now" is real time, or JWTGRANT_MOCK_NOW (or --now): epoch seconds, or +N / -N seconds from real
time. The Date header follows it.

The TLS server, request plumbing, clock, key loading and signature check are sf_mock.py's,
imported (as google_mock.py does); only the Python standard library and the openssl CLI are used.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import ssl
import sys
import tempfile
import threading

# Importing sf_mock must not leave a tests/mock/__pycache__ behind in the checkout.
sys.dont_write_bytecode = True
import sf_mock  # noqa: E402
from sf_mock import (Clock, b64url_decode, html_page, parse_form, tls_context,  # noqa: E402
                     write_port_file)

JWT_BEARER = sf_mock.JWT_BEARER  # urn:ietf:params:oauth:grant-type:jwt-bearer
CLIENT_CREDENTIALS = "client_credentials"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json;charset=UTF-8"
# RFC 6749 5.1: an answer holding a token must not be cached.
JSON_HEADERS = [("Content-Type", JSON_TYPE), ("Cache-Control", "no-store"), ("Pragma", "no-cache")]
SECRET_FIELDS = ("assertion", "client_assertion")  # never logged
IAT_SKEW = 60  # seconds an iat may lie ahead of the mock's clock

MODES = {
    "ok": "answer every request (default)",
    "always-503": "503 with an HTML body, every time (the request is still checked and logged)",
    "fail-then-ok": "the first --fail-count token requests get 503 with HTML, then normal",
}


def fail(message):
    sys.stderr.write("generic_mock: %s\n" % message)
    sys.exit(2)


def json_members(raw):
    """A JSON object; None when it is not one, or when a member name repeats (a header or claims
    set with a repeated name is ambiguous: RFC 7515 4 lets a server refuse it)."""
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


def same_json(a, b):
    """JSON equality of two parsed values: numbers by value (1 == 1.0), but true is not 1, and
    objects and arrays member by member."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def cert_thumbprint(path):
    """base64url(SHA-1(DER)) of the first certificate in the PEM file; None when it holds none."""
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    found = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
    if not found:
        return None
    try:
        der = ssl.PEM_cert_to_DER_cert(found.group(0))
    except ValueError:
        return None
    return b64url(hashlib.sha1(der).digest())


class Refusal(Exception):
    """A refusal: error, description, and the reason written to the log."""

    def __init__(self, error, description, reason):
        super().__init__(reason)
        self.error, self.description, self.reason = error, description, reason


class GenericMock(sf_mock.Mock):
    """Configuration and shared state. sf_mock.Mock's key loading, openssl check, log and request
    counter are inherited; its __init__ is not (it reads Salesforce's users and audiences), so
    this one sets the attributes those methods use: args, lock, token_requests, tmp, pubkey."""

    def __init__(self, args):
        self.args = args
        spec = args.now if args.now is not None else os.environ.get("JWTGRANT_MOCK_NOW")
        if spec and not re.fullmatch(r"\s*[+-]?[0-9]+\s*", spec):  # else Clock fails as "sf_mock"
            fail("bad clock value %r (epoch seconds, or +N/-N)" % spec)
        self.clock = Clock(spec)
        self.audience = args.audience  # "auto" is resolved by listen_on once the port is known
        self.thumbprint = cert_thumbprint(args.app_cert)
        if args.require_x5t and self.thumbprint is None:
            fail("--require-x5t needs a certificate as --app-cert (not a bare public key)")
        self.lock = threading.Lock()
        self.token_requests = 0
        self.live_tokens = set()
        self.used_jtis = set()
        self.tmp = tempfile.mkdtemp(prefix="generic_mock.")
        self.pubkey = os.path.join(self.tmp, "app-pub.pem")
        self.load_app_key(args.app_cert)

    def listen_on(self, port):
        if self.audience == "auto":
            self.audience = "https://localhost:%d%s" % (port, self.args.path)

    def exit(self, code=0, message=None):
        if message:
            sys.stderr.write("generic_mock: %s\n" % message)
            sys.stderr.flush()
        super().exit(code)

    # --- the checks ----------------------------------------------------------------------------
    def judge(self, content_type, pairs, record, consume):
        """Returns None to grant, else a Refusal; record gets what was seen. consume: a jti that
        passes every check is marked used (False for a request answered 503 by --mode)."""
        try:
            self.check(content_type, pairs, record, consume)
        except Refusal as refusal:
            record["reason"] = refusal.reason
            return refusal
        return None

    def check(self, content_type, pairs, record, consume):
        a = self.args
        if content_type.split(";")[0].strip().lower() != FORM_TYPE:
            raise Refusal("invalid_request", "the body must be application/x-www-form-urlencoded",
                          "content type is not a form")
        if pairs is None:
            raise Refusal("invalid_request", "the form is not ASCII", "body is not ASCII")
        names = [k for k, _ in pairs]
        form = dict(pairs)
        for name in sorted(set(names)):
            if names.count(name) > 1:  # RFC 6749 3.2: parameters must not repeat
                raise Refusal("invalid_request", "parameter %s is repeated" % name,
                              "form field %s repeated" % name)
        grant_type = form.get("grant_type")
        record["grant_type"] = grant_type
        if grant_type == JWT_BEARER:
            shape, field, jwt_error = "bearer", "assertion", "invalid_grant"
        elif grant_type == CLIENT_CREDENTIALS:
            shape, field, jwt_error = "client_assertion", "client_assertion", "invalid_client"
        else:
            raise Refusal("unsupported_grant_type",
                          "grant_type %s is not supported" % (grant_type or "(none)"),
                          "grant_type")
        record["shape"] = shape
        assertion = form.get(field)
        record["assertion_present"] = assertion is not None
        record["assertion_len"] = len(assertion) if assertion is not None else 0
        if shape == "client_assertion":
            if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
                raise Refusal("invalid_request", "client_assertion_type must be "
                              + CLIENT_ASSERTION_TYPE, "client_assertion_type")
            if "assertion" in form:
                raise Refusal("invalid_request", "client_credentials takes no assertion",
                              "assertion in the client-assertion shape")
        elif "client_assertion" in form or "client_assertion_type" in form:
            raise Refusal("invalid_request", "the jwt-bearer grant takes no client_assertion",
                          "client_assertion in the bearer shape")
        if assertion is None:
            raise Refusal("invalid_request", "missing parameter: %s" % field, "no " + field)
        for name, value in a.require_form:
            if form.get(name) != value:
                raise Refusal("invalid_request", "form parameter %s must be %s" % (name, value),
                              "--require-form %s=%s: got %r" % (name, value, form.get(name)))
        self.check_jwt(assertion, shape, jwt_error, record)
        self.check_scope(form.get("scope"), record)
        jti = record["jwt_claims"].get("jti")
        if jti is not None:
            with self.lock:  # check and mark in one step: two racing uses cannot both pass
                if jti in self.used_jtis:
                    raise Refusal(jwt_error, "jti already used", "jti replayed")
                if consume and not a.refuse:
                    self.used_jtis.add(jti)
        if a.refuse:
            error, _, description = a.refuse.partition(":")
            raise Refusal(error, description or None, "forced by --refuse")

    def check_jwt(self, assertion, shape, jwt_error, record):
        a = self.args
        parts = assertion.split(".")
        raw = [b64url_decode(p) for p in parts]
        if len(parts) != 3 or None in raw or not raw[2]:
            raise Refusal(jwt_error, "malformed JWT: not three base64url parts",
                          "assertion is not three base64url parts")
        header, claims = json_members(raw[0]), json_members(raw[1])
        record["jwt_header"], record["jwt_claims"] = header, claims
        if header is None or claims is None:
            raise Refusal(jwt_error, "malformed JWT: header or claims not a JSON object",
                          "header or claims are not a JSON object (or repeat a member)")
        if header.get("alg") != "RS256":
            raise Refusal(jwt_error, "JWT alg must be RS256", "alg is not RS256")
        if "typ" in header and (not isinstance(header["typ"], str)
                                or header["typ"].upper() != "JWT"):
            raise Refusal(jwt_error, "JWT typ must be JWT", "typ is not JWT")
        if "x5t" in header or a.require_x5t:
            if "x5t" not in header:
                raise Refusal(jwt_error, "JWT header x5t is required", "no x5t")
            if header["x5t"] != self.thumbprint:
                raise Refusal(jwt_error, "JWT header x5t names no known certificate",
                              "x5t is not the --app-cert thumbprint %s" % self.thumbprint)
        if not self.verify_rs256((parts[0] + "." + parts[1]).encode("ascii"), raw[2]):
            raise Refusal(jwt_error, "JWT signature does not verify", "signature does not verify")
        self.check_parties(claims, shape, jwt_error)
        aud = claims.get("aud")
        if not (aud == self.audience or (isinstance(aud, list) and self.audience in aud)):
            raise Refusal(jwt_error, "JWT aud must be %s" % self.audience,
                          "aud is not --audience")
        self.check_times(claims, jwt_error, record)
        if "jti" in claims:
            if not isinstance(claims["jti"], str) or not claims["jti"]:
                raise Refusal(jwt_error, "JWT jti must be a non-empty string", "jti not a string")
        elif a.require_jti or shape == "client_assertion":
            raise Refusal(jwt_error, "JWT jti is required", "no jti")
        for name, value in a.require_claim:
            if name not in claims:
                raise Refusal(jwt_error, "JWT claim %s is required" % name,
                              "--require-claim %s: missing" % name)
            if not same_json(claims[name], value):
                raise Refusal(jwt_error, "JWT claim %s must be %s" % (name, compact(value)),
                              "--require-claim %s: got %s" % (name, compact(claims[name])))

    def check_parties(self, claims, shape, jwt_error):
        a = self.args
        iss, sub = claims.get("iss"), claims.get("sub")
        if shape == "client_assertion":
            if not isinstance(iss, str) or not iss or iss != sub:
                raise Refusal(jwt_error, "JWT iss and sub must both be the client id",
                              "iss and sub are not one string")
            if a.client_id is not None and iss != a.client_id:
                raise Refusal(jwt_error, "unknown client %s" % iss, "iss is not --client-id")
            return
        if not isinstance(iss, str) or not iss:
            raise Refusal(jwt_error, "JWT iss is required", "no iss")
        if a.issuer is not None and iss != a.issuer:
            raise Refusal(jwt_error, "unknown issuer %s" % iss, "iss is not --issuer")
        if a.subject is not None and sub != a.subject:
            raise Refusal(jwt_error, "JWT sub must be %s" % a.subject, "sub is not --subject")

    def check_times(self, claims, jwt_error, record):
        """exp an integer in the future; iat (when present) an integer not ahead of now (beyond
        IAT_SKEW); exp - iat (exp - now without an iat) at most --max-lifetime."""
        now = self.clock.now()
        record["mock_now"] = now
        exp, iat = claims.get("exp"), claims.get("iat")
        if not is_int(exp):
            raise Refusal(jwt_error, "JWT exp must be an integer", "exp missing or not an integer")
        if exp <= now:
            raise Refusal(jwt_error, "JWT expired", "exp is past")
        if "iat" in claims:
            if not is_int(iat):
                raise Refusal(jwt_error, "JWT iat must be an integer", "iat not an integer")
            if iat > now + IAT_SKEW:
                raise Refusal(jwt_error, "JWT iat is in the future",
                              "iat more than %d s ahead" % IAT_SKEW)
        start = iat if "iat" in claims else now
        if exp - start > self.args.max_lifetime:
            raise Refusal(jwt_error, "JWT lifetime exceeds %d seconds" % self.args.max_lifetime,
                          "exp - %s is %d s" % ("iat" if "iat" in claims else "now", exp - start))

    def check_scope(self, scope, record):
        granted = (scope or "").split()
        for wanted in self.args.require_scope:
            if wanted not in granted:
                raise Refusal("invalid_scope", "scope %s is required" % wanted,
                              "--require-scope %s: got %r" % (wanted, scope))

    def access_token(self):
        if self.args.access_token:
            return self.args.access_token
        return "gen." + secrets.token_urlsafe(32)


class GenericHandler(sf_mock.Handler):
    """sf_mock's handler (404 for any other method or path, request bodies, Date, the log record)
    with the generic token endpoint as its only POST."""

    def do_POST(self):
        if self.path.partition("?")[0] != self.mock.args.path:
            return self.not_found()
        args = self.mock.args
        rec = self.record()
        body, problem = self.read_body()
        if problem:
            return self.bad_request(rec, problem)
        rec["body_len"] = len(body)
        pairs = parse_form(body)
        rec["form_keys"] = [k for k, _ in pairs] if pairs is not None else None
        rec["form"] = self.loggable_form(pairs)
        number = self.mock.count_token_request()
        failing = args.mode == "always-503" or (args.mode == "fail-then-ok"
                                                 and number <= args.fail_count)
        refusal = self.mock.judge(self.headers.get("Content-Type", ""), pairs, rec,
                                  consume=not failing)
        rec["request_number"] = number
        if refusal is None:
            answer = {"access_token": self.mock.access_token(), "token_type": "Bearer"}
            if args.expires_in:
                answer["expires_in"] = args.expires_in
            scope = dict(pairs).get("scope")
            if scope is not None:
                answer["scope"] = scope
            status, rec["verdict"] = 200, "granted"
        else:
            answer = {"error": refusal.error}
            if refusal.description is not None:
                answer["error_description"] = refusal.description
            status = 401 if refusal.error == "invalid_client" else 400
            if refusal.reason == "forced by --refuse" and args.refuse_status:
                status = args.refuse_status
            rec["verdict"] = "refused:%s:%s" % (refusal.error, refusal.description)
        self.reply(rec, failing, status, answer)

    @staticmethod
    def loggable_form(pairs):
        """The form's values by name (a list when a name repeats), the assertions left out."""
        if pairs is None:
            return None
        form = {}
        for name, value in pairs:
            if name in SECRET_FIELDS:
                continue
            if name not in form:
                form[name] = value
            elif isinstance(form[name], list):
                form[name].append(value)
            else:
                form[name] = [form[name], value]
        return form

    def reply(self, rec, failing, status, answer):
        if failing:
            rec["verdict"] = "mode:503 (would have been %s)" % rec["verdict"]
            status = 503
            payload = html_page("Service Unavailable",
                                "The server is temporarily unable to service your request.")
            headers = [("Content-Type", "text/html; charset=UTF-8"), ("Connection", "close")]
            self.close_connection = True
        else:
            payload, headers = compact(answer).encode("utf-8"), JSON_HEADERS
        rec["status"] = status
        self.mock.log(rec)
        self.send(self.head(status, headers + [("Content-Length", str(len(payload)))]) + payload)


class GenericServer(sf_mock.Server):
    """sf_mock's threaded TLS server (handshake per thread, SNI, lingering close) with the
    generic handler."""

    def __init__(self, address, mock, context):
        super().__init__(address, mock, context)
        self.RequestHandlerClass = GenericHandler


def name_value(text, what):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("%s must be NAME=VALUE: %r" % (what, text))
    return name, value


def form_field(text):
    return name_value(text, "--require-form")


def claim_value(text):
    name, value = name_value(text, "--require-claim")
    try:
        return name, json.loads(value)
    except ValueError:
        raise argparse.ArgumentTypeError("--require-claim %s: the value is not JSON: %r"
                                         % (name, value)) from None


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Local HTTPS RFC 7523 token endpoint (bearer grant and client assertion) "
        "for jwtgrant's tests.",
        epilog="modes: " + "; ".join("%s: %s" % kv for kv in MODES.items()) + ".")
    p.add_argument("--cert", required=True, help="server certificate (chain) PEM")
    p.add_argument("--key", required=True, help="server private key PEM")
    p.add_argument("--app-cert", required=True,
                   help="certificate (or public key) PEM of the key that signs the JWTs; its "
                   "DER's SHA-1 is the expected x5t")
    p.add_argument("--audience", default="auto",
                   help="the expected aud (default auto: https://localhost:<port><path>)")
    p.add_argument("--issuer", help="bearer grant: the expected iss (default: any)")
    p.add_argument("--subject", help="bearer grant: the expected sub (default: any or none)")
    p.add_argument("--client-id",
                   help="client assertion: the expected iss = sub (default: any, iss = sub)")
    p.add_argument("--max-lifetime", type=int, default=3600,
                   help="largest exp - iat (exp - now without iat), seconds (3600)")
    p.add_argument("--require-jti", action="store_true",
                   help="bearer grant: jti required (always for a client assertion)")
    p.add_argument("--require-x5t", action="store_true",
                   help="header x5t required (a present one is always checked)")
    p.add_argument("--require-scope", action="append", default=[], metavar="S",
                   help="the form's scope must hold S (repeatable)")
    p.add_argument("--require-form", action="append", default=[], type=form_field,
                   metavar="NAME=VALUE", help="an extra form field required (repeatable)")
    p.add_argument("--require-claim", action="append", default=[], type=claim_value,
                   metavar="NAME=JSON", help="a claim required with this JSON value (repeatable)")
    p.add_argument("--path", default="/oauth2/token", help="the token endpoint's path")
    p.add_argument("--refuse", metavar="ERROR:DESCRIPTION",
                   help="force this refusal after every check passed (empty DESCRIPTION: none)")
    p.add_argument("--refuse-status", type=int,
                   help="HTTP status of --refuse (default 401 for invalid_client, else 400)")
    p.add_argument("--mode", default="ok", choices=sorted(MODES))
    p.add_argument("--fail-count", type=int, default=1, help="503s before fail-then-ok answers")
    p.add_argument("--expires-in", type=int, default=3600,
                   help="expires_in of a grant (0: no expires_in)")
    p.add_argument("--access-token", help="fixed access token instead of gen.<random>")
    p.add_argument("--now", help="server clock: epoch seconds or +N/-N (env JWTGRANT_MOCK_NOW)")
    p.add_argument("--port-file", help="write the chosen port there once listening")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--max-life", type=float, default=120.0, help="exit after this many seconds")
    # What sf_mock's TLS context, handler and server read, fixed here.
    p.set_defaults(tls12_only=False, tls13_only=False, client_ca=None, ciphers=None,
                   no_date=False, close_notify=False)
    args = p.parse_args(argv)
    if args.refuse is not None and (":" not in args.refuse or args.refuse.startswith(":")):
        p.error("--refuse takes ERROR:DESCRIPTION, got %r" % args.refuse)
    if not args.path.startswith("/"):
        p.error("--path must start with /")
    if args.max_lifetime < 1:
        p.error("--max-lifetime must be at least 1")
    if args.expires_in < 0:
        p.error("--expires-in must not be negative")
    return args


def main(argv):
    args = parse_args(argv)
    context = tls_context(args)
    mock = GenericMock(args)
    signal.signal(signal.SIGTERM, lambda *_: mock.exit(0))
    signal.signal(signal.SIGINT, lambda *_: mock.exit(0))
    timer = threading.Timer(args.max_life, mock.exit, (0,))
    timer.daemon = True
    timer.start()
    try:
        server = GenericServer(("127.0.0.1", 0), mock, context)
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
