#!/usr/bin/env bash
# Index build and no-change rebuild figures on ../shared/corpus (run on demand):
#   bash benches/index.sh [COPIES]
# Builds the release binary, then for a corpus of COPIES (default 20) copies of ../shared/corpus
# in distinct folders: a full build, a no-change incremental run, a run after touching every
# file (mtime only: all files are read and hashed, none re-indexed), and a run after editing
# one file. Prints wall time and peak RSS of each (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-20}
shared=../shared/corpus
[ -d "$shared" ] || { echo "skipped: $shared is absent"; exit 0; }
cargo build --release --locked --quiet
bin=$PWD/target/release/polsearch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$copies"); do
  mkdir -p "$work/corpus/copy$i"
  cp -r "$shared"/. "$work/corpus/copy$i/"
done
files=$(find "$work/corpus" -type f | wc -l)
mb=$(du -sm "$work/corpus" | cut -f1)
echo "corpus: $files files, $mb MB ($copies copies of $shared)"
measure() {
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$bin" --corpus "$work/corpus" --index "$work/index" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  grep -E "wall" "$work/err"
}
measure "full build" index --full
measure "no change" index
find "$work/corpus" -type f -exec touch {} +
measure "all touched (read + hash, no re-index)" index
echo "<p>An edited paragraph about Zebrastreifen.</p>" >> "$work/corpus/copy1/articles/en/wired.com.burn.html"
measure "one file edited" index
echo "index size: $(du -sm "$work/index" | cut -f1) MB"
