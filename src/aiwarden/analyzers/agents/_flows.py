"""AIW-AGT012 toxic flows and AIW-AGT014 server count, over all servers of one config.

Each server is labelled from a curated catalogue of well-known servers and keyword
heuristics over its package or image name, remote host and configured name:
``untrusted`` (reads content others write), ``private`` (reads private data), ``sink``
(can send data somewhere others read) and ``destructive`` (can change or delete).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._launch import launch_of
from aiwarden.analyzers.agents._model import ConfigDoc, Server
from aiwarden.analyzers.agents.rules import EXCESSIVE_SURFACE, TOXIC_FLOW
from aiwarden.core.severity import Confidence

MAX_CONFIG_SERVERS: Final = 10
"""More servers than this in one configuration is reported as an excessive surface."""
UNTRUSTED, PRIVATE, SINK, DESTRUCTIVE = "untrusted", "private", "sink", "destructive"

_CATALOGUE: Final[tuple[tuple[str, frozenset[str]], ...]] = tuple(
    (pattern, frozenset(labels))
    for pattern, labels in (
        (r"desktop-commander|shell|terminal|exec|commands?|code-?runner|ssh|iterm",
         (PRIVATE, SINK, DESTRUCTIVE)),
        (r"filesystem|file-system|\bfs\b", (PRIVATE, DESTRUCTIVE)),
        (r"github|gitlab|gitea|bitbucket|forgejo", (UNTRUSTED, PRIVATE, SINK)),
        (r"slack|discord|teams|telegram|mattermost|whatsapp|signal|zulip|matrix",
         (UNTRUSTED, PRIVATE, SINK)),
        (r"gmail|e-?mail|mail|outlook|imap|smtp|sendgrid|resend|postmark",
         (UNTRUSTED, PRIVATE, SINK)),
        (r"notion|confluence|atlassian|jira|linear|asana|trello|clickup|monday|zendesk|intercom",
         (UNTRUSTED, PRIVATE, SINK)),
        (r"gdrive|google-?drive|gdocs|google-?docs|sharepoint|onedrive|dropbox|\bbox\b",
         (UNTRUSTED, PRIVATE)),
        (r"postgres|mysql|mariadb|sqlite|mongo|redis|supabase|neon|snowflake|bigquery|clickhouse"
         r"|database|\bsql|mssql|dynamodb|elastic|prisma|duckdb|airtable",
         (PRIVATE, DESTRUCTIVE)),
        (r"fetch|browser|puppeteer|playwright|browserbase|firecrawl|scrap|crawl|selenium|chrome"
         r"|\bweb\b|web-|http", (UNTRUSTED, SINK)),
        (r"brave|search|tavily|exa\b|serp|duckduckgo|perplexity|kagi|bing|reddit|youtube|rss"
         r"|hacker-?news|twitter|x-mcp", (UNTRUSTED,)),
        (r"aws|gcp|azure|kubernetes|k8s|docker|terraform|cloudflare|vercel|heroku|netlify",
         (PRIVATE, DESTRUCTIVE)),
        (r"sentry|datadog|grafana|pagerduty|newrelic", (UNTRUSTED, PRIVATE)),
        (r"stripe|paypal|payment|plaid|shopify", (PRIVATE, SINK, DESTRUCTIVE)),
        (r"\bgit\b|server-git|mcp-git", (PRIVATE, DESTRUCTIVE)),
    )
)  # fmt: skip
_COMPILED: Final = tuple((re.compile(p, re.IGNORECASE), labels) for p, labels in _CATALOGUE)


def server_labels(server: Server) -> frozenset[str]:
    """The capability labels of ``server`` (empty when it is not recognised)."""
    identity = _identity(server)
    for pattern, labels in _COMPILED:
        if pattern.search(identity):
            return labels
    return frozenset()


def _identity(server: Server) -> str:
    launch = launch_of(server)
    parts = [server.name, launch.name or ""]
    urls = [server.url[1]] if server.url else []
    urls.extend(arg for _, arg in launch.rest if arg.startswith("http"))
    for url in urls[:3]:
        try:
            parts.append(urlsplit(url).hostname or "")
        except ValueError:
            continue
    return " ".join(p.replace("_", "-") for p in parts if p)


def check_doc(doc: ConfigDoc) -> Iterator[Hit]:
    """At most one toxic-flow finding and one surface finding for ``doc``."""
    if len(doc.servers) > MAX_CONFIG_SERVERS:
        yield Hit(
            EXCESSIVE_SURFACE,
            doc.servers_path,
            f"{len(doc.servers)} MCP servers are configured for one agent (more than "
            f"{MAX_CONFIG_SERVERS}): every tool description is in context and reachable.",
            key="agt-surface:servers",
            evidence=", ".join(s.name for s in doc.servers[:15]),
        )
    legs: dict[str, list[str]] = {UNTRUSTED: [], PRIVATE: [], SINK: [], DESTRUCTIVE: []}
    for server in doc.servers:
        for label in server_labels(server):
            legs[label].append(server.name)
    hit = _trifecta(doc, legs) or _destructive(doc, legs)
    if hit is not None:
        yield hit


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names[:4])


def _trifecta(doc: ConfigDoc, legs: dict[str, list[str]]) -> Hit | None:
    if not (legs[UNTRUSTED] and legs[PRIVATE] and legs[SINK]):
        return None
    involved = {*legs[UNTRUSTED], *legs[PRIVATE], *legs[SINK]}
    if len(involved) < 2:
        return None  # one server alone is that server's own design, not a combination
    return Hit(
        TOXIC_FLOW,
        doc.servers_path,
        f"Toxic flow: untrusted input ({_names(legs[UNTRUSTED])}), private data "
        f"({_names(legs[PRIVATE])}) and a public sink ({_names(legs[SINK])}) are available to "
        "one agent; one injected instruction can exfiltrate the private data.",
        key="agt-flow:trifecta",
        evidence=", ".join(sorted(involved))[:200],
        confidence=Confidence.HIGH,
    )


def _destructive(doc: ConfigDoc, legs: dict[str, list[str]]) -> Hit | None:
    untrusted = legs[UNTRUSTED]
    destructive = [n for n in legs[DESTRUCTIVE] if n not in untrusted]
    if not (untrusted and destructive):
        return None
    return Hit(
        TOXIC_FLOW,
        doc.servers_path,
        f"Toxic flow: untrusted input ({_names(untrusted)}) reaches destructive tools "
        f"({_names(destructive)}) in one agent; injected content can change or delete data.",
        key="agt-flow:destructive",
        evidence=", ".join(sorted({*untrusted, *destructive}))[:200],
        confidence=Confidence.MEDIUM,
    )
