#!/usr/bin/env bash
# The bench corpus, at its real size or scaled up without duplicates (run on demand):
#   bash benches/corpus.sh OUT_DIR [SCALE]
#
# SCALE 1 (default): a copy of the bench corpus of ../shared/bench/README.md under OUT_DIR,
# relative folder names kept:
#   corpus/ (without MANIFEST.md and manifest.json), corpus-large/jrc-acquis/common.??.txt, seed/
#   (63 MB raw, about 203,000 passages, 22 languages).
#
# SCALE N > 1: about N times the text of that corpus, as plain .txt files under
# OUT_DIR/scale1/LANG/ ... OUT_DIR/scaleN/LANG/, made so that polsearch finds neither copies
# nor boilerplate in it:
# - Every file is reduced to its paragraphs (HTML: text of block elements outside
#   head/script/style/nav/footer/aside/form...; Markdown: markup stripped; text: one paragraph
#   per line, hard-wrapped blocks joined), pooled per language (from the path: a folder or
#   file name such as de/, en.html, common.fr.txt; otherwise guessed from stop words).
#   Script text that leaked out of a page is left out; a paragraph over 250 words is cut
#   into chunks of at most 150 (at sentence ends where possible).
#   A paragraph of 12 words or more already seen in its pool is dropped (the saved copies of
#   one law), so each copy holds the unique text once.
# - Copy k cuts each pool into runs of 1-2 consecutive paragraphs of one source file,
#   shuffles the runs (a seeded permutation per copy and language), joins 2-3 neighbouring
#   runs into one paragraph and deals the paragraphs into documents of 6 to a few hundred
#   paragraphs (log-uniform). Every generated paragraph is checked against all earlier ones
#   of its language (in every copy) and made longer until its words are new, so no block
#   recurs anywhere; a document shares only scattered runs with any other document, far
#   from the 70 % of 4-word shingles that makes a copy.
# - Deterministic: the same inputs, SCALE and Python version give byte-identical output,
#   and copies 1..N of a larger SCALE are the same files as SCALE N (10x is a prefix of 100x).
#
# OUT_DIR must be absent or empty. The third-party text is read from ../shared at run time
# (override with SHARED=DIR); nothing of it belongs in the repository. Prints the number of
# files, the size in MB and the command used. Disk: about 54 MB per unit of SCALE above 1;
# time about 3 s per unit (SCALE 100: 5 min, 0.3 GB of memory).
set -euo pipefail
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then usage; exit 0; fi
[ $# -ge 1 ] && [ $# -le 2 ] || { usage >&2; exit 2; }
out=$1
scale=${2:-1}
case $scale in '' | *[!0-9]* | 0) echo "SCALE must be a positive integer, not '$scale'" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$repo/../shared}
for need in corpus corpus-large/jrc-acquis seed; do
  [ -d "$shared/$need" ] || { echo "missing: $shared/$need" >&2; exit 1; }
done
shared=$(cd "$shared" && pwd)
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "$out is not empty; give an absent or empty OUT_DIR" >&2
  exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The bench corpus's files, relative to $shared, in a fixed order.
sources() {
  (
    cd "$shared"
    find corpus -type f ! -path corpus/MANIFEST.md ! -path corpus/manifest.json
    find corpus-large/jrc-acquis -maxdepth 1 -type f -name 'common.??.txt'
    find seed -type f
  ) | LC_ALL=C sort
}

if [ "$scale" -eq 1 ]; then
  sources | while IFS= read -r rel; do
    mkdir -p "$out/$(dirname "$rel")"
    cp "$shared/$rel" "$out/$rel"
  done
  chmod -R u+w "$out"
else
  SOURCES=$(sources) SHARED="$shared" OUT="$out" SCALE="$scale" python3 - <<'PY'
import hashlib, html.parser, math, os, random, re, sys

shared, out, scale = os.environ["SHARED"], os.environ["OUT"], int(os.environ["SCALE"])
rels = [l for l in os.environ["SOURCES"].split("\n") if l.strip()]

MIN_SHARED_WORDS = 12      # polsearch holds a repeated block of this many words once
MIN_DOC_PARAS = 6
MAX_DOC_PARAS = 400
SMALL_POOL_RUNS = 300      # a pool this small would repeat itself: written to scale1 only

# ---- paragraphs of a file -------------------------------------------------------------

