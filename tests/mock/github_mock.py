#!/usr/bin/env python3
"""A local GitHub App REST API for jwtgrant's `--provider github` end-to-end tests.

It answers, as https://api.github.com does (or a GitHub Enterprise Server under --prefix /api/v3),
the two requests a GitHub App makes for an installation access token:

  GET  {prefix}/repos/OWNER/NAME/installation     200 the installation, or 404
  GET  {prefix}/orgs/ORG/installation              200 the installation, or 404
  GET  {prefix}/users/USER/installation            200 the installation, or 404
  POST {prefix}/app/installations/N/access_tokens  201 {"token","expires_at","permissions",
                                                   "repository_selection"[,"repositories"]}

Every request is checked in this order: User-Agent present (else 403), X-GitHub-Api-Version absent
or 2022-11-28 (else 400), a known path and method (else 404), then the App's JWT in
`Authorization: Bearer`: three base64url parts, a JSON header with alg RS256 (typ JWT or none),
the RS256 signature (the `openssl` CLI against --app-cert), iss the App's id (a JSON string or
number) or its client id, iat an integer not after now, exp after now, and neither exp - now nor
exp - iat over 600 s (else 401 in GitHub's words). The token POST then wants a known installation
(404), not suspended (--refuse suspended: 403), Content-Type application/json (415), a JSON object
as body (400 "Problems parsing JSON"), and "repositories" / "permissions" the installation has
(422). A repository matches an installation when OWNER is its account and NAME one of its
repositories, or any NAME when its repository_selection is "all" (both compared as GitHub does,
without regard to case). Answers are GitHub's pretty-printed JSON with its headers
(--compact: one line); --mode always-503 / fail-then-ok answer 503 with GitHub's HTML to test
the client's retries (the request is still checked and logged). Connections are kept alive
(HTTP/1.1) unless the client closes them, or after a 503 or a malformed request.

The installations are INSTALLATIONS below, or --installations FILE: a JSON array of objects
{"id":N,"account":"LOGIN","type":"Organization"|"User","repositories":[NAME...],
 "permissions":{NAME:"read"|"write"},"repository_selection":"selected"|"all"}.

It listens on 127.0.0.1 only, on a free port written to --port-file once listening, and exits by
itself after --max-life seconds and on SIGTERM/SIGINT. With --log it appends one JSON line per
request (LOG FIELDS below): never the JWT, its signature, nor a token issued (only its SHA-256).

"Now" is real time, or JWTGRANT_MOCK_NOW (or --now): epoch seconds, or +N / -N seconds from real
time. The Date header and expires_at follow it.

The TLS server, request plumbing, clock, key loading and signature check are sf_mock.py's,
imported (as google_mock.py does); only the Python standard library and the openssl CLI are used.

LOG FIELDS (one JSON object a line, in this order; a field is absent where it does not apply):
  request_number  1, 2, ... over every request the mock answered
  conn_request    the request's number on its connection (2 and more: a kept-alive connection)
  method, path, query (when there is one), version
  accept, api_version, user_agent, content_type   those request headers (null when absent)
  authorization   true when an Authorization header was sent (its value is never logged)
  route           repo | org | user | access_tokens, or null (no such path and method)
  body_len        the request body's length
  authorization_scheme  "Bearer", "token", "Basic", "other" or null (never the credential)
  jwt_header, jwt_claims  the JWT's, decoded (never its signature); null when not JSON objects
  iss_type        the JSON type of iss: "string", "number", ... or "missing"
  mock_now        the mock's clock when the claims were checked
  installation_id the installation found (lookups) or asked for (token requests)
  body            the token request's body, parsed (null when not JSON)
  token_sha256    on a 201: the hex SHA-256 of the token issued (never the token)
  would_have_been with --mode, on a 503: the status the request would have had
  status, reason  the status answered, and why ("found", "granted" or what was refused)
  time, peer, tls, cipher, sni, mode
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import signal
import string
import sys
import tempfile
import threading
import time
from urllib.parse import unquote

# Importing sf_mock must not leave a tests/mock/__pycache__ behind in the checkout.
sys.dont_write_bytecode = True
import sf_mock  # noqa: E402
from sf_mock import Clock, b64url_decode, html_page, tls_context, write_port_file  # noqa: E402

API_VERSION = "2022-11-28"
JSON_TYPE = "application/json; charset=utf-8"
MAX_JWT_AHEAD = 600  # seconds: GitHub refuses an exp further than 10 minutes away
TOKEN_LIFE = 3600  # an installation token expires after one hour
DOCS = "https://docs.github.com/rest"
APPS_DOCS = "https://docs.github.com/rest/apps/apps#"
DOC_REPO = APPS_DOCS + "get-a-repository-installation-for-the-authenticated-app"
DOC_ORG = APPS_DOCS + "get-an-organization-installation-for-the-authenticated-app"
DOC_USER = APPS_DOCS + "get-a-user-installation-for-the-authenticated-app"
DOC_TOKEN = APPS_DOCS + "create-an-installation-access-token-for-an-app"
DOC_UA = ("https://docs.github.com/en/rest/overview/resources-in-the-rest-api"
          "#user-agent-required")
DOC_VERSIONS = "https://docs.github.com/rest/overview/api-versions"

# GitHub's texts
NOT_DECODED = "A JSON web token could not be decoded"
IAT_TEXT = "'Issued at' claim ('iat') must be an Integer representing a time in the past"
EXP_TEXT = ("'Expiration time' claim ('exp') must be a numeric value representing the future "
            "time at which the assertion expires")
TOO_FAR = "'Expiration time' claim ('exp') is too far in the future"
NO_UA = ("Request forbidden by administrative rules. Please make sure your request has a "
         "User-Agent header (%s). Check https://developer.github.com for other possible causes."
         % DOC_UA)
SUSPENDED = "This installation has been suspended"
NO_REPO = ("There is at least one repository that does not exist or is not accessible to the "
           "parent installation.")
NO_PERMISSION = "The permissions requested are not granted to this installation."
BAD_JSON = "Problems parsing JSON"
# The mock's own wording (GitHub's for these cases is not documented)
NO_APP = "Integration not found: no App has the issuer ('iss' claim) %s"
BAD_VERSION = "API version %s is not supported. Supported versions: " + API_VERSION + "."
BAD_TYPE = ("Unsupported Media Type: the request body must be application/json, not %s")

INSTALLATIONS = [
    {"id": 4242, "account": "octo-org", "type": "Organization",
     "repositories": ["app", "docs", "infra"],
     "permissions": {"contents": "write", "issues": "write", "metadata": "read"},
     "repository_selection": "selected"},
    {"id": 5151, "account": "octocat", "type": "User", "repositories": ["dotfiles"],
     "permissions": {"contents": "read", "metadata": "read"}, "repository_selection": "all"},
]
ACCOUNT_IDS = {"octo-org": 9919, "octocat": 583231}
LEVELS = ("read", "write")

MODES = {
    "ok": "answer every request (default)",
    "always-503": "503 with GitHub's HTML page, every time (the request is still checked and "
                  "logged)",
    "fail-then-ok": "the first --fail-count requests get 503 with HTML, then normal answers",
}
TOKEN_STYLES = {
    "ghs": "ghs_ and 36 letters and digits (GitHub's installation tokens until 2026)",
    "long": "ghu2_ and 200 to 299 base64url characters, '-' and '_' among them (no length or "
            "prefix may be assumed)",
}
ROUTES = [  # (method, path pattern after the prefix, route name)
    ("GET", re.compile(r"/repos/([^/]+)/([^/]+)/installation"), "repo"),
    ("GET", re.compile(r"/orgs/([^/]+)/installation"), "org"),
    ("GET", re.compile(r"/users/([^/]+)/installation"), "user"),
    ("POST", re.compile(r"/app/installations/([^/]+)/access_tokens"), "access_tokens"),
]
LOOKUP_DOCS = {"repo": DOC_REPO, "org": DOC_ORG, "user": DOC_USER}
ALNUM = string.ascii_letters + string.digits
B64URL_CHARS = ALNUM + "-_"
CREATED_AT = "2024-01-15T10:00:00Z"


def fail(message):
    sys.stderr.write("github_mock: %s\n" % message)
    sys.exit(2)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def json_type(value):
    """The JSON type name of a parsed value ("missing" for None from dict.get)."""
    for kind, name in ((bool, "boolean"), (str, "string"), (int, "number"), (float, "number"),
                       (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return "null"


def json_object_strict(raw):
    """A JSON object, or None when it is not one or a member name repeats."""
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


def utc_iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def error_body(status, message, doc=DOCS):
    return {"message": message, "documentation_url": doc, "status": str(status)}


class Answer(Exception):
    """An answer decided before the end of the checks: status, JSON body, reason for the log."""

    def __init__(self, status, body, reason):
        super().__init__(reason)
        self.status, self.body, self.reason = status, body, reason


def load_installations(path):
    """The --installations file, checked; fail() on anything malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read --installations %s: %s" % (path, e))
    if not isinstance(table, list):
        fail("--installations %s: not a JSON array" % path)
    seen = set()
    for n, inst in enumerate(table):
        where = "--installations %s, entry %d" % (path, n)
        if not isinstance(inst, dict):
            fail("%s: not an object" % where)
        if not is_int(inst.get("id")) or inst["id"] <= 0 or inst["id"] in seen:
            fail("%s: id must be a positive integer, each once" % where)
        seen.add(inst["id"])
        if not isinstance(inst.get("account"), str) or not inst["account"]:
            fail("%s: account must be a login" % where)
        inst.setdefault("type", "Organization")
        inst.setdefault("repository_selection", "selected")
        if inst["type"] not in ("Organization", "User"):
            fail("%s: type must be Organization or User" % where)
        if inst["repository_selection"] not in ("selected", "all"):
            fail("%s: repository_selection must be selected or all" % where)
        repos = inst.setdefault("repositories", [])
        if not isinstance(repos, list) or not all(isinstance(r, str) and r for r in repos):
            fail("%s: repositories must be an array of names" % where)
        perms = inst.setdefault("permissions", {"metadata": "read"})
        if not isinstance(perms, dict) or not all(v in LEVELS for v in perms.values()):
            fail("%s: permissions must map names to read or write" % where)
    return table


