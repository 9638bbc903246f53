"""The HTML report: headline numbers from the file, every section present, safe and
self-contained output, clear errors with exit status 2."""
import html as html_mod
import re
import subprocess
import sys

import h5py
import numpy as np
import pytest

import fixtures
from analysis import report
from analysis.report import fmt_count, fmt_pct, fmt_range, fmt_usd

RUN_SECTIONS = ["trajectories", "funnel", "victims_by_platform", "victims_by_department", "victims_by_means", "age_gender",
                "observed", "interventions", "events"]
COMPARE_SECTIONS = ["compare_table", "forest", "benefits", "cost_effectiveness", "cumulative", "averted_by_department",
                    "averted_by_age_group", "averted_by_gender"]


def cli(repo, *args):
    return subprocess.run([sys.executable, "-m", "analysis.report", *map(str, args)], cwd=repo,
                          capture_output=True, text=True, timeout=300)


def headlines(html: str) -> list[str]:
    block = html.split('<section id="headlines">', 1)[1].split("</section>", 1)[0]
    return [re.sub("<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", block)]


def test_formatting():
    assert fmt_count(1234.4) == "1,234"
    assert fmt_count(2.5) == "2.5"
    assert fmt_range(1100, 1380) == "1,100–1,380"
    assert fmt_range(-10, 130) == "-10 to 130"
    assert fmt_pct(0.07) == "7%"
    assert fmt_usd(1200) == "USD 1,200"
    assert report.horizon({"days": 1826}) == "5 years"
    assert report.horizon({"days": 60}) == "60 days"


def test_run_headline_equals_quantiles_from_file(run_file):
    path, truth = run_file
    html, reps = report.render([path])
    v = truth["victims"]
    lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95])
    expected = (f"Model estimate: {fmt_count(med)} people recruited over 60 days "
                f"(90% interval {fmt_range(lo, hi)} across {len(v)} replicates).")
    assert headlines(html)[0] == expected
    h = reps[0].numbers["headline"]
    assert (h["median"], h["lo"], h["hi"], h["total"]) == pytest.approx((med, lo, hi, v.sum()))


def test_known_numbers_headline(tmp_path):
    """Hand-set victims so the sentence can be written out literally."""
    path = tmp_path / "known.h5"
    fixtures.make_run(path, replicates=3, days=1826, omit=("trajectories", "observed", "events", "interventions"))
    with h5py.File(path, "r+") as f:
        f["/summary/victims"][...] = [1100, 1230, 1400]
    html, _ = report.render([path])
    assert headlines(html)[0] == ("Model estimate: 1,230 people recruited over 5 years "
                                  "(90% interval 1,113–1,383 across 3 replicates).")


def test_run_report_has_every_section_and_plot(run_file):
    path, truth = run_file
    html, reps = report.render([path])
    for key in RUN_SECTIONS:
        assert f'data-section="{key}"' in html, key
    assert "omitted" not in reps[0].numbers
    assert html.count("<img ") == 9  # one plot per section, means included
    n = reps[0].numbers
    assert n["funnel"]["recruited_total"].sum() == truth["victims"].sum()
    assert n["victims_by_platform"]["total"].sum() == truth["victims"].sum()
    np.testing.assert_array_equal(n["events"].to_numpy(), truth["events_to"])
    assert n["interventions"]["cost"]["total"].iloc[0] == pytest.approx(truth["cost"].sum())
    assert "How to read this / limits" in html


def test_every_victim_sentence_is_a_model_estimate_with_interval(run_file, compare_file):
    html, _ = report.render([run_file[0], compare_file[0]])
    lines = headlines(html)
    assert len(lines) >= 6
    for s in lines:
        assert "model estimate" in s.lower(), s
        assert "interval" in s, s


def test_hidden_share_headline(run_file):
    path, truth = run_file
    html, reps = report.render([path])
    ratio = truth["hidden_ratio"]
    med = np.median(ratio)
    assert f"there are {med:.1f} victims in total" in headlines(html)[2]
    assert reps[0].numbers["hidden"]["share"][0] == pytest.approx(np.median(1 - 1 / ratio))


