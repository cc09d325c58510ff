#!/bin/sh
# po-check.sh [ROOT]: fails when a string shown to users has no Kazakh or
# Russian translation.  Run by `make check`.
#
# msgids come from {{_ text}} tags in src/web/templates/*.html and from
# _("...") / N_("...") in src/**/*.[ch].  C strings are read by xgettext,
# which understands escapes and "a" "b" concatenation; template strings are
# written into a .pot by hand.  Each catalogue is merged with the union
# (msgmerge, no fuzzy guesses) and whatever comes out untranslated or fuzzy
# is missing: msgfmt drops fuzzy entries, so users would see English.
set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

for tool in xgettext msgcat msgmerge msgattrib msgfmt grep awk; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "po-check: $tool not found (install gettext)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

header='msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
'

# Same rule as the template parser: text up to the first "}}", outer
# blanks trimmed.  Output is file:line:text; one entry per text, every place.
{
	printf '%s\n' "$header"
	find src/web/templates -name '*.html' -print | LC_ALL=C sort |
	while IFS= read -r f; do
		grep -HnoP '\{\{_\s*\K.*?(?=\s*\}\})' "$f" || true
	done |
	awk '{
		i = index($0, ":"); file = substr($0, 1, i - 1); rest = substr($0, i + 1)
		j = index(rest, ":"); line = substr(rest, 1, j - 1); id = substr(rest, j + 1)
		gsub(/[\\"]/, "\\\\&", id)
		if (!(id in where)) order[n++] = id
		where[id] = where[id] " " file ":" line
	} END {
		for (k = 0; k < n; k++)
			printf "#:%s\nmsgid \"%s\"\nmsgstr \"\"\n\n", where[order[k]], order[k]
	}'
} >"$tmp/templates.pot"

find src -name '*.[ch]' -print | LC_ALL=C sort >"$tmp/c-files"
xgettext --language=C --from-code=UTF-8 --keyword --keyword=_ --keyword=N_ \
	--force-po --no-wrap --files-from="$tmp/c-files" -o "$tmp/c.pot"

msgcat --use-first --no-wrap -o "$tmp/all.pot" "$tmp/templates.pot" "$tmp/c.pot"

status=0
for lang in kk ru; do
	po=po/$lang.po
	msgfmt --check -o /dev/null "$po" || { status=1; continue; }
	msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/$lang.po" \
		"$po" "$tmp/all.pot"
	{
		msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po"
		msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po"
	} | awk -v po="$po" '
		function report() {
			if (id != "\"\"") {
				printf "po-check: %s lacks %s (%s)\n", po, id, where
				bad = 1
			}
		}
		/^#: / { where = substr($0, 4) }
		/^msgid / { id = substr($0, 7); inid = 1; next }
		inid && /^"/ { id = (id == "\"\"") ? $0 : id " " $0; next }
		/^msgstr/ { if (inid) report(); inid = 0; where = "" }
		END { exit bad }' || status=1
done

[ "$status" -eq 0 ] && echo "po-check: kk and ru translate every msgid"
exit "$status"
