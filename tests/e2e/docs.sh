#!/bin/sh
# The man page, the bash and zsh completions and `jwtgrant COMMAND --help` against the option
# table the parser reads (src/cli.c), as build/host/tools/gen_docs lists it: every name of every
# option in the man page's rendered OPTIONS, in the zsh file and among the bash completion's
# candidates for a command that takes it (refused ones in neither completion); every option of a
# command in its --help, and every option --help shows taken by the parser; the page rendered by
# groff -ww without a warning and by man; zsh -n; bash completion of commands, options, values
# and file names, simulated (COMP_WORDS, COMP_CWORD, _jwtgrant). gen_docs is built by `make test`
# before the tests.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

JG_CMD_TIMEOUT=20
GEN=$JG_TOP/build/host/tools/gen_docs
TEMPLATE=$JG_TOP/src/tools/jwtgrant.1.in
D=$T/docs
mkdir -p "$D"

# zsh, groff and man may be missing on a fresh machine: installed when we may, a failure if not.
if "$JG_TOP/vendor/need.sh" zsh zsh groff groff man man-db > "$T/need.err" 2>&1; then
	ok "zsh, groff and man are installed"
else
	not_ok "zsh, groff and man are installed (vendor/need.sh)" "$(cat "$T/need.err")"
fi
if [ ! -x "$GEN" ]; then
	not_ok "$GEN is built (make VARIANT=host B=build/host build/host/tools/gen_docs)"
	exit 1
fi

# --- generating -----------------------------------------------------------------------------
gen() { # NAME FILE ARGS... — gen_docs ARGS > FILE exits 0 and writes something
	_n=$1 _f=$2
	shift 2
	if expect_exit 0 "gen_docs $_n" "$GEN" "$@" && [ -s "$T/out" ]; then
		cp "$T/out" "$_f"
	else
		not_ok "gen_docs $_n writes something" "$(head -n 3 "$T/err")"
		: > "$_f"
	fi
}
gen options "$D/options" options
gen commands "$D/commands" commands
gen man "$D/jwtgrant.1" man 2026-12-04 "$TEMPLATE"
gen bash "$D/jwtgrant.bash" bash
gen zsh "$D/_jwtgrant" zsh

# Deterministic: a second run, elsewhere and in another time zone, gives the same bytes, and no
# path of this machine is in them.
for _k in man bash zsh options; do
	case $_k in
	man) set -- man 2026-12-04 "$TEMPLATE"; _f=$D/jwtgrant.1 ;;
	bash) set -- bash; _f=$D/jwtgrant.bash ;;
	zsh) set -- zsh; _f=$D/_jwtgrant ;;
	*) set -- options; _f=$D/options ;;
	esac
	(cd "$T" && TZ=Pacific/Kiritimati timeout 20 "$GEN" "$@" > "$T/again" 2>&1)
	if [ -s "$_f" ] && cmp -s "$T/again" "$_f" && ! grep -q -F "$JG_TOP" "$_f"; then
		ok "gen_docs $_k: the same output twice, no path in it"
	else
		not_ok "gen_docs $_k: the same output twice, no path in it"
	fi
done
(cd "$JG_TOP" && timeout 20 "$GEN" man 2026-12-04 > "$T/default.1" 2>&1)
if cmp -s "$T/default.1" "$D/jwtgrant.1"; then
	ok "gen_docs man DATE, from the top of the tree, reads src/tools/jwtgrant.1.in"
else
	not_ok "gen_docs man DATE, from the top of the tree, reads src/tools/jwtgrant.1.in" \
		"$(head -n 3 "$T/default.1")"
fi
expect_exit 2 "gen_docs man with a malformed date: exit 2" "$GEN" man 4.12.2026 "$TEMPLATE"
grep -v '^@COMMAND decode@$' "$TEMPLATE" > "$T/partial.1.in"
expect_exit 1 "gen_docs man: a template without a command's section fails" "$GEN" man \
	2026-12-04 "$T/partial.1.in"
