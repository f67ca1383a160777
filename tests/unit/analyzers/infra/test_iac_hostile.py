"""Hostile and broken input: no crash, no hang, a finding where a bound is hit."""

from __future__ import annotations

import os
import time

from iac_support import Scan, pairs, rules


def test_binary_junk_named_dockerfile(scan: Scan) -> None:
    found = scan("Dockerfile", os.urandom(4096).decode("latin-1"))
    assert rules(found) == {"AIW-IAC099"}


def test_text_that_is_not_a_dockerfile(scan: Scan) -> None:
    assert pairs(scan("Dockerfile.prod", "FROM a:1\n<html>oops</html>\n")) == {("AIW-IAC099", 2)}


def test_alias_bomb_manifest_is_reported_quickly(scan: Scan) -> None:
    lines = ["apiVersion: v1", "kind: ConfigMap", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.monotonic()
    found = scan("bomb.yaml", "\n".join(lines) + "\n")
    assert rules(found) == {"AIW-IAC099"} and "nodes" in found[0].message
    assert time.monotonic() - started < 5


def test_deeply_nested_compose(scan: Scan) -> None:
    found = scan("docker-compose.yml", "services: " + "[" * 20_000 + "\n")
    assert rules(found) == {"AIW-IAC099"}


def test_unclaimed_yaml_is_not_ours(scan: Scan) -> None:
    assert scan(".github/workflows/ci.yml", "on: [push\n") == []  # not K8s/compose/values
    assert scan("mkdocs.yml", "site_name: x\nnav: [a, b]\n") == []


def test_many_findings_are_capped(scan: Scan) -> None:
    body = "".join(f"  s{i}:\n    image: app:1\n    privileged: true\n" for i in range(400))
    found = scan("docker-compose.yml", "services:\n" + body)
    assert 0 < len(found) <= 300
