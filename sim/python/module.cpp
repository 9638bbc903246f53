// python: the redes._core extension (pybind11) behind `import redes` (sim/python/redes). It loads
// a scenario, applies overrides with the YAML reader's own checks, and runs or compares it through
// the study layer into the file `redes run` or `redes compare` writes (run_to_file,
// compare_to_file), with the GIL released. The study runs on
// a worker thread while the calling thread waits in short slices: between them it takes the GIL
// back to call PyErr_CheckSignals (Python runs signal handlers only on the main thread, with the
// GIL) and the progress callback; a KeyboardInterrupt sets the study's stop flag, which ends every
// running replicate at its next day, and the temporary file is removed.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>

#include "sim/core/errors.hpp"
#include "sim/core/version.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/study/compare_file.hpp"
#include "sim/study/run_file.hpp"
#include "sim/study/sweep_study.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using namespace redes;

namespace {

/// A Python value as the YAML node a scenario file would hold, located at `overrides` for errors.
io::Node to_node(const py::handle& value, const std::string& key) {
  io::Node n;
  n.loc = n.key_loc = Location{"overrides", 0, 0};
  if (value.is_none()) return n;
  if (py::isinstance<py::bool_>(value)) {
    n.kind = io::Node::Kind::Scalar;
    n.scalar = value.cast<bool>() ? "true" : "false";
  } else if (py::isinstance<py::str>(value)) {
    n.kind = io::Node::Kind::Scalar;
    n.scalar = value.cast<std::string>();
  } else if (py::isinstance<py::int_>(value) || py::hasattr(value, "__index__")) {  // numpy integers too
    n.kind = io::Node::Kind::Scalar;
    n.scalar = py::str(py::int_(py::reinterpret_borrow<py::object>(value))).cast<std::string>();
  } else if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__")) {
    n.kind = io::Node::Kind::Scalar;
    n.scalar = fmt::format(
        "{}", py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>());  // as sweeps write values
  } else if (py::isinstance<py::dict>(value)) {
    n.kind = io::Node::Kind::Map;
    for (auto [k, v] : value.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k)) throw py::value_error("overrides: key '" + key + "': map keys must be strings");
      n.map.emplace_back(k.cast<std::string>(), to_node(v, key));
      n.map.back().second.key_loc = n.loc;
    }
  } else if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    n.kind = io::Node::Kind::Sequence;
    for (auto v : value) n.seq.push_back(to_node(v, key));
  } else {
    throw py::value_error("overrides: key '" + key + "': a " + std::string(py::str(value.get_type().attr("__name__"))) +
                          " is not a scenario value (use numbers, strings, booleans, lists or dicts)");
  }
  return n;
}

/// The scenario with the overrides applied exactly as `override:` in a scenario file would be.
std::pair<io::Node, Scenario> load_with_overrides(const std::string& path, const py::dict& overrides) {
  try {
    io::Node tree = io::load_scenario_tree(path);
    for (auto [k, v] : overrides) {
      if (!py::isinstance<py::str>(k))
        throw py::value_error("overrides: keys are dotted key paths (strings), e.g. 'population.size'");
      const std::string key = k.cast<std::string>();
      io::apply_override(tree, key, to_node(v, key));
    }
    Scenario sc = scenario_from_tree(tree, path);  // interventions are parsed and checked here, not mid-run
    return {std::move(tree), std::move(sc)};
  } catch (const ScenarioError& e) {
    throw py::value_error(e.what());
  }
}

/// What a study and the waiting Python thread share: a stop flag and progress counters.
struct Shared {
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> done{0}, total{0};
  /// Study callbacks that stop on the flag and count simulated days.
  Callbacks callbacks() {
    Callbacks cb;
    cb.stop = &stop;
    cb.start = [this](std::int64_t t, double) {
      total = t;
      return &done;
    };
    return cb;
  }
};

/// Runs `work(shared)` on a worker thread with the GIL released; every 100 ms takes the GIL to
/// check signals (Ctrl-C sets the stop flag, waits for the study to end, re-raises) and to call
/// `progress(done, total)`. Exceptions of `work` are re-raised here (ScenarioError as ValueError).
void run_interruptibly(const std::function<void(Shared&)>& work, const py::object& progress) {
  Shared shared;
  std::atomic<bool>& stop = shared.stop;
  std::atomic<std::int64_t>&days_done = shared.done, &days_total = shared.total;
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::exception_ptr error;
  std::thread worker([&] {
    try {
      work(shared);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> g(m);
    finished = true;
    cv.notify_all();
  });
  auto stop_and_join = [&] {
    stop = true;
    py::gil_scoped_release nogil;
    worker.join();
  };
  for (;;) {
    {
      py::gil_scoped_release nogil;
      std::unique_lock<std::mutex> g(m);
      if (cv.wait_for(g, std::chrono::milliseconds(100), [&] { return finished; })) break;
    }
    if (PyErr_CheckSignals() != 0) {  // Ctrl-C: KeyboardInterrupt is set; stop within a simulated day
      stop_and_join();
      throw py::error_already_set();
    }
    if (!progress.is_none()) {
      try {
        progress(days_done.load(), days_total.load());
      } catch (...) {
        stop_and_join();
        throw;
      }
    }
  }
  {
    py::gil_scoped_release nogil;
    worker.join();
  }
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const ScenarioError& e) {
      throw py::value_error(e.what());
    }
  }
  if (!progress.is_none()) progress(days_done.load(), days_total.load());  // the last call says all is done
}

