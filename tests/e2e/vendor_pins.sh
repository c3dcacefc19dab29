#!/bin/sh
# vendor/fetch.sh and its pins (vendor/SHA256SUMS), on a copy of vendor/ with a stand-in apt-get
# and apt-cache on PATH (no network): the five pinned files from a folder (VENDOR_DIST) unpack to
# the roots and versions.h; a changed file is refused; a pinned revision Debian no longer has
# stops the build with one line naming the version it has now and `make repin`; --repin takes
# the versions on offer and rewrites SHA256SUMS. The package files are the real ones the build
# downloaded (vendor/src/dist).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

REAL="$JG_TOP/vendor/src/dist"
if [ ! -f "$REAL/cjson_1.7.15.orig.tar.gz" ]; then
	not_ok "the downloaded packages are in vendor/src/dist (run make first)"
	exit 1
fi
CJSON_PIN=$(sed -n 's/^[0-9a-f]*  cjson_\(.*\)\.debian\.tar\.xz$/\1/p' "$JG_TOP/vendor/SHA256SUMS")
ROOTS_PIN=$(sed -n 's/^[0-9a-f]*  ca-certificates_\(.*\)_all\.deb$/\1/p' "$JG_TOP/vendor/SHA256SUMS")

fresh_vendor() { # a copy of vendor/ in $T/v with no fetched sources
	rm -rf "$T/v"
	mkdir -p "$T/v"
	cp "$JG_TOP/vendor/fetch.sh" "$JG_TOP/vendor/SHA256SUMS" "$T/v/"
}

# The stand-in apt: `update` succeeds; `source`/`download` copy the real file for PACKAGE=VERSION
# when VERSION is what $T/offer says Debian has (any version when none is asked: --repin), as
# NAME_VERSION... files, and fail like apt otherwise; apt-cache prints "Version: " of the offer.
mkdir -p "$T/bin"
cat > "$T/bin/apt-get" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
	case $1 in -o) shift 2 ;; -*) shift ;; *) break ;; esac
done
cmd=$1; shift
[ "$cmd" = update ] && exit 0
for want in "$@"; do
	case $want in --*) continue ;; esac
	pkg=${want%%=*} ver=
	case $want in *=*) ver=${want#*=} ;; esac
	offer=$(sed -n "s/^$pkg //p" "$FAKE_APT/offer")
	if [ -n "$ver" ] && [ "$ver" != "$offer" ]; then
		echo "E: Version '$ver' for '$pkg' was not found" >&2
		exit 100
	fi
	for f in "$FAKE_APT/real/${pkg}_"*; do
		case $f in
		*.orig.*) cp "$f" . ;;
		*.debian.tar.xz) cp "$f" "./${pkg}_$offer.debian.tar.xz" ;;
		*_all.deb) cp "$f" "./${pkg}_${offer}_all.deb" ;;
		esac
	done
done
EOF
cat > "$T/bin/apt-cache" <<'EOF'
#!/bin/sh
for a in "$@"; do pkg=$a; done
printf 'Package: %s\nVersion: %s\n' "$pkg" "$(sed -n "s/^$pkg //p" "$FAKE_APT/offer")"
EOF
chmod +x "$T/bin/apt-get" "$T/bin/apt-cache"
export FAKE_APT="$T"
ln -s "$REAL" "$T/real"
offer() { # BEARSSL CJSON CA-CERTIFICATES — the versions the stand-in archive has
	printf 'bearssl %s\ncjson %s\nca-certificates %s\n' "$1" "$2" "$3" > "$T/offer"
}
fetch() { # CODE NAME [ARGS...] — vendor/fetch.sh of the copy, with the stand-in apt first on PATH
	_c=$1 _n=$2
	shift 2
	JG_CMD_TIMEOUT=120 expect_exit "$_c" "$_n" env PATH="$T/bin:$PATH" sh "$T/v/fetch.sh" "$@"
}

# --- the pinned files from a folder ---------------------------------------------------------------
fresh_vendor
fetch 0 "VENDOR_DIST: the five pinned files verify and unpack" "$REAL"
expect_grep "^#define JG_ROOTS_VERSION \"ca-certificates $ROOTS_PIN\"\$" "$T/v/src/versions.h" \
	"versions.h names the pinned ca-certificates"
