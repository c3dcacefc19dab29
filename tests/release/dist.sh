#!/bin/sh
# The release set in build/dist (make release; shared/docs/cli.md, "Releases"): every file named
# there and nothing else, each binary static and for its machine, SHA256SUMS over everything
# but the signature, a minisign signature that verifies with its trusted comment, the man page
# rendering without a groff warning, and make install PREFIX=... putting binary, man page and
# completions in place. JWTGRANT_DIST and JWTGRANT_VERSION come from tests/release-test.sh.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

D=${JWTGRANT_DIST:?}
V=${JWTGRANT_VERSION:?}
JG_CMD_TIMEOUT=120

# --- the files ---------------------------------------------------------------------------------
printf '%s\n' SHA256SUMS completions/_jwtgrant completions/jwtgrant.bash jwtgrant.1 \
	"jwtgrant-$V-linux-aarch64" "jwtgrant-$V-linux-armv7" "jwtgrant-$V-linux-x86_64" \
	"jwtgrant-$V-oci.tar" | LC_ALL=C sort > "$T/want"
(cd "$D" && find . -type f ! -name SHA256SUMS.minisig | sed 's|^\./||' | LC_ALL=C sort) > "$T/have"
if cmp -s "$T/want" "$T/have"; then
	ok "build/dist holds exactly the files of the contract"
else
	not_ok "build/dist holds exactly the files of the contract" "$(diff "$T/want" "$T/have")"
fi

machine() { # ASSET REGEX NAME
	_d=$(file -b "$D/$1")
	if printf '%s\n' "$_d" | grep -Eq "$2" && printf '%s\n' "$_d" | grep -q 'statically linked'; then
		ok "$3"
	else
		not_ok "$3" "file: $_d"
	fi
}
machine "jwtgrant-$V-linux-x86_64" 'ELF 64-bit .* x86-64' "x86_64 asset: static x86-64 ELF"
machine "jwtgrant-$V-linux-aarch64" 'ELF 64-bit .* ARM aarch64' "aarch64 asset: static AArch64 ELF"
machine "jwtgrant-$V-linux-armv7" 'ELF 32-bit .* ARM, EABI5' "armv7 asset: static 32-bit ARM EABI5 ELF"
if readelf -A "$D/jwtgrant-$V-linux-armv7" 2>/dev/null | grep -q 'Tag_CPU_arch: v7'; then
	ok "armv7 asset: built for the ARMv7 instruction set"
else
	not_ok "armv7 asset: built for the ARMv7 instruction set" "$(readelf -A "$D/jwtgrant-$V-linux-armv7" 2>&1 | head -n 5)"
fi
for a in x86_64 aarch64 armv7; do
	[ "$(stat -c %a "$D/jwtgrant-$V-linux-$a")" = 755 ] && ok "$a asset: mode 0755" ||
		not_ok "$a asset: mode 0755" "$(stat -c %a "$D/jwtgrant-$V-linux-$a")"
done
expect_exit 0 "the x86_64 asset runs" "$D/jwtgrant-$V-linux-x86_64" --version
expect_grep "^jwtgrant $V \\(BearSSL .*, roots ca-certificates " "$T/out" "the x86_64 asset names its version and its roots"

# --- sums and signature ------------------------------------------------------------------------
if (cd "$D" && sha256sum -c --quiet SHA256SUMS) > "$T/sum.err" 2>&1; then
	ok "sha256sum -c SHA256SUMS passes"
else
	not_ok "sha256sum -c SHA256SUMS passes" "$(head -n 5 "$T/sum.err")"
fi
cut -c67- "$D/SHA256SUMS" | LC_ALL=C sort > "$T/summed"
grep -vx SHA256SUMS "$T/want" > "$T/want-summed"
cmp -s "$T/summed" "$T/want-summed" && ok "SHA256SUMS lists every other file, not the signature" ||
	not_ok "SHA256SUMS lists every other file, not the signature" "$(diff "$T/want-summed" "$T/summed")"

