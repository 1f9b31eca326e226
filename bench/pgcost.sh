#!/usr/bin/env bash
# Cost report and 24-hour check over N stored messages, on SQLite and on PostgreSQL side by side (issue 15).
# Starts a throwaway PostgreSQL 15 cluster on a free loopback port (as the postgres user when run as root), loads the
# same rows into both stores (30 days, 8 prompt versions, 3 models), and times the same commands on each.
#   bash bench/pgcost.sh [MESSAGES]     (default 1,000,000; the issue's target is 10,000,000)
count="${1:-1000000}"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"

# The same rows as bench/cost.sh, generated inside each engine (the hourly rollup is kept by each one's trigger).
python3 - "$db" "$count" <<'PY'
import sqlite3, sys
db, count = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
con.execute("""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, prompt_tokens,
  cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts)
SELECT strftime('%Y-%m-%d %H:%M:%S.000', 1795608000 - (30 * 86400.0 * i / ?), 'unixepoch'), 'import', 'production',
  CASE i % 3 WHEN 0 THEN 'gpt-4o-mini' WHEN 1 THEN 'gpt-4.1-mini' ELSE 'claude-3-5-haiku' END,
  'prompt-' || (i % 8), '1.0.0', 'production', CASE WHEN i % 97 = 0 THEN 'error' ELSE 'ok' END, 800, 400,
  100 + i % 400, (400 * 0.15 + 400 * 0.075 + (100 + i % 400) * 0.6) / 1e6, 500 + (i * 7919) % 2500, 0, 1 FROM n""",
  (count, count))
con.commit(); con.execute("ANALYZE"); con.close()
PY
psql -X -q -h 127.0.0.1 -p "$port" -U bench -d bench -v ON_ERROR_STOP=1 <<SQL
INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, prompt_tokens,
  cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts)
SELECT to_timestamp(1795608000 - (30 * 86400.0 * i / $count)), 'import', 'production',
  CASE i % 3 WHEN 0 THEN 'gpt-4o-mini' WHEN 1 THEN 'gpt-4.1-mini' ELSE 'claude-3-5-haiku' END,
  'prompt-' || (i % 8), '1.0.0', 'production', CASE WHEN i % 97 = 0 THEN 'error' ELSE 'ok' END, 800, 400,
  100 + i % 400, (400 * 0.15 + 400 * 0.075 + (100 + i % 400) * 0.6) / 1e6, 500 + (i * 7919) % 2500, false, 1
FROM generate_series(0::bigint, $count - 1) AS i;
ANALYZE;
SQL
echo "stored: $count messages in each engine"
for command in "cost report --by day --group prompt" "cost report --by hour --group model --from 2026-11-18" \
               "cost check --at 2026-11-25T12:00:00Z"; do
  on_both_engines pgcost "$command"
done