crts=$(dpkg-deb -c "$REAL/ca-certificates_${ROOTS_PIN}_all.deb" | grep -c 'mozilla/.*\.crt$')
pems=$(grep -c 'BEGIN CERTIFICATE' "$T/v/src/roots.pem")
[ "$crts" -gt 100 ] && [ "$crts" = "$pems" ] && ok "roots.pem holds every mozilla/*.crt of the package ($pems)" ||
	not_ok "roots.pem holds every mozilla/*.crt of the package" "package: $crts, roots.pem: $pems"
first=$(dpkg-deb -c "$REAL/ca-certificates_${ROOTS_PIN}_all.deb" | sed -n 's|.*mozilla/\(.*\.crt\)$|\1|p' | LC_ALL=C sort | head -n 1)
crt="$T/v/src/ca-certificates/usr/share/ca-certificates/mozilla/$first"
head -c "$(stat -c %s "$crt")" "$T/v/src/roots.pem" | cmp -s - "$crt" &&
	ok "roots.pem starts with the first certificate in byte order of names ($first)" ||
	not_ok "roots.pem starts with the first certificate in byte order of names ($first)"

mkdir -p "$T/tampered"
cp "$REAL"/* "$T/tampered/"
printf 'x' >> "$T/tampered/ca-certificates_${ROOTS_PIN}_all.deb"
fresh_vendor
fetch 1 "VENDOR_DIST: a changed .deb is refused" "$T/tampered"
expect_grep "do not match the pins in vendor/SHA256SUMS" "$T/err" "the refusal names the pins"
[ ! -e "$T/v/src/.ready" ] && ok "nothing is marked ready after a refusal" || not_ok "nothing is marked ready after a refusal"

# --- through apt: the pinned versions, a pin gone, re-pinning ---------------------------------
fresh_vendor
offer 0.6+dfsg.1-3 "$CJSON_PIN" "$ROOTS_PIN"
fetch 0 "apt: the pinned versions are fetched by name and verified"
[ -f "$T/v/src/.ready" ] && ok "apt: ready" || not_ok "apt: ready"

fresh_vendor
offer 0.6+dfsg.1-3 1.7.15-1+deb12u9 "$ROOTS_PIN"
fetch 1 "apt: a cjson revision Debian replaced stops the build"
expect_grep "^vendor: error: the pinned cjson $(printf '%s' "$CJSON_PIN" | sed 's/[.+]/\\&/g') is no longer in Debian's archive, which has 1\\.7\\.15-1\\+deb12u9 now\\. .*make repin" \
	"$T/err" "the message names the pin, the version Debian has and make repin"
[ "$(grep -c . "$T/err")" -le 3 ] && ok "the failure is short" || not_ok "the failure is short" "$(cat "$T/err")"

fresh_vendor
offer 0.6+dfsg.1-3 "$CJSON_PIN" 20991231~deb12u1
fetch 1 "apt: a ca-certificates version Debian replaced stops the build"
expect_grep "ca-certificates $(printf '%s' "$ROOTS_PIN" | sed 's/[.+~]/\\&/g') is no longer in Debian's archive, which has 20991231~deb12u1 now" \
	"$T/err" "the message names the roots' pin and the version on offer"

fresh_vendor
offer 0.6+dfsg.1-3 1.7.15-1+deb12u9 20991231~deb12u1
fetch 0 "apt: --repin takes the versions on offer" --repin
grep -q '  cjson_1\.7\.15-1+deb12u9\.debian\.tar\.xz$' "$T/v/SHA256SUMS" &&
	grep -q '  ca-certificates_20991231~deb12u1_all\.deb$' "$T/v/SHA256SUMS" &&
	ok "--repin rewrote SHA256SUMS with the new names" || not_ok "--repin rewrote SHA256SUMS with the new names" "$(cat "$T/v/SHA256SUMS")"
[ "$(grep -c . "$T/v/SHA256SUMS")" = 5 ] && ok "SHA256SUMS still pins five files" || not_ok "SHA256SUMS still pins five files"
(cd "$T/v/src/dist" && sha256sum -c --quiet "$T/v/SHA256SUMS") > /dev/null 2>&1 &&
	ok "the new pins verify the files" || not_ok "the new pins verify the files"
expect_grep '^#define JG_ROOTS_VERSION "ca-certificates 20991231~deb12u1"$' "$T/v/src/versions.h" \
	"versions.h names the re-pinned roots"