expect_grep '^\.TH JWTGRANT 1 "2026-12-04" "jwtgrant [0-9]+\.[0-9]+\.[0-9]+"' "$D/jwtgrant.1" \
	"man page: .TH with the date given and the version"
_v=$("$JG" --version | awk '{ print $2 }')
expect_grep "^\\.TH .*\"jwtgrant $_v\"" "$D/jwtgrant.1" "man page: the version of ./jwtgrant ($_v)"
for _s in NAME SYNOPSIS DESCRIPTION GRANT ASSERTION KEYGEN CHECK DECODE OPTIONS ENVIRONMENT FILES \
	'"EXIT STATUS"' EXAMPLES '"SEE ALSO"'; do
	expect_grep "^\\.SH $_s\$" "$D/jwtgrant.1" "man page: section $_s"
done
expect_no_grep '^@' "$D/jwtgrant.1" "man page: no placeholder left"

# --- the man page renders ----------------------------------------------------------------------
if command -v groff > /dev/null 2>&1; then
	timeout 20 groff -ww -man -Tutf8 -z "$D/jwtgrant.1" > "$T/groff.out" 2>&1
	_rc=$?
	if [ "$_rc" -eq 0 ] && [ ! -s "$T/groff.out" ]; then
		ok "groff -ww -man renders the page without a warning"
	else
		not_ok "groff -ww -man renders the page without a warning" "exit $_rc" "$(head -n 5 "$T/groff.out")"
	fi
	# Wide lines, so that no name is broken; the page turns hyphenation off itself.
	timeout 20 groff -man -Tascii -P-cbou -rLL=250n "$D/jwtgrant.1" > "$D/rendered" 2> "$T/groff.err"
	# the tags of OPTIONS: its lines that start with an option's name (the prose is further in)
	awk '/^OPTIONS$/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^       -/' "$D/rendered" \
		> "$D/options.txt"
	expect_grep '^ +--client-id' "$D/options.txt" "the rendered page has an OPTIONS section"
else
	not_ok "groff -ww -man renders the page without a warning" "groff is not installed"
	: > "$D/options.txt"
fi
if command -v man > /dev/null 2>&1; then
	MANWIDTH=80 MANPAGER=cat PAGER=cat timeout 20 man --warnings -l "$D/jwtgrant.1" > "$T/man.out" \
		2> "$T/man.err"
	_rc=$?
	if [ "$_rc" -eq 0 ] && [ ! -s "$T/man.err" ] && grep -q 'jwtgrant grant' "$T/man.out"; then
		ok "man -l renders the page, without a warning"
	else
		not_ok "man -l renders the page, without a warning" "exit $_rc" "$(head -n 5 "$T/man.err")"
	fi
else
	not_ok "man -l renders the page" "man is not installed"
fi

# --- the completions parse ---------------------------------------------------------------------
if command -v zsh > /dev/null 2>&1; then
	expect_exit 0 "zsh -n accepts _jwtgrant" timeout 20 zsh -n "$D/_jwtgrant"
else
	not_ok "zsh -n accepts _jwtgrant" "zsh is not installed"
fi
expect_grep '^#compdef jwtgrant$' "$D/_jwtgrant" "_jwtgrant starts with #compdef jwtgrant"
expect_exit 0 "bash -n accepts jwtgrant.bash" timeout 20 bash -n "$D/jwtgrant.bash"

# bash_complete DIR WORD... — the candidates of the bash completion for the words COMP_WORDS holds
# (the cursor at the end of the last), run in DIR, one a line in $T/cands
cat > "$T/complete.bash" << 'EOF'
. "$1" || exit 1
cd "$2" || exit 1
shift 2
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_jwtgrant
printf '%s\n' "${COMPREPLY[@]}"
EOF
bash_complete() {
	_dir=$1
	shift
	timeout 20 bash "$T/complete.bash" "$D/jwtgrant.bash" "$_dir" "$@" > "$T/cands" 2> "$T/cands.err"
}
same_cands() { # NAME WANT... — the candidates, sorted, are the words WANT
	_n=$1
	shift
	_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	_got=$(sort "$T/cands" | tr '\n' ' ')
	if [ "$_got" = "$_want" ]; then ok "$_n"; else not_ok "$_n" "got  $_got" "want $_want"; fi
}

