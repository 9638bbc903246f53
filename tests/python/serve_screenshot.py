"""`make screenshot`: the workshop app after step 1 and step 3 (paired), in Spanish, captured by
headless Chromium through Selenium. Usage: python3 tests/python/serve_screenshot.py OUT.png"""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_support import Served  # noqa: E402
from test_serve_browser import browser, run_and_wait, wait  # noqa: E402


def main(out):
    server = Served()
    with tempfile.TemporaryDirectory() as tmp:
        downloads = Path(tmp) / "downloads"
        downloads.mkdir()
        d = browser(downloads, width=1280, height=2300)
        try:
            d.get(server.url + "/")
            wait(lambda: d.find_elements("css selector", "#presets button"), what="presets")
            run_and_wait(d)
            d.find_elements("css selector", "#presets button")[2].click()
            run_and_wait(d)
            wait(lambda: d.execute_script("return state.compare !== null"), what="the comparison")
            d.save_screenshot(str(out))
        finally:
            d.quit()
            server.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
