# tests/bench/sizesplit.awk — where the bytes of jwtgrant's binary go, from a GNU ld link map.
#
#   awk -v file_size=BYTES [-v top_file=PATH -v top_count=N] -f sizesplit.awk SYMBOLS MAP
#
# SYMBOLS has one line per symbol defined by an input object, "GROUP NAME", GROUP one of ours,
# bearssl, cjson, anchors (run.sh makes it with lto-dump; it may be empty). MAP is the
# `-Wl,-Map` output of the release link. Prints the rows of a markdown table:
#
#   | part | .text | .rodata | .data | file bytes | share | .bss (RAM only) |
#
# and, with top_file, the N largest input sections in the file as rows of
#
#   | section | part | column | bytes |
#
# Every input section that the map places in an output section is attributed to a part:
#   - by the file it came from: libbearssl.a(...) BearSSL, cjson.o cJSON, anchors_embedded.o
#     the trust anchors, the rest of libjg.a and main.o ours, libc.a / crt*.o / libgcc libc;
#   - for the objects of an LTO link (*.ltrans.o: the origin is gone), by the section's name:
#     with -ffunction-sections -fdata-sections it is ".text.FUNCTION", ".rodata.VARIABLE",
#     ".rodata.FUNCTION.str1.1" (that function's string literals) and so on, and FUNCTION is
#     looked up in SYMBOLS, dropping GCC's clone suffixes (.lto_priv.N, .part.N, .constprop.N,
#     .isra.N, .cold) until a name is found. br_* is BearSSL, cJSON* cJSON, anchor_keys,
#     anchor_entries and jg_anchors_embedded (the generated index) the anchors, whatever
#     SYMBOLS says (BearSSL's static inline functions are compiled into our objects too). Sections with no name to go by (merged string
#     pools such as ".rodata.str1.1", ".rodata.cst16") or a name several parts define are
#     "LTO-merged, no owner". Code inlined across parts counts where it landed.
# Columns: .text is .init/.text/.fini; .rodata is .rodata/.eh_frame and friends; .data is
# everything else that is written to the file (.data.rel.ro, .got, .data, init/fini arrays,
# .tdata); .bss (.bss, .tbss) takes no file space but is address space that the process may
# touch. Alignment fill inside output sections is its own row; "ELF headers, .comment, gaps"
# is file_size minus all of that. Needs only POSIX awk (no strtonum: mawk has none).

function hex(text,   i, value, digit)
{
	value = 0
	text = tolower(text)
	sub(/^0x/, "", text)
	for (i = 1; i <= length(text); i++) {
		digit = index("0123456789abcdef", substr(text, i, 1)) - 1
		value = value * 16 + digit
	}
	return value
}

function column_of(section)
{
	if (section ~ /^\.(init|text|fini|plt|plt\.got|plt\.sec)$/)
		return "text"
	if (section ~ /^\.(rodata|rodata1|eh_frame|eh_frame_hdr|gcc_except_table|sframe)$/)
		return "rodata"
	if (section ~ /^\.(tbss|bss|lbss)$/)
		return "bss"
	if (section ~ /^\.(tdata|preinit_array|init_array|fini_array|data\.rel\.ro|dynamic|got|got\.plt|data|data1|tm_clone_table|ldata)$/)
		return "data"
	return "" # not loaded (.comment): counted in the remainder
}

