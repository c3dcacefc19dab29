#!/bin/sh
# tests/bench/peer_google.sh KEY_FILE SCOPE CACERT — a Google service account's JWT bearer grant
# done the classic way, with the tools people use today: `sed` takes client_email,
# private_key_id, private_key and token_uri out of the JSON key file Google issues (string values
# with no quote inside, as Google's are; the key's "\n" escapes become newlines again through
# printf %b, in a 0600 temporary file removed on exit), the shell builds header and claims with
# printf, `openssl base64` + `tr` make them base64url, `openssl dgst -sha256 -sign` signs, `curl`
# posts the form to token_uri, and `sed` takes access_token and expires_in out of the answer.
# It is the peer that `make bench` (tests/bench/run.sh) measures `jwtgrant grant --provider
# google` against, so it does what a careful script does and no more: sed rather than python3's
# json module, whose interpreter start-up alone would add about half again to the script's time.
#
# Prints "Obtained an access token for CLIENT_EMAIL (google), expires ISO-8601-UTC" (jwtgrant's
# text output; the token itself is not printed) and exits 0; exits 1 when the answer has no
# access_token (the answer's error is shown), 2 on usage, 3 when the key file lacks a member or
# signing fails, 4 when curl fails.
set -u

if [ $# -ne 3 ]; then
	echo "usage: peer_google.sh KEY_FILE SCOPE CACERT" >&2
	exit 2
fi
key_file=$1 scope=$2 cacert=$3
if [ ! -r "$key_file" ]; then
	echo "peer_google: cannot read $key_file" >&2
	exit 3
fi

member() { # NAME — the string value of NAME in the key file (a value without '"' or '\"')
	sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$key_file"
}
b64url() { # < DATA — base64url without padding or newlines
	openssl base64 -A | tr '+/' '-_' | tr -d '='
}

email=$(member client_email) kid=$(member private_key_id) pem=$(member private_key)
token_uri=$(member token_uri)
if [ -z "$email" ] || [ -z "$kid" ] || [ -z "$pem" ] || [ -z "$token_uri" ]; then
	echo "peer_google: $key_file lacks client_email, private_key_id, private_key or token_uri" >&2
	exit 3
fi

key=$(umask 077 && mktemp "${TMPDIR:-/tmp}/peer_google.XXXXXX") || exit 3
trap 'rm -f "$key"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
printf '%b' "$pem" > "$key" || exit 3

iat=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$kid" | b64url)
claims=$(printf '{"iss":"%s","scope":"%s","aud":"%s","exp":%s,"iat":%s}' "$email" "$scope" \
	"$token_uri" "$((iat + 3600))" "$iat" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$key" -binary | b64url)
if [ -z "$signature" ]; then
	echo "peer_google: signing with the private_key of $key_file failed" >&2
	exit 3
fi

answer=$(curl -s --max-time 30 --cacert "$cacert" \
	-d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
	--data-urlencode "assertion=$header.$claims.$signature" \
	"$token_uri") || {
	echo "peer_google: curl failed (exit $?)" >&2
	exit 4
}

token=$(printf '%s' "$answer" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then
	echo "peer_google: no access_token in the answer: $answer" >&2
	exit 1
fi
expires_in=$(printf '%s' "$answer" | sed -n 's/.*"expires_in" *: *\([0-9][0-9]*\).*/\1/p')
expires=unknown
if [ -n "$expires_in" ]; then
	expires=$(date -u -d "@$(($(date +%s) + expires_in))" +%Y-%m-%dT%H:%M:%SZ) || expires=unknown
fi
echo "Obtained an access token for $email (google), expires $expires"
