"""Shell words with lines, operators, ``sh -c`` and env prefixes."""

from __future__ import annotations

from aiwarden.analyzers.infra._shell import MAX_TOKENS, commands, tokenize


def words(text: str) -> list[list[str]]:
    return [[t.text for t in c.argv] for c in commands(text, 1)]


def test_continuations_keep_lines() -> None:
    cmds = commands("vllm serve m \\\n  --trust-remote-code \\\n  --port 8000", 10)
    assert [(t.text, t.line) for t in cmds[0].argv][-3:] == [
        ("--trust-remote-code", 11),
        ("--port", 12),
        ("8000", 12),
    ]


def test_operators_split_commands_and_pipes_are_recorded() -> None:
    cmds = commands("a && b; curl -fsSL https://x/i.sh | sh\nc &", 1)
    assert [[t.text for t in c.argv] for c in cmds] == [
        ["a"], ["b"], ["curl", "-fsSL", "https://x/i.sh"], ["sh"], ["c"]
    ]  # fmt: skip
    assert cmds[3].piped_from is not None and cmds[3].piped_from[0].text == "curl"


def test_sh_c_is_opened_and_quotes_removed() -> None:
    assert words("sh -c \"jupyter lab --ServerApp.token='' --ip=0.0.0.0\"") == [
        ["jupyter", "lab", "--ServerApp.token=", "--ip=0.0.0.0"]
    ]
    assert words("bash -lc 'ollama serve'") == [["ollama", "serve"]]


def test_env_prefix_and_wrappers() -> None:
    cmd = commands("OLLAMA_HOST=0.0.0.0 exec nohup ollama serve", 1)[0]
    assert [t.text for t in cmd.argv] == ["ollama", "serve"]
    assert cmd.env["OLLAMA_HOST"].value == "0.0.0.0"


def test_unbalanced_quotes_fall_back_and_size_is_bounded() -> None:
    assert words("echo 'unterminated")[0][0] == "echo"
    assert len(tokenize("a " * (MAX_TOKENS * 3), 1)) <= MAX_TOKENS


def test_nested_shells_stop_at_the_depth_bound() -> None:
    nested = "sh -c " + "'sh -c " * 10 + "x" + "'" * 10
    assert commands(nested, 1) is not None  # no recursion error


def test_shell_keywords_and_wrapper_flags_are_skipped() -> None:
    assert words("if true; then vllm serve m; fi") == [["true"], ["vllm", "serve", "m"], ["fi"]]
    assert words("sudo -E ollama serve") == [["ollama", "serve"]]
