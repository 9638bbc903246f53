#include "sim/decision/distribution.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

namespace redes {

double Distribution::quantile(double u) const {
  namespace bm = boost::math;
  // Boost.Math's inverse CDFs are exact and well tested (the beta inverse especially is not
  // worth hand-writing); the endpoints are clipped so unbounded tails stay finite.
  u = std::clamp(u, 1e-9, 1.0 - 1e-9);
  switch (kind) {
    case Kind::Fixed:
      return min;
    case Kind::Uniform:
      return bm::quantile(bm::uniform_distribution<>(min, max), u);
    case Kind::Triangular:
      return bm::quantile(bm::triangular_distribution<>(min, mode, max), u);
    case Kind::Beta:
      return min + (max - min) * bm::quantile(bm::beta_distribution<>(alpha, beta), u);
    case Kind::Lognormal:
      return sd_log > 0 ? bm::quantile(bm::lognormal_distribution<>(std::log(median_), sd_log), u) : median_;
  }
  return min;
}

std::string Distribution::describe() const {
  char buf[160];
  switch (kind) {
    case Kind::Fixed:
      std::snprintf(buf, sizeof buf, "%g", min);
      break;
    case Kind::Uniform:
      std::snprintf(buf, sizeof buf, "uniform(%g, %g)", min, max);
      break;
    case Kind::Triangular:
      std::snprintf(buf, sizeof buf, "triangular(%g, %g, %g)", min, mode, max);
      break;
    case Kind::Beta:
      std::snprintf(buf, sizeof buf, "beta(%g, %g) on [%g, %g]", alpha, beta, min, max);
      break;
    case Kind::Lognormal:
      std::snprintf(buf, sizeof buf, "lognormal(median %g, sd_log %g)", median_, sd_log);
      break;
  }
  return buf;
}

namespace {

// [lowest, highest] value the distribution can give.
std::pair<double, double> support(const Distribution& d) {
  if (d.kind == Distribution::Kind::Lognormal)
    return {0.0, d.sd_log > 0 ? std::numeric_limits<double>::infinity() : d.median_};
  return {d.min, d.kind == Distribution::Kind::Fixed ? d.min : d.max};
}

}  // namespace

double read_uncertain(io::Reader& r, std::string_view key, double fallback, const io::Range& range,
                      std::string_view doc, std::string name, std::vector<UncertainParameter>& out) {
  const io::Node* node = r.node().find(key);
  if (!node || !node->is_map() || !node->find("distribution")) {
    if (r.strict() && node)
      r.fail(
          key,
          "a shipped intervention gives this as a distribution with provenance, e.g. {distribution: "
          "triangular, min: 0.1, mode: 0.2, max: 0.4, source: \"evaluation\"} or a wide range with assumed: \"why\"");
    return fallback < 0 ? r.number(key, range, doc) : r.number(key, fallback, range, doc);
  }
  r.optional_section(key, doc);  // declares the key for finish() and the catalogue
  // Bounds and shapes describe the uncertainty itself, so they carry no provenance of their own.
  io::Reader s(*node, r.path().empty() ? std::string(key) : r.path() + "." + std::string(key), false);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  UncertainParameter p;
  p.name = std::move(name);
  Distribution& d = p.dist;
  const std::string kind =
      s.choice("distribution", {"uniform", "triangular", "beta", "lognormal"},
               "uncertainty of the value: uniform, triangular, beta or lognormal (runs use its median)");
  const io::Range any{};
  d.min = s.number("min", nan, any, "lower bound (uniform, triangular); start of the beta's support (default 0)");
  d.mode = s.number("mode", nan, any, "most likely value (triangular)");
  d.max = s.number("max", nan, any, "upper bound (uniform, triangular); end of the beta's support (default 1)");
  d.alpha = s.number("alpha", nan, io::Range::positive(), "first shape (beta)");
  d.beta = s.number("beta", nan, io::Range::positive(), "second shape (beta)");
  d.median_ = s.number("median", nan, io::Range::positive(), "median (lognormal)");
  d.sd_log = s.number("sd_log", nan, io::Range::non_negative(), "standard deviation of the log (lognormal)");
  const std::string source = s.string("source", "", "published evaluation the range comes from");
  const std::string assumed = s.string("assumed", "", "why the range is assumed (keep it deliberately wide)");
  s.finish();
  if (source.empty() == assumed.empty())
    s.fail(source.empty() ? "distribution" : "assumed",
           "write exactly one of source: \"evaluation\" or assumed: \"why\"");
  p.provenance = source.empty() ? assumed : source;
  p.assumed = source.empty();
  auto need = [&](std::string_view k, double v) {
    if (std::isnan(v)) s.fail("distribution", "a " + kind + " distribution needs '" + std::string(k) + "'");
  };
  if (kind == "uniform" || kind == "triangular") {
    need("min", d.min);
    need("max", d.max);
    if (!(d.min < d.max)) s.fail("max", "max must be above min");
    d.kind = Distribution::Kind::Uniform;
    if (kind == "triangular") {
      need("mode", d.mode);
      if (d.mode < d.min || d.mode > d.max) s.fail("mode", "mode must lie in [min, max]");
      d.kind = Distribution::Kind::Triangular;
    }
  } else if (kind == "beta") {
    need("alpha", d.alpha);
    need("beta", d.beta);
    if (std::isnan(d.min)) d.min = 0;
    if (std::isnan(d.max)) d.max = 1;
    if (!(d.min < d.max)) s.fail("max", "max must be above min");
    d.kind = Distribution::Kind::Beta;
  } else {
    need("median", d.median_);
    need("sd_log", d.sd_log);
    d.kind = Distribution::Kind::Lognormal;
  }
  const auto [lo, hi] = support(d);
  if (lo < range.lo || hi > range.hi || (range.lo_open && lo <= range.lo)) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "the distribution spans [%g, %g], outside the allowed values (%s)", lo, hi,
                  std::string(range.what).c_str());
    s.fail("distribution", buf);
  }
  const double value = d.median();
  out.push_back(std::move(p));
  return value;
}

}  // namespace redes
