#!/usr/bin/env bash
# Cost report and 24-hour check over 1,000,000 stored messages (30 days, 8 prompt versions, 3 models).
#   bash bench/cost.sh [MESSAGES]
count="${1:-1000000}"
source "$(dirname "$0")/lib.sh"
python3 - "$db" "$count" <<'PY'
import sqlite3, sys, random
from datetime import datetime, timedelta, timezone
db, count = sys.argv[1], int(sys.argv[2])
random.seed(3)
con = sqlite3.connect(db)
end = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
prompts = [("gestante-acolhimento", "1.0.0"), ("gestante-acolhimento", "1.1.0"), ("pregnancy-companion", "1.0.0"),
           ("acompanante-embarazo", "1.0.0"), ("educacao-pos-parto", "1.0.0"), ("postpartum-education", "1.0.0"),
           ("educacion-posparto", "1.0.0"), ("judge-clinical-coherence", "1.0.0")]
models = ["gpt-4o-mini", "gpt-4.1-mini", "claude-3-5-haiku"]
def rows():
    for i in range(count):
        at = end - timedelta(seconds=30 * 24 * 3600 * (i / count))
        p = prompts[i % len(prompts)]
        m = models[i % len(models)]
        out = random.randint(100, 500)
        yield (at.strftime("%Y-%m-%d %H:%M:%S.000"), "import", "production", m, p[0], p[1], "production",
               "error" if i % 97 == 0 else "ok", 800, 400, out, (400 * 0.15 + 400 * 0.075 + out * 0.6) / 1e6,
               random.uniform(500, 3000), 0, 1)
con.executemany("""INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status,
    prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
con.commit()
con.execute("ANALYZE")
con.close()
PY
echo "stored: $count messages"
for command in "cost report --by day --group prompt" "cost report --by hour --group model --from 2026-11-18" \
               "cost check --at 2026-11-25T12:00:00Z"; do
  /usr/bin/env time -f "%e s, %M KB" -o "$out/cost.time" "$bin" $command --db "$db" >/dev/null || true
  echo "promptctl $command: $(cat "$out/cost.time")"
done
