"""Text-to-SQL endpoint for the analytics dashboard."""

import sqlite3

from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI(timeout=30, max_retries=2)
DB = "analytics.db"
SCHEMA = "CREATE TABLE orders(id INTEGER, region TEXT, total REAL, created TEXT);"


def ask_model(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=300,
        messages=[
            {"role": "system", "content": "Write one SQLite query for this schema:\n" + SCHEMA},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content


@app.get("/ask")
def ask(q: str) -> dict:
    sql = ask_model(q)
    with sqlite3.connect(DB) as conn:
        rows = conn.execute(sql).fetchall()  # expect: AIW-PY008
    return {"sql": sql, "rows": rows}


@app.get("/summary")
def summary(q: str) -> dict:
    completion = client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=200, messages=[{"role": "user", "content": q}]
    )
    answer = completion.choices[0].message.content
    with sqlite3.connect(DB) as conn:
        conn.execute("INSERT INTO answers(question, body) VALUES (?, ?)", (q, answer))  # ok: AIW-PY008
        cur = conn.cursor()
        cur.execute(f"SELECT * FROM orders WHERE region = '{answer}'")  # expect: AIW-PY008
        return {"answer": answer, "matches": cur.fetchall()}
