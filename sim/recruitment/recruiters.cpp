#include "sim/recruitment/recruiters.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/population/population.hpp"

namespace redes {

namespace {
constexpr int kWhatsApp = 2;                       // messaging between people who know each other
constexpr std::uint16_t kCountSub = 0xFFFF;        // sub of the per-department slot counts (no generation reaches it)
constexpr std::uint32_t kSlotsPerKind = 1u << 23;  // slot ids: 8 bits of department, 1 of kind, 23 of index

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

/// Days until a vacant slot is filled: memoryless, clamped so that a huge mean means "never"
/// rather than an int overflow.
int vacancy_days(const Scenario& sc, Draws& d) {
  return int(std::min(d.exponential(1.0 / sc.recruiters.replacement_days), 1e9));
}
}  // namespace

std::array<double, kPlatforms> baseline_platform_mix(const Scenario& sc, const Population& pop) {
  std::array<double, kPlatforms> mix{};
  double total = 0;
  for (int p = 1; p < kPlatforms; ++p) {
    const bool open = sc.platforms[p].enabled && !sc.platforms[p].shock_only;
    mix[p] = open && !pop.users[p].empty() ? sc.recruiters.platform_mix[p] : 0.0;
    total += mix[p];
  }
  for (double& m : mix) m = total > 0 ? m / total : 0.0;
  return mix;
}

double arrest_probability(const Scenario& sc, int home, bool embedded, int reports, double online_cooperation,
                          double whatsapp_cooperation, double enforcement_mult) {
  const auto& en = sc.enforcement;
  const double testimony = en.k_reports * reports;
  const double evidence =
      embedded ? sc.trusted.ict_share * whatsapp_cooperation * (1 + testimony) + (1 - sc.trusted.ict_share) * testimony
               : online_cooperation * (1 + testimony);
  return std::clamp(en.arrest_base * en.capacity[home] * enforcement_mult * evidence, 0.0, 1.0);
}

std::vector<double> expected_active_recruiters(const Scenario& sc, const Population& pop) {
  const int nd = sc.department_count();
  const auto& w = sc.recruiters.department_weight;
  double weighted = 0;
  for (int d = 0; d < nd; ++d) weighted += w[d] * double(pop.dept_begin[d + 1] - pop.dept_begin[d]);
  std::vector<double> out(std::size_t(nd), 0.0);
  if (weighted <= 0) return out;
  const double national = sc.recruiters.per_100k * double(pop.size()) / 1e5;
  for (int d = 0; d < nd; ++d) out[d] = national * w[d] * double(pop.dept_begin[d + 1] - pop.dept_begin[d]) / weighted;
  return out;
}

std::vector<Recruiter> initial_recruiters(const Scenario& sc, const Population& pop, const Rng& rng, int start) {
  const auto active = expected_active_recruiters(sc, pop);
  const auto mix = baseline_platform_mix(sc, pop);
  double online_coop = 0;
  for (int p = 1; p < kPlatforms; ++p) online_coop += mix[p] * sc.platforms[p].cooperation;
  const double wa_coop = sc.platforms[kWhatsApp].cooperation;
  const double R = sc.recruiters.replacement_days;
  std::vector<Recruiter> out;
  if (sc.department_count() > 256) throw std::invalid_argument("recruiters: slot ids hold at most 256 departments");
  for (int d = 0; d < sc.department_count(); ++d) {
    for (int kind = 0; kind < 2; ++kind) {  // 0 online, 1 trusted contact
      const bool embedded = kind == 1;
      const double share = embedded ? sc.recruiters.embedded_share : 1 - sc.recruiters.embedded_share;
      // Stationary share of time a slot is filled: active spells last 1/p days, vacancies R.
      const double pR = arrest_probability(sc, d, embedded, 0, online_coop, wa_coop, 1.0) * R;
      // A Poisson count (not a rounded one) keeps the expectation exact at any population size.
      Draws count(rng, std::uint32_t(d), 0, Stream::RecruiterInit, kCountSub, std::uint32_t(kind));
      const std::uint32_t slots = count.poisson(active[d] * share * (1 + pR));
      // A slot is named by (department, kind, k), not by its position in the list, so that a
      // different count in one department (another arrest hazard) leaves every other
      // department's recruiters and their draws unchanged (common random numbers across sweep points).
      if (slots >= kSlotsPerKind)
        throw std::invalid_argument("recruiters: more than " + std::to_string(kSlotsPerKind) +
                                    " slots in one department");
      for (std::uint32_t k = 0; k < slots; ++k) {
        const auto slot = std::uint32_t(d) << 24 | std::uint32_t(kind) << 23 | k;
        Draws dr(rng, slot, 0, Stream::RecruiterInit, 0);
        Recruiter r = make(sc, pop, dr, d, embedded);
        r.slot = slot;
        r.active_from = start;
        Draws vac(rng, slot, 0, Stream::RecruiterInflow, 0);
        if (vac.bernoulli(pR / (1 + pR))) r.active_from = start + vacancy_days(sc, vac);
        out.push_back(r);
      }
    }
  }
  return out;
}

Recruiter replacement_recruiter(const Scenario& sc, const Population& pop, const Network& net, const Rng& rng,
                                const Recruiter& replaced, int day) {
  const std::uint16_t gen =
      replaced.generation < kCountSub - 1 ? std::uint16_t(replaced.generation + 1) : replaced.generation;
  Draws dr(rng, replaced.slot, 0, Stream::RecruiterInit, gen);
  Recruiter r = make(sc, pop, dr, replaced.home, replaced.embedded());
  if (replaced.embedded()) {
    // The same community: a tie of the arrested recruiter's anchor (the random person drawn in
    // make() only if the anchor has no ties).
    std::uint32_t deg[3], total = 0;
    for (int l = 0; l < 3; ++l) {
      auto [b, e] = net.neighbours(l, replaced.embedded_in);
      total += deg[l] = std::uint32_t(e - b);
    }
    if (total > 0) {
      std::uint32_t pick = dr.below(total);
      int l = 0;
      while (pick >= deg[l]) pick -= deg[l++];
      r.embedded_in = net.neighbours(l, replaced.embedded_in).first[pick];
    }
  }
  r.slot = replaced.slot;
  r.generation = gen;
  Draws delay(rng, replaced.slot, 0, Stream::RecruiterInflow, gen);
  r.active_from = day + 1 + vacancy_days(sc, delay);
  return r;
}

}  // namespace redes
