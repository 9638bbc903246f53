"""The hostile-input table: the real redes binary against malformed, forged and huge inputs, bad
flags, outputs that are inputs, concurrent runs, full or impossible disks and signals.

Each row: an id, its class, a setup that writes the files, the command, the expected exit code
(None: any clean non-zero exit, e.g. CLI11's own codes), a fragment of the expected message, and
the "nothing lost" check every row gets: every file that existed before is unchanged, no
temporary file (`*.tmp-*`) or lock file is left, and the process was not killed by a signal.
"""
import fcntl
import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import h5py
import numpy as np
import pytest

from fixtures import fixed_string, redes_file

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("REDES_BIN", str(REPO / "build" / "redes"))
TINY = REPO / "tests" / "data" / "sweep_tiny_scenario.yaml"
SMALL = REPO / "scenarios" / "workshop" / "small.yaml"
LITERACY = REPO / "scenarios" / "workshop" / "literacy.yaml"

pytestmark = pytest.mark.skipif(not Path(BIN).exists(), reason="redes binary not built")


def redes(*args, cwd, timeout=120, **kw):
    return subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          errors="replace", **kw)


def snapshot(d: Path) -> dict:
    out = {}
    for p in sorted(d.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(d))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def nothing_lost(d: Path, before: dict):
    after = snapshot(d)
    for name, digest in before.items():
        assert name in after, f"input {name} was removed"
        assert after[name] == digest, f"input {name} was changed"
    leftovers = [n for n in after if ".tmp-" in n or n.endswith(".lock")]
    assert not leftovers, f"temporary or lock files left behind: {leftovers}"


# ---- setups: each writes files into d and returns nothing --------------------------------------
def scenario(d: Path, body: str = "", name="s.yaml", base=TINY):
    (d / name).write_text(f"include: {base}\n{body}")


def chain(d: Path):
    """s.yaml includes base.yaml (in d), which includes the tiny test scenario."""
    (d / "base.yaml").write_text(f"include: {TINY}\ndescription: from base\n")
    (d / "s.yaml").write_text("include: base.yaml\nname: chained\n")


def override(key, value):
    return lambda d: scenario(d, f"override:\n  {key}: {{value: {value}, assumed: hostile}}\n")


def sweep_files(d: Path):
    shutil.copy(TINY, d / "sweep_tiny_scenario.yaml")
    (d / "sweep_tiny_scenario.yaml").write_text(TINY.read_text().replace("../../scenarios", str(REPO / "scenarios")))
    shutil.copy(REPO / "tests" / "data" / "sweep_tiny.yaml", d / "sw.yaml")


def interventions(d: Path):
    scenario(d)
    (d / "iv.yaml").write_text(LITERACY.read_text())


def text_file(name, content=b"not an HDF5 file\n"):
    return lambda d: (d / name).write_bytes(content)


def h5_file(build):
    def setup(d: Path):
        with redes_file(d / "f.h5") as f:
            build(f)
    return setup


def meta(f, kind="run", name="x"):
    g = f.create_group("metadata")
    for k, v in dict(kind=kind, scenario_name=name, seed="1", replicates="1", days="1", start_date="2019-01-01").items():
        g.attrs[k] = v


def unlabelled_summary(f):
    meta(f)
    f.create_dataset("summary/victims_by_department", data=np.ones((2, 3)))


def empty_summary(f):
    meta(f)
    f.create_dataset("summary/victims", data=np.ones((0,)))


def scalar_summary(f):
    meta(f)
    f.create_dataset("summary/victims", data=1.0)


def ragged_compare(f):
    meta(f, "compare")
    f.create_dataset("compare/averted_mean", data=np.ones(3))
    for k in ("averted_lo", "averted_hi", "cost", "cost_per_victim_averted"):
        f.create_dataset(f"compare/{k}", data=np.ones(1))
    for k in f["compare"]:
        f["compare"][k].attrs["axes"] = fixed_string("intervention")


def no_metadata(f):
    f.create_dataset("x", data=np.ones(2))


