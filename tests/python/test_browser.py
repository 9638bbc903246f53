"""The report renders in a real browser (headless Chromium) with no network: a screenshot is
produced and is not blank. Skipped, with the reason, when Chromium is not installed."""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import fixtures
from analysis import report


def chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_renders_in_headless_chromium(tmp_path):
    exe = chromium()
    if exe is None:
        pytest.skip("Chromium not installed (/usr/bin/chromium); install the 'chromium' package to run this check")
    run = tmp_path / "run.h5"
    fixtures.make_run(run)
    html, _ = report.render([run])
    page = report.write_atomic(tmp_path / "report.html", html)
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert shot.is_file(), f"no screenshot (exit {p.returncode}):\n{p.stderr[-2000:]}"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    import matplotlib.image
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[0] >= 1000 and pixels.shape[1] >= 1000
    assert float(np.std(pixels[..., :3])) > 0.02  # not a blank page
