// core/rng: counter-based random numbers (Random123 Philox-4x32-10). A draw is a pure function of
// (seed, replicate) as key and (entity, day, stream, index) as counter, so any agent's draw on
// any day is the same whichever thread makes it, and a baseline and an intervention run with the
// same seed share every draw the intervention does not touch (common random numbers).
// The distribution code is our own (not <random>'s), so every platform draws the same numbers.
#pragma once
#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace redes {

/// One entry per random decision. Values are part of the output contract: never renumber.
enum class Stream : std::uint16_t {
  // population and network (day = 0)
  Department = 1,
  Household = 2,
  Demography = 3,
  Attributes = 4,
  Platforms = 5,
  Renewal = 6,
  LayerHousehold = 10,
  LayerSchoolWork = 11,
  LayerNeighbourhood = 12,
  LayerPlatform = 13,
  // recruiters
  RecruiterInit = 20,
  RecruiterArrest = 21,
  RecruiterInflow = 22,
  RecruiterDisplace = 23,
  // daily dynamics
  AdPost = 30,
  AdRemoval = 31,
  AdReach = 32,
  AdShare = 33,
  AdResponse = 34,
  HuntBrowse = 40,
  HuntAccept = 41,
  TrustedApproach = 45,
  ConflictOrder = 50,
  Grooming = 51,
  Recognition = 52,
  Report = 53,
  Offer = 54,
  Outcome = 55,
  Exit = 56,
  Images = 57,
  Patience = 58,
  InterventionReach = 60,
  PeerSpread = 61,
  Detection = 70,
  Recording = 71,
  CaseGrouping = 72,
  // sweeps and calibration (entity = point or particle)
  SweepDesign = 80,
  SweepSeed = 81,
  Bootstrap = 82,
  AbcPrior = 90,
  AbcResample = 91,
  AbcPerturb = 92,
  CalibrationRun = 93,
  HistoryMatch = 94,
  DecisionPosterior = 95,
  DecisionEffect = 96,     // compare --draws: posterior resampling, effect quantiles
  CalibrationRecord = 97,  // replicate records of the predictive check
  Test = 999,
};

class Rng {
 public:
  using Philox = r123::Philox4x32;
  Rng(std::uint32_t seed, std::uint32_t replicate) : key_{{seed, replicate}} {}

  /// Four independent 32-bit words for (entity, day, stream, sub, index).
  std::array<std::uint32_t, 4> words(std::uint32_t entity, std::uint32_t day, Stream stream, std::uint16_t sub,
                                     std::uint32_t index) const {
    Philox::ctr_type ctr{{entity, day, (std::uint32_t(stream) << 16) | sub, index}};
    auto out = Philox()(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  std::uint32_t seed() const { return key_[0]; }
  std::uint32_t replicate() const { return key_[1]; }

 private:
  Philox::key_type key_;
};

/// Uniform double in the open interval (0, 1) from 64 random bits (53 used).
inline double to_unit(std::uint32_t hi, std::uint32_t lo) {
  std::uint64_t bits = (std::uint64_t(hi) << 32 | lo) >> 11;
  // bits + 0.5 needs 54 significant bits above 2^52 and is rounded; for bits = 2^53 - 1 it rounds
  // up to 2^53, i.e. exactly 1.0. Keep the interval open (every other value is unchanged).
  return std::min((double(bits) + 0.5) * 0x1.0p-53, 0x1.fffffffffffffp-1);
}

/// A sequence of draws for one decision of one entity on one day: (entity, day, stream, sub)
/// fixed, the Philox index counting up. Cheap to create; use one per decision.
class Draws {
 public:
  /// `first_index` lets one (entity, day, stream) host many disjoint sequences, e.g. one per ad:
  /// sequence k starts at k << 10 and may use up to 4096 words.
  Draws(const Rng& rng, std::uint32_t entity, std::uint32_t day, Stream stream, std::uint16_t sub = 0,
        std::uint32_t first_index = 0)
      : rng_(rng), entity_(entity), day_(day), stream_(stream), sub_(sub), index_(first_index) {}

  std::uint32_t u32() {
    if (used_ == 4) refill();
    return buf_[used_++];
  }
  /// Uniform in (0, 1).
  double uniform() {
    std::uint32_t a = u32();
    return to_unit(a, u32());
  }
  bool bernoulli(double p) { return uniform() < p; }
  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 / n, negligible here).
  std::uint32_t below(std::uint32_t n) { return std::uint32_t((std::uint64_t(u32()) * n) >> 32); }
  double exponential(double rate) { return -std::log(uniform()) / rate; }
  /// Standard normal (Box-Muller, one value per call for simplicity).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Poisson by inversion for small means, normal approximation above 60 (degrees, counts).
  std::uint32_t poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 60) {
      double x = std::floor(mean + std::sqrt(mean) * normal() + 0.5);
      return x < 0 ? 0 : std::uint32_t(x);
    }
    double u = uniform(), p = std::exp(-mean), cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }
  /// Number of failures before the first success, for skipping over Bernoulli(p) trials.
  std::uint64_t geometric_skip(double p) { return geometric_skip(SkipRate(p)); }
  /// The same with log(1 - p) computed once, for loops that draw many skips of one p (same draws,
  /// same results: the same division by the same number).
  struct SkipRate {
    explicit SkipRate(double p) : p(p), log_q(std::log1p(-p)) {}
    /// For 0 < p < 1, a uniform below this gives skip_of(u) >= b: floor(log u / log(1 - p)) >= b when
    /// u <= (1 - p)^b. The margin (1e-9 relative) covers the rounding of log, exp and the division
    /// many times over, so a test against it never decides differently from skip_of.
    double surely_at_least(std::uint32_t b) const { return std::exp(double(b) * log_q) * (1 - 1e-9); }
    double p, log_q;
  };
  std::uint64_t geometric_skip(const SkipRate& rate) {
    if (rate.p >= 1.0) return 0;
    if (rate.p <= 0.0) return UINT64_MAX;
    return skip_of(uniform(), rate);
  }
  /// The skip geometric_skip makes of uniform u, for 0 < p < 1.
  static std::uint64_t skip_of(double u, const SkipRate& rate) {
    const double g = std::floor(std::log(u) / rate.log_q);
    return g >= 1.8e19 ? UINT64_MAX : std::uint64_t(g);
  }

 private:
  void refill() {
    buf_ = rng_.words(entity_, day_, stream_, sub_, index_++);
    used_ = 0;
  }
  Rng rng_;  // by value (two words): a Draws may outlive a temporary Rng it was made from
  std::uint32_t entity_, day_;
  Stream stream_;
  std::uint16_t sub_;
  std::uint32_t index_;
  std::array<std::uint32_t, 4> buf_{};
  int used_ = 4;
};

/// A 64-bit hash for deterministic ordering: which recruiter, named by its (slot, generation),
/// reaches a person first. Keyed by the recruiter's identity, never its index in a run's list,
/// whose order depends on when other recruiters were replaced (common random numbers).
inline std::uint64_t order_key(const Rng& rng, std::uint32_t person, std::uint32_t day, std::uint32_t slot,
                               std::uint16_t generation) {
  auto w = rng.words(person, day, Stream::ConflictOrder, generation, slot);
  return std::uint64_t(w[0]) << 32 | w[1];
}

inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace redes
