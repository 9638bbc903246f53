// serve/server: `redes serve`, the workshop app over HTTP (cpp-httplib) with a small JSON API
// (nlohmann::json). Runs go through run_study, the code behind `redes run`; one worker thread takes
// jobs from a bounded queue (each run already uses every core), finished runs are cached by their
// parameters (which include the seed), so a room repeating a preset gets it at once.
#include <httplib.h>
#include <tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/output/output.hpp"
#include "sim/serve/assets.hpp"
#include "sim/serve/workshop.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kQueueLimit = 64;   // pending runs; past it a request gets 503 "try again"
constexpr std::size_t kCacheLimit = 100;  // finished runs kept (results and HDF5 files)

// NOLINTNEXTLINE(bugprone-exception-escape): only its strings allocate; out of memory ends the server anyway
struct Job {
  std::uint64_t id = 0;
  std::string key;  // canonical parameters
  json params;
  enum State { Queued, Running, Done, Failed };
  std::atomic<int> state{Queued};
  std::atomic<std::int64_t> days{0}, total{1};
  std::string error, result;  // result: run_json text
  RunResult run;
  double people_per_person = 1;
  fs::path h5;
};

class Server {
 public:
  Server(fs::path folder, std::string lang, int threads)
      : folder_(std::move(folder)), lang_(std::move(lang)), threads_(threads) {
    char tmpl[] = "/tmp/redes-serve-XXXXXX";
    if (!mkdtemp(tmpl)) throw IoError("cannot create a temporary folder for run files");
    tmp_ = tmpl;
    worker_ = std::thread([this] { work(); });
  }
  ~Server() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  json info() const {
    json controls = json::array();
    for (const auto& c : workshop::controls())
      controls.push_back({{"key", c.key},
                          {"kind", c.kind},
                          {"min", c.min},
                          {"max", c.max},
                          {"step", c.step},
                          {"value", c.kind == "switch"    ? json(c.value != 0)
                                    : c.kind == "integer" ? json(std::int64_t(c.value))
                                                          : json(c.value)},
                          {"requires", c.requires_switch}});
    return {{"lang", lang_},
            {"languages", {"es", "en"}},
            {"controls", controls},
            {"presets", workshop::presets()},
            {"limits", {{"persons", workshop::kMaxPersons}, {"queue", kQueueLimit}}}};
  }

  /// Starts (or finds) the run for a request body; returns the job and whether it was new.
  std::shared_ptr<Job> submit(const json& body) {
    json params = workshop::checked_params(body);
    Scenario sc = workshop::scenario_for(folder_, params);  // validates before queueing
    const std::string key = params.dump();
    std::lock_guard lock(mu_);
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      auto job = jobs_.at(it->second);
      if (job->state != Job::Failed) {
        if (job->state == Job::Done) touch(job->id);  // only finished runs are in the cache order
        return job;
      }
    }
    if (queue_.size() >= kQueueLimit) throw Busy();
    auto job = std::make_shared<Job>();
    job->id = ++next_id_;
    job->key = key;
    job->params = params;
    jobs_[job->id] = job;
    by_key_[key] = job->id;
    queue_.push_back({job, std::move(sc)});
    cv_.notify_one();
    return job;
  }

  std::shared_ptr<Job> find(std::uint64_t id) {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  }

  json status(const Job& job) {
    json s = {{"job", job.id},
              {"status", json::array({"queued", "running", "done", "failed"})[std::size_t(job.state.load())]}};
    s["progress"] =
        job.state == Job::Done ? 1.0 : double(job.days.load()) / double(std::max<std::int64_t>(1, job.total.load()));
    if (job.state == Job::Queued) {
      std::lock_guard lock(mu_);
      std::size_t ahead = 0;
      for (const auto& q : queue_) {
        if (q.job.get() == &job) break;
        ++ahead;
      }
      s["ahead"] = ahead;
    }
    if (job.state == Job::Failed) s["error"] = job.error;
    return s;
  }

  struct Busy {};

 private:
  struct Pending {
    std::shared_ptr<Job> job;
    Scenario scenario;
  };

  void touch(std::uint64_t id) {  // under mu_
    lru_.remove(id);
    lru_.push_back(id);
  }

  void work() {
    for (;;) {
      Pending p;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        p = std::move(queue_.front());
        queue_.pop_front();
      }
      Job& job = *p.job;
      job.state = Job::Running;
      try {
        run(job, p.scenario);
        job.state = Job::Done;
      } catch (const std::exception& e) {
        job.error = e.what();
        job.state = Job::Failed;
      }
      std::lock_guard lock(mu_);
      touch(job.id);
      while (lru_.size() > kCacheLimit) evict(lru_.front());
    }
  }

  void evict(std::uint64_t id) {  // under mu_
    lru_.pop_front();
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    std::error_code ec;
    if (!it->second->h5.empty()) fs::remove(it->second->h5, ec);
    by_key_.erase(it->second->key);
    jobs_.erase(it);
  }

  // The run, written as `redes run` writes it (RunWriter, metadata), for the HDF5 export.
  void run(Job& job, const Scenario& sc) {
    const auto seed = std::uint32_t(job.params.at("seed").get<std::int64_t>());
    const int replicates = int(job.params.at("replicates").get<std::int64_t>());
    RunRequest req{sc, seed, replicates, threads_, {}};
    job.h5 = tmp_ / ("run-" + std::to_string(job.id) + ".h5");
    const std::string started = now_iso();
    h5::Writer f(job.h5);
    RunWriter writer(f, "", req.scenario, replicates, intervention_names(req.scenario));
    workshop::RunCharts charts;
    charts.init(req.scenario);
    Callbacks cb;
    cb.start = [&](std::int64_t total, double) {
      job.total = total;
      return &job.days;
    };
    cb.on_replicate = [&](std::size_t, int, const ReplicateResult& r, const Summary& s, const Observed& o) {
      writer.write(r, s, o);
      charts.add(req.scenario, r, o);
    };
    job.run = run_study(req, cb);
    write_metadata(f, req.scenario, "run", seed, replicates, threads_, started);
    f.commit();
    job.people_per_person = req.scenario.population.represents / double(req.scenario.population.size);
    json out = workshop::run_json(req.scenario, job.params, job.run, charts);
    out["job"] = job.id;
    job.result = out.dump();
  }

  fs::path folder_, tmp_;
  std::string lang_;
  int threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<Pending> queue_;
  std::map<std::uint64_t, std::shared_ptr<Job>> jobs_;
  std::map<std::string, std::uint64_t> by_key_;
  std::list<std::uint64_t> lru_;
  std::uint64_t next_id_ = 0;
  std::thread worker_;
};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Messages may quote the request's bytes: replace invalid UTF-8 rather than fail.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

