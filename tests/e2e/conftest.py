"""End-to-end fixtures: Debian's Chromium driven by Playwright against Django's live server.

Without /usr/bin/chromium the e2e tests skip with a reason, except under CI=true where that is a failure.
axe-core (npm, installed by `make test` into node_modules/) is injected into pages for accessibility checks.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread anyway.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (obligatoire en CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _missing(
            f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium » (make test le fait en root)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright n'est pas installé")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _open_page(browser, live_server, **context_options):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def _close(context, page):
    # The live server shares the test's database connection (SQLite in memory): let the last request finish before
    # the database is flushed, or both threads would use one connection at once.
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # noqa: BLE001 - a page still busy after 5 s is closed anyway
        pass
    context.close()


@pytest.fixture
def page(browser, live_server):
    context, page = _open_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _open_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    _close(context, page)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page and return the violations of the given impacts."""
    if not AXE_JS.exists():
        _missing(f"axe-core introuvable ({AXE_JS}) : lancez `npm install` (make test le fait)")
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
    # (add_script_tag writes an inline <script>, which the policy rightly refuses).
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in impacts]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in bad
    ]


def format_violations(violations) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=2)
