"""``AIW-NB005``: sensitive values in notebook or cell metadata and saved widget state.

:func:`metadata_issues` walks a metadata object (bounded in nodes) and reports
secret-named keys with values, saved password-widget values, home paths that name a
user, cloud project and account ids, kernel connection details and Jupyter server
URLs with a ``token=``. Recognised credentials are left to ``find_secrets`` (the
caller reports those as ``AIW-SEC``); this catches what is sensitive without a shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from aiwarden.analyzers.secrets.generic import secret_name
from aiwarden.analyzers.secrets.values import is_placeholder, redact

MAX_NODES = 100_000
MAX_ISSUES = 50

_HOME = re.compile(
    r"(?:/home/|/Users/|(?<![A-Za-z])[A-Za-z]:(?:\\\\|\\|/)"
    r"(?:Users|Documents and Settings)(?:\\\\|\\|/))"
    r"(?P<user>[^/\\\s\"':*?<>|]{1,64})"
)
_GENERIC_USERS = frozenset(
    {
        "user", "username", "runner", "ubuntu", "jovyan", "root", "admin", "vscode", "codespace",
        "codespaces", "ec2-user", "jenkins", "circleci", "travis", "vagrant", "docker", "app",
        "public", "default", "shared", "all users", "<user>", "$user", "%username%", "you",
        "yourname", "your_name", "me", "name", "colab", "sagemaker-user", "jupyter",
    }
)  # fmt: skip
_PROJECT_KEYS = frozenset(
    {
        "project", "projectid", "gcpproject", "googlecloudproject", "gcloudproject",
        "billingproject", "cloudproject", "vertexproject", "bigqueryproject",
    }
)  # fmt: skip
_GCP_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_ARN_ACCOUNT = re.compile(r"\barn:aws[\w-]*:[\w-]+:[\w-]*:(?P<account>\d{12}):")
_SUBSCRIPTION = re.compile(r"/subscriptions/(?P<id>[0-9a-fA-F-]{36})")
_KERNEL_FILE = re.compile(r"kernel-[0-9a-f-]{8,}\.json")
_URL_TOKEN = re.compile(r"[?&](?:token|access_token|auth)=(?P<v>[A-Za-z0-9_-]{8,})")


@dataclass(frozen=True, slots=True)
class MetadataIssue:
    """One sensitive value: what it is, where (a dotted key path) and redacted evidence."""

    what: str
    path: str
    evidence: str

    @property
    def key(self) -> str:
        """A line-independent identity for fingerprints."""
        return f"{self.what}@{self.path}"


def metadata_issues(metadata: object) -> list[MetadataIssue]:
    """Sensitive values in ``metadata``, at most :data:`MAX_ISSUES`, one per kind and path."""
    issues: list[MetadataIssue] = []
    seen: set[str] = set()
    for issue in _walk(metadata):
        if issue.key not in seen:
            seen.add(issue.key)
            issues.append(issue)
            if len(issues) >= MAX_ISSUES:
                break
    return issues


def _walk(root: object) -> Iterator[MetadataIssue]:
    stack: list[tuple[str, object]] = [("", root)]
    nodes = 0
    while stack and nodes < MAX_NODES:
        path, value = stack.pop()
        nodes += 1
        if isinstance(value, dict):
            yield from _object_issues(path, value)
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, str):
            yield from _string_issues(path, value)


def _object_issues(path: str, obj: dict[object, object]) -> Iterator[MetadataIssue]:
    password = obj.get("value") if obj.get("_model_name") == "PasswordModel" else None
    if isinstance(password, str) and password:
        yield MetadataIssue("saved password widget value", path, redact(str(obj["value"])))
    if "signature_scheme" in obj and isinstance(obj.get("key"), str) and obj["key"]:
        yield MetadataIssue("kernel connection key", path, redact(str(obj["key"])))
    for raw_key, value in obj.items():
        key = str(raw_key)
        if not isinstance(value, str) or not value.strip():
            continue
        where = f"{path}.{key}" if path else key
        normalised = re.sub(r"[^a-z]", "", key.lower())
        if secret_name(key) and len(value) >= 6 and not is_placeholder(value):
            yield MetadataIssue(f"value of secret-named key `{key}`", where, redact(value))
        elif normalised in _PROJECT_KEYS and _GCP_PROJECT.match(value):
            yield MetadataIssue("cloud project id", where, value)
        elif normalised == "connectionfile":
            yield MetadataIssue("kernel connection file path", where, _hide_user(value))


def _string_issues(path: str, value: str) -> Iterator[MetadataIssue]:
    match = _HOME.search(value)
    if match and match.group("user").lower() not in _GENERIC_USERS:
        user = match.group("user")
        yield MetadataIssue(
            "home directory path naming a user", path, f"{user[:1]}… in a home path"
        )
    match = _ARN_ACCOUNT.search(value)
    if match:
        yield MetadataIssue("AWS account id", path, f"…{match.group('account')[-4:]}")
    match = _SUBSCRIPTION.search(value)
    if match:
        yield MetadataIssue("Azure subscription id", path, f"…{match.group('id')[-4:]}")
    if _KERNEL_FILE.search(value):
        yield MetadataIssue("kernel connection file path", path, _hide_user(value[:120]))
    match = _URL_TOKEN.search(value)
    if match:
        yield MetadataIssue("token in a URL", path, redact(match.group("v")))


def _hide_user(value: str) -> str:
    return _HOME.sub(lambda m: m.group(0)[: m.start("user") - m.start(0)] + "…", value)