# --- every name of every option, in the man page, the zsh file and the bash candidates ---------
# The bash candidates of each command for "jwtgrant COMMAND -".
cut -f1 "$D/commands" > "$T/command-names"
while read -r _c; do
	bash_complete "$T" jwtgrant "$_c" -
	cp "$T/cands" "$D/cands.$_c"
done < "$T/command-names"

# has_word FILE NAME — NAME appears in FILE as a whole name: not inside a longer option name
has_word() {
	grep -q -E -e "(^|[^-a-zA-Z0-9])$2([^-a-zA-Z0-9]|\$)" "$1"
}
# in_zsh NAME — NAME is the name in one of _jwtgrant's option specs
in_zsh() {
	grep -q -E -e "([{,']|^)$1([+=,}[]|'|\$)" "$D/_jwtgrant"
}

_rows=0
while IFS="$(printf '\t')" read -r _names _cmds _arg _values _complete _use _providers; do
	_rows=$((_rows + 1))
	_first=${_cmds%%,*}
	_man_missing='' _zsh_wrong='' _bash_wrong=''
	for _name in $_names; do
		has_word "$D/options.txt" "$_name" || _man_missing="$_man_missing $_name"
		if [ "$_use" = refused ]; then
			in_zsh "$_name" && _zsh_wrong="$_zsh_wrong $_name"
			grep -q -x -e "$_name" "$D/cands.$_first" && _bash_wrong="$_bash_wrong $_name"
		else
			in_zsh "$_name" || _zsh_wrong="$_zsh_wrong $_name"
			grep -q -x -e "$_name" "$D/cands.$_first" || _bash_wrong="$_bash_wrong $_name"
		fi
	done
	if [ -z "$_man_missing" ]; then ok "man page OPTIONS: $_names"; else
		not_ok "man page OPTIONS: $_names" "missing:$_man_missing"; fi
	_what="offered"
	[ "$_use" = refused ] && _what="not offered (refused)"
	if [ -z "$_zsh_wrong" ]; then ok "zsh completion: $_names $_what"; else
		not_ok "zsh completion: $_names $_what" "wrong:$_zsh_wrong"; fi
	if [ -z "$_bash_wrong" ]; then ok "bash completion after '$_first -': $_names $_what"; else
		not_ok "bash completion after '$_first -': $_names $_what" "wrong:$_bash_wrong"; fi
done < "$D/options"
if [ "$_rows" -ge 40 ]; then ok "gen_docs options lists $_rows options"; else
	not_ok "gen_docs options lists the options" "only $_rows rows"; fi

# --- bash completion at work ---------------------------------------------------------------------
mkdir -p "$T/files/keys.d"
: > "$T/files/server.key"
: > "$T/files/server.crt"
bash_complete "$T" jwtgrant ''
# shellcheck disable=SC2046 # the names are words
same_cands "bash: 'jwtgrant ' offers every command and alias (first words)" \
	$(cut -f1 "$D/commands") $(cut -f2 "$D/commands" | tr ',' '\n' | grep -v '^-$' | cut -d' ' -f1)
bash_complete "$T" jwtgrant grant --cli
same_cands "bash: 'jwtgrant grant --cli' offers --client-assertion, --client-id and --clientid" \
	--client-assertion --client-id --clientid
bash_complete "$T" jwtgrant grant --output ''
# shellcheck disable=SC2046
same_cands "bash: 'jwtgrant grant --output ' offers the formats" \
	$(awk -F '\t' '$1 == "--output" { gsub(",", " ", $4); print $4 }' "$D/options")