def test_compare_headlines_equal_file_values(compare_file):
    path, truth = compare_file
    html, reps = report.render([path])
    lines = headlines(html)
    c = truth["compare"]
    assert lines[0].startswith("Baseline, model estimate: ")
    for i, name in enumerate(truth["interventions"]):
        expected = report.intervention_sentence(name, c["averted_mean"][i], c["averted_lo"][i],
                                                c["averted_hi"][i], c["share_averted_mean"][i],
                                                c["cost_per_victim_averted"][i])
        assert lines[1 + i] == expected
    assert lines[1] == (f"Digital literacy averts an estimated {fmt_count(c['averted_mean'][0])} victims "
                        f"(95% interval {fmt_range(c['averted_lo'][0], c['averted_hi'][0])}), "
                        f"{fmt_pct(c['share_averted_mean'][0])} of the baseline, at "
                        f"{fmt_usd(c['cost_per_victim_averted'][0])} per victim averted (model estimate).")
    assert lines[3].startswith("Posters does not avert victims on average: model estimate")
    for key in COMPARE_SECTIONS:
        assert f'data-section="{key}"' in html, key
    assert "omitted" not in reps[0].numbers


def test_compare_report_shows_rescue_and_exploitation_averted(compare_file):
    """Benefits beyond recruitments prevented: each intervention's exploited person-days averted,
    extra rescues and cost per exploited person-year averted, as in the file, labelled estimates."""
    path, truth = compare_file
    html, reps = report.render([path])
    b = truth["benefits"]
    t = reps[0].numbers["benefits"]
    for k, v in b.items():
        np.testing.assert_allclose(t.loc[truth["interventions"], k].to_numpy(), v, equal_nan=True)
    lines = headlines(html)
    for i, name in enumerate(truth["interventions"]):
        s = report.benefit_sentence(name, b["exploited_days_averted_mean"][i], b["exploited_days_averted_lo"][i],
                                    b["exploited_days_averted_hi"][i], b["rescued_more_mean"][i],
                                    b["rescued_more_lo"][i], b["rescued_more_hi"][i],
                                    b["cost_per_exploited_year_averted"][i])
        assert s in lines, s
        assert "model estimate" in s and "interval" in s
    assert (f"Digital literacy averts an estimated {fmt_count(b['exploited_days_averted_mean'][0])} exploited "
            f"person-days") in html
    assert fmt_usd(b["cost_per_exploited_year_averted"][0]) in html
    assert "cost per exploited person-year averted" in html
    assert 'data-section="benefits"' in html and "benefits_plot" in reps[0].numbers


def test_compare_without_benefit_datasets_is_a_note(tmp_path):
    path = tmp_path / "old.h5"
    fixtures.make_compare(path, omit=("benefits",))
    html, reps = report.render([path])
    assert "benefits" in reps[0].numbers["omitted"]


def test_compare_with_reordered_axes(tmp_path):
    path = tmp_path / "c.h5"
    truth = fixtures.make_compare(path, reverse=True, orders={
        "intervention": ["posters", "digital_literacy", "hotline"], "department": fixtures.LABELS["department"][::-1]})
    _, reps = report.render([path])
    t = reps[0].numbers["compare"]
    np.testing.assert_allclose(t.loc[truth["interventions"], "averted_mean"], truth["compare"]["averted_mean"])
    dm = reps[0].numbers["averted_by_department"]["mean"]
    np.testing.assert_allclose(dm.loc[truth["interventions"], fixtures.LABELS["department"]],
                               truth["compare"]["averted_by_department"][0])


def test_missing_optional_groups_become_notes(tmp_path):
    path = tmp_path / "lean.h5"
    fixtures.make_run(path, omit=("observed", "interventions", "events"))
    html, reps = report.render([path])
    assert sorted(reps[0].numbers["omitted"]) == ["events", "interventions", "observed"]
    assert "no /observed group (optional)" in html
    assert "no /events table (optional)" in html
    assert 'data-section="funnel"' in html and html.count("<img ") == 8


