#!/usr/bin/env bash
# Term-filter throughput: 10,000 terms over 100 MB of Portuguese text, against LC_ALL=C grep -F -i -c -f TERMS
# (GNU grep's byte-wise fast path) on the same data. promptctl also folds accents, leetspeak and repeated letters.
#   bash bench/filter.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
megabytes="${1:-100}"
swift build -c release --product promptctl-bench 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
python3 - "$data" "$megabytes" <<'PY'
import random, sys
out, megabytes = sys.argv[1], int(sys.argv[2])
random.seed(42)
words = ("a o de que e do da em um para com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua "
         "ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo aos ter "
         "seus quem nas me esse eles estão você tinha foram essa num nem suas meu às minha têm numa pelos elas havia "
         "gravidez gestação bebê semanas enjoo azia dor cabeça barriga pré-natal maternidade enfermeira consulta exame "
         "ultrassom amamentação leite peito parto normal cesárea contrações sangramento febre inchaço pés mãos pressão "
         "vitamina ácido fólico ferro remédio médica unidade saúde posto cansaço sono ansiedade medo alegria família").split()
drugs = ["misoprostol", "cytotec", "isotretinoína", "varfarina", "talidomida", "metotrexato", "valproato"]
syllables = ["ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "da", "de", "di", "fa", "fe", "ga", "la", "le", "li", "lo",
             "ma", "me", "mi", "mo", "na", "ne", "ni", "pa", "pe", "pi", "po", "ra", "re", "ri", "sa", "se", "si", "ta",
             "te", "ti", "to", "va", "ve", "vi", "xa", "za", "tro", "pra", "cla", "fro", "gen", "zol", "tex", "mab"]
terms = set(drugs)
while len(terms) < 10000:
    terms.add("".join(random.choice(syllables) for _ in range(random.randint(3, 5))))
terms = sorted(terms)
open(f"{out}/terms.txt", "w").write("\n".join(terms) + "\n")
target = megabytes * 1_000_000
written = 0
with open(f"{out}/corpus.txt", "w") as f:
    while written < target:
        n = random.randint(6, 22)
        sentence = " ".join(random.choice(words) for _ in range(n))
        if random.random() < 0.02:
            sentence += " " + random.choice(terms)
        line = sentence.capitalize() + ".\n"
        f.write(line)
        written += len(line.encode())
PY
size=$(stat -c %s "$data/corpus.txt")
echo "corpus: $((size / 1000000)) MB, 10,000 terms"
start=$(date +%s.%N)
grep_lines=$(LC_ALL=C /usr/bin/env time -f "%M" -o "$out/grep.rss" grep -F -i -c -f "$data/terms.txt" "$data/corpus.txt" || true)
end=$(date +%s.%N)
"$bin/promptctl-bench" filter --terms "$data/terms.txt" --input "$data/corpus.txt" | tee "$out/filter.json"
python3 - "$start" "$end" "$size" "$grep_lines" "$out" <<'PY'
import json, sys
start, end, size, lines, out = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
grep = {"benchmark": "LC_ALL=C grep -F -i -c", "seconds": end - start, "megabytes_per_second": size / 1e6 / (end - start),
        "matching_lines": int(lines or 0), "peak_rss_mb": int(open(f"{out}/grep.rss").read().split()[-1]) / 1024}
ours = json.load(open(f"{out}/filter.json"))
grep["promptctl_fraction_of_grep"] = ours["megabytes_per_second"] / grep["megabytes_per_second"]
json.dump(grep, open(f"{out}/grep.json", "w"), indent=2)
print(json.dumps(grep, indent=2))
PY
