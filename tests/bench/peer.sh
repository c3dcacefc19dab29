#!/bin/sh
# tests/bench/peer.sh KEY CLIENT_ID USER URL CACERT — the JWT bearer grant done the classic way,
# with the tools people use today: the shell builds header and claims with printf, `openssl
# base64` + `tr` make them base64url, `openssl dgst -sha256 -sign` signs, `curl` posts the
# form to URL/services/oauth2/token, and `sed` takes access_token out of the JSON answer.
# It is the peer that `make bench` (tests/bench/run.sh) measures jwtgrant against, so it does
# what a careful script does and no more.
#
# Prints "Successfully authorized USER with org ID ORG" (the token itself is not printed) and
# exits 0; exits 1 when the answer has no access_token (the answer's error is shown), 2 on
# usage, 3 when signing fails, 4 when curl fails. The audience is PEER_AUDIENCE, default
# https://login.salesforce.com (what jwtgrant sends for a non-sandbox host).
set -u

if [ $# -ne 5 ]; then
	echo "usage: peer.sh KEY CLIENT_ID USER URL CACERT" >&2
	exit 2
fi
key=$1 client_id=$2 user=$3 url=$4 cacert=$5
aud=${PEER_AUDIENCE:-https://login.salesforce.com}

b64url() { # < DATA — base64url without padding or newlines
	openssl base64 -A | tr '+/' '-_' | tr -d '='
}

exp=$(($(date +%s) + 180))
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
claims=$(printf '{"iss":"%s","sub":"%s","aud":"%s","exp":%s}' "$client_id" "$user" "$aud" "$exp" |
	b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$key" -binary | b64url)
if [ -z "$signature" ]; then
	echo "peer: signing with $key failed" >&2
	exit 3
fi

answer=$(curl -s --max-time 30 --cacert "$cacert" \
	-d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
	--data-urlencode "assertion=$header.$claims.$signature" \
	"$url/services/oauth2/token") || {
	echo "peer: curl failed (exit $?)" >&2
	exit 4
}

token=$(printf '%s' "$answer" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then
	echo "peer: no access_token in the answer: $answer" >&2
	exit 1
fi
org=$(printf '%s' "$answer" | sed -n 's|.*"id" *: *"[^"]*/id/\([^/"]*\)/.*|\1|p')
echo "Successfully authorized $user with org ID $org"
