// present/console: talking to a person at a terminal while work runs: a progress bar on stderr,
// elapsed time, peak memory.
#pragma once
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

namespace redes {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

inline std::size_t peak_rss_bytes() {
  // VmHWM in /proc/self/status: the kernel's record of peak resident memory.
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  std::size_t kb = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %zu kB", &kb) == 1) break;
  std::fclose(f);
  return kb * 1024;
}

/// A progress bar with time left on a terminal; plain lines every 10% otherwise. With `runs` set,
/// it counts runs and shows runs done and runs per minute.
class Progress {
 public:
  Progress(std::string what, std::int64_t total, bool runs = false)
      : what_(std::move(what)), total_(total), runs_(runs), tty_(isatty(STDERR_FILENO)) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Progress() {
    stop_ = true;
    thread_.join();
    print(true);
  }
  std::atomic<std::int64_t> done{0};

 private:
  void loop() {
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      print(false);
    }
  }
  void print(bool final) {
    const std::int64_t d = done.load();
    const double frac = total_ > 0 ? double(d) / double(total_) : 1.0;
    const double el = seconds_since(start_);
    const double left = frac > 0 ? el * (1 - frac) / frac : 0;
    char rate[96] = "";
    if (runs_)
      std::snprintf(rate, sizeof rate, " %lld/%lld runs, %.1f runs/min,", (long long)d, (long long)total_,
                    el > 0 ? 60.0 * double(d) / el : 0.0);
    if (tty_) {
      int bars = int(frac * 30);
      std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%%%s  %.0fs elapsed, ~%.0fs left  ", what_.c_str(), bars,
                   "##############################", 30 - bars, "", frac * 100, rate, el, left);
      if (final) std::fprintf(stderr, "\n");
    } else {
      int decile = int(frac * 10);
      if (decile > last_decile_ || final) {
        if (decile != last_decile_)
          std::fprintf(stderr, "%s: %3.0f%%%s (%.0fs elapsed, ~%.0fs left)\n", what_.c_str(), frac * 100, rate, el,
                       left);
        last_decile_ = decile;
      }
    }
    std::fflush(stderr);
  }
  std::string what_;
  std::int64_t total_;
  bool runs_, tty_;
  Clock::time_point start_ = Clock::now();
  std::atomic<bool> stop_{false};
  int last_decile_ = -1;
  std::thread thread_;
};

}  // namespace redes
