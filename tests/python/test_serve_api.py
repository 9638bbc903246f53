"""`redes serve`'s JSON API against the real binary on loopback: bad requests of every kind get a
4xx with a message saying what to change and the server keeps serving; a run is cached by its
parameters; exports work; and a paired comparison in the app equals `redes compare`."""
import json
import subprocess

import h5py
import pytest

from serve_support import BINARY, REPO, Served

SMALL = {"persons": 2000, "replicates": 2}


@pytest.fixture(scope="module")
def server():
    if not BINARY.is_file():
        pytest.skip(f"redes binary not found at {BINARY}")
    s = Served()
    yield s
    s.stop()


def bad(server, body=None, raw=None, status=400, path="/api/run"):
    code, data = server.request(path, body, raw=raw)
    assert code == status, (code, data)
    message = json.loads(data)["error"]
    assert len(message) > 10
    return message


def test_malformed_json_gets_400_saying_so(server):
    for raw in (b"{bad", b"", b"[1,", b"\xff\xfe", b'{"literacy": tru}'):
        assert "not valid JSON" in bad(server, raw=raw)
    assert "JSON object" in bad(server, raw=b"[1, 2]")
    assert "JSON object" in bad(server, raw=b'"literacy"')


def test_unknown_keys_are_named_with_the_known_ones(server):
    m = bad(server, {"literacy": True, "recruiter_success": 1})
    assert "unknown control 'recruiter_success'" in m and "literacy_coverage" in m


def test_out_of_range_values_go_through_the_scenario_checks(server):
    m = bad(server, {"literacy": True, "literacy_coverage": 1.5})
    assert m.startswith("literacy_coverage:") and "1.5" in m and "[0, 1]" in m
    m = bad(server, {"reporting": True, "reporting_coverage": -0.1})
    assert m.startswith("reporting_coverage:")
    m = bad(server, {"moderation": True, "moderation_effect": 2})
    assert m.startswith("moderation_effect:")
    assert "use 2 to 8" in bad(server, {"replicates": 0})
    assert "whole number" in bad(server, {"seed": 1.5})
    assert "true or false" in bad(server, {"pandemic": "yes"})
    assert "must be a number" in bad(server, {"literacy_coverage": "0.5"})


def test_huge_sizes_are_refused(server):
    m = bad(server, {"persons": 6_109_903})
    assert "persons" in m and "50000" in m and "redes run" in m
    assert "use 2 to 8" in bad(server, {"replicates": 100000})
    assert "outside" in bad(server, {"persons": 1e300})
    assert "too large" in bad(server, raw=b'{"seed": 1' + b" " * 40000 + b"}", status=413)
    assert "not valid JSON" in bad(server, raw=b"[" * 15000)  # nesting bomb: parse error, not a crash


@pytest.mark.parametrize("field", ["pandemic", "displacement", "literacy", "literacy_coverage", "moderation",
                                   "moderation_effect", "reporting", "reporting_coverage", "persons", "replicates", "seed"])
def test_path_tricks_in_every_field(server, field):
    for trick in ("../../etc/passwd", "/etc/passwd", "scenarios/paraguay/baseline.yaml", "%2e%2e%2f", "\u0000"):
        bad(server, {field: trick})
        bad(server, {trick: True})
    bad(server, {field: {"include": "/etc/passwd"}})
    bad(server, {field: ["../x"]})


def test_path_tricks_in_urls_get_404(server):
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/i18n/../../../etc/passwd", "/i18n/fr.json",
                 "/scenarios/workshop/small.yaml", "/api/jobs/..%2f..%2fetc", "/api/jobs/1/run.h5/../../x",
                 "/api/jobs/99999999999999999999", "/app.js%00.png"):
        code, data = server.request(path)
        assert code in (400, 404), (path, code)
        assert b"root:" not in data and b"population" not in data


