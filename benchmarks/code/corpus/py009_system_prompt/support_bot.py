"""Flask support bot on Claude and Gemini with per-customer context."""

import anthropic
from flask import Flask, jsonify, request
from google import genai
from google.genai import types

app = Flask(__name__)
claude = anthropic.Anthropic(timeout=60)
gemini = genai.Client(http_options=types.HttpOptions(timeout=30_000))
SYSTEM = "You answer questions about ACME routers only."


@app.post("/claude")
def claude_chat():
    payload = request.get_json()
    msg = claude.messages.create(  # expect: AIW-PY009
        model="claude-sonnet-4-5",
        max_tokens=600,
        system=SYSTEM + "\nCustomer notes: " + payload["notes"],
        messages=[{"role": "user", "content": payload["question"]}],
    )
    return jsonify(answer=msg.content[0].text)


@app.post("/claude/safe")
def claude_safe():
    payload = request.get_json()
    msg = claude.messages.create(  # ok: AIW-PY009
        model="claude-sonnet-4-5",
        max_tokens=600,
        system=SYSTEM,
        messages=[{"role": "user", "content": f"Notes: {payload['notes']}\n\n{payload['question']}"}],
    )
    return jsonify(answer=msg.content[0].text)


@app.get("/gemini")
def gemini_chat():
    cfg = types.GenerateContentConfig(system_instruction=request.args.get("persona", SYSTEM), max_output_tokens=400)  # expect: AIW-PY009
    out = gemini.models.generate_content(model="gemini-2.5-flash", contents=request.args["q"], config=cfg)
    return jsonify(answer=out.text)