bash_complete "$T" jwtgrant grant --output j
same_cands "bash: 'jwtgrant grant --output j' offers json" json
bash_complete "$T" jwtgrant grant --output = js
same_cands "bash: 'jwtgrant grant --output=js' offers json" json
bash_complete "$T/files" jwtgrant grant --jwt-key-file ''
same_cands "bash: 'jwtgrant grant --jwt-key-file ' offers the files" keys.d server.crt server.key
bash_complete "$T/files" jwtgrant grant -f server.k
same_cands "bash: 'jwtgrant grant -f server.k' offers server.key" server.key
bash_complete "$T/files" jwtgrant grant --capath ''
same_cands "bash: 'jwtgrant grant --capath ' offers directories only" keys.d
export JWTGRANT_TEST_VAR_A=1 JWTGRANT_TEST_VAR_B=2
bash_complete "$T" jwtgrant grant --jwt-key-env JWTGRANT_TEST_VAR
same_cands "bash: 'jwtgrant grant --jwt-key-env JWTGRANT_TEST_VAR' offers the variables" \
	JWTGRANT_TEST_VAR_A JWTGRANT_TEST_VAR_B
bash_complete "$T" jwtgrant org login ''
same_cands "bash: 'jwtgrant org login ' offers jwt" jwt
bash_complete "$T" jwtgrant org login jwt --user
same_cands "bash: 'jwtgrant org login jwt --user' offers --username" --username
bash_complete "$T" jwtgrant force : auth : jwt : grant --jwtkey
same_cands "bash: 'jwtgrant force:auth:jwt:grant --jwtkey' offers --jwtkeyfile" --jwtkeyfile
bash_complete "$T" jwtgrant force : au
same_cands "bash: 'jwtgrant force:au' offers the rest of the name after the last ':'" auth:jwt:grant
bash_complete "$T" jwtgrant keygen --bits ''
same_cands "bash: 'jwtgrant keygen --bits ' offers the sizes" 2048 3072 4096
bash_complete "$T" jwtgrant grant -i 3MVG9 --user
same_cands "bash: an option's argument is not taken for the command" --username
bash_complete "$T" jwtgrant decode --
if grep -q -x -e --cert "$T/cands" && ! grep -q -x -e --client-id "$T/cands"; then
	ok "bash: decode is offered its own options only"
else
	not_ok "bash: decode is offered its own options only" "$(tr '\n' ' ' < "$T/cands")"
fi