/// Threads for the study: `threads` > 0 limits TBB while `limit` lives; 0 means all cores.
int thread_count(int threads, std::unique_ptr<tbb::global_control>& limit) {
  if (threads > 0) limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
  return threads > 0 ? threads : tbb::info::default_concurrency();
}

void prepare_output(const fs::path& out, const std::vector<fs::path>& inputs) {
  io::refuse_clobber(out, inputs);
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
}

py::dict run(const std::string& scenario_path, const py::dict& overrides, std::optional<std::uint32_t> seed,
             int replicates, int threads, const std::string& output, const py::object& progress) {
  if (replicates < 1) throw py::value_error("replicates must be at least 1, got " + std::to_string(replicates));
  auto [tree, scenario] = load_with_overrides(scenario_path, overrides);
  std::unique_ptr<tbb::global_control> limit;
  threads = thread_count(threads, limit);
  RunRequest req{std::move(scenario), 0, replicates, threads, {}};
  req.seed = seed.value_or(req.scenario.seed);
  const fs::path out = output;
  prepare_output(out, io::source_files(tree, scenario_path));
  io::OutputLock lock(out);
  RunResult result;
  const std::string started = now_iso();
  run_interruptibly([&](Shared& sh) { result = run_to_file(req, out, sh.callbacks(), started); }, progress);
  py::dict info;
  info["output"] = out.string();
  info["seed"] = req.seed;
  info["replicates"] = replicates;
  info["threads"] = threads;
  info["victims"] = result.victims;
  info["wall_seconds"] = result.wall_seconds;
  return info;
}

py::dict compare(const std::string& baseline_path, const std::vector<std::string>& interventions,
                 const py::dict& overrides, std::optional<std::uint32_t> seed, int replicates, int threads,
                 const std::string& output, const py::object& progress) {
  if (replicates < 1) throw py::value_error("replicates must be at least 1, got " + std::to_string(replicates));
  if (interventions.empty()) throw py::value_error("compare needs at least one intervention file");
  auto [tree, base] = load_with_overrides(baseline_path, overrides);
  std::vector<Scenario> arms;
  std::vector<std::string> names;
  try {
    std::tie(arms, names) = load_arms(tree, baseline_path, interventions);
  } catch (const ScenarioError& e) {
    throw py::value_error(e.what());
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
  std::unique_ptr<tbb::global_control> limit;
  threads = thread_count(threads, limit);
  const std::uint32_t s = seed.value_or(base.seed);
  const fs::path out = output;
  std::vector<fs::path> inputs = io::source_files(tree, baseline_path);
  for (const auto& file : interventions) {
    auto more = io::source_files(io::load_scenario_tree(file), file);
    inputs.insert(inputs.end(), more.begin(), more.end());
  }
  prepare_output(out, inputs);
  io::OutputLock lock(out);
  CompareRequest req{std::move(base), std::move(arms), names, s, replicates, threads, {}};
  CompareResult result;
  const std::string started = now_iso();
  run_interruptibly([&](Shared& sh) { result = compare_to_file(req, out, sh.callbacks(), started); }, progress);
  py::dict info;
  info["output"] = out.string();
  info["seed"] = s;
  info["replicates"] = replicates;
  info["arms"] = names;
  return info;
}

py::dict run_sweep(const std::string& sweep_file, const std::string& output, int threads, const py::object& progress) {
  std::unique_ptr<tbb::global_control> limit;
  threads = thread_count(threads, limit);
  SweepResult result;
  run_interruptibly(
      [&](Shared& sh) {
        SweepCallbacks cb;
        cb.start = [&](std::int64_t to_run, std::int64_t) {
          sh.total = to_run;
          return &sh.done;
        };
        cb.cancelled = [&] { return sh.stop.load(); };  // runs under way finish and are journaled
        result = sweep_study(SweepRequest{sweep_file, output, 1, 1, threads}, cb);
      },
      progress);
  py::dict info;
  info["output"] = result.output.string();
  info["ran"] = result.ran;
  info["completed"] = result.stats.completed;
  info["complete"] = result.stats.complete;
  return info;
}

}  // namespace

PYBIND11_MODULE(_core, mod) {
  mod.doc() = "redes simulator core (C++); use the redes package, not this module.";
  mod.attr("version") = std::string(redes::version());
  mod.def("run", &run, py::arg("scenario"), py::arg("overrides"), py::arg("seed"), py::arg("replicates"),
          py::arg("threads"), py::arg("output"), py::arg("progress"),
          "Run a scenario into a run file (the layout of `redes run`); returns a summary dict.");
  mod.def("compare", &compare, py::arg("baseline"), py::arg("interventions"), py::arg("overrides"), py::arg("seed"),
          py::arg("replicates"), py::arg("threads"), py::arg("output"), py::arg("progress"),
          "Compare the baseline with each intervention file on common random numbers into a compare file.");
  mod.def("sweep", &run_sweep, py::arg("sweep_file"), py::arg("output"), py::arg("threads"), py::arg("progress"),
          "Run a sweep file's design into a sweep file (resumes from its journal, as redes sweep does).");
  mod.def(
      "check_scenario",
      [](const std::string& path, const py::dict& overrides) {
        auto [tree, sc] = load_with_overrides(path, overrides);
        return io::to_yaml(tree);
      },
      py::arg("scenario"), py::arg("overrides") = py::dict(),
      "The composed scenario YAML with the overrides applied; ValueError (key and reason) when invalid.");
}
