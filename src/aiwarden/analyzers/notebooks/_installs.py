"""``AIW-NB003``: what is wrong with one shell command's package installs.

:func:`install_problems` reads a command the way pip, conda and a shell would (after
``shlex`` splitting): which requirements are not pinned with ``==``, which extra
indexes it adds, and whether it pipes a download into a shell or interpreter.
"""

from __future__ import annotations

import re
import shlex

_SEGMENT_SPLIT = re.compile(r"&&|\|\||;")
_PIP = re.compile(
    r"(?:^|\s)(?:(?:\S*python[\d.]*|py|\{sys\.executable\}|\$\{?sys\.executable\}?)\s+-m\s+)?"
    r"(?:uv\s+)?pip(?:3(?:\.\d+)?)?\s+install\b(?P<args>.*)$"
)
_CONDA = re.compile(r"(?:^|\s)(?:conda|mamba|micromamba)\s+install\b(?P<args>.*)$")
_PIPED = re.compile(
    r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?"
    r"(?:(?:ba|z|da|k|fi)?sh|python[\d.]*|perl|ruby|node)\b"
    r"|\b(?:ba|z)?sh\s+(?:-c\s+)?[\"']?(?:\$\(|<\()\s*(?:curl|wget)\b"
)
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
        "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
        "--src", "--platform", "--python-version", "--implementation", "--abi",
        "--progress-bar", "--trusted-host", "--cache-dir", "--log", "--proxy", "--retries",
        "--timeout", "--exists-action", "--cert", "--client-cert", "--upgrade-strategy",
        "--only-binary", "--no-binary", "-C", "--config-settings", "--global-option",
        "--hash", "--report", "--python", "--index-strategy", "--extra-index",
    }
)  # fmt: skip
_CONDA_VALUE_OPTIONS = frozenset(
    {"-c", "--channel", "-n", "--name", "-p", "--prefix", "--file", "--repodata-fn"}
)
_PINNED = re.compile(r"===?\s*[\w.!+-]+$")
_CONDA_PINNED = re.compile(r"(?<![<>!~=])==?\s*[\w.!+-]+(?:=[\w.*]+)?$")
_COMMIT = re.compile(r"@[0-9a-f]{40}\b")
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
_SELF = frozenset({"pip"})


def redact_command(command: str) -> str:
    """``command`` with credentials in URLs (``https://user:token@host``) hidden."""
    return _URL_CREDENTIALS.sub("***@", command)


def install_problems(command: str) -> list[str]:
    """Human-readable problems with the installs in ``command`` (empty when fine)."""
    problems: list[str] = []
    if _PIPED.search(command):
        problems.append("pipes a downloaded script into a shell or interpreter")
    for segment in _SEGMENT_SPLIT.split(command):
        match = _PIP.search(segment)
        if match:
            problems.extend(_pip_problems(_split(match.group("args"))))
            continue
        match = _CONDA.search(segment)
        if match:
            problems.extend(_conda_problems(_split(match.group("args"))))
    return problems


def _split(args: str) -> list[str]:
    args = args.split(" #", 1)[0]
    try:
        return shlex.split(args, posix=True)
    except ValueError:
        return args.split()


def _pip_problems(tokens: list[str]) -> list[str]:
    unpinned: list[str] = []
    problems: list[str] = []
    upgrade = False
    skip_next = False
    for index, token in enumerate(tokens):
        if skip_next:
            skip_next = False
            continue
        if token.startswith("|") or token in (">", ">>", "2>&1"):
            break
        option, _, inline = token.partition("=")
        if option in ("--extra-index-url", "--extra-index"):
            url = inline or (tokens[index + 1] if index + 1 < len(tokens) else "")
            problems.append(f"adds an extra index (`--extra-index-url {redact_command(url)}`)")
        editable = option in ("-e", "--editable") and not inline and index + 1 < len(tokens)
        if editable and _unpinned_vcs(tokens[index + 1]):
            unpinned.append(tokens[index + 1])
        if token.startswith("-"):
            upgrade = upgrade or option == "--upgrade" or _short_flags(token, "U")
            skip_next = option in _PIP_VALUE_OPTIONS and not inline
            continue
        if _unpinned_requirement(token):
            unpinned.append(token)
    if unpinned:
        names = ", ".join(f"`{redact_command(u)}`" for u in unpinned[:8])
        verb = "upgrades" if upgrade else "installs"
        problems.insert(0, f"{verb} packages without an exact `==` pin ({names})")
    return problems


def _short_flags(token: str, flag: str) -> bool:
    return token.startswith("-") and not token.startswith("--") and flag in token[1:]


def _unpinned_requirement(token: str) -> bool:
    if not token or token[0] in "$.{/~" or token.startswith(("file:", "http:", "https:")):
        return False  # a variable, a local path or an archive URL
    if token.endswith((".whl", ".tar.gz", ".zip", ".txt")):
        return False
    if "+" in token.split("@", 1)[0] and "://" in token:
        return _unpinned_vcs(token)
    if "@" in token:
        return _unpinned_vcs(token.split("@", 1)[1].strip())
    name = re.split(r"[\[<>=!~;\s]", token, maxsplit=1)[0].lower()
    if name in _SELF and name == token.lower():
        return False  # upgrading the installer itself
    return _PINNED.search(token) is None or token.rstrip().endswith(".*")


def _unpinned_vcs(url: str) -> bool:
    if not url.startswith(("git+", "hg+", "svn+", "bzr+")):
        return False
    return _COMMIT.search(url) is None


def _conda_problems(tokens: list[str]) -> list[str]:
    unpinned: list[str] = []
    skip_next = False
    for token in tokens:
        if skip_next:
            skip_next = False
            continue
        if token.startswith("|"):
            break
        if token.startswith("-"):
            option = token.partition("=")[0]
            skip_next = option in _CONDA_VALUE_OPTIONS and "=" not in token
            continue
        if token[0] in "$.{/~":
            continue
        if _CONDA_PINNED.search(token) is None:
            unpinned.append(token)
    if not unpinned:
        return []
    names = ", ".join(f"`{u}`" for u in unpinned[:8])
    return [f"installs conda packages without an exact version ({names})"]