# --- --help against the table and the parser ---------------------------------------------------
# provider_help COMMAND PROVIDER — `COMMAND --provider PROVIDER --help` lists exactly the options
# the table gives that provider (column 7), within one screen.
provider_help() {
	expect_exit 0 "jwtgrant $1 --provider $2 --help: exit 0" "$JG" "$1" --provider "$2" --help ||
		return
	grep -E '^  (-[a-zA-Z], )*--[a-z]|^      --[a-z]' "$T/out" |
		sed -E 's/^ *((-[a-zA-Z], )*--[a-z0-9-]+).*/\1/' > "$T/pnames"
	_wrong=
	# shellcheck disable=SC2013 # one line an option, its names space-separated
	for _name in $(awk -F '\t' -v c="$1" '$6 == "used" && index("," $2 ",", "," c ",") {
		split($1, n, " "); print n[1] }' "$D/options"); do
		_want=$(awk -F '\t' -v o="$_name" -v p="$2" '{ split($1, n, " ") }
			n[1] == o { print (index("," $7 ",", "," p ",") ? "yes" : "no") }' "$D/options")
		if has_word "$T/pnames" "$_name"; then _got=yes; else _got=no; fi
		[ "$_got" = "$_want" ] || _wrong="$_wrong $_name(listed: $_got)"
	done
	if [ -z "$_wrong" ] && awk 'length($0) > 80 { exit 1 } END { exit NR > 45 }' "$T/out"; then
		ok "jwtgrant $1 --provider $2 --help lists exactly $2's options, on one screen"
	else
		not_ok "jwtgrant $1 --provider $2 --help lists exactly $2's options" "wrong:$_wrong"
	fi
}

while read -r _c; do
	expect_exit 0 "jwtgrant $_c --help: exit 0" "$JG" "$_c" --help || continue
	cp "$T/out" "$D/help.$_c"
	# The option lines: "  -x, --name ARG  help" or "      --name ARG  help".
	grep -E '^  (-[a-zA-Z], )*--[a-z]|^      --[a-z]' "$D/help.$_c" > "$T/lines"
	sed -E 's/^ *((-[a-zA-Z], )*--[a-z0-9-]+).*/\1/' "$T/lines" > "$T/names"
	_missing=
	# shellcheck disable=SC2013 # one name a line, without spaces
	for _name in $(awk -F '\t' -v c="$_c" '$6 == "used" && index("," $2 ",", "," c ",") &&
		index("," $7 ",", ",salesforce,") { split($1, n, " "); print n[1] }' "$D/options"); do
		has_word "$T/names" "$_name" || _missing="$_missing $_name"
	done
	if [ -z "$_missing" ]; then ok "jwtgrant $_c --help lists every option of $_c"; else
		not_ok "jwtgrant $_c --help lists every option of $_c" "missing:$_missing"; fi
	case $_c in grant | assertion)
		provider_help "$_c" google; provider_help "$_c" generic; provider_help "$_c" github ;;
	esac
	if awk 'length($0) > 80 { exit 1 } END { exit NR > 45 }' "$D/help.$_c"; then
		ok "jwtgrant $_c --help fits one screen (45 lines of 80 columns)"
	else
		not_ok "jwtgrant $_c --help fits one screen (45 lines of 80 columns)" "$(wc -l < "$D/help.$_c") lines"
	fi
	# Each name an option line shows is taken by the parser, with a value when it shows one.
	_refused=
	_n=0
	while read -r _line; do
		# the argument's name follows the option's after one space; the help, after two or more
		_rest=$(printf '%s\n' "$_line" | sed -E 's/^(-[a-zA-Z], )*--[a-z0-9-]+//')
		case $_rest in
		'  '* | '') _arg= ;;
		*) _arg=$(printf '%s\n' "$_rest" | awk '{ print $1 }') ;;
		esac
		for _name in $(printf '%s\n' "$_line" | sed -E 's/^((-[a-zA-Z], )*--[a-z0-9-]+).*/\1/' | tr -d ,); do
			_n=$((_n + 1))
			_val=$(awk -F '\t' -v o="$_name" '{ split($1, n, " "); for (i in n) if (n[i] == o) {
				v = $4; sub(",.*", "", v); print (v == "-" ? "1" : v) } }' "$D/options")
			if [ -n "$_arg" ]; then
				timeout 20 "$JG" "$_c" "$_name" "${_val:-1}" --help > /dev/null 2> "$T/e"
			else
				timeout 20 "$JG" "$_c" "$_name" --help > /dev/null 2> "$T/e"
			fi
			if grep -q -E 'unknown option|is not an option of|needs a value|takes no value' "$T/e"; then
				_refused="$_refused $_name($(head -n 1 "$T/e"))"
			fi
		done
	done < "$T/lines"
	if [ -z "$_refused" ] && [ "$_n" -gt 3 ]; then
		ok "jwtgrant $_c: the parser takes all $_n option names --help shows"
	else
		not_ok "jwtgrant $_c: the parser takes every option name --help shows" "$_n names;$_refused"
	fi
done < "$T/command-names"

# The values an option offers are those its --help line names.
while IFS="$(printf '\t')" read -r _names _cmds _arg _values _complete _use _providers; do
	[ "$_values" = - ] && continue
	_name=${_names%% *} _c=${_cmds%%,*}
	awk -v o="$_name" '{ i = index($0, " " o " ") } i > 0 && i < 28 { on = 1; print; next }
		on && /^                             [^ ]/ { print; next } { on = 0 }' "$D/help.$_c" > "$T/line"
	_missing=
	for _v in $(printf '%s' "$_values" | tr ',' ' '); do
		grep -q -F -e "$_v" "$T/line" || _missing="$_missing $_v"
	done
	if [ -s "$T/line" ] && [ -z "$_missing" ]; then ok "$_c --help: $_name names its values"; else
		not_ok "$_c --help: $_name names its values" "missing:$_missing" "$(cat "$T/line")"; fi
done < "$D/options"
