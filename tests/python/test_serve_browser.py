"""The workshop app in a real browser: Debian's Chromium, headless, driven by Selenium
(python3-selenium with chromium-driver). Opens the app, picks a preset, moves a slider, runs, sees
the chart change and Spanish labels, compares two runs, downloads the report, and finds no error
in the console. Skipped, with the reason, only when Chromium or its driver is absent."""
import shutil
import time
from pathlib import Path

import pytest

from serve_support import BINARY, Served

CHROMIUM = "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def browser(download_dir, width=1200, height=1800):
    webdriver = pytest.importorskip("selenium.webdriver", reason="python3-selenium not installed")
    if not Path(CHROMIUM).is_file() or not Path(DRIVER).is_file():
        pytest.skip("Chromium or chromium-driver not installed; apt-get install chromium chromium-driver")
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={download_dir.parent / 'profile'}", f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    opts.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                           "download.prompt_for_download": False})
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return d


def wait(cond, timeout=300, what="condition"):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        v = cond()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def chart_points(d, chart_id):
    return d.execute_script(
        "const c = Chart.getChart(arguments[0]); return c ? c.data.datasets.map(s => s.data) : null;", chart_id)


def run_and_wait(d):
    before = d.execute_script("return state.runs.length")
    d.find_element("id", "run").click()
    wait(lambda: d.execute_script("return state.runs.length") > before or
         "error" in d.find_element("id", "status").get_attribute("class"), what="a run")
    assert "error" not in d.find_element("id", "status").get_attribute("class"), d.find_element("id", "status").text


def test_workshop_app_in_headless_chromium(tmp_path):
    if not BINARY.is_file():
        pytest.skip(f"redes binary not found at {BINARY}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    server = Served()
    d = browser(downloads)
    try:
        d.get(server.url + "/")
        wait(lambda: d.find_elements("css selector", "#presets button"), what="presets")
        # Spanish by default for the Paraguay workshop pack.
        assert d.find_element("id", "run").text == "Simular"
        assert "estimación del modelo" in d.find_element("id", "notice").text.lower()
        # Keep runs small; the same settings hold for both runs, so they pair.
        persons = d.find_element("id", "in-persons")
        persons.clear()
        persons.send_keys("2000")
        d.execute_script("arguments[0].dispatchEvent(new Event('input'))", persons)
        reps = d.find_element("id", "in-replicates")
        reps.clear()
        reps.send_keys("2")
        d.execute_script("arguments[0].dispatchEvent(new Event('input'))", reps)
        run_and_wait(d)
        first = chart_points(d, "chart-recorded")
        assert first and any(v > 0 for v in first[0])
        # Step 3: literacy in schools, with the slider moved to full reach.
        d.find_elements("css selector", "#presets button")[2].click()
        assert d.find_element("id", "in-literacy").is_selected()
        slider = d.find_element("id", "in-literacy_coverage")
        d.execute_script("arguments[0].value = 1; arguments[0].dispatchEvent(new Event('input'));"
                         "arguments[0].dispatchEvent(new Event('change'));", slider)
        assert d.execute_script("return state.params.literacy_coverage") == 1
        run_and_wait(d)
        # The charts changed: the reach chart now shows the training, and the runs compare in pairs.
        reach = chart_points(d, "chart-reach")
        assert reach and reach[0] and reach[0][0] > 0
        assert d.find_element("id", "chart-reach").size["height"] > 50  # drawn, not collapsed
        wait(lambda: d.execute_script("return state.compare !== null"), what="the paired comparison")
        out = d.find_element("id", "compare-out").text
        assert "Víctimas evitadas" in out and "intervalo de 95 %" in out
        averted = chart_points(d, "chart-averted")
        assert averted and len(averted[0]) == 4
        labels = d.execute_script("return Chart.getChart('chart-averted').data.labels")
        assert "adolescentes (13-17)" in labels
        time_labels = d.execute_script("return Chart.getChart('chart-time').data.datasets.map(s => s.label)")
        assert "contacto de confianza" in time_labels
        # What institutions see: the headline switches to recorded victims.
        d.find_element("css selector", "input[name=view][value=recorded]").click()
        assert "registradas" in d.find_element("id", "headline").text
        # The report downloads, in Spanish, with the notice.
        d.find_element("id", "dl-report").click()
        # Chromium may create the file before its bytes land: wait for the whole document.
        def finished_report():
            for p in downloads.glob("redes-report-*.html"):
                text = p.read_text(encoding="utf-8", errors="replace")
                if text.rstrip().endswith("</html>"):
                    return text
            return None
        html = wait(finished_report, timeout=30, what="the whole report")
        assert "Informe del taller redes" in html and "estimación del modelo" in html.lower() and "data:image/png" in html
        # English on request.
        d.find_element("id", "lang").send_keys("English")
        wait(lambda: d.find_element("id", "run").text == "Run", timeout=10, what="English labels")
        # A phone screen: nothing wider than the window.
        d.set_window_size(390, 844)
        time.sleep(0.5)
        assert d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
    finally:
        d.quit()
        server.stop()
