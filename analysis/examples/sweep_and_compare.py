# %% [markdown]
# # A worked example: sweep, sensitivity, paired comparison, posterior
#
# Cells (`# %%`) open as a notebook in VS Code, Spyder or Jupyter with jupytext; the file also runs
# as a plain script, as the test suite does (tests/python/test_worked_example.py), in under a
# minute on two cores:
#
#     python3 analysis/examples/sweep_and_compare.py [OUTDIR]
#
# It uses the workshop scenario cut to 3,000 synthetic persons and two years, so that it is quick;
# every number it prints is a **model estimate** of that small synthetic population, not of Paraguay.
# The simulator is the `redes` command (REDES_BIN, else build/redes); results are read with h5py
# through `analysis` (and with `import redes`, when the Python module is built, as labelled arrays).

# %% Setup: where the simulator is, and a folder for this example's files
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # the analysis package

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")

from analysis import plots  # noqa: E402
from analysis.load import labelled  # noqa: E402
from analysis.studies import load_calibration, load_sweep, weighted_quantile  # noqa: E402

BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="redes-example-"))
OUT.mkdir(parents=True, exist_ok=True)
WORKSHOP = REPO / "scenarios" / "workshop"


def redes(*args):
    """Runs the redes command in OUT; its summary goes to our output."""
    p = subprocess.run([str(BIN), "--lang", "en", *map(str, args), "--threads", "2"], cwd=OUT,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"redes {args[0]} failed:\n{p.stderr}")
    return p.stdout


# A small scenario: the workshop pack at 3,000 persons over two years (an `include:` plus `override:`,
# as any scenario file can do).
(OUT / "tiny.yaml").write_text(f"""include: {WORKSHOP / 'small.yaml'}
name: Worked example
description: The workshop scenario cut to 3,000 persons and two years, for a quick example.
override:
  population.size: {{value: 3000, assumed: "example size"}}
  population.represents: {{value: 3000, assumed: "a stand-alone example population"}}
  calendar.years: {{value: 2, assumed: "two years keep the example quick"}}
""", encoding="utf-8")

# %% [markdown]
# ## 1. A small sweep and its Sobol indices
# Recruiter density and the coverage of school digital-literacy training, over ranges we choose,
# in a Saltelli design (N = 32 base rows: 32 x (2 + 2) = 128 runs, one replicate each). The indices
# say how much of the spread in victims over *these ranges* each parameter explains.

# %%
(OUT / "sweep.yaml").write_text(f"""name: example-sweep
description: Recruiter density vs literacy coverage on the tiny workshop scenario.
baseline: tiny.yaml
interventions: [{WORKSHOP / 'literacy.yaml'}]
seed: 3
replicates: 1
design: {{type: saltelli, samples: 32}}
parameters:
  - {{key: recruitment.recruiters.per_100k, min: 25, max: 100}}
  - {{key: "interventions[0].coverage", min: 0.0, max: 0.9}}
outputs: [victims]
""", encoding="utf-8")
print(redes("sweep", "sweep.yaml", "-o", "sweep.h5"))
with h5py.File(OUT / "sweep.h5") as f:
    sweep = load_sweep(f)
print(sweep.sensitivity[["output", "parameter", "first", "total"]].round(2).to_string(index=False))
fig, _ = plots.sobol_indices(sweep)  # plots return (figure, the numbers drawn)
fig.savefig(OUT / "sobol.png", dpi=80)
print("Sobol plot:", OUT / "sobol.png")

# %% [markdown]
# ## 2. A paired comparison
# The same scenario with and without platform moderation, on common random numbers (replicate r of
# both arms shares its seed), so the difference is the intervention's effect in the model, not noise.

# %%
print(redes("compare", "tiny.yaml", WORKSHOP / "moderation.yaml", "--replicates", "16", "--seed", "5",
            "-o", "compare.h5"))
with h5py.File(OUT / "compare.h5") as f:
    # Axes by their labels, never by position: [intervention, replicate] as the file says.
    averted, axes = labelled(f, "/compare/victims_averted", keep=["intervention", "replicate"])
    baseline, _ = labelled(f, "/arms/baseline/summary/victims", keep=["replicate"])
    fig, _ = plots.forest(f)
fig.savefig(OUT / "forest.png", dpi=80)
for name, d in zip(dict(axes)["intervention"], averted):
    print(f"{name}: victims averted per replicate {d.tolist()} (baseline {baseline.tolist()}); "
          f"mean {d.mean():.1f}, paired sd {d.std(ddof=1):.1f}")

# %% [markdown]
# ## 3. A posterior look
# Fit recruiter density and fear of reporting to a (made-up, test-sized) police case count by
# approximate Bayesian computation, then look at the posterior: weighted medians and 90% intervals
# of each parameter, and the particles. With six particles this shows the workflow, not a fit.

# %%
(OUT / "calibration.yaml").write_text("""name: example-calibration
description: A test-sized calibration of the tiny scenario.
baseline: tiny.yaml
seed: 5
parameters:
  - {key: recruitment.recruiters.per_100k, prior: loguniform, min: 20, max: 200}
  - {key: observation.fear, prior: uniform, min: 0.1, max: 0.9}
targets:
  - {name: police cases, model: cases.police, unit: cases, value: [3, 4], years: [2019, 2020], source: made up for the example}
abc: {particles: 6, generations: 1, rejection_keep: 0.5}
""", encoding="utf-8")
print(redes("calibrate", "calibration.yaml", "-o", "calibration.h5"))
with h5py.File(OUT / "calibration.h5") as f:
    cal = load_calibration(f)
w = cal.posterior["weight"].to_numpy()
for p in cal.parameters:
    v = cal.posterior[p].to_numpy()
    print(f"{p}: median {weighted_quantile(v, w, 0.5):.3g} "
          f"(90%: {weighted_quantile(v, w, 0.05):.3g} to {weighted_quantile(v, w, 0.95):.3g})")
fig, _ = plots.posterior_particles(cal)
fig.savefig(OUT / "posterior.png", dpi=80)

# %% [markdown]
# ## 4. The same files as labelled arrays
# `import redes` (build/python) reads any redes file into xarray Datasets with the file's axis
# names and labels; xarray alone does too (engine="h5netcdf", one group at a time).

# %%
sys.path.insert(0, str(BIN.parent / "python"))
try:
    import redes as rd
except ImportError as e:  # built only when pybind11 is installed
    print(f"(the redes Python module is not built: {e}; skipping)")
else:
    res = rd.open(OUT / "compare.h5")
    by_age = res["/arms/baseline/summary"]["victims_by_age_group"]
    print(by_age.median("replicate").to_series().to_string())
    run = rd.run(OUT / "tiny.yaml", overrides={"recruitment.recruiters.per_100k": 80}, seed=5, replicates=2)
    print("victims with 80 recruiters per 100,000:", run["/summary"]["victims"].values.tolist())

print("files in", OUT)
