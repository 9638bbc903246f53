#include "sim/study/run_file.hpp"

#include <optional>

#include "sim/output/output.hpp"

namespace redes {

RunResult run_to_file(const RunRequest& req, const std::filesystem::path& out, const Callbacks& callbacks,
                      const std::string& started_at) {
  const Scenario& sc = req.scenario;
  const std::vector<std::string> names = intervention_names(sc);
  std::optional<h5::Writer> file;  // created once the world is built, so a failed build leaves no file
  std::optional<RunWriter> writer;
  Callbacks cb = callbacks;
  cb.start = [&](std::int64_t total, double build_seconds) -> std::atomic<std::int64_t>* {
    file.emplace(out);
    writer.emplace(*file, "", sc, req.replicates, names);
    return callbacks.start ? callbacks.start(total, build_seconds) : nullptr;
  };
  cb.on_replicate = [&](std::size_t arm, int r, const ReplicateResult& res, const Summary& s, const Observed& o) {
    writer->write(res, s, o);
    if (callbacks.on_replicate) callbacks.on_replicate(arm, r, res, s, o);
  };
  RunResult result = run_study(req, cb);
  h5::Writer& f = *file;
  write_metadata(f, sc, "run", req.seed, req.replicates, req.threads, started_at);
  if (!req.population_file.empty()) f.attribute("/metadata", "population_file", req.population_file.string());
  f.attribute("/metadata", "agent_days_per_second",
              double(sc.population.size) * sc.days * req.replicates / result.wall_seconds);
  f.commit();
  return result;
}

}  // namespace redes
