#!/bin/sh
# make bench: measures the server and the roster import on this machine and
# writes docs/BENCHMARKS.md.  The machine is shared and has 2 cores, so every
# figure is the median of several rounds, and the baseline (/healthz) is
# measured in the same rounds as what is compared with it.
set -eu

QORGAN=${1:-build/qorgan}
GEN=$(dirname "$QORGAN")/bench_roster_gen
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_SECONDS:-8}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-100000}
OUT=docs/BENCHMARKS.md
PASSWORD=bench-password-2026

work=$(mktemp -d)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# wrk prints latencies as 812.00us, 1.20ms or 1.01s: convert to ms.
to_ms() {
	awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000}
	      else if (v ~ /ms$/) {sub(/ms$/,"",v); print v}
	      else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000}
	      else print v}'
}

db=$work/bench.db
"$QORGAN" init --db "$db" >/dev/null
"$QORGAN" school add bench --name "Bench school" --region bench --db "$db" >/dev/null
echo "$PASSWORD" | "$QORGAN" user add director --role director --school bench --db "$db" >/dev/null
"$GEN" 600 > "$work/small.csv"
"$QORGAN" roster import bench "$work/small.csv" --db "$db" >/dev/null

# Gates and cards for the morning rush: GATES gates, one card per student.
GATES=${BENCH_GATES:-16}
CARDS=${BENCH_CARDS:-200}
: > "$work/gates"
for g in $(seq 1 "$GATES"); do
	"$QORGAN" device add bench --kind gate --name "Gate $g" --db "$db" >> "$work/gates"
done
for c in $(seq 1 "$CARDS"); do
	"$QORGAN" card bind bench "$(printf 'S%06d' "$c")" "$(printf 'BENCH-%06d' "$c")" --db "$db" >/dev/null
done

