#!/usr/bin/env bash
# The end-to-end figures of polsearch for one or more corpora (run on demand):
#   bash benches/report.sh [SCALE | CORPUS_DIR]...        (default: 1)
#
# A number builds the bench corpus of ../shared/bench/README.md at that scale with
# benches/corpus.sh (kept in $BENCH_DIR/scaleN between runs when BENCH_DIR is set, else in a
# temporary folder); a folder is indexed as it is. For each corpus it reports:
# - files and raw MB;
# - the full index build from the raw files (extraction, language detection, analysis,
#   indexing): wall and CPU seconds, MB/s and files/s of raw input, peak RSS (GNU time),
#   and where the time went (read, cleaning, write, commit);
# - the index size and its ratio to the text indexed;
# - in-process search latency p50/p95/p99 over ../shared/bench/queries.txt (`polsearch
#   bench`, the index opened once, top 10 with highlights and snippets);
# - one whole `polsearch search` process per query, warm page cache: median and p95 wall
#   time over REPEAT (default 5) rounds of all queries, and its peak RSS (median and largest
#   over the queries), split into the process's own memory (anonymous pages) and the pages of
#   the index files it has mapped. The split is read from /proc while the process waits to
#   write its results into a one-page pipe, with its index still open. Mapped pages are the
#   page cache's, shared and dropped at no cost; the kernel maps up to 64 KB around each page
#   a search reads (fault-around), whatever madvise says.
# A markdown table of all corpora comes last. Nothing here is a test: figures vary with the
# machine and its load.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
queries=${QUERIES:-$root/../shared/bench/queries.txt}
repeat=${REPEAT:-5}
[ -f "$queries" ] || { echo "skipped: no query file at $queries"; exit 0; }
[ $# -gt 0 ] || set -- 1
cargo build --release --locked --quiet
bin=$root/target/release/polsearch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=()

for arg in "$@"; do
  if [[ $arg =~ ^[0-9]+$ ]]; then
    corpus=${BENCH_DIR:-$work}/scale$arg
    if [ ! -d "$corpus" ]; then
      bash benches/corpus.sh "$corpus" "$arg" >/dev/null
    fi
    label="${arg}x"
  else
    corpus=$(cd "$arg" && pwd)
    label=$(basename "$corpus")
  fi
  index=$work/index-$label
  files=$(find "$corpus" -type f | wc -l)
  raw_mb=$(du -sb "$corpus" | awk '{printf "%.1f", $1 / 1e6}')
  echo "== $label: $corpus ($files files, $raw_mb MB)"

  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin" --corpus "$corpus" --index "$index" index --full >"$work/build" 2>&1 \
    || { cat "$work/build"; exit 1; }
  read -r wall user sys rss_kb <"$work/time"
  grep -E "^(passages:|index:|phases:)" "$work/build" | sed 's/^/   /'
  stats=$("$bin" --index "$index" stats --json)
  size_mb=$(du -sb "$index" | awk '{printf "%.1f", $1 / 1e6}')
  ratio=$(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print("%.2f" % (float(sys.argv[2]) * 1e6 / max(s.get("text_bytes", 0), 1)))' "$stats" "$size_mb")
  text_mb=$(python3 -c 'import json,sys; print("%.1f" % (json.loads(sys.argv[1]).get("text_bytes", 0) / 1e6))' "$stats")
  mbps=$(awk -v mb="$raw_mb" -v s="$wall" 'BEGIN {printf "%.1f", mb / s}')
  fps=$(awk -v n="$files" -v s="$wall" 'BEGIN {printf "%.0f", n / s}')
  echo "   build: $wall s wall, $user s user, $sys s sys; $mbps MB/s, $fps files/s; peak RSS $((rss_kb / 1024)) MB"
  echo "   index: $size_mb MB for $text_mb MB of text indexed ($ratio x)"

  "$bin" --index "$index" bench --queries "$queries" --repeat 20 --json >"$work/bench.jsonl"
  read -r p50 p95 p99 < <(python3 -c '
import json, sys
o = [json.loads(l) for l in open(sys.argv[1])][-1]
print("%.3f %.3f %.3f" % (o["p50_ms"], o["p95_ms"], o["p99_ms"]))' "$work/bench.jsonl")
  echo "   in-process search: p50 $p50 ms, p95 $p95 ms, p99 $p99 ms"

  read -r proc_p50 proc_p95 < <(python3 - "$bin" "$index" "$queries" "$repeat" <<'PY'
import statistics, subprocess, sys, time
binary, index, queries, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
queries = [q.strip() for q in open(queries) if q.strip() and not q.startswith("#")]
run = lambda q: subprocess.run([binary, "--index", index, "--color", "never", "search", q, "-n", "10"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for q in queries:  # warm the page cache
    run(q)
times = []
for _ in range(repeat):
    for q in queries:
        start = time.perf_counter()
        run(q)
        times.append((time.perf_counter() - start) * 1e3)
times.sort()
print("%.1f %.1f" % (statistics.median(times), times[int(0.95 * (len(times) - 1))]))
PY
)
  read -r rss_med rss_max anon_med anon_max file_med file_max < <(python3 - "$bin" "$index" "$queries" <<'PY'
import fcntl, os, statistics, subprocess, sys, time
binary, index, queries = sys.argv[1], sys.argv[2], sys.argv[3]
queries = [q.strip() for q in open(queries) if q.strip() and not q.startswith("#")]
F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ, missing before Python 3.10
WRITE = "1"  # x86_64 syscall number of write(2)
rows = []
for q in queries:
    # With a one-page pipe, 10 JSON hits (about 5 KB) cannot be written at once: the process
    # waits in write(2) with its peak behind it and its index still mapped.
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([binary, "--index", index, "search", q, "-n", "10", "--json"],
                            stdout=write_end, stderr=subprocess.DEVNULL)
    os.close(write_end)
    status = None
    while status is None:
        try:
            if open(f"/proc/{proc.pid}/syscall").read().split()[:1] == [WRITE]:
                status = open(f"/proc/{proc.pid}/status").read()
        except (OSError, IndexError):
            break
        time.sleep(0.0002)
    while os.read(read_end, 65536):
        pass
    os.close(read_end)
    proc.wait()
    if status:
        kb = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
              if line.startswith(("VmHWM:", "RssAnon:", "RssFile:"))}
        rows.append((kb["VmHWM"], kb["RssAnon"], kb["RssFile"]))
if not rows:  # not Linux, or no query waited to write
    print("- - - - - -")
    sys.exit()
mb = lambda i, f: "%.0f" % (f(row[i] for row in rows) / 1024)
print(" ".join(mb(i, f) for i in range(3) for f in (statistics.median, max)))
PY
)
  echo "   search process: median $proc_p50 ms, p95 $proc_p95 ms"
  echo "   search peak RSS: median $rss_med MB, largest $rss_max MB; of it the process's own memory median $anon_med / largest $anon_max MB, mapped index and program files $file_med / $file_max MB"
  rows+=("| $label | $files | $raw_mb | $wall | $mbps | $((rss_kb / 1024)) | $size_mb ($ratio x) | $p50 / $p95 / $p99 | $proc_p50 / $proc_p95 | $rss_med / $rss_max ($anon_med / $anon_max own) |")
  rm -rf "$index"
done

echo
echo "| corpus | files | raw MB | build s | MB/s | build peak RSS MB | index MB (x text) | in-process p50 / p95 / p99 ms | search process median / p95 ms | search peak RSS median / largest MB (own memory) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
