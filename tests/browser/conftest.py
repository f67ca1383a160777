"""A real browser for the report tests: Debian's Chromium driven by Playwright.

The browser is never downloaded (``playwright install`` needs the network): the
tests drive the system Chromium (``/usr/bin/chromium``, or ``AIWARDEN_CHROMIUM``).
When it or the ``playwright`` package is missing the tests are skipped with the
reason, unless ``AIWARDEN_REQUIRE_BROWSER=1`` (set by CI), which turns that into an
error. Screenshots go to ``AIWARDEN_TEST_ARTIFACTS`` or ``<repo>/test-artifacts/``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from aiwarden.assess.model import Scorecard
from aiwarden.outputs.assessment.html import HtmlRenderer

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("AIWARDEN_CHROMIUM", "/usr/bin/chromium"))
LAPTOP = {"width": 1366, "height": 768}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # without these Chromium calls Google's update and sync services on start
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("AIWARDEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and AIWARDEN_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for the module (skipped, or failed in CI, when missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (created on demand)."""
    folder = Path(os.environ.get("AIWARDEN_TEST_ARTIFACTS") or REPO / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Probe:
    """Everything a page did that a self-contained report must not do."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No console or script error, and no request but the report itself."""
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.requests == [self.url]


OpenReport = Callable[..., tuple[Any, Probe]]


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[OpenReport]:
    """Render a scorecard to a file and open it in a fresh 1366x768 browser context."""
    contexts: list[Any] = []

    def _open(
        scorecard: Scorecard, name: str = "report", javascript: bool = True
    ) -> tuple[Any, Probe]:
        path = tmp_path / f"{name}.html"
        path.write_text(HtmlRenderer().render(scorecard), encoding="utf-8")
        context = browser.new_context(viewport=LAPTOP, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        probe = Probe(path.as_uri())
        page.on("request", lambda request: probe.requests.append(request.url))
        page.on(
            "console",
            lambda msg: probe.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: probe.page_errors.append(str(error)))
        page.goto(probe.url)
        return page, probe

    yield _open
    for context in contexts:
        context.close()
