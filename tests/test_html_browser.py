"""The HTML report of the seed case in a real browser (headless Chromium, no network).

Checks that the highlights are in the rendered DOM, that the page's script ran without an
error or a console message (a Content-Security-Policy violation would log one), that the
columns stack on a phone-sized window, and takes screenshots at desktop and phone sizes
(kept in the test's tmp dir, or copied to $FIDELITY_SCREENSHOT_DIR to look at).

Skipped when no Chromium is installed (`scripts/install-test-tool.sh chromium chromium`
installs Debian's), unless the CI environment variable is set, in which case a missing
browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html

import fidelity
from fidelity.baseline import BASELINE_NAME, fingerprint
from fidelity.model import Report
from fidelity.report.html import render_html

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "01_seed_naryshkin"
BROWSERS = (
    "chromium",
    "chromium-headless-shell",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)

# Injected around the page's own script: records errors and CSP violations on <html>, then
# reports (via the title and data attributes) that the page script ran and how the grid laid
# out at this window width.
PROBE_HEAD = """<script>
(function () {
  function note(text) {
    var root = document.documentElement;
    root.setAttribute("data-test-errors", (root.getAttribute("data-test-errors") || "") + text + ";");
  }
  window.addEventListener("error", function (e) { note("error: " + e.message); });
  document.addEventListener("securitypolicyviolation", function (e) {
    note("csp: " + e.violatedDirective + " " + e.blockedURI);
  });
})();
</script>"""
PROBE_TAIL = """<script>
(function () {
  var root = document.documentElement;
  var row = document.querySelector(".pairs .row:not(.head)");
  var columns = getComputedStyle(row).gridTemplateColumns.split(" ").length;
  root.setAttribute("data-test-columns", String(columns));
  root.setAttribute("data-test-width", String(window.innerWidth));
  if (root.classList.contains("js-ready")) { document.title = "ok"; }
})();
</script>"""


def _chromium() -> str:
    explicit = os.environ.get("FIDELITY_CHROMIUM")
    if explicit:
        return explicit
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    message = "no Chromium binary found (install one with scripts/install-test-tool.sh chromium chromium)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message + "; CI is set, so the browser test must run")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> str:
    return _chromium()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIDELITY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return fidelity.check(SEED / "original.en.txt", [SEED / "version.en.txt"])


@pytest.fixture(scope="module")
def page(seed_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    path.write_text(render_html(seed_report), encoding="utf-8")
    return path


def _run(browser: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, env=_quiet_env()
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish in 120 s: {' '.join(command)}")
    if result.returncode != 0:
        pytest.fail(f"Chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def _quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


def _probed(page: Path, tmp: Path) -> Path:
    markup = page.read_text(encoding="utf-8")
    assert markup.count("<head>") == 1 and markup.count("</body>") == 1
    probed = tmp / "probed.html"
    markup = markup.replace("<head>", "<head>" + PROBE_HEAD, 1)
    probed.write_text(markup.replace("</body>", PROBE_TAIL + "</body>", 1), encoding="utf-8")
    return probed


def _console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


# --dump-dom lays the page out no narrower than 500px, so the narrow case is 600px (the
# columns stack under 700px); the phone screenshot below is taken at 390px.
@pytest.mark.parametrize(("width", "columns"), [(1280, 3), (600, 1)])
def test_rendered_dom_has_highlights_and_no_errors(
    browser: str, page: Path, seed_report: Report, tmp_path: Path, width: int, columns: int
) -> None:
    probed = _probed(page, tmp_path)
    result = _run(
        browser,
        tmp_path,
        "--enable-logging=stderr",
        "--v=0",
        f"--window-size={width},2000",
        "--dump-dom",
        probed.as_uri(),
    )
    assert not _console_lines(result.stderr), _console_lines(result.stderr)
    dom = lxml_html.fromstring(result.stdout)
    assert dom.get("data-test-errors") is None, dom.get("data-test-errors")
    assert "js-ready" in (dom.get("class") or ""), "the page script did not finish"
    assert dom.findtext(".//title") == "ok"
    assert dom.get("data-test-width") == str(width)
    assert dom.get("data-test-columns") == str(columns), "grid columns at this width"

    findings = [f for v in seed_report.versions for f in v.findings]
    assert findings, "the seed case must show drift"
    expected = Counter(f.severity.label for f in findings)
    marks = dom.xpath("//mark[@data-finding]")
    shown = Counter(
        c.removeprefix("sev-")
        for m in marks
        for c in m.get("class").split()
        if c.startswith("sev-")
    )
    for severity in expected:
        assert shown[severity] > 0, f"no mark.sev-{severity} in the rendered page"
    assert dom.xpath("//mark[contains(@class,'sev-major')]")
    # Every finding is in the list, and every mark points at one of them.
    items = {li.get("id") for li in dom.xpath("//li[contains(@class,'finding')]")}
    assert items == {f"f-{n}" for n in range(1, len(findings) + 1)}
    assert {f"f-{m.get('data-finding')}" for m in marks} <= items


def test_screenshots(browser: str, page: Path, tmp_path: Path) -> None:
    shots = {"desktop": (1280, 2000), "phone": (390, 2400)}
    for name, (width, height) in shots.items():
        target = tmp_path / f"report-{name}.png"
        _run(
            browser,
            tmp_path,
            f"--screenshot={target}",
            f"--window-size={width},{height}",
            page.as_uri(),
        )
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000, "an almost empty screenshot: the page did not render"
        keep = os.environ.get("FIDELITY_SCREENSHOT_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(target, Path(keep) / target.name)


# Opens the first finding's "dismiss" control and presses its copy button, as a reader would,
# then reports what got selected (the line to paste) and whether the line is on screen.
DISMISS_PROBE = """<script>
(function () {
  var root = document.documentElement;
  var item = document.getElementById("f-1");
  item.querySelector("details.dismiss summary").click();
  item.querySelector("button.copy-line").click();
  var line = item.querySelector(".baseline-line");
  root.setAttribute("data-test-selected", window.getSelection().toString());
  root.setAttribute("data-test-visible", String(line.getBoundingClientRect().height > 0));
  root.setAttribute("data-test-note", item.querySelector(".copy-note").textContent);
})();
</script>"""


def test_dismissed_line_suppresses_the_finding_on_the_next_run(
    browser: str, page: Path, seed_report: Report, tmp_path: Path
) -> None:
    markup = page.read_text(encoding="utf-8")
    probed = tmp_path / "dismiss.html"
    probed.write_text(markup.replace("</body>", DISMISS_PROBE + "</body>", 1), encoding="utf-8")
    result = _run(browser, tmp_path, "--window-size=1280,2000", "--dump-dom", probed.as_uri())
    dom = lxml_html.fromstring(result.stdout)
    assert dom.get("data-test-visible") == "true", "the dismiss control did not open"
    assert dom.get("data-test-note"), "the copy button gave no feedback"
    line = dom.get("data-test-selected")
    first = seed_report.versions[0].findings[0]
    assert json.loads(line)["fingerprint"] == fingerprint(first)

    baseline = tmp_path / BASELINE_NAME
    baseline.write_text("# pasted from the HTML report\n" + line + "\n", encoding="utf-8")
    again = fidelity.check(SEED / "original.en.txt", [SEED / "version.en.txt"], baseline=baseline)
    version = again.versions[0]
    assert [fingerprint(f) for f in version.suppressed] == [fingerprint(first)]
    assert len(version.findings) == len(seed_report.versions[0].findings) - 1
    assert fingerprint(first) not in {fingerprint(f) for f in version.findings}
