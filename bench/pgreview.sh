#!/usr/bin/env bash
# The weekly review sample and export over N responses of one week, on SQLite and on PostgreSQL side by side
# (issue 15: `review sample` over 1,000,000 messages of one week in at most 2 s). The rows are stored in SQLite and
# moved to a throwaway PostgreSQL 15 cluster with `promptctl store copy` (itself timed), then the same commands run
# on each store and their outputs are compared.
#   bash bench/pgreview.sh [RESPONSES]     (default 1,000,000)
count="${1:-1000000}"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
python3 bench/review-rows.py "$db" "$count"
echo "stored: $count responses in 2026-W48 (SQLite)"
/usr/bin/env time -f "%e s, %M KB" -o "$out/pgreview.time" "$bin" store copy --from "$db" --to "$url" >/dev/null
echo "promptctl store copy SQLite -> PostgreSQL: $(cat "$out/pgreview.time")"
export PROMPTCTL_PSEUDONYM_KEY=bench-key-0123456789abcdef
for command in "review sample --week 2026-W48 --size 20" "review export --week 2026-W48 --format csv"; do
  on_both_engines pgreview "$command"
done
