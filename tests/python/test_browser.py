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


def test_main_job_report_renders_without_errors(tmp_path):
    """The main job's pipeline (run, compare, report of the folder) at workshop scale, rendered in
    Chromium with console logging: the page loads and logs no error."""
    import os
    import sys
    repo = Path(__file__).resolve().parents[2]
    binary = Path(os.environ.get("REDES_BIN", repo / "build" / "redes"))
    exe = chromium()
    if exe is None:
        pytest.skip("Chromium not installed (/usr/bin/chromium); install the 'chromium' package to run this check")
    if not binary.is_file():
        pytest.skip(f"redes binary not found at {binary}")
    out = tmp_path / "out"
    out.mkdir()
    steps = [
        [str(binary), "run", "scenarios/workshop/small.yaml", "--replicates", "2", "-o", str(out / "baseline.h5")],
        [str(binary), "compare", "scenarios/workshop/small.yaml", "scenarios/workshop/literacy.yaml",
         "scenarios/workshop/moderation.yaml", "--replicates", "3", "-o", str(out / "compare.h5")],
        [sys.executable, "-m", "analysis.report", str(out), "-o", str(out / "report.html")],
    ]
    for cmd in steps:
        p = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, f"{cmd[1]} failed:\n{p.stdout}\n{p.stderr}"
    shot = tmp_path / "shot.png"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'p'}",
           "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1280,2000",
           (out / "report.html").as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert shot.is_file(), f"no screenshot (exit {p.returncode}):\n{p.stderr[-2000:]}"
    console_errors = [l for l in p.stderr.splitlines() if "CONSOLE" in l and "ERROR" in l.upper()]
    assert not console_errors, "\n".join(console_errors)
    assert "Uncaught" not in p.stderr