class GitHubMock(sf_mock.Mock):
    """Configuration and shared state. sf_mock.Mock's key loading, openssl check, log and request
    counter are inherited; its __init__ is not (it reads Salesforce's users and audiences), so
    this one sets the attributes those methods use: args, lock, token_requests, tmp, pubkey."""

    def __init__(self, args):
        self.args = args
        spec = args.now if args.now is not None else os.environ.get("JWTGRANT_MOCK_NOW")
        if spec and not re.fullmatch(r"\s*[+-]?[0-9]+\s*", spec):  # else Clock fails as "sf_mock"
            fail("bad clock value %r (epoch seconds, or +N/-N)" % spec)
        self.clock = Clock(spec)
        self.installations = (load_installations(args.installations) if args.installations
                              else json.loads(json.dumps(INSTALLATIONS)))
        self.base_url = "https://localhost%s" % args.prefix  # the port is added by listen_on
        self.lock = threading.Lock()
        self.token_requests = 0  # counts every request here (sf_mock's counter, reused)
        self.live_tokens = set()
        self.tmp = tempfile.mkdtemp(prefix="github_mock.")
        self.pubkey = os.path.join(self.tmp, "app-pub.pem")
        self.load_app_key(args.app_cert)

    def listen_on(self, port):
        self.base_url = "https://localhost:%d%s" % (port, self.args.prefix)

    def exit(self, code=0, message=None):
        if message:
            sys.stderr.write("github_mock: %s\n" % message)
            sys.stderr.flush()
        super().exit(code)

    # --- the App's JWT -------------------------------------------------------------------------
    def check_jwt(self, authorization, rec):
        """Raises Answer(401) unless authorization is "Bearer <a JWT of this App, in time>"."""
        scheme, _, credential = (authorization or "").strip().partition(" ")
        rec["authorization_scheme"] = (scheme if scheme.lower() in ("bearer", "token", "basic")
                                       else ("other" if scheme else None))
        parts = credential.strip().split(".")
        if scheme.lower() != "bearer" or len(parts) != 3:
            raise Answer(401, error_body(401, NOT_DECODED), "no Bearer JWT of three parts")
        raw = [b64url_decode(p) for p in parts]
        if None in raw or not raw[2]:
            raise Answer(401, error_body(401, NOT_DECODED), "a part is not base64url")
        header, claims = json_object_strict(raw[0]), json_object_strict(raw[1])
        rec["jwt_header"], rec["jwt_claims"] = header, claims
        if header is None or claims is None:
            raise Answer(401, error_body(401, NOT_DECODED),
                         "header or claims are not a JSON object (or repeat a member)")
        rec["iss_type"] = json_type(claims.get("iss")) if "iss" in claims else "missing"
        typ = header.get("typ", "JWT")
        if header.get("alg") != "RS256" or not isinstance(typ, str) or typ.upper() != "JWT":
            raise Answer(401, error_body(401, NOT_DECODED), "header is not alg RS256 (typ JWT)")
        if not self.verify_rs256((parts[0] + "." + parts[1]).encode("ascii"), raw[2]):
            raise Answer(401, error_body(401, NOT_DECODED), "signature does not verify")
        self.check_claims(claims, rec)

    def check_claims(self, claims, rec):
        a = self.args
        iss = claims.get("iss")
        if not (iss == a.client_id or iss == str(a.app_id)
                or (is_int(iss) and iss == a.app_id)):
            shown = json.dumps(iss, ensure_ascii=False) if "iss" in claims else "(none)"
            raise Answer(401, error_body(401, NO_APP % shown[:100]), "iss names no App")
        now = self.clock.now()
        rec["mock_now"] = now
        iat, exp = claims.get("iat"), claims.get("exp")
        if not is_int(iat) or iat > now:
            raise Answer(401, error_body(401, IAT_TEXT), "iat missing, not an integer or ahead")
        if not is_number(exp) or exp <= now:
            raise Answer(401, error_body(401, EXP_TEXT), "exp missing, not a number or past")
        if exp - now > MAX_JWT_AHEAD or exp - iat > MAX_JWT_AHEAD:
            raise Answer(401, error_body(401, TOO_FAR),
                         "exp - now or exp - iat over %d s" % MAX_JWT_AHEAD)

    # --- installations -------------------------------------------------------------------------
    def find(self, route, params):
        """The installation a lookup names, or None."""
        for inst in self.installations:
            login = inst["account"].lower()
            if route == "repo":
                owner, name = params[0].lower(), params[1].lower()
                if owner == login and (inst["repository_selection"] == "all"
                                       or name in (r.lower() for r in inst["repositories"])):
                    return inst
            elif route == "org":
                if params[0].lower() == login and inst["type"] == "Organization":
                    return inst
            elif params[0].lower() == login:  # user: any account, organizations too
                return inst
        return None

    def by_id(self, text):
        if text.isdigit():
            for inst in self.installations:
                if inst["id"] == int(text):
                    return inst
        return None

    def account(self, inst):
        login = inst["account"]
        number = ACCOUNT_IDS.get(login, 100000 + inst["id"])
        return {"login": login, "id": number, "node_id": "MDQ6VXNlcj%d" % number,
                "avatar_url": "https://avatars.githubusercontent.com/u/%d?v=4" % number,
                "url": "%s/users/%s" % (self.base_url, login),
                "html_url": "https://github.com/%s" % login, "type": inst["type"],
                "site_admin": False}

    def installation_body(self, inst):
        account = self.account(inst)
        suspended = self.args.refuse == "suspended"
        settings = ("organizations/%s/settings" % inst["account"]
                    if inst["type"] == "Organization" else "settings")
        return {
            "id": inst["id"],
            "client_id": self.args.client_id,
            "account": account,
            "repository_selection": inst["repository_selection"],
            "access_tokens_url": "%s/app/installations/%d/access_tokens"
                                 % (self.base_url, inst["id"]),
            "repositories_url": "%s/installation/repositories" % self.base_url,
            "html_url": "https://github.com/%s/installations/%d" % (settings, inst["id"]),
            "app_id": self.args.app_id,
            "app_slug": "jwtgrant-test",
            "target_id": account["id"],
            "target_type": inst["type"],
            "permissions": dict(inst["permissions"]),
            "events": [],
            "created_at": CREATED_AT,
            "updated_at": CREATED_AT,
            "single_file_name": None,
            "has_multiple_single_files": False,
            "single_file_paths": [],
            "suspended_by": ({"login": inst["account"], "type": inst["type"]}
                             if suspended else None),
            "suspended_at": CREATED_AT if suspended else None,
        }

    # --- tokens --------------------------------------------------------------------------------
    def narrow(self, inst, request):
        """(permissions, repositories or None) of the token the request body asks for; raises
        Answer(422) for what the installation does not have."""
        invalid = "Invalid request.\n\nFor 'properties/%s', %s is not %s."
        repos = request.get("repositories")
        if repos is not None and not (isinstance(repos, list)
                                      and all(isinstance(r, str) for r in repos)):
            raise Answer(422, error_body(422, invalid % ("repositories", json.dumps(repos),
                                                         "an array of strings"), DOC_TOKEN),
                         "repositories is not an array of names")
        perms = request.get("permissions")
        if perms is not None and not isinstance(perms, dict):
            raise Answer(422, error_body(422, invalid % ("permissions", json.dumps(perms),
                                                         "an object"), DOC_TOKEN),
                         "permissions is not an object")
        chosen = None
        if repos:
            have = {r.lower(): r for r in inst["repositories"]}
            chosen = []
            for name in repos:
                if name.lower() in have:
                    name = have[name.lower()]
                elif inst["repository_selection"] != "all":
                    raise Answer(422, error_body(422, NO_REPO, DOC_TOKEN),
                                 "repository %r not in the installation" % name[:100])
                if name not in chosen:
                    chosen.append(name)
        granted = inst["permissions"]
        for name, level in (perms or {}).items():
            if (name not in granted or level not in LEVELS
                    or (level == "write" and granted[name] != "write")):
                raise Answer(422, error_body(422, NO_PERMISSION, DOC_TOKEN),
                             "permission %s=%s not granted" % (name[:100], str(level)[:20]))
        return (dict(perms) if perms else dict(granted)), chosen

    def new_token(self):
        if self.args.access_token:
            return self.args.access_token
        if self.args.token_style == "ghs":
            return "ghs_" + "".join(secrets.choice(ALNUM) for _ in range(36))
        core = [secrets.choice(B64URL_CHARS) for _ in range(198 + secrets.randbelow(100))]
        for mark in "-_":  # both always present, at random places
            core.insert(secrets.randbelow(len(core) + 1), mark)
        return "ghu2_" + "".join(core)

    def token_body(self, inst, request, rec):
        permissions, repos = self.narrow(inst, request)
        token = self.new_token()
        rec["token_sha256"] = hashlib.sha256(token.encode("utf-8")).hexdigest()
        body = {"token": token, "expires_at": utc_iso(self.clock.now() + TOKEN_LIFE),
                "permissions": permissions,
                "repository_selection": "selected" if repos else inst["repository_selection"]}
        if repos:
            body["repositories"] = [
                {"id": 700000000 + 1000 * inst["id"] + n, "name": name,
                 "full_name": "%s/%s" % (inst["account"], name), "private": True}
                for n, name in enumerate(repos)]
        return body


