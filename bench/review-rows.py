"""Stores N production responses spread over ISO week 2026-W48 in a promptctl SQLite store (bench/review.sh,
bench/pgreview.sh).

    python3 bench/review-rows.py STORE.sqlite N
"""
import sqlite3, sys, random
from datetime import datetime, timedelta, timezone
db, count = sys.argv[1], int(sys.argv[2])
random.seed(5)
con = sqlite3.connect(db)
start = datetime(2026, 11, 23, tzinfo=timezone.utc)
prompts = [("gestante-acolhimento", "1.1.0", "pt-BR", "nurse-guide"), ("educacao-pos-parto", "1.0.0", "pt-BR", "educator"),
           ("pregnancy-companion", "1.0.0", "en", "nurse-guide"), ("acompanante-embarazo", "1.0.0", "es", "nurse-guide")]
def rows():
    for i in range(count):
        p = prompts[i % 4]
        at = start + timedelta(seconds=7 * 24 * 3600 * i / count)
        yield (f"m{i}", at.strftime("%Y-%m-%d %H:%M:%S.000"), f"conv-{i % 50000}", f"user-{i % 30000}", p[0], p[1], "production",
               p[2], p[3], f"Meu nome é Ana Lima, estou com 30 semanas e tenho azia. Mensagem {i}",
               "Entendo, a azia incomoda. Coma devagar, em porções menores, e fale com sua equipe de saúde.", "gpt-4o-mini",
               "escalate" if i % 50 == 0 else "allow", "", "ok")
con.executemany("""INSERT INTO production_message (message_key, at, conversation_id, user_id, prompt_id, prompt_version,
    label, language, persona, user_message, response, model, guard_action, guard_categories, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
con.commit()
con.close()
