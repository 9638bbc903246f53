"""`redes run` prints who the victims are and where they come from: true victims, recorded victims
and cases opened, the share of minors and of women among true and among recorded victims, and the
top departments of origin and of record. Each printed figure is recomputed here from the run's own
HDF5 file, so the summary and the file cannot disagree."""
import os
import re
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
SCENARIO = REPO / "scenarios" / "workshop" / "small.yaml"


@pytest.fixture(scope="module")
def printed_run(tmp_path_factory):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    out = tmp_path_factory.mktemp("summary") / "run.h5"
    p = subprocess.run([str(BIN), "run", str(SCENARIO), "-o", str(out), "--replicates", "3", "--seed", "3",
                        "--lang", "en"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return out, p.stdout


def number_after(text, label):
    m = re.search(re.escape(label) + r"\s+([\d,]+)", text)
    assert m, f"no line '{label}' in:\n{text}"
    return float(m.group(1).replace(",", ""))


def shares_after(text, label):
    m = re.search(re.escape(label) + r"\s+([\d.]+)% \(\d+ to \d+%\)\s+([\d.]+)% \(\d+ to \d+%\)", text)
    assert m, f"no share line '{label}' in:\n{text}"
    return float(m.group(1)), float(m.group(2))


def test_counts_match_the_file(printed_run):
    out, text = printed_run
    with h5py.File(out) as f:
        cases = f["/observed/case_files"][()].reshape(3, -1).sum(axis=1)
        recorded = f["/observed/recorded_victims"][()].sum(axis=1)
        profile = f["/observed/recorded_profile"][()]
        assert f["/observed/recorded_profile"].attrs["unit"] == b"persons"  # fixed-length: bytes in h5py
    assert number_after(text, "cases opened (all institutions)") == np.median(cases)
    assert number_after(text, "recorded by institutions") == np.median(recorded)
    # the profile counts the same distinct recorded victims
    np.testing.assert_array_equal(profile.sum(axis=(1, 2)), recorded)


def test_shares_match_the_file(printed_run):
    out, text = printed_run
    with h5py.File(out) as f:
        ages = [a.decode() if isinstance(a, bytes) else a for a in f["/observed/age_group"][()]]
        minor = np.isin(ages, ["child", "adolescent"])
        by_age = f["/summary/victims_by_age_group"][()]
        by_gender = f["/summary/victims_by_gender"][()]
        profile = f["/observed/recorded_profile"][()].astype(float)  # [replicate, age_group, gender]
    true_minor = 100 * by_age[:, minor].sum(axis=1) / by_age.sum(axis=1)
    true_women = 100 * by_gender[:, 0] / by_gender.sum(axis=1)
    rec = profile.sum(axis=(1, 2))
    rec_minor = 100 * profile[:, minor, :].sum(axis=(1, 2)) / rec
    rec_women = 100 * profile[:, :, 0].sum(axis=1) / rec
    printed_minor = shares_after(text, "minors (under 18 when recruited)")
    printed_women = shares_after(text, "women and girls")
    assert printed_minor == pytest.approx((np.median(true_minor), np.median(rec_minor)), abs=0.051)
    assert printed_women == pytest.approx((np.median(true_women), np.median(rec_women)), abs=0.051)


def test_top_departments_match_the_file(printed_run):
    out, text = printed_run
    with h5py.File(out) as f:
        names = [d.decode() if isinstance(d, bytes) else d for d in f["/observed/department"][()]]
        origin = f["/summary/victims_by_department"][()].sum(axis=0)
        record = f["/observed/case_files"][()].sum(axis=(0, 1, 2))
    for label, counts in (("top departments of origin (true victims):", origin),
                          ("top departments of record (cases opened):", record)):
        m = re.search(re.escape(label) + r" (.+)", text)
        assert m, text
        first, share = re.match(r"(.+?) (\d+)%", m.group(1).split(", ")[0]).groups()
        assert first == names[int(np.argmax(counts))]
        assert int(share) == round(100 * counts.max() / counts.sum())