DROP = {"head", "script", "style", "noscript", "template", "svg", "nav", "footer", "aside",
        "form", "iframe", "object", "canvas", "button", "select"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr",
         "td", "th", "thead", "tbody", "section", "article", "main", "header", "blockquote",
         "pre", "br", "hr", "dd", "dt", "dl", "figcaption", "figure", "address", "details",
         "summary", "caption", "body", "html"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "param",
        "source", "track", "wbr"}

class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.drop, self.stack, self.paras, self.cur = 0, [], [], []
    def flush(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.paras.append(text)
        self.cur = []
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in BLOCK and not self.drop:
                self.flush()
            return
        if tag in DROP:
            self.drop += 1
        self.stack.append(tag)
        if tag in BLOCK and not self.drop:
            self.flush()
    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK and not self.drop:
            self.flush()
    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            t = self.stack.pop()
            if t in DROP:
                self.drop -= 1
            if t == tag:
                break
        if tag in BLOCK and not self.drop:
            self.flush()
    def handle_data(self, data):
        if not self.drop:
            self.cur.append(data)

def html_paras(raw):
    p = Html()
    p.feed(raw)
    p.close()
    p.flush()
    return p.paras

MD_INLINE = [(re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""), (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
             (re.compile(r"<[^>\n]+>"), ""), (re.compile(r"(\*\*|__|`)"), "")]
MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?)")
MD_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")

def md_paras(raw):
    paras, cur, fence = [], [], False
    def flush():
        if cur:
            paras.append(" ".join(" ".join(cur).split()))
            cur.clear()
    for line in raw.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            flush()
            continue
        if fence:
            continue
        heading = line.lstrip().startswith("#")
        line = MD_PREFIX.sub("", line)
        for pattern, repl in MD_INLINE:
            line = pattern.sub(repl, line)
        if not line.strip():
            flush()
            continue
        if heading or MD_ITEM.match(line):
            flush()
            cur.append(MD_ITEM.sub("", line))
            if heading:
                flush()
            continue
        cur.append(line)
    flush()
    return [p for p in paras if p]

def text_paras(raw):
    paras = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [" ".join(l.split()) for l in block.splitlines()]
        lines = [l for l in lines if l]
        wrapped = len(lines) >= 4 and all(40 <= len(l) <= 100 for l in lines[:-1])
        paras.extend([" ".join(lines)] if wrapped else lines)
    return paras

def code_like(p):
    """Script or template text that leaked out of a page: not prose."""
    braces = p.count("{") + p.count("}")
    marks = sum(p.count(m) for m in ("function(", "){", "};", "===", "!=="))
    return "{{" in p or marks >= 2 or (braces >= 2 and braces * 20 >= len(p))

SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
LONG_WORDS = 250            # longer paragraphs are cut into chunks of at most CHUNK_WORDS
CHUNK_WORDS = 150

def cut_long(p):
    """A very long paragraph (a whole annex on one line) as chunks, at sentence ends where
    possible, so that no single paragraph dominates a generated document."""
    if len(p.split()) <= LONG_WORDS:
        return [p]
    chunks, cur = [], []
    for sentence in SENTENCE_END.split(p):
        words = sentence.split()
        while len(words) > CHUNK_WORDS:
            if cur:
                chunks.append(" ".join(cur))
                cur = []
            chunks.append(" ".join(words[:CHUNK_WORDS]))
            words = words[CHUNK_WORDS:]
        if cur and len(cur) + len(words) > CHUNK_WORDS:
            chunks.append(" ".join(cur))
            cur = []
        cur.extend(words)
    if cur:
        chunks.append(" ".join(cur))
    return chunks

def paragraphs(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read()
    ext = path.rsplit(".", 1)[-1].lower()
    if ext in ("html", "htm"):
        paras = html_paras(raw)
    elif ext in ("md", "markdown"):
        paras = md_paras(raw)
    else:
        paras = text_paras(raw)
    return [c for p in paras if not code_like(p) for c in cut_long(p)]

# ---- language of a file --------------------------------------------------------------

STOP = {
    "de": "der die das und ist nicht mit sich auch auf für von den dem des ein eine zu im wird".split(),
    "en": "the and of to is in that for with on are this be as by it not or from".split(),
    "fr": "le la les et des est une que dans pour pas du sur qui par au ce il".split(),
    "nl": "de het een en van is dat niet op te voor met zijn aan ook er als".split(),
    "es": "el la los las y de que en un una es por con para del se no".split(),
    "it": "il la le e di che è un una per non con del della sono si".split(),
}

CODES = set("bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv "
            "ar ca eu gl is no nb ru tr uk zh ja ko".split())

def lang_of(rel, paras):
    parts = rel.split("/")
    for part in parts[:-1]:
        if part in CODES:
            return part
    name = parts[-1].lower()
    for m in (re.match(r"([a-z]{2})(?:[-_.]|$)", name), re.search(r"[._-]([a-z]{2})\.[a-z]+$", name)):
        if m and m.group(1) in CODES:
            return m.group(1)
    words = re.findall(r"\w+", " ".join(paras[:400]).lower())
    counts = {lang: sum(w in set(stop) for w in words) for lang, stop in STOP.items()}
    return max(sorted(counts), key=lambda l: counts[l])

# ---- pools ---------------------------------------------------------------------------

def norm(text):
    """The words polsearch compares blocks by: lower case, punctuation dropped."""
    return " ".join(w for w in re.split(r"[^\w]+|_", text.lower()) if w)

def fingerprint(norms):
    return hashlib.blake2b(" ".join(n for n in norms if n).encode(), digest_size=8).digest()

pools = {}          # lang -> sources, each a list of (paragraph, its normalised words)
seen = {}           # lang -> fingerprints of long paragraphs already pooled
dropped = 0
for rel in rels:
    paras = paragraphs(os.path.join(shared, rel))
    lang = lang_of(rel, paras)
    kept = []
    for p in paras:
        n = norm(p)
        if n.count(" ") + 1 >= MIN_SHARED_WORDS:
            fp = fingerprint([n])
            if fp in seen.setdefault(lang, set()):
                dropped += 1
                continue
            seen[lang].add(fp)
        kept.append((p, n))
    if kept:
        pools.setdefault(lang, []).append(kept)
del seen

def runs_of(sources, rng):
    runs = []
    for paras in sources:
        i = 0
        while i < len(paras):
            n = rng.choice((1, 1, 2))
            runs.append(paras[i:i + n])
            i += n
    return runs

for lang in sorted(pools):
    used = set()        # fingerprints of every paragraph written in this language
    copies = scale
    probe = runs_of(pools[lang], random.Random(f"probe:{lang}"))
    if len(probe) < SMALL_POOL_RUNS:
        print(f"note: language {lang} has only {len(probe)} runs; written to scale1 only",
              file=sys.stderr)
        copies = 1
    for k in range(1, copies + 1):
        rng = random.Random(f"polsearch-bench:{lang}:{k}")
        runs = runs_of(pools[lang], rng)
        rng.shuffle(runs)
        paras = []
        i = 0
        while i < len(runs):
            take = rng.choice((2, 2, 3))
            block = [p for run in runs[i:i + take] for p in run]
            i += take
            fp = fingerprint(n for _, n in block)
            while fp in used and i < len(runs):
                block.extend(runs[i])
                i += 1
                fp = fingerprint(n for _, n in block)
            if fp in used:
                continue            # the last few runs of a copy, seen before: left out
            used.add(fp)
            paras.append(" ".join(p for p, _ in block))
        cap = max(MIN_DOC_PARAS, min(MAX_DOC_PARAS, len(paras) // 12))
        folder = os.path.join(out, f"scale{k}", lang)
        os.makedirs(folder, exist_ok=True)
        doc = 0
        i = 0
        while i < len(paras):
            size = int(math.exp(rng.uniform(math.log(MIN_DOC_PARAS), math.log(cap + 1))))
            if len(paras) - (i + size) < MIN_DOC_PARAS:
                size = len(paras) - i
            doc += 1
            text = "\n\n".join(paras[i:i + size]) + "\n"
            i += size
            with open(os.path.join(folder, f"{lang}-{k}-{doc:05d}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
print(f"pools: {len(pools)} languages; {dropped} repeated long paragraphs left out of the pools",
      file=sys.stderr)
PY
fi

files=$(find "$out" -type f | wc -l)
mb=$(du -sm "$out" | cut -f1)
echo "files: $files"
echo "MB: $mb"
echo "command: bash benches/corpus.sh $*"
