"""The HTML report in a real headless browser (Debian's chromium via Selenium).

``.ci/run`` installs ``chromium`` and ``chromium-driver``; on a machine without them
the test is skipped, except under CI (``CI`` set), where it fails. The screenshot is
kept in ``$SOC2CHECKS_TEST_ARTIFACTS`` (default ``test-artifacts/`` at the root).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from soc2checks import RunResult
from soc2checks.reporters import html

ROOT = Path(__file__).resolve().parents[2]


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed (see .ci/run)")
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install ...)")
    return chromium, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium, driver = _browser_paths()
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1600"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield drv
    finally:
        drv.quit()


def _visible(drv: Any) -> list[str]:
    """Resource or check of every finding the reader can see now."""
    from selenium.webdriver.common.by import By

    return [
        el.get_attribute("data-status") or ""
        for el in drv.find_elements(By.CSS_SELECTOR, "details.finding")
        if el.is_displayed()
    ]


def test_loads_clean_and_filters_change_what_is_visible(
    browser: Any, result: RunResult, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = tmp_path / "report.html"
    page.write_text(html.render(result), encoding="utf-8")
    browser.get(page.as_uri())
    logs = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert logs == []
    # The <script> in a message stayed text: only our own script exists, no alert ran.
    assert browser.execute_script("return document.scripts.length") == 1
    assert "<script>alert" in browser.find_element(By.ID, "group-fail").get_attribute("textContent")
    assert browser.find_element(By.ID, "filters").is_displayed()
    browser.execute_script(
        "document.querySelectorAll('details.group').forEach(function(g){g.open=true})"
    )
    everything = _visible(browser)
    assert sorted(everything) == sorted(f.status.value for f in result.findings)
    shown = browser.find_element(By.ID, "shown-count")
    assert shown.text == str(len(result.findings))

    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=pass]").click()
    assert sorted(_visible(browser)) == sorted(s for s in everything if s != "pass")
    assert shown.text == str(len(everything) - everything.count("pass"))
    assert not browser.find_element(By.ID, "group-pass").is_displayed()

    Select(browser.find_element(By.ID, "f-provider")).select_by_value("github")
    assert _visible(browser) == ["skip"]
    Select(browser.find_element(By.ID, "f-provider")).select_by_value("")

    Select(browser.find_element(By.ID, "f-criterion")).select_by_value("CC6.7")
    assert sorted(_visible(browser)) == ["error", "waived"]
    Select(browser.find_element(By.ID, "f-criterion")).select_by_value("")

    browser.find_element(By.ID, "f-text").send_keys("carol")
    assert _visible(browser) == ["fail"]
    assert shown.text == "1"
    browser.find_element(By.ID, "f-text").clear()
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=pass]").click()
    browser.find_element(By.ID, "f-text").send_keys(" ")  # an input event re-applies
    assert sorted(_visible(browser)) == sorted(everything)

    # A readiness link narrows the findings to that criterion.
    browser.find_element(By.CSS_SELECTOR, 'a[data-crit="CC1.1"]').click()
    assert _visible(browser) == ["pass"]

    artifacts = Path(os.environ.get("SOC2CHECKS_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(artifacts / "html-report.png"))
    assert (artifacts / "html-report.png").stat().st_size > 10_000
