"""Put the repo root (for `analysis`) and this folder (for `fixtures`) on sys.path."""
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for p in (str(REPO), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

import fixtures  # noqa: E402

# Tests read English texts; the report and `redes` default to the locale's language (es or en).
os.environ["LC_ALL"] = "C.UTF-8"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def run_file(tmp_path):
    """A complete run file and its truth."""
    path = tmp_path / "run.h5"
    return path, fixtures.make_run(path)


@pytest.fixture
def compare_file(tmp_path):
    """A compare file (three interventions, one with no effect) and its truth."""
    path = tmp_path / "compare.h5"
    return path, fixtures.make_compare(path)


@pytest.fixture
def sweep_file(tmp_path):
    """A complete saltelli sweep file (16 points x 2 replicates) with Sobol indices, and its truth."""
    path = tmp_path / "sweep.h5"
    return path, fixtures.make_sweep(path)


@pytest.fixture
def calibration_file(tmp_path):
    """A calibration file (40 particles on a ridge, 3 generations, 5 target points) and its truth."""
    path = tmp_path / "calibration.h5"
    return path, fixtures.make_calibration(path)
