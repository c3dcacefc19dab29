#!/bin/sh
# make demo: a first run without Salesforce. Starts the project's local token endpoint (a real
# HTTPS server that verifies the JWT like Salesforce, tests/mock/sf_mock.py) with throwaway
# certificates, then runs a real `jwtgrant grant` against it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
jg="$top/jwtgrant"
pki="$top/build/demo-pki"
work=$(mktemp -d "${TMPDIR:-/tmp}/jwtgrant-demo.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

[ -x "$jg" ] || { echo "demo: build first: make" >&2; exit 1; }
sh "$top/tests/pki.sh" "$pki" > /dev/null || { echo "demo: could not make the test certificates" >&2; exit 1; }
python3 "$top/tests/mock/sf_mock.py" --cert "$pki/server.crt" --key "$pki/server.key" \
	--app-cert "$pki/app.crt" --port-file "$work/port" --max-life 30 &
pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || { echo "demo: the local token endpoint did not start" >&2; exit 1; }
port=$(cat "$work/port")

cat <<TXT
A local Salesforce-like token endpoint is listening on https://localhost:$port
(its CA: $pki/ca.crt; the Connected App's certificate: $pki/app.crt).

\$ jwtgrant grant --client-id 3MVG9TESTCLIENTID --jwt-key-file $pki/app.key \\
    --username ci@example.com --instance-url https://localhost:$port --cacert $pki/ca.crt
TXT
"$jg" grant --client-id 3MVG9TESTCLIENTID --jwt-key-file "$pki/app.key" \
	--username ci@example.com --instance-url "https://localhost:$port" --cacert "$pki/ca.crt" \
	--max-time 10
