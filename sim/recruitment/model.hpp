// recruitment: the submodels of MODEL.md section 6 as pure functions of a person's effective
// traits and the scenario's parameters. Recruiters are rates and probabilities only.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// A person's traits in effect on one day (after interventions and shocks).
struct PersonView {
  double poverty = 0, conflict = 0, job = 0, migration = 0;
  double literacy = 0, awareness = 0, supervision = 0, privacy = 0, screen = 0;
  int age_group = 0, gender = 0;
};

/// V = logistic(b0 + b_pov poverty + b_conf conflict + b_job J + b_mig M + b_age + b_gender - b_lit L - b_aw A).
inline double vulnerability(const VulnerabilityParams& v, const PersonView& p) {
  return logistic(v.b0 + v.b_pov * p.poverty + v.b_conf * p.conflict + v.b_job * p.job + v.b_mig * p.migration +
                  v.b_age[p.age_group] + v.b_gender[p.gender] - v.b_lit * p.literacy - v.b_aw * p.awareness);
}

/// Economic need that drives replies to fake offers: like V but weighted toward poverty, job
/// seeking and the wish to migrate.
inline double economic_need(const VulnerabilityParams& v, const PersonView& p) {
  return logistic(v.b0 + v.need_pov * p.poverty + v.need_job * p.job + v.need_mig * p.migration + v.b_age[p.age_group] +
                  v.b_gender[p.gender] - v.b_lit * p.literacy - v.b_aw * p.awareness);
}

/// What a hunter sees: vulnerability through the share of life made public, plus noise.
inline double visible_vulnerability(const VulnerabilityParams& v, const HuntingParams& h, const PersonView& p,
                                    double z) {
  return p.privacy * vulnerability(v, p) + h.visibility_noise * z;
}

/// Supervision lowers acceptance for minors only (adults have none, whatever the view holds).
inline double contact_acceptance(const HuntingParams& h, const PersonView& p, int mutual_ties) {
  const double sup = p.age_group <= int(AgeGroup::Adolescent) ? p.supervision : 0.0;
  double a = h.accept_base * (1 - h.k_lit * p.literacy) * (1 - h.k_sup * sup) * (1 + h.k_mutual * mutual_ties);
  return std::clamp(a, 0.0, 1.0);
}

inline double trust_growth(const GroomingParams& g, const PersonView& p) {
  return g.grow_base * (1 + g.k_conf * p.conflict) * (1 + g.k_screen * p.screen);
}

/// Daily probabilities that the person, or a parent (minors), recognises the warning signs.
inline double self_recognition(const GroomingParams& g, const PersonView& p) {
  return std::clamp(g.rec_self * (p.literacy + p.awareness) / 2, 0.0, 1.0);
}
inline double parent_recognition(const GroomingParams& g, const PersonView& p) {
  return p.age_group <= int(AgeGroup::Adolescent) ? std::clamp(g.rec_parent * p.supervision, 0.0, 1.0) : 0.0;
}

/// Trust at which this pipeline's recruiter moves to the offer: a share of full trust drawn
/// uniformly in [patience_min, 1] from u in (0, 1), so offers can come before trust is full.
inline double offer_trust(const GroomingParams& g, double u) {
  return g.trust_threshold * (g.patience_min + (1 - g.patience_min) * u);
}

/// accept * min(trust / trust_full, 1) * V * (1 - k_aw A): offers made before full trust, and
/// attempts that start from little trust, are accepted less often than those to close bonds.
inline double offer_acceptance(const OfferParams& o, const GroomingParams& g, double trust, double v,
                               const PersonView& p) {
  return std::clamp(o.accept * std::min(trust / g.trust_threshold, 1.0) * v * (1 - o.k_aw * p.awareness), 0.0, 1.0);
}

/// Index drawn from unnormalised weights.
template <std::size_t N>
int draw_index(const std::array<double, N>& w, Draws& d) {
  double total = 0;
  for (double x : w) total += x;
  double u = d.uniform() * total;
  for (std::size_t i = 0; i < N; ++i) {
    if (u < w[i]) return int(i);
    u -= w[i];
  }
  return int(N) - 1;
}

inline int draw_exploitation(const OfferParams& o, int gender, bool minor, Draws& d) {
  auto w = o.exploitation[gender];
  if (minor)
    for (int k = 0; k < kExploitationTypes; ++k) w[k] += o.minor_online_boost[k];
  return draw_index(w, d);
}

inline int draw_destination(const OfferParams& o, Route route, Draws& d) {
  return draw_index(o.destination[int(route)], d);
}

}  // namespace redes
