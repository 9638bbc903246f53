"""Each plot draws what the file holds: plotted totals equal HDF5 totals, by label."""
import h5py
import numpy as np
import pytest

import fixtures
from analysis import plots

L = fixtures.LABELS


def _labels_set(fig):
    """Every visible axes has x and y labels or category ticks (no unlabelled axes)."""
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        assert ax.get_xlabel() or fig._supxlabel is not None
        assert ax.get_ylabel() or [t.get_text() for t in ax.get_yticklabels()]


def test_stage_trajectories_are_quantiles_over_replicates(run_file):
    path, truth = run_file
    with h5py.File(path) as f:
        fig, n = plots.stage_trajectories(f)
    per_stage = truth["stock"].sum(axis=(3, 4, 5, 6))  # [replicate, day, stage]
    got = n.pivot(index="day", columns="stage", values="median")[L["stage"]].to_numpy()
    np.testing.assert_allclose(got, np.median(per_stage, axis=0))
    lo = n.pivot(index="day", columns="stage", values="lo")[L["stage"]].to_numpy()
    np.testing.assert_allclose(lo, np.quantile(per_stage, 0.05, axis=0))
    assert len([a for a in fig.axes if a.get_visible()]) == 6
    _labels_set(fig)


def test_funnel_totals_equal_file(run_file):
    path, truth = run_file
    with h5py.File(path) as f:
        fig, n = plots.funnel_by_route(f)
    assert list(n["route"]) == L["route"]
    assert n["recruited_total"].sum() == truth["victims"].sum()
    np.testing.assert_array_equal(n["started_total"], truth["attempts_by_route"].sum(axis=0))
    np.testing.assert_allclose(n["recruited_mean"], truth["victims_by_route"].mean(axis=0))
    # the bars drawn carry the same means
    heights = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(heights[3:], truth["victims_by_route"].mean(axis=0))
    _labels_set(fig)


@pytest.mark.parametrize("dim", ["platform", "department", "exploitation", "destination"])
def test_victims_by_dim_totals(run_file, dim):
    path, truth = run_file
    with h5py.File(path) as f:
        fig, n = plots.victims_by(f, dim)
    assert n["total"].sum() == truth["victims"].sum()
    np.testing.assert_array_equal(n.set_index(dim)["total"].reindex(L[dim]), truth[f"victims_by_{dim}"].sum(axis=0))
    widths = [p.get_width() for p in fig.axes[0].patches]
    np.testing.assert_allclose(widths, n["mean"])
    _labels_set(fig)


def test_department_order_in_file_does_not_move_numbers(tmp_path):
    order = L["department"][5:] + L["department"][:5]
    path = tmp_path / "rot.h5"
    truth = fixtures.make_run(path, reverse=True, orders={"department": order})
    with h5py.File(path) as f:
        _, n = plots.victims_by(f, "department")
    got = n.set_index("department")["total"]
    for j, d in enumerate(L["department"]):
        assert got[d] == truth["victims_by_department"][:, j].sum()


def test_age_gender_totals(run_file):
    path, truth = run_file
    with h5py.File(path) as f:
        fig, n = plots.victims_by_age_gender(f)
    assert n["age_group"]["total"].sum() == truth["victims"].sum()
    assert n["gender"]["total"].sum() == truth["victims"].sum()
    assert list(n["age_group"]["age_group"]) == L["age_group"]
    _labels_set(fig)


def test_observed_true_and_recorded(run_file):
    path, truth = run_file
    with h5py.File(path) as f:
        fig, n = plots.observed_by_year(f)
    assert list(n["year"]) == truth["years"]
    np.testing.assert_array_equal(n["true_total"], truth["true_victims"].sum(axis=0))
    np.testing.assert_array_equal(n["recorded_total"], truth["recorded_victims"].sum(axis=0))
    np.testing.assert_allclose(n["hidden_share"], 1 - truth["recorded_victims"].sum(axis=0)
                               / truth["true_victims"].sum(axis=0))
    _labels_set(fig)


@pytest.mark.parametrize("reverse", [False, True])
def test_forest_and_cost_effectiveness_match_compare(tmp_path, reverse):
    path = tmp_path / "c.h5"
    names = ["digital_literacy", "hotline", "posters"]
    truth = fixtures.make_compare(path, reverse=reverse, orders={"intervention": names[::-1]})
    with h5py.File(path) as f:
        fig, n = plots.forest(f)
        fig2, n2 = plots.cost_effectiveness(f)
    c = truth["compare"]
    for i, name in enumerate(names):
        row = n.set_index("intervention").loc[name]
        assert row["averted_mean"] == pytest.approx(c["averted_mean"][i])
        assert row["averted_lo"] == pytest.approx(c["averted_lo"][i])
        assert row["averted_hi"] == pytest.approx(c["averted_hi"][i])
        assert n2.set_index("intervention").loc[name, "cost"] == pytest.approx(c["cost"][i])
    _labels_set(fig)
    _labels_set(fig2)


def test_cumulative_by_arm_ends_at_arm_victims(compare_file):
    path, truth = compare_file
    arms = ["baseline", *truth["interventions"]]
    with h5py.File(path) as f:
        _, n = plots.cumulative_by_arm(f, arms)
    for arm in arms:
        last = n[n["arm"] == arm].iloc[-1]
        assert last["median"] == pytest.approx(np.median(truth["arms"][arm]["victims"]))


def test_palette_is_okabe_ito(run_file):
    path, _ = run_file
    with h5py.File(path) as f:
        fig, _ = plots.funnel_by_route(f)
    import matplotlib.colors as mc
    colours = {mc.to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches}
    assert colours <= {c.upper() for c in plots.OKABE_ITO}