httplib::Server* g_server = nullptr;
void stop_server_on_signal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

int cmd_serve(const Options& opt) {
  const fs::path folder = opt.file.empty() ? fs::path("scenarios/workshop") : fs::path(opt.file);
  for (const auto& name : workshop::required_files())
    if (!fs::is_regular_file(folder / name))
      throw IoError((folder / name).string() +
                    ": not found; `redes serve` needs the workshop pack (scenarios/workshop)");
  // Check the pack once at start: a broken scenario should stop the facilitator, not the room.
  workshop::scenario_for(folder, workshop::checked_params(nlohmann::json::object()));
  Server state(folder, opt.lang, opt.threads);
  httplib::Server svr;
  svr.set_payload_max_length(std::size_t(16) * 1024);  // a run request is a few hundred bytes
  svr.set_read_timeout(10, 0);
  svr.set_write_timeout(30, 0);
  svr.new_task_queue = [] { return new httplib::ThreadPool(16); };
  svr.set_default_headers(
      {{"X-Content-Type-Options", "nosniff"},
       {"Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'"},
       {"Referrer-Policy", "no-referrer"},
       {"Cache-Control", "no-store"}});

  // Only the embedded assets, by exact name: no request path reaches the file system.
  for (const auto& a : serve_assets()) {
    svr.Get(a.url, [&a](const httplib::Request&, httplib::Response& res) { res.set_content(a.data, a.size, a.type); });
  }
  svr.Get("/api/info", [&](const httplib::Request&, httplib::Response& res) { send_json(res, 200, state.info()); });
  svr.Post("/api/run", [&](const httplib::Request& req, httplib::Response& res) {
    json body;
    try {
      body = json::parse(req.body);
    } catch (const json::parse_error& e) {
      return send_error(res, 400, std::string("the request body is not valid JSON (") + e.what() + ")");
    }
    try {
      auto job = state.submit(body);
      json s = state.status(*job);
      if (job->state == Job::Done) s["result"] = json::parse(job->result);
      send_json(res, job->state == Job::Done ? 200 : 202, s);
    } catch (const workshop::BadRequest& e) {
      send_error(res, 400, e.what());
    } catch (const ScenarioError& e) {
      send_error(res, 400, e.what());
    } catch (const Server::Busy&) {
      send_error(res, 503, "the server is busy with other runs; try again in a minute");
    }
  });
  auto job_of = [&](const httplib::Request& req, httplib::Response& res) -> std::shared_ptr<Job> {
    std::uint64_t id = 0;
    const std::string& s = req.matches[1];
    if (s.size() > 12) return send_error(res, 404, "no such run"), nullptr;
    id = std::stoull(s);
    auto job = state.find(id);
    if (!job) send_error(res, 404, "no such run (it may have been dropped from the cache: run it again)");
    return job;
  };
  svr.Get(R"(/api/jobs/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto job = job_of(req, res);
    if (!job) return;
    json s = state.status(*job);
    if (job->state == Job::Done) s["result"] = json::parse(job->result);
    send_json(res, 200, s);
  });
  auto done_job = [&](const httplib::Request& req, httplib::Response& res) -> std::shared_ptr<Job> {
    auto job = job_of(req, res);
    if (job && job->state != Job::Done) return send_error(res, 409, "this run has not finished yet"), nullptr;
    return job;
  };
  svr.Get(R"(/api/jobs/(\d+)/run\.h5)", [&](const httplib::Request& req, httplib::Response& res) {
    auto job = done_job(req, res);
    if (!job) return;
    std::ifstream in(job->h5, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    res.set_header("Content-Disposition", "attachment; filename=\"redes-run-" + std::to_string(job->id) + ".h5\"");
    res.set_content(bytes, "application/x-hdf5");
  });
  svr.Get(R"(/api/jobs/(\d+)/run\.csv)", [&](const httplib::Request& req, httplib::Response& res) {
    auto job = done_job(req, res);
    if (!job) return;
    res.set_header("Content-Disposition", "attachment; filename=\"redes-run-" + std::to_string(job->id) + ".csv\"");
    res.set_content("# model estimates from a synthetic population\n" + workshop::run_csv(job->run),
                    "text/csv; charset=utf-8");
  });
  svr.Post("/api/compare", [&](const httplib::Request& req, httplib::Response& res) {
    json body;
    try {
      body = json::parse(req.body);
    } catch (const json::parse_error& e) {
      return send_error(res, 400, std::string("the request body is not valid JSON (") + e.what() + ")");
    }
    if (!body.is_object() || body.size() != 2 || !body.contains("base") || !body.contains("other") ||
        !body["base"].is_number_unsigned() || !body["other"].is_number_unsigned())
      return send_error(res, 400, "send {\"base\": <run number>, \"other\": <run number>} and nothing else");
    auto a = state.find(body["base"].get<std::uint64_t>()), b = state.find(body["other"].get<std::uint64_t>());
    if (!a || !b) return send_error(res, 404, "no such run (it may have been dropped from the cache: run it again)");
    if (a->state != Job::Done || b->state != Job::Done) return send_error(res, 409, "both runs must have finished");
    for (const char* k : {"seed", "replicates", "persons"})
      if (a->params[k] != b->params[k])
        return send_error(res, 400,
                          std::string("runs are paired only with the same ") + k +
                              " (common random numbers): set it the same in both runs");
    json out = workshop::compare_json("base", a->run, "other", b->run, a->people_per_person);
    out["base"] = a->id;
    out["other"] = b->id;
    send_json(res, 200, out);
  });
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    send_error(res, res.status,
               res.status == 404   ? "not found"
               : res.status == 413 ? "the request is too large: a run request is a few controls (at most 16 KiB)"
                                   : "bad request");
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_error(res, 500, what);
  });

  // Debian's cpp-httplib is built with a listen backlog of 5: a room connecting at once overflows it
  // and connections are reset. Keep the socket (with the library's default option) and listen again
  // with a longer queue, which Linux allows on a listening socket.
  int listen_fd = -1;
  svr.set_socket_options([&](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });
  const int port =
      opt.port == 0 ? svr.bind_to_any_port(opt.host) : (svr.bind_to_port(opt.host, opt.port) ? opt.port : -1);
  if (port <= 0)
    throw IoError("cannot listen on " + opt.host + ":" + std::to_string(opt.port) +
                  " (in use, or not an address of this machine)");
  if (listen_fd >= 0) ::listen(listen_fd, 256);
  print_tr("serve.listening", fmt::arg("host", opt.host == "0.0.0.0" ? tr("serve.any_address") : opt.host),
           fmt::arg("port", port), fmt::arg("lang", opt.lang));
  if (opt.host != "127.0.0.1" && opt.host != "localhost") print_tr("serve.beyond_machine");
  std::fflush(stdout);
  g_server = &svr;
  std::signal(SIGINT, stop_server_on_signal);
  std::signal(SIGTERM, stop_server_on_signal);
  svr.listen_after_bind();
  g_server = nullptr;
  return 0;
}

}  // namespace redes
