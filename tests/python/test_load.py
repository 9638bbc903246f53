"""Loaders read by dimension labels and scales: axis order and category order in the file must
not change any number."""
import h5py
import numpy as np
import pytest

import fixtures
from analysis import load
from analysis.load import ReportError, labelled, per_replicate, tidy


def test_tidy_has_label_columns_and_values(run_file):
    path, truth = run_file
    with h5py.File(path) as f:
        df = tidy(f, "/summary/victims_by_route")
    assert list(df.columns) == ["replicate", "route", "value"]
    assert list(df["route"].unique()) == fixtures.LABELS["route"]
    for (r, route), v in df.set_index(["replicate", "route"])["value"].items():
        assert v == truth["victims_by_route"][r, fixtures.LABELS["route"].index(route)]


def test_units_and_estimate_attributes_are_written(run_file):
    path, _ = run_file
    with h5py.File(path) as f:
        assert load.attrs(f["/summary/victims"])["estimate"] == "model estimate"
        assert load.attrs(f["/trajectories/stock"])["unit"] == "persons"


@pytest.mark.parametrize("reverse", [False, True])
def test_reversed_axes_and_shuffled_departments_give_same_numbers(tmp_path, reverse):
    order = list(np.random.default_rng(5).permutation(fixtures.LABELS["department"]))
    path = tmp_path / "odd.h5"
    truth = fixtures.make_run(path, reverse=reverse, orders={"department": order, "platform":
                                                              fixtures.LABELS["platform"][::-1]})
    with h5py.File(path) as f:
        assert f["/labels/department"].asstr()[0] == order[0]
        by_dept = per_replicate(f, "/summary/victims_by_department", "department")
        by_plat = per_replicate(f, "/summary/victims_by_platform", "platform")
        stock, ax = labelled(f, "/trajectories/stock", ["replicate", "day", "stage"])
        victims = per_replicate(f, "/summary/victims")["value"].to_numpy()
    assert list(by_dept.columns) == order
    for j, d in enumerate(fixtures.LABELS["department"]):
        np.testing.assert_array_equal(by_dept[d].to_numpy(), truth["victims_by_department"][:, j])
    for j, p in enumerate(fixtures.LABELS["platform"]):
        np.testing.assert_array_equal(by_plat[p].to_numpy(), truth["victims_by_platform"][:, j])
    np.testing.assert_array_equal(stock, truth["stock"].sum(axis=(3, 4, 5, 6)))
    assert [n for n, _ in ax] == ["replicate", "day", "stage"]
    np.testing.assert_array_equal(victims, truth["victims"])


def test_block_summing_matches_whole_array(run_file, monkeypatch):
    path, truth = run_file
    monkeypatch.setattr(load, "BLOCK_BYTES", 1000)  # force many blocks
    with h5py.File(path) as f:
        a, _ = labelled(f, "/trajectories/stock", ["stage", "route"])
        b, _ = labelled(f, "/trajectories/stock", ["day", "replicate"])
    np.testing.assert_array_equal(a, truth["stock"].sum(axis=(0, 1, 4, 5, 6)))
    np.testing.assert_array_equal(b, truth["stock"].sum(axis=(2, 3, 4, 5, 6)).T)


def test_unlabelled_dimension_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.zeros((2, 3))
        f["y"] = np.zeros((2, 3))
        f["y"].attrs["axes"] = fixtures.fixed_string("route")
    with h5py.File(path) as f:
        with pytest.raises(ReportError, match="has no 'axes' attribute naming its dimensions"):
            tidy(f, "/x")
        with pytest.raises(ReportError, match="its 'axes' attribute does not name its 2 dimension"):
            tidy(f, "/y")


def test_variable_length_attributes_are_refused_before_they_are_read(run_file):
    """libhdf5 follows a variable-length attribute into the global heap unchecked: refused by type."""
    path, _ = run_file
    with h5py.File(path, "r+") as f:
        f["/metadata"].attrs["kind"] = "run"  # h5py's default: variable-length
    with h5py.File(path) as f, pytest.raises(ReportError, match="attribute 'kind' of /metadata is a variable-length"):
        load.metadata(f)


def test_damaged_heap_reference_of_a_label_is_a_clear_error(run_file, tmp_path):
    path, _ = run_file
    with h5py.File(path) as f:
        at = f["/labels/route"].id.get_offset()
    raw = bytearray(path.read_bytes())
    raw[at + 12] = 0x7F  # element 0: length (4), collection address (8), object index (4)
    bad = tmp_path / "damaged.h5"
    bad.write_bytes(bytes(raw))
    with h5py.File(bad) as f, pytest.raises(ReportError, match="labels/route: damaged variable-length data"):
        tidy(f, "/summary/victims_by_route")


def test_unknown_axis_is_a_clear_error(run_file):
    path, _ = run_file
    with h5py.File(path) as f, pytest.raises(ReportError, match="has no axis 'colour'"):
        labelled(f, "/summary/victims_by_route", ["colour"])


def test_missing_summary_group_message(tmp_path):
    path = tmp_path / "nosummary.h5"
    fixtures.make_run(path, omit=("summary",))
    with h5py.File(path) as f, pytest.raises(ReportError) as e:
        load.require_group(f, "/summary", "it is not a redes run or compare file")
    assert str(e.value) == f"file {path} has no /summary group: it is not a redes run or compare file"


def test_axes_are_named_by_the_axes_attribute_and_their_scales_found_under_labels(run_file):
    path, truth = run_file
    with h5py.File(path, "r+") as f:
        ds = f.create_dataset("/extra", data=truth["victims_by_route"].T)
        ds.attrs["axes"] = fixtures.fixed_string("route,replicate")  # no dimension scales attached
        df = tidy(f, "/extra")
    assert list(df.columns) == ["route", "replicate", "value"]
    assert df[df.route == "fishing"]["value"].sum() == truth["victims_by_route"][:, 1].sum()


def test_heap_is_walked_as_libhdf5_walks_it(repo):
    """A forged free-space record hid a later, overrunning record of the same index (a fuzzer
    finding that overflowed a buffer inside libhdf5); the check walks past free space and refuses it."""
    path = repo / "tests" / "fuzz" / "regressions" / "fuzz_h5" / "h5hg-free-space-hides-record"
    with h5py.File(path, "r") as f, pytest.raises(ReportError, match="labels/route: damaged variable-length data"):
        load.check_heap_references(f["/labels/route"])