def test_compare_requests_are_checked(server):
    assert "nothing else" in bad(server, {"base": "../1", "other": 2}, path="/api/compare")
    assert "nothing else" in bad(server, {"base": 1, "other": 2, "path": "/etc"}, path="/api/compare")
    assert "nothing else" in bad(server, {"base": -1, "other": 2}, path="/api/compare")
    assert "no such run" in bad(server, {"base": 9999, "other": 9998}, path="/api/compare", status=404)


def test_server_keeps_serving_and_answers_with_the_app(server):
    code, page = server.request("/")
    assert code == 200 and b"/chart.js" in page and b"cdn" not in page.lower()
    code, js = server.request("/chart.js")
    assert code == 200 and b"Chart.js v3" in js
    code, info = server.json("/api/info")
    assert code == 200 and info["lang"] == "es" and len(info["presets"]) == 5
    keys = {c["key"] for c in info["controls"]}
    assert not any("recruit" in k for k in keys)  # no control tunes recruiters


def test_run_is_cached_exports_work_and_pairs_equal_redes_compare(server, tmp_path):
    base, waited = server.run(dict(SMALL, seed=7))
    assert base["status"] == "done"
    r = base["result"]
    assert r["replicates"] == 2 and r["persons"] == 2000 and "model estimate" in r["estimate"]
    assert r["victims"]["lo"] <= r["victims"]["median"] <= r["victims"]["hi"]
    assert len(r["months"]) == 60 and sum(sum(v) for v in r["monthly_by_route"].values()) <= r["victims"]["hi"] + 1e-9
    # The same parameters again: the cached run, answered at once.
    code, again = server.json("/api/run", dict(SMALL, seed=7))
    assert code == 200 and again["job"] == base["job"] and again["status"] == "done"
    other, _ = server.run(dict(SMALL, seed=7, literacy=True, literacy_coverage=0.9))
    code, cmp = server.json("/api/compare", {"base": base["job"], "other": other["job"]})
    assert code == 200, cmp
    # Unpaired runs are refused.
    third, _ = server.run(dict(SMALL, seed=8))
    code, refused = server.json("/api/compare", {"base": base["job"], "other": third["job"]})
    assert code == 400 and "seed" in refused["error"]
    # Exports: the HDF5 file is a redes run file; the CSV has one row per replicate.
    code, data = server.request(f"/api/jobs/{other['job']}/run.h5")
    assert code == 200
    (tmp_path / "run.h5").write_bytes(data)
    with h5py.File(tmp_path / "run.h5") as f:
        assert f["/metadata"].attrs["kind"] in (b"run", "run")
        assert list(f["/summary/victims"][:]) == [v for v in _csv_column(server, other["job"], "victims")]
    # `redes compare` on the same scenario, seed and replicates gives the same victims averted.
    scen = tmp_path / "small2000.yaml"
    scen.write_text(f"include: {REPO / 'scenarios/workshop/small.yaml'}\noverride:\n  population.size: 2000\n"
                    "  population.represents: 2000\n")
    iv = tmp_path / "literacy.yaml"
    iv.write_text((REPO / "scenarios/workshop/literacy.yaml").read_text().replace(
        'coverage: {value: 0.5, assumed: "half of pupils reached over three years"}', "coverage: 0.9"))
    out = tmp_path / "compare.h5"
    subprocess.run([str(BINARY), "compare", str(scen), str(iv), "--replicates", "2", "--seed", "7", "-o", str(out)],
                   check=True, capture_output=True, cwd=REPO, timeout=600)
    with h5py.File(out) as f:
        assert f["/compare/averted_mean"][0] == pytest.approx(cmp["averted"]["mean"], abs=1e-9)
        assert f["/compare/averted_lo"][0] == pytest.approx(cmp["averted"]["lo"], abs=1e-9)
        assert list(f["/arms/baseline/summary/victims"][:]) == _csv_column(server, base["job"], "victims")


def _csv_column(server, job, name):
    code, data = server.request(f"/api/jobs/{job}/run.csv")
    assert code == 200
    lines = [l for l in data.decode().splitlines() if not l.startswith("#")]
    header = lines[0].split(",")
    return [int(l.split(",")[header.index(name)]) for l in lines[1:]]