# A throwaway key without a password (-W): src/tools/release.sh signs with it into a copy.
if minisign -G -W -p "$T/test.pub" -s "$T/test.key" > "$T/mg.out" 2>&1; then
	cp -R "$D" "$T/signed"
	for a in x86_64 aarch64 armv7; do cp "$D/jwtgrant-$V-linux-$a" "$T/bin-$a"; done
	if MINISIGN_KEY="$T/test.key" "$JG_TOP/src/tools/release.sh" "$V" "$(git -C "$JG_TOP" log -1 --format=%ct)" \
		"$T/signed" "$JG_TOP/build/host/tools/gen_docs" "$T/bin-x86_64" "$T/bin-aarch64" "$T/bin-armv7" \
		> "$T/sign.out" 2>&1; then
		ok "release.sh with MINISIGN_KEY signs SHA256SUMS"
	else
		not_ok "release.sh with MINISIGN_KEY signs SHA256SUMS" "$(tail -n 5 "$T/sign.out")"
	fi
	expect_exit 0 "minisign -Vm SHA256SUMS -P <public key> verifies" \
		minisign -Vm "$T/signed/SHA256SUMS" -P "$(tail -n 1 "$T/test.pub")"
	expect_grep "^Trusted comment: jwtgrant $V SHA256SUMS\$" "$T/out" "the trusted comment is 'jwtgrant $V SHA256SUMS'"
	cmp -s "$T/signed/SHA256SUMS" "$D/SHA256SUMS" && ok "signing does not change SHA256SUMS" ||
		not_ok "signing does not change SHA256SUMS"
	printf 'tampered\n' >> "$T/signed/SHA256SUMS"
	expect_exit 1 "a changed SHA256SUMS fails minisign -V" \
		minisign -Vm "$T/signed/SHA256SUMS" -P "$(tail -n 1 "$T/test.pub")"
else
	not_ok "minisign -G makes a test key" "$(head -n 3 "$T/mg.out")"
fi

# --- man page and install ----------------------------------------------------------------------
if groff -ww -man -Tutf8 -z "$D/jwtgrant.1" > "$T/groff.err" 2>&1 && [ ! -s "$T/groff.err" ]; then
	ok "groff -ww renders jwtgrant.1 without a warning"
else
	not_ok "groff -ww renders jwtgrant.1 without a warning" "$(head -n 5 "$T/groff.err")"
fi
MANWIDTH=100 man -l "$D/jwtgrant.1" > "$T/man.txt" 2> "$T/man.err"
grep -q 'EXIT STATUS' "$T/man.txt" && [ ! -s "$T/man.err" ] && ok "man -l renders the page" ||
	not_ok "man -l renders the page" "$(head -n 3 "$T/man.err")"

P="$T/prefix"
if make -s -C "$JG_TOP" install PREFIX="$P" > "$T/install.out" 2>&1; then
	ok "make install PREFIX=... runs"
else
	not_ok "make install PREFIX=... runs" "$(tail -n 5 "$T/install.out")"
fi
for f in bin/jwtgrant share/man/man1/jwtgrant.1 share/bash-completion/completions/jwtgrant \
	share/zsh/site-functions/_jwtgrant; do
	[ -s "$P/$f" ] && ok "make install puts $f" || not_ok "make install puts $f"
done
cmp -s "$P/share/man/man1/jwtgrant.1" "$D/jwtgrant.1" && ok "the installed man page is the released one" ||
	not_ok "the installed man page is the released one"
cmp -s "$P/share/zsh/site-functions/_jwtgrant" "$D/completions/_jwtgrant" &&
	cmp -s "$P/share/bash-completion/completions/jwtgrant" "$D/completions/jwtgrant.bash" &&
	ok "the installed completions are the released ones" || not_ok "the installed completions are the released ones"
expect_exit 0 "the installed binary runs" "$P/bin/jwtgrant" --version