class GitHubHandler(sf_mock.Handler):
    """sf_mock's handler (request bodies, Date, TLS plumbing) with GitHub's routes; any other
    method or path is GitHub's JSON 404."""

    def dispatch(self):
        mock = self.mock
        rec = self.new_record()
        body, problem = self.request_body()
        if problem:
            status, text = problem
            self.close_connection = True
            return self.reply(rec, status, error_body(status, text), "bad request: " + text)
        rec["body_len"] = len(body)
        try:
            status, answer, reason = self.judge(rec, body)
        except Answer as a:
            status, answer, reason = a.status, a.body, a.reason
        n = rec["request_number"]
        if mock.args.mode == "always-503" or (mock.args.mode == "fail-then-ok"
                                              and n <= mock.args.fail_count):
            rec.pop("token_sha256", None)  # not issued after all
            rec["would_have_been"] = status
            return self.unavailable(rec, reason)
        self.reply(rec, status, answer, reason)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = dispatch
    do_TRACE = dispatch

    def do_CONNECT(self):
        self.close_connection = True
        self.dispatch()

    def __getattr__(self, name):
        if name.startswith("do_"):  # any other method: GitHub's 404, not http.server's 501
            return self.dispatch
        raise AttributeError(name)

    def new_record(self):
        """The log record's request part: never the Authorization header's value."""
        h = self.headers
        path, _, query = self.path.partition("?")
        self.server.local.requests += 1
        rec = {"request_number": self.mock.count_token_request(),
               "conn_request": self.server.local.requests,
               "method": self.command, "path": path}
        if query:
            rec["query"] = query
        rec.update(version=self.request_version, accept=h.get("Accept"),
                   api_version=h.get("X-GitHub-Api-Version"), user_agent=h.get("User-Agent"),
                   content_type=h.get("Content-Type"),
                   authorization=h.get("Authorization") is not None)
        found = self.route()
        rec["route"] = found[0] if found else None
        return rec

    def request_body(self):
        """(body, None) or (None, (status, why)); a request without a length has no body,
        except a POST (411, as GitHub answers)."""
        has_length = "Content-Length" in self.headers
        if has_length or "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_body()
        if self.command == "POST":
            return None, (411, "Length Required")
        return b"", None

    def route(self):
        """(route name, decoded path parameters) or None."""
        path = self.path.partition("?")[0]
        prefix = self.mock.args.prefix
        if not path.startswith(prefix + "/"):
            return None
        rest = path[len(prefix):]
        for method, pattern, name in ROUTES:
            found = pattern.fullmatch(rest)
            if found:
                if method != self.command:
                    return None
                return name, [unquote(g) for g in found.groups()]
        return None

    def judge(self, rec, body):
        """(status, answer, reason), or raises Answer."""
        mock, h = self.mock, self.headers
        if not (h.get("User-Agent") or "").strip():
            raise Answer(403, {"message": NO_UA}, "no User-Agent")
        version = h.get("X-GitHub-Api-Version")
        if version is not None and version.strip() != API_VERSION:
            raise Answer(400, error_body(400, BAD_VERSION % version.strip()[:40], DOC_VERSIONS),
                         "unsupported X-GitHub-Api-Version")
        found = self.route()
        if found is None:
            raise Answer(404, error_body(404, "Not Found"), "no such route")
        route, params = found
        mock.check_jwt(h.get("Authorization"), rec)
        if route != "access_tokens":
            inst = mock.find(route, params)
            if inst is None:
                raise Answer(404, error_body(404, "Not Found", LOOKUP_DOCS[route]),
                             "no installation for %s" % "/".join(params)[:200])
            rec["installation_id"] = inst["id"]
            return 200, mock.installation_body(inst), "found"
        inst = mock.by_id(params[0])
        rec["installation_id"] = int(params[0]) if params[0].isdigit() else None
        if inst is None:
            raise Answer(404, error_body(404, "Not Found", DOC_TOKEN), "no such installation")
        if mock.args.refuse == "suspended":
            raise Answer(403, error_body(403, SUSPENDED, DOC_TOKEN), "forced by --refuse")
        media = (h.get("Content-Type") or "").split(";")[0].strip().lower()
        if media != "application/json":
            raise Answer(415, error_body(415, BAD_TYPE % json.dumps(h.get("Content-Type")),
                                         DOC_TOKEN), "content type is not application/json")
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            request = None
        rec["body"] = request
        if not isinstance(request, dict):
            raise Answer(400, error_body(400, BAD_JSON, DOC_TOKEN), "body is not a JSON object")
        return 201, mock.token_body(inst, request, rec), "granted"

    # --- answers ---------------------------------------------------------------------------
    def github_headers(self, status):
        n = self.mock.token_requests
        headers = [("Server", "github.com"), ("Content-Type", JSON_TYPE)]
        if status == 200:
            headers.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
        headers += [
            ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, "
                     "X-Requested-With"),
            ("X-GitHub-Media-Type", "github.v3; format=json"),
            ("X-GitHub-Api-Version-Selected", API_VERSION),
            ("X-RateLimit-Limit", "5000"),
            ("X-RateLimit-Remaining", str(max(0, 5000 - n))),
            ("X-RateLimit-Reset", str(self.mock.clock.now() + 3600)),
            ("X-RateLimit-Used", str(n)),
            ("X-RateLimit-Resource", "core"),
            ("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, "
             "X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, "
             "X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, "
             "X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, "
             "Deprecation, Sunset"),
            ("Access-Control-Allow-Origin", "*"),
            ("Strict-Transport-Security", "max-age=31536000; includeSubdomains; preload"),
            ("X-Frame-Options", "deny"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-XSS-Protection", "0"),
            ("Referrer-Policy", "origin-when-cross-origin, strict-origin-when-cross-origin"),
            ("Content-Security-Policy", "default-src 'none'"),
            ("X-GitHub-Request-Id", self.request_id()),
        ]
        return headers

    @staticmethod
    def request_id():
        r = secrets.randbits
        return "%04X:%05X:%06X:%07X:%08X" % (r(16), r(20), r(24), r(28), r(32))

    def reply(self, rec, status, answer, reason):
        if self.mock.args.compact:
            text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
        else:
            text = json.dumps(answer, indent=2, ensure_ascii=False)
        payload = text.encode("utf-8")
        headers = self.github_headers(status)
        if self.close_connection:
            headers.append(("Connection", "close"))
        self.finish_answer(rec, status, reason, headers, payload)

    def unavailable(self, rec, reason):
        self.close_connection = True
        payload = html_page("Unicorn! &middot; GitHub",
                            "No server is currently available to service your request.")
        headers = [("Server", "github.com"), ("Content-Type", "text/html; charset=utf-8"),
                   ("X-GitHub-Request-Id", self.request_id()), ("Connection", "close")]
        self.finish_answer(rec, 503, "mode %s (would have been: %s)" % (self.mock.args.mode,
                                                                        reason),
                           headers, payload)

    def finish_answer(self, rec, status, reason, headers, payload):
        rec["status"], rec["reason"] = status, reason
        rec["time"] = round(time.time(), 3)
        rec["peer"] = self.client_address[0]
        rec.update(self.server.tls_info(self.connection))
        rec["mode"] = self.mock.args.mode
        self.mock.log(rec)
        head = self.head(status, headers + [("Content-Length", str(len(payload)))])
        self.send(head + (b"" if self.command == "HEAD" else payload))


