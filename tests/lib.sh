# The tests' shared harness, shell side (tests/tsatest.py is the Python
# side).  A test sources it first:
#   . "$TSA_TOP/tests/lib.sh"
# then states what it needs (each missing input ends it with 77 and the
# reason, which tests/run prints), checks values, and ends with finish:
#   need_pcaps; need_cmd tshark
#   check "20 records" [ "$n" = 20 ]       # ok/FAIL line, counted
#   fail "what went wrong"                   # a FAIL line, counted
#   finish                                   # exit 1 if anything failed
# A skip is for a whole test whose inputs are missing, never for a part of
# a test that then passes.
fails=0

pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }
# die MESSAGE: a failure after which the test cannot go on.
die() { fail "$@"; finish; }
# check WHAT COMMAND...: the command's success is the verdict.
check() {
	_what=$1
	shift
	if "$@"; then pass "$_what"; else fail "$_what"; fi
}
finish() {
	echo "$fails failed"
	[ "$fails" -eq 0 ] && exit 0
	exit 1
}

skip() { echo "$*"; exit 77; }	# tests/run shows it after "skip  NAME:"
need_file() {	# need_file PATH [WHY]
	[ -e "$1" ] || skip "$1: no such file${2:+ ($2)}"
}
need_pcaps() {
	[ -d "$PCAPS" ] || skip "$PCAPS: no such directory (the shared captures; set PCAPS)"
}
need_cmd() {	# need_cmd PROGRAM...
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip "$_c not installed (scripts/setup)"
	done
}
need_root() {	# need_root WHY
	[ "$(id -u)" = 0 ] || skip "not root: $*"
}
# need_nobody_reach: the tools can be run by user nobody.  A tree cloned
# into a mode-0700 directory (mktemp -d's) cannot be reached: the tools are
# then copied to $TSA_TMP (made mode 0755), beside links to the tree's
# settings.ini and data/, so that they find what they find in the tree,
# and TSA_BIN names the copies.
nobody_reaches() {
	setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups \
	    test -x "$1/tsa-capture"
}
need_nobody_reach() {
	nobody_reaches "$TSA_BIN" && return 0
	_r="$TSA_TMP/reach"
	mkdir -p "$_r/bin" && chmod 755 "$TSA_TMP" "$_r" "$_r/bin" &&
	    cp "$TSA_BIN"/tsa-* "$_r/bin/" &&
	    ln -s "$TSA_TOP/settings.ini" "$_r/settings.ini" &&
	    ln -s "$TSA_TOP/data" "$_r/data" ||
	    { echo "FAIL  copying the tools to $_r"; exit 1; }
	nobody_reaches "$_r/bin" ||
	    skip "user nobody cannot reach $TSA_BIN, nor a copy in $_r"
	TSA_BIN="$_r/bin"
	export TSA_BIN
}
need_mmdb() {
	need_file "$TSA_TOP/data/dbip-country.mmdb" "the country database: scripts/setup"
}

# stage OUT COMMAND...: run one stage of a pipeline, its output into the
# file OUT, its stderr kept; a non-zero exit (a tool error, a sanitizer's
# report) is a failure naming the stage.  A shell pipeline would keep only
# the last stage's status (sh has no pipefail).
stage() {
	_out=$1
	shift
	"$@" >"$_out" 2>"$_out.err" && return 0
	_rc=$?
	fail "$(basename "$1") (exit $_rc): $(tail -n 3 "$_out.err" | tr '\n' ' ')"
	return 1
}