def test_missing_trajectories_omits_only_that_section(tmp_path):
    path = tmp_path / "notraj.h5"
    fixtures.make_run(path, omit=("trajectories",))
    html, reps = report.render([path])
    assert reps[0].numbers["omitted"] == ["trajectories"]
    assert "has no dataset /trajectories/stock" in html


def test_unknown_kind_gets_short_section(tmp_path):
    path = tmp_path / "population.h5"
    with fixtures.redes_file(path) as f:
        f.create_group("metadata").attrs["kind"] = "population"
    html, reps = report.render([path])
    assert ("is a redes 'population' file; this report does not summarise 'population' files yet"
            in html_mod.unescape(html))
    assert reps[0].kind == "population"


def test_cli_missing_summary_exits_2_with_message(tmp_path, repo):
    path = tmp_path / "nosummary.h5"
    fixtures.make_run(path, omit=("summary",))
    out = tmp_path / "r.html"
    p = cli(repo, path, "-o", out)
    assert p.returncode == 2
    assert f"file {path} has no /summary group: it is not a redes run or compare file" in p.stderr
    assert "Traceback" not in p.stderr
    assert not out.exists()


@pytest.mark.parametrize("content", [b"not hdf5 at all", None])
def test_cli_bad_or_missing_file_exits_2(tmp_path, repo, content):
    path = tmp_path / "x.h5"
    if content is not None:
        path.write_bytes(content)
    p = cli(repo, path, "-o", tmp_path / "r.html")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert ("not a readable HDF5 file" if content else "does not exist") in p.stderr


def test_cli_compare_missing_compare_group(tmp_path, repo):
    path = tmp_path / "c.h5"
    fixtures.make_compare(path, omit=("compare",))
    p = cli(repo, path, "-o", tmp_path / "r.html")
    assert p.returncode == 2 and "has no /compare group" in p.stderr


def test_cli_directory_writes_one_self_contained_report(tmp_path, repo):
    d = tmp_path / "runs"
    d.mkdir()
    fixtures.make_run(d / "b_run.h5")
    fixtures.make_compare(d / "a_compare.h5")
    (d / "notes.txt").write_text("ignored")
    out = tmp_path / "report.html"
    p = cli(repo, d, "-o", out)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == str(out.resolve())
    html = out.read_text(encoding="utf-8")
    assert html.index("a_compare.h5 (compare)") < html.index("b_run.h5 (run)")  # sorted
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    srcs = re.findall(r'src="([^"]*)"', html)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []


def test_cli_empty_directory(tmp_path, repo):
    p = cli(repo, tmp_path, "-o", tmp_path / "r.html")
    assert p.returncode == 2 and "has no *.h5 files" in p.stderr


def test_text_from_file_is_escaped(tmp_path):
    path = tmp_path / "esc.h5"
    fixtures.make_run(path, omit=("trajectories",))
    with fixtures.redes_file(path, "r+") as f:
        f["/metadata"].attrs["scenario_text"] = '<img src="http://example.com/x.png">'
    html, _ = report.render([path])
    assert '<img src="http' not in html and "&lt;img src=&quot;http://example.com" in html


def test_events_section_shows_no_identifiers(run_file):
    html, _ = report.render([run_file[0]])
    section = html.split('data-section="events"', 1)[1].split("</section>", 1)[0]
    assert "recruiter" not in section and "person" not in section


def test_interval_reaching_zero_is_called_indistinguishable():
    unclear = report.intervention_sentence("digital_literacy", 2.4, -0.4, 5.2, 0.013, 87813.0)
    clear = report.intervention_sentence("digital_literacy", 24.0, 16.0, 31.0, 0.12, 13861.0)
    assert "cannot be told apart from no effect" in unclear
    assert "cannot be told apart" not in clear


def test_sample_counts_say_how_they_scale():
    values = [100, 110, 120]
    sample = report.victims_sentence(values, {"days": 1826, "agents": 610990, "represents": 6109903})
    full = report.victims_sentence(values, {"days": 1826, "agents": 6109903, "represents": 6109903})
    assert "multiply by 10.0" in sample and "610,990 synthetic persons" in sample
    assert "multiply" not in full