def real_run_with_bad_name(d: Path):
    """A real run file whose scenario name was rewritten to bytes that are not UTF-8."""
    scenario(d)
    r = redes("run", S, "-o", "f.h5", "--threads", "1", cwd=d)
    assert r.returncode == 0, r.stderr
    with h5py.File(d / "f.h5", "a") as f:
        f["metadata"].attrs["scenario_name"] = np.bytes_(b"\xff\xfe\xfa name")


def alias_bomb(d: Path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    (d / "s.yaml").write_text("\n".join(lines) + "\n")


def deep_nesting(d: Path):
    (d / "s.yaml").write_text("x: " + "[" * 300 + "]" * 300 + "\n")


def big_keys(dup: bool, megabytes: int):
    def setup(d: Path):
        with open(d / "s.yaml", "w") as f:
            f.write(f"include: {TINY}\nnotes:\n")
            i = 0
            while f.tell() < megabytes * 1_000_000:
                f.write(f"  key_{i:08d}: 1\n")
                i += 1
            if dup:
                f.write("  key_00000000: 2\n")
    return setup


def not_a_dir(d: Path):
    scenario(d)
    (d / "plain").write_text("a file, not a folder\n")


def forged_journal(run_index=None, fingerprint_delta=0, torn=False):
    """A complete sweep gives the fingerprint and shape; the journal is then forged from them."""
    def setup(d: Path):
        sweep_files(d)
        r = redes("sweep", "sw.yaml", "-o", "probe.h5", "--threads", "1", cwd=d)
        assert r.returncode == 0, r.stderr
        with h5py.File(d / "probe.h5") as f:
            fp = int(f["metadata"].attrs["sweep_fingerprint"], 16)
            metrics = f["sweep/runs/metrics"].shape[1]
            traj = f["sweep/runs/new_victims"].shape[1] if "sweep/runs/new_victims" in f else 0
        (d / "probe.h5").unlink()
        data = b"REDESJ1\n" + struct.pack("<QII", fp + fingerprint_delta, metrics, traj)
        if run_index is not None:
            rec = struct.pack("<Iq", 0x52554E31, run_index) + b"\0" * (8 * metrics + 4 * traj)
            data += rec + struct.pack("<I", zlib.crc32(rec))
        if torn:
            data += b"\x31\x4e\x55\x52\x00\x01"
        (d / "out.h5.journal").write_bytes(data)
    return setup


# ---- the table ------------------------------------------------------------------------------
# (id, class, setup, argv, exit code, message fragment)
S = "s.yaml"
CASES = [
    # data loss: an output that is an input (or an included file) is refused before any work
    ("run-o-scenario", "data loss", scenario, ["run", S, "-o", S], 3, "would destroy the input"),
    ("run-o-included", "data loss", chain, ["run", S, "-o", "base.yaml"], 3, "would destroy the input"),
    ("run-o-hardlink", "data loss", lambda d: (scenario(d), os.link(d / S, d / "h.yaml")), ["run", S, "-o", "h.yaml"], 3,
     "would destroy the input"),
    ("run-o-symlink", "data loss", lambda d: (scenario(d), os.symlink(d / S, d / "l.h5")), ["run", S, "-o", "l.h5"], 3,
     "would destroy the input"),
    ("run-o-dotdot", "data loss", lambda d: (scenario(d), (d / "sub").mkdir()), ["run", S, "-o", "sub/../s.yaml"], 3,
     "would destroy the input"),
    ("population-o-scenario", "data loss", scenario, ["population", S, "-o", S], 3, "would destroy the input"),
    ("population-o-included", "data loss", chain, ["population", S, "-o", "base.yaml"], 3, "would destroy the input"),
    ("compare-o-intervention", "data loss", interventions, ["compare", S, "iv.yaml", "-o", "iv.yaml"], 3,
     "would destroy the input"),
    ("compare-o-baseline", "data loss", interventions, ["compare", S, "iv.yaml", "-o", S], 3, "would destroy the input"),
    ("sweep-o-sweepfile", "data loss", sweep_files, ["sweep", "sw.yaml", "-o", "sw.yaml"], 3, "would destroy the input"),
    ("sweep-o-baseline", "data loss", sweep_files, ["sweep", "sw.yaml", "-o", "sweep_tiny_scenario.yaml"], 3,
     "would destroy the input"),
    ("sweep-journal-is-input", "data loss", lambda d: (sweep_files(d), os.rename(d / "sw.yaml", d / "o.h5.journal")),
     ["sweep", "o.h5.journal", "-o", "o.h5"], 3, "would destroy the input"),
    ("merge-o-part", "data loss", lambda d: (sweep_files(d), text_file("p.h5")(d)),
     ["merge", "p.h5", "--sweep", "sw.yaml", "-o", "p.h5"], 3, "would destroy the input"),
    ("merge-o-sweepfile", "data loss", lambda d: (sweep_files(d), text_file("p.h5")(d)),
     ["merge", "p.h5", "--sweep", "sw.yaml", "-o", "sw.yaml"], 3, "would destroy the input"),
    # no crash on any file: readers say what is wrong and exit non-zero
    ("inspect-unlabelled-axis", "crash", h5_file(unlabelled_summary), ["inspect", "f.h5"], 3, "naming its dimensions"),
    ("inspect-empty-summary", "crash", h5_file(empty_summary), ["inspect", "f.h5"], 3, "non-empty"),
    ("inspect-scalar-summary", "crash", h5_file(scalar_summary), ["inspect", "f.h5"], 3, "non-empty"),
    ("inspect-ragged-compare", "crash", h5_file(ragged_compare), ["inspect", "f.h5"], 3, "do not match"),
    ("inspect-no-metadata", "crash", h5_file(no_metadata), ["inspect", "f.h5"], 3, "no /metadata"),
    ("inspect-text-file", "crash", text_file("f.h5"), ["inspect", "f.h5"], 3, "f.h5"),
    ("inspect-empty-file", "crash", text_file("f.h5", b""), ["inspect", "f.h5"], 3, "f.h5"),
    ("inspect-hdf5-magic-only", "crash", text_file("f.h5", b"\x89HDF\r\n\x1a\n" + b"\0" * 64), ["inspect", "f.h5"], 3,
     "f.h5"),
    ("inspect-missing", "crash", lambda d: None, ["inspect", "nothing.h5"], 3, "does not exist"),
    ("inspect-directory", "crash", lambda d: (d / "dir.h5").mkdir(), ["inspect", "dir.h5"], 3, "dir.h5"),
    ("journal-run-out-of-range", "crash", forged_journal(run_index=1_000_000),
     ["sweep", "sw.yaml", "-o", "out.h5"], 3, "outside this sweep's runs"),
    ("journal-run-negative", "crash", forged_journal(run_index=-5), ["sweep", "sw.yaml", "-o", "out.h5"], 3,
     "outside this sweep's runs"),
    ("journal-other-sweep", "crash", forged_journal(fingerprint_delta=1), ["sweep", "sw.yaml", "-o", "out.h5"], 3,
     "belongs to another sweep"),
    ("journal-text", "crash", lambda d: (sweep_files(d), text_file("out.h5.journal", b"hello journal, " * 10)(d)),
     ["sweep", "sw.yaml", "-o", "out.h5"], 3, "belongs to another sweep"),
    ("merge-text-part", "crash", lambda d: (sweep_files(d), text_file("p.h5")(d)),
     ["merge", "p.h5", "--sweep", "sw.yaml", "-o", "m.h5"], 3, "p.h5"),
    ("merge-run-file-as-part", "crash", lambda d: (sweep_files(d), h5_file(unlabelled_summary)(d)),
     ["merge", "f.h5", "--sweep", "sw.yaml", "-o", "m.h5"], 3, "not a redes sweep file"),
    ("sweep-resume-forged-output", "crash", lambda d: (sweep_files(d), h5_file(unlabelled_summary)(d), os.rename(d / "f.h5", d / "out.h5")),
     ["sweep", "sw.yaml", "-o", "out.h5"], 3, "not a redes sweep file"),
    # memory: estimated before allocating and refused with the estimate and the limit
    ("run-population-1e8", "memory", override("population.size", "100000000"),
     ["run", S, "-o", "o.h5", "--max-memory", "4G"], 1, "estimated"),
    ("population-max-memory", "memory", scenario, ["population", S, "--max-memory", "1M"], 1, "more than the limit"),
    ("compare-max-memory", "memory", interventions, ["compare", S, "iv.yaml", "-o", "c.h5", "--max-memory", "1M"], 1,
     "more than the limit"),
    ("max-memory-garbage", "memory", scenario, ["run", S, "-o", "o.h5", "--max-memory", "lots"], 1,
     "--max-memory expects"),
    ("max-memory-negative", "memory", scenario, ["run", S, "-o", "o.h5", "--max-memory=-5G"], 1,
     "--max-memory expects"),
    ("alias-bomb", "memory", alias_bomb, ["validate", S], 2, "aliases"),
    ("deep-nesting", "memory", deep_nesting, ["validate", S], 2, "nested too deeply"),
    ("validate-prints-estimate", "memory", scenario, ["validate", S], 0, "estimated peak memory"),
    # slow input: parsing is near-linear and huge files are refused at once
    ("keys-2mb", "slow input", big_keys(False, 2), ["validate", S], 2, "unknown key 'notes'"),
    ("duplicate-key-2mb", "slow input", big_keys(True, 2), ["validate", S], 2, "duplicate key 'key_00000000'"),
    ("file-50mb", "slow input", big_keys(False, 50), ["validate", S], 2, "limited to 8 MiB"),
    # accepted but wrong: ranges that make sense per key; overflow-checked integer flags
    ("ad-rate-1e308", "range", override("recruitment.fishing.ad_rate", "1e308"), ["validate", S], 2, "ad_rate"),
    ("ad-rate-negative", "range", override("recruitment.fishing.ad_rate", "-1"), ["validate", S], 2, "ad_rate"),
    ("ad-audience-huge", "range", override("recruitment.fishing.ad_audience", "1e300"), ["validate", S], 2, "ad_audience"),
    ("max-ad-days-huge", "range", override("recruitment.fishing.max_ad_days", "1e9"), ["validate", S], 2, "max_ad_days"),
    ("replacement-days-zero", "range", override("recruitment.recruiters.replacement_days", "0"), ["validate", S], 2,
     "replacement_days"),
    ("start-year-99999", "range", lambda d: scenario(d, "calendar: {start: 99999-01-01, years: 1}\n", base=TINY),
     ["validate", S], 2, "[1900, 2200]"),
    ("start-year-1492", "range", lambda d: scenario(d, "calendar: {start: 1492-10-12, years: 1}\n"), ["validate", S], 2,
     "[1900, 2200]"),
    ("share-prob-above-one", "range", override("recruitment.fishing.share_prob", "1.5"), ["validate", S], 2, "share_prob"),
    ("probability-nan", "range", override("recruitment.fishing.share_prob", ".nan"), ["validate", S], 2, "share_prob"),
    ("population-negative", "range", override("population.size", "-5"), ["validate", S], 2, "population.size"),
    ("years-zero", "range", override("calendar.years", "0"), ["validate", S], 2, "years"),
    ("seed-2-33", "range", lambda d: scenario(d, "seed: 8589934592\n"), ["validate", S], 2, "seed"),
    ("shard-overflow", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "1/4294967297", "-o", "o.h5"], 1,
     "--shard expects"),
    ("shard-zero", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "0/4", "-o", "o.h5"], 1, "--shard expects"),
    ("shard-k-above-n", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "5/4", "-o", "o.h5"], 1, "--shard expects"),
    ("shard-trailing", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "1/4x", "-o", "o.h5"], 1, "--shard expects"),
    ("shard-words", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "one/four", "-o", "o.h5"], 1, "--shard expects"),
    ("shard-negative", "flags", sweep_files, ["sweep", "sw.yaml", "--shard", "-1/4", "-o", "o.h5"], 1, "--shard expects"),
    ("replicates-zero", "flags", scenario, ["run", S, "--replicates", "0", "-o", "o.h5"], None, "replicates"),
    ("replicates-overflow", "flags", scenario, ["run", S, "--replicates", "99999999999", "-o", "o.h5"], None, "replicates"),
    ("threads-zero", "flags", scenario, ["run", S, "--threads", "0", "-o", "o.h5"], None, "threads"),
    ("seed-overflow", "flags", scenario, ["run", S, "--seed", "4294967296", "-o", "o.h5"], None, "seed"),
    ("seed-negative", "flags", scenario, ["run", S, "--seed", "-1", "-o", "o.h5"], None, "seed"),
    # disks and folders
    ("output-under-a-file", "disk", not_a_dir, ["run", S, "-o", "plain/o.h5"], None, "plain"),
    ("output-in-proc", "disk", scenario, ["run", S, "-o", "/proc/redes-o.h5"], None, "/proc"),
    ("output-is-directory", "disk", lambda d: (scenario(d), (d / "outdir").mkdir()), ["run", S, "-o", "outdir"], 3,
     "outdir"),
    # concurrency: a held lock on the output refuses a second writer
    ("torn-journal-resumes", "resume", forged_journal(torn=True), ["sweep", "sw.yaml", "-o", "out.h5"], 0, "12 in out.h5"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile(tmp_path, case):
    name, klass, setup, argv, code, fragment = case
    setup(tmp_path)
    before = snapshot(tmp_path)
    if name == "torn-journal-resumes":
        before.pop("out.h5.journal")  # consumed into the final file: that is the point
    t0 = time.monotonic()
    r = redes(*argv, cwd=tmp_path)
    elapsed = time.monotonic() - t0
    out = r.stdout + r.stderr
    assert r.returncode >= 0, f"killed by signal {-r.returncode}: {out[-2000:]}"
    if code is None:
        assert r.returncode != 0, out[-2000:]
    else:
        assert r.returncode == code, out[-2000:]
    assert fragment in out, out[-2000:]
    if klass == "slow input":
        assert elapsed < 30, f"took {elapsed:.1f} s"
    nothing_lost(tmp_path, before)


# ---- the report (Python) -------------------------------------------------------------------
REPORT_CASES = [  # (id, setup, argv, exit code, message fragment)
    ("report-o-own-input", h5_file(unlabelled_summary), ["f.h5", "-o", "f.h5"], 2, "would destroy the input"),
    ("report-non-utf8-name", real_run_with_bad_name, ["f.h5", "-o", "r.html"], 0, "r.html"),
    ("report-text-file", text_file("f.h5"), ["f.h5", "-o", "r.html"], 2, "not a readable HDF5 file"),
]


@pytest.mark.parametrize("case", REPORT_CASES, ids=[c[0] for c in REPORT_CASES])
def test_hostile_report(tmp_path, case):
    name, setup, argv, code, fragment = case
    setup(tmp_path)
    before = snapshot(tmp_path)
    r = subprocess.run([sys.executable, "-m", "analysis.report", *argv], cwd=tmp_path, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert r.returncode == code, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert fragment in r.stdout + r.stderr, r.stdout + r.stderr
    nothing_lost(tmp_path, before)


# ---- concurrency: locks ------------------------------------------------------------------------
@pytest.mark.parametrize("argv,setup", [
    (["run", S, "-o", "o.h5"], scenario),
    (["compare", S, "iv.yaml", "-o", "o.h5"], interventions),
    (["sweep", "sw.yaml", "-o", "o.h5"], sweep_files),
    (["population", S, "-o", "o.h5"], scenario),
], ids=["run", "compare", "sweep", "population"])
def test_second_writer_on_one_output_is_refused(tmp_path, argv, setup):
    setup(tmp_path)
    before = snapshot(tmp_path)
    with open(tmp_path / "o.h5.lock", "w") as lock:  # stands for another redes process
        fcntl.flock(lock, fcntl.LOCK_EX)
        r = redes(*argv, cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    assert "another redes process is writing" in r.stderr
    (tmp_path / "o.h5.lock").unlink()
    assert not (tmp_path / "o.h5").exists()
    nothing_lost(tmp_path, before)


def test_two_sweeps_on_one_output_never_lose_runs(tmp_path):
    sweep_files(tmp_path)
    procs = [subprocess.Popen([BIN, "sweep", "sw.yaml", "-o", "o.h5", "--threads", "1"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert sorted(rc for rc, _ in results) in ([0, 0], [0, 3]), results
    for rc, err in results:
        if rc == 3:
            assert "another redes process is writing" in err
    with h5py.File(tmp_path / "o.h5") as f:
        assert int(np.sum(f["sweep/runs/completed"][()])) == 12  # every run, whoever won
    assert not list(tmp_path.glob("*.lock")) and not list(tmp_path.glob("*.journal"))


# ---- signals -----------------------------------------------------------------------------------
def wait_for(pred, timeout=60):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("command,sig", [
    ("run", signal.SIGINT), ("run", signal.SIGTERM), ("compare", signal.SIGINT), ("compare", signal.SIGTERM),
    ("population", signal.SIGTERM),
])
def test_signal_removes_temporary_files(tmp_path, command, sig):
    scenario(tmp_path, base=SMALL)
    (tmp_path / "iv.yaml").write_text(LITERACY.read_text())
    argv = {"run": ["run", S, "--replicates", "200", "-o", "o.h5"],
            "compare": ["compare", S, "iv.yaml", "--replicates", "200", "-o", "o.h5"],
            "population": ["population", "big.yaml", "-o", "o.h5"]}[command]
    scenario(tmp_path, "override:\n  population.size: {value: 1000000, assumed: test}\n", name="big.yaml", base=SMALL)
    before = snapshot(tmp_path)
    p = subprocess.Popen([BIN, *argv], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Signal once the lock is held: for run and compare also once the temporary file exists.
    assert wait_for(lambda: (tmp_path / "o.h5.lock").exists() and
                    (command == "population" or list(tmp_path.glob("o.h5.tmp-*"))))
    p.send_signal(sig)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 128 + sig, (p.returncode, err)
    assert "temporary files removed" in err
    assert not (tmp_path / "o.h5").exists()
    nothing_lost(tmp_path, before)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_sweep_keeps_journal_and_resumes(tmp_path, sig):
    sweep_files(tmp_path)
    # Enough runs (60, about 0.4 s each on one thread) that the signal lands mid-sweep.
    sw = (tmp_path / "sw.yaml").read_text().replace("replicates: 2", "replicates: 10")
    (tmp_path / "sw.yaml").write_text(sw)
    p = subprocess.Popen([BIN, "sweep", "sw.yaml", "-o", "o.h5", "--threads", "1"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = tmp_path / "o.h5.journal"
    assert wait_for(lambda: journal.exists() and journal.stat().st_size > 200)
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 128 + sig, err
    assert "run the same command again to resume" in err
    assert journal.exists() and not (tmp_path / "o.h5").exists()
    assert not list(tmp_path.glob("*.lock")) and not list(tmp_path.glob("*.tmp-*"))
    r = redes("sweep", "sw.yaml", "-o", "o.h5", "--threads", "1", cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "resuming:" in r.stderr
    with h5py.File(tmp_path / "o.h5") as f:
        assert int(np.sum(f["sweep/runs/completed"][()])) == 60


# ---- a full disk ---------------------------------------------------------------------------------
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_fails_cleanly(tmp_path):
    scenario(tmp_path, base=SMALL)
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        r = redes("run", S, "--replicates", "2", "-o", disk / "o.h5", cwd=tmp_path)
        assert r.returncode == 3, r.stderr
        assert "No space left" in r.stderr or "space" in r.stderr.lower(), r.stderr
        assert list(disk.iterdir()) == []  # neither the output nor its temporary file nor the lock
    finally:
        subprocess.run(["umount", str(disk)])