class GitHubServer(sf_mock.Server):
    """sf_mock's threaded TLS server (handshake per thread, SNI, lingering close) with the
    GitHub handler."""

    def __init__(self, address, mock, context):
        super().__init__(address, mock, context)
        self.RequestHandlerClass = GitHubHandler


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Local HTTPS GitHub App REST API (installation lookup and installation "
        "access tokens) for jwtgrant's tests.",
        epilog="modes: " + "; ".join("%s: %s" % kv for kv in MODES.items())
        + ". token styles: " + "; ".join("%s: %s" % kv for kv in TOKEN_STYLES.items()) + ".")
    p.add_argument("--cert", required=True, help="server certificate (chain) PEM")
    p.add_argument("--key", required=True, help="server private key PEM")
    p.add_argument("--app-cert", required=True,
                   help="certificate or public key PEM of the App's private key")
    p.add_argument("--app-id", type=int, default=123456,
                   help="the App's id, accepted as iss (JSON string or number)")
    p.add_argument("--client-id", default="Iv23liTESTCLIENT0001",
                   help="the App's client id, accepted as iss")
    p.add_argument("--prefix", default="",
                   help="path prefix of every route (/api/v3: GitHub Enterprise Server)")
    p.add_argument("--installations", metavar="FILE",
                   help="JSON array of installations instead of the built-in ones")
    p.add_argument("--refuse", choices=["suspended"],
                   help="suspended: 403 on every token request of a known installation")
    p.add_argument("--mode", default="ok", choices=sorted(MODES))
    p.add_argument("--fail-count", type=int, default=1, help="503s before fail-then-ok answers")
    p.add_argument("--token-style", default="ghs", choices=sorted(TOKEN_STYLES))
    p.add_argument("--access-token", help="fixed token instead of a random one")
    p.add_argument("--compact", action="store_true",
                   help="one-line JSON answers (GitHub's are indented by two spaces)")
    p.add_argument("--now", help="server clock: epoch seconds or +N/-N (env JWTGRANT_MOCK_NOW)")
    p.add_argument("--port-file", help="write the chosen port there once listening")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--max-life", type=float, default=120.0, help="exit after this many seconds")
    # What sf_mock's TLS context, handler and server read, fixed here.
    p.set_defaults(tls12_only=False, tls13_only=False, client_ca=None, ciphers=None,
                   no_date=False, close_notify=False)
    args = p.parse_args(argv)
    if args.prefix and (not args.prefix.startswith("/") or args.prefix.endswith("/")):
        p.error("--prefix must start with / and not end with / (e.g. /api/v3)")
    if args.app_id <= 0:
        p.error("--app-id must be positive")
    if args.fail_count < 0:
        p.error("--fail-count must not be negative")
    return args


def main(argv):
    args = parse_args(argv)
    context = tls_context(args)
    mock = GitHubMock(args)
    signal.signal(signal.SIGTERM, lambda *_: mock.exit(0))
    signal.signal(signal.SIGINT, lambda *_: mock.exit(0))
    timer = threading.Timer(args.max_life, mock.exit, (0,))
    timer.daemon = True
    timer.start()
    try:
        server = GitHubServer(("127.0.0.1", 0), mock, context)
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
