"""Turns a copy of the repository's project into the scale benchmark's: a `bench` provider on the stub at URL
(concurrency 64, one attempt) and the suite `scale` (gestante-acolhimento@1.1.0, both rubrics, cases from
cases.csv) with N cases (bench/eval-scale.sh, bench/pgeval.sh).

    python3 bench/scale-project.py PROJECT URL [N]
"""
import csv, sys

project, url = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
config = open(f"{project}/promptctl.yaml").read().replace(
    "providers:\n",
    f"providers:\n  bench:\n    type: openai\n    base_url: {url}/v1\n    model: gpt-4o-mini\n    max_concurrency: 64\n    max_attempts: 1\n", 1)
open(f"{project}/promptctl.yaml", "w").write(config)
open(f"{project}/eval-suites/scale.yaml", "w").write(
    "name: scale\nprompts: [gestante-acolhimento@1.1.0]\nproviders: [bench]\nrubrics: [clinical-coherence, friendly-tone]\n"
    "thresholds: {pass_rate: 0.0}\ncases:\n  - file: cases.csv\n")
topics = ["azia", "enjoo", "dor nas costas", "inchaço nos pés", "cansaço", "insônia", "câimbras", "prisão de ventre"]
with open(f"{project}/eval-suites/cases.csv", "w", newline="") as cases:
    w = csv.writer(cases)
    w.writerow(["id", "language", "user_message"])
    for i in range(count):
        w.writerow([f"case-{i}", "pt-BR", f"Pergunta {i}: estou com {topics[i % len(topics)]} na gravidez, o que faço?"])
