#include "sim/recruitment/recruiters.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/alias_table.hpp"
#include "sim/population/population.hpp"

namespace redes {

namespace {
Recruiter make(const Scenario& sc, const Population& pop, Draws& dr, int home, bool embedded) {
  Recruiter r;
  r.home = std::uint8_t(home);
  if (embedded) {
    std::uint32_t lo = pop.dept_begin[home], size = pop.dept_begin[home + 1] - lo;
    if (size > 0) r.embedded_in = lo + dr.below(size);
  }
  // Individual strategy split around the scenario's share (Beta-like spread via two uniforms).
  double h = sc.recruiters.hunting_share;
  double jitter = (dr.uniform() + dr.uniform() - 1.0) * 0.5 * std::min(h, 1 - h);
  r.hunting_share = float(std::clamp(h + jitter, 0.0, 1.0));
  return r;
}
}  // namespace

std::vector<Recruiter> initial_recruiters(const Scenario& sc, const Population& pop, const Rng& rng) {
  const auto count = std::int64_t(std::llround(sc.recruiters.per_100k * double(pop.size()) / 1e5));
  AliasTable homes(sc.recruiters.department_weight);
  std::vector<Recruiter> out;
  out.reserve(std::size_t(count));
  for (std::int64_t k = 0; k < count; ++k) {
    Draws dr(rng, std::uint32_t(k), 0, Stream::RecruiterInit);
    int home = int(homes.draw(dr));
    bool embedded = dr.uniform() < sc.recruiters.embedded_share;
    out.push_back(make(sc, pop, dr, home, embedded));
  }
  return out;
}

Recruiter replacement_recruiter(const Scenario& sc, const Population& pop, const Rng& rng, const Recruiter& replaced,
                                RecruiterId new_id, int day) {
  Draws dr(rng, new_id, 0, Stream::RecruiterInit);
  (void)dr.u32(), (void)dr.u32();  // keep the layout of initial draws
  Recruiter r = make(sc, pop, dr, replaced.home, replaced.embedded());
  Draws delay(rng, new_id, 0, Stream::RecruiterInflow);
  // Clamped so that a huge mean delay means "never" rather than an int overflow.
  r.active_from = day + 1 + int(std::min(delay.exponential(1.0 / sc.recruiters.replacement_days), 1e9));
  return r;
}

}  // namespace redes