"$QORGAN" serve --listen 127.0.0.1:0 --db "$db" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
	port=$(sed -n 's|^serving http://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/serve.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "bench: the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port
token=$(curl -sf -H 'Content-Type: application/json' \
	-d "{\"login\":\"director\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session" |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: cannot log in" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/students/bench/S000001" >/dev/null

cat > "$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA

# Every request a new pass: a gate chosen in turn, a card, a fresh seq
# (unique per wrk thread), the time now.  Each answer comes after a commit.
{
	printf 'local gates = {'
	sed 's/.*/"&",/' "$work/gates" | tr -d '\n'
	printf '}\nlocal cards = %s\n' "$CARDS"
	cat <<'LUA'
local counter = 0
local threads = 0
-- setup() runs in wrk's main state; thread:set() makes "thread_id" a
-- global of that thread's own state, where init() reads it.
function setup(thread)
	threads = threads + 1
	thread:set("thread_id", threads)
end
-- Each round is a new wrk run: seeding with the time keeps every (gate,
-- seq) new, so no round replays an earlier one (replays are cheap reads).
function init(args)
	counter = (os.time() % 1000000) * 1000000000 + thread_id * 100000000
end
function request()
	counter = counter + 1
	local gate = gates[(counter % #gates) + 1]
	local card = string.format("BENCH-%06d", (counter % cards) + 1)
	local body = string.format('{"identifier":"%s","direction":"in","at":"%s","seq":%.0f}',
		card, os.date("!%Y-%m-%dT%H:%M:%SZ"), counter)
	return wrk.format("POST", "/api/v1/passes",
		{["Authorization"] = "Bearer " .. gate,
		 ["Content-Type"] = "application/json"}, body)
end
LUA
} > "$work/passes.lua"

run_wrk() { # name url [script]
	if [ $# -eq 3 ]; then
		wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2"
	else
		wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2"
	fi > "$work/$1.txt"
	awk '/^Requests\/sec/ {print $2}' "$work/$1.txt" >> "$work/$1.rps"
	awk '$1=="50%" {print $2}' "$work/$1.txt" | to_ms >> "$work/$1.p50"
	awk '$1=="99%" {print $2}' "$work/$1.txt" | to_ms >> "$work/$1.p99"
	awk '/Non-2xx/ {print $NF}' "$work/$1.txt" >> "$work/$1.errors"
	awk '/requests in/ {print $1}' "$work/$1.txt" >> "$work/$1.total"
}

echo "bench: $ROUNDS rounds of ${DURATION}s, $CONNECTIONS connections"
for r in $(seq 1 "$ROUNDS"); do
	run_wrk healthz "$base/healthz"
	run_wrk student "$base/api/v1/students/bench/S000001" "$work/auth.lua"
	run_wrk passes "$base/api/v1/passes" "$work/passes.lua"
	echo "  round $r done"
done
for name in student passes; do
	if [ -s "$work/$name.errors" ]; then
		echo "bench: $name answered errors:" >&2
		cat "$work/$name.errors" >&2
		exit 1
	fi
done
stored=$(sqlite3 "$db" "SELECT count(*) FROM passes")
answered=$(awk '{s += $1} END {print s}' "$work/passes.total")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

h_rps=$(median < "$work/healthz.rps"); s_rps=$(median < "$work/student.rps")
h_p50=$(median < "$work/healthz.p50"); s_p50=$(median < "$work/student.p50")
h_p99=$(median < "$work/healthz.p99"); s_p99=$(median < "$work/student.p99")
p_rps=$(median < "$work/passes.rps"); p_p50=$(median < "$work/passes.p50")
p_p99=$(median < "$work/passes.p99")
p_ratio=$(awk -v a="$p_rps" -v b="$h_rps" 'BEGIN {printf "%.3f", a/b}')
p_verdict=$(awk -v r="$p_rps" -v l="$p_p99" 'BEGIN {print (r >= 5000 && l < 50) ? "met" : "missed"}')
ratio=$(awk -v a="$s_rps" -v b="$h_rps" 'BEGIN {printf "%.3f", a/b}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.333) ? "met" : "missed"}')

echo "bench: importing $IMPORT_ROWS students, 3 runs"
"$GEN" "$IMPORT_ROWS" > "$work/big.csv"
for r in 1 2 3; do
	idb=$work/import$r.db
	"$QORGAN" init --db "$idb" >/dev/null
	"$QORGAN" school add big --name "Big district" --db "$idb" >/dev/null
	t0=$(date +%s.%N)
	"$QORGAN" roster import big "$work/big.csv" --db "$idb" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", b-a}' >> "$work/import.s"
	rm -f "$idb" "$idb-wal" "$idb-shm"
done
imp=$(median < "$work/import.s")
imp_runs=$(tr '\n' ' ' < "$work/import.s")

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

cat > "$OUT" <<MD
# Benchmarks

Written by \`make bench\` (bench/run.sh); do not edit by hand.

- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $(nproc) cores ($cpu), $mem, shared with other work
- commit: $commit, release build (RelWithDebInfo), SQLite in WAL mode with
  synchronous=FULL
- method: wrk, 2 threads, $CONNECTIONS connections, ${DURATION}s per run, $ROUNDS
  rounds alternating the two endpoints; figures are medians of the rounds.
  The server (${QORGAN_THREADS:-16} worker threads) and wrk share the same 2 cores.

## HTTP

| endpoint | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| \`GET /healthz\` (baseline) | $h_rps | $h_p50 | $h_p99 |
| \`GET /api/v1/students/{school}/{ref}\`, bearer token, audited | $s_rps | $s_p50 | $s_p99 |

Authenticated read / healthz: **$ratio** (target at least 0.33: $verdict).
Each authenticated read resolves the token (session, user and school
look-ups), checks the scope, reads the student with guardians and consent,
and queues its audit line, which a writer thread commits in batches within
50 ms (docs/operations.md).  Written synchronously, one fsync per read, the
same read ran at about 5% of /healthz in development.

## Gate passes (morning rush)

$GATES gates post passes at once (\`POST /api/v1/passes\`, $CONNECTIONS connections,
$CARDS cards); each answer is sent only after the pass is committed with
synchronous=FULL.  Passes arriving together share one transaction and one
fsync (group commit, store.h), so a batch is as large as the number of
passes waiting, at most one per worker thread.  Over all rounds $answered passes were answered and
$stored stored: each request is a new pass (no replayed seq).

| | passes/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| \`POST /api/v1/passes\` | $p_rps | $p_p50 | $p_p99 |

Ratio to /healthz in the same run: $p_ratio.  Target at least 5,000
passes/s with p99 under 50 ms: $p_verdict.

## Roster import

$IMPORT_ROWS generated students (Kazakh and Russian names, a guardian
each, consent, IINs checked) into an empty school, one transaction,
timed as the whole \`qorgan roster import\` command (start, parse, validate,
write, commit, WAL checkpoint at close): median **${imp} s** (runs:
$imp_runs s).
MD
echo "bench: wrote $OUT"
cat "$OUT"