function by_file(path)
{
	if (path ~ /libbearssl\.a\(/)
		return "bearssl"
	if (path ~ /anchors_embedded\.o/)
		return "anchors"
	if (path ~ /cjson\.o$/)
		return "cjson"
	if (path ~ /libjg[^\/]*\.a\(/ || path ~ /main\.o$/)
		return "ours"
	if (path ~ /libc\.a\(|crt[1in]\.o$|Scrt1\.o$|rcrt1\.o$|crtbegin|crtend|libgcc/)
		return "libc"
	return "unowned"
}

function by_name(section,   name)
{
	name = section
	sub(/^\.(text\.(startup|unlikely|hot|exit)\.|text\.|rodata\.|data\.rel\.ro\.local\.|data\.rel\.ro\.|data\.rel\.local\.|data\.rel\.|data\.|bss\.|tbss\.|tdata\.)/, "", name)
	if (name == section)
		return "unowned"
	sub(/\.(str1\.[0-9]+|cst[0-9]+)$/, "", name)
	while (name != "") {
		if (name ~ /^br_/)
			return "bearssl"
		if (name ~ /^cJSON/)
			return "cjson"
		if (name ~ /^(anchor_keys|anchor_entries|jg_anchors_embedded)$/)
			return "anchors"
		if (name in owner)
			return owner[name] == "several" ? "unowned" : owner[name]
		if (name !~ /\./)
			break
		sub(/\.[^.]*$/, "", name)
	}
	return "unowned"
}

function record(section, size, path,   part, col)
{
	col = column_of(output)
	if (col == "" || size == 0)
		return
	part = path ~ /\.ltrans[0-9]*\.o$|ltrans\.o$/ ? by_name(section) : by_file(path)
	bytes[part, col] += size
	placed[output] += size
	if (col != "bss") {
		items++
		item_size[items] = size
		item_text[items] = sprintf("| %s | %s | %s | %s |", section, part_label[part], col,
			group(size))
	}
}

# The top_count largest input sections in the file, largest first, as table rows into top_file.
function write_top(   i, j, best, taken, n)
{
	n = 0
	while (n < top_count && n < items) {
		best = 0
		for (i = 1; i <= items; i++)
			if (!(i in taken) && (best == 0 || item_size[i] > item_size[best]))
				best = i
		taken[best] = 1
		print item_text[best] > top_file
		n++
	}
	close(top_file)
}

function group(n)
{
	return n >= 1000 ? group(int(n / 1000)) sprintf(",%03d", n % 1000) : sprintf("%d", n)
}

function share(n)
{
	return file_size > 0 ? 100 * n / file_size : 0
}

function row(label, part,   t, r, d, b, f)
{
	t = bytes[part, "text"] + 0
	r = bytes[part, "rodata"] + 0
	d = bytes[part, "data"] + 0
	b = bytes[part, "bss"] + 0
	f = t + r + d
	file_total += f
	printf "| %s | %s | %s | %s | %s | %.1f%% | %s |\n", label, group(t), group(r), group(d),
		group(f), share(f), group(b)
}

BEGIN {
	part_label["ours"] = "ours"
	part_label["bearssl"] = "BearSSL"
	part_label["cjson"] = "cJSON"
	part_label["anchors"] = "trust anchors"
	part_label["libc"] = "libc"
	part_label["unowned"] = "no owner"
}

FNR == NR {
	if (NF >= 2) {
		if (($2 in owner) && owner[$2] != $1)
			owner[$2] = "several"
		else
			owner[$2] = $1
	}
	next
}

/^Linker script and memory map/ { in_map = 1; next }
!in_map { next }

# An output section: ".text  0xADDR  0xSIZE" (address and size on the next line for long names).
/^\.[^ \t]/ {
	output = $1
	pending = ""
	if (NF >= 3 && $3 ~ /^0x/)
		size_of[output] = hex($3)
	else
		pending_output = output
	next
}
/^[ \t]+0x[0-9a-f]+[ \t]+0x[0-9a-f]+[ \t]*$/ && pending_output != "" {
	size_of[pending_output] = hex($2)
	pending_output = ""
	next
}
/^ \*fill\*/ {
	if (NF >= 3 && column_of(output) != "") {
		bytes["fill", column_of(output)] += hex($3)
		placed[output] += hex($3)
	}
	next
}
# An input section: " .text.name 0xADDR 0xSIZE FILE", or the name alone and the rest below.
/^ [.A-Za-z_]/ {
	pending_output = ""
	if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) {
		record($1, hex($3), $4)
		pending = ""
	} else if (NF == 1) {
		pending = $1
	} else {
		pending = ""
	}
	next
}
/^[ \t]+0x/ && pending != "" {
	if (NF >= 3 && $2 ~ /^0x/)
		record(pending, hex($2), $3)
	pending = ""
	next
}
{ pending = "" }

END {
	# Whatever an output section holds beyond its listed input sections is alignment too.
	for (o in size_of) {
		c = column_of(o)
		if (c != "" && size_of[o] > placed[o] + 0)
			bytes["fill", c] += size_of[o] - placed[o]
	}
	row("ours (src/, libjg.a + main.o)", "ours")
	row("BearSSL 0.6", "bearssl")
	row("cJSON 1.7.15", "cjson")
	row("trust anchors (embedded Mozilla roots)", "anchors")
	row("libc (musl libc.a, crt, libgcc)", "libc")
	row("LTO-merged, no owner (string pools, constants)", "unowned")
	row("alignment fill", "fill")
	rest = file_size - file_total
	printf "| ELF headers, .comment, gaps between segments | | | | %s | %.1f%% | |\n", group(rest),
		share(rest)
	printf "| **total (stripped file)** | | | | **%s** | 100%% | |\n", group(file_size)
	if (top_file != "" && top_count > 0)
		write_top()
}
