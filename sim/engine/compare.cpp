#include "sim/engine/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace redes {

Interval mean_interval(const std::vector<double>& v) {
  Interval out;
  const std::size_t n = v.size();
  if (n == 0) return out;
  out.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(n);
  if (n < 2) {
    out.lo = out.hi = out.mean;
    return out;
  }
  double ss = 0;
  for (double x : v) ss += (x - out.mean) * (x - out.mean);
  const double se = std::sqrt(ss / double(n - 1) / double(n));
  const double t = boost::math::quantile(boost::math::students_t_distribution<double>(double(n - 1)), 0.975);
  out.lo = out.mean - t * se;
  out.hi = out.mean + t * se;
  return out;
}

namespace {
using Field = std::vector<std::int32_t> Summary::*;
const std::vector<std::pair<std::string, Field>> kDims = {{"department", &Summary::by_department},
                                                          {"age_group", &Summary::by_age_group},
                                                          {"gender", &Summary::by_gender},
                                                          {"route", &Summary::by_route},
                                                          {"platform", &Summary::by_platform}};
}  // namespace

std::vector<ComparisonRow> compare_arms(const ArmOutcome& base, const std::vector<ArmOutcome>& arms,
                                        double people_per_person) {
  std::vector<ComparisonRow> rows;
  const std::size_t R = base.summaries.size();
  for (const auto& arm : arms) {
    ComparisonRow row;
    row.name = arm.name;
    std::vector<double> share;
    for (std::size_t r = 0; r < R; ++r) {
      const double b = base.summaries[r].victims, a = arm.summaries[r].victims;
      row.averted.push_back(b - a);
      share.push_back(b > 0 ? (b - a) / b : 0.0);
      row.days_averted.push_back(double(base.summaries[r].exploited_days) - double(arm.summaries[r].exploited_days));
      row.rescued_more.push_back(double(arm.summaries[r].rescued) - double(base.summaries[r].rescued));
    }
    row.days_averted_ci = mean_interval(row.days_averted);
    row.rescued_ci = mean_interval(row.rescued_more);
    row.averted_ci = mean_interval(row.averted);
    row.share_ci = mean_interval(share);
    row.cost = R ? std::accumulate(arm.costs.begin(), arm.costs.end(), 0.0) / double(R) : 0.0;
    row.cost_per_averted = row.averted_ci.mean > 0 ? row.cost / (row.averted_ci.mean * people_per_person)
                                                   : std::numeric_limits<double>::quiet_NaN();
    row.cost_per_year_averted = row.days_averted_ci.mean > 0
                                    ? row.cost / (row.days_averted_ci.mean / 365.25 * people_per_person)
                                    : std::numeric_limits<double>::quiet_NaN();
    for (const auto& [dim, field] : kDims) {
      const std::size_t cats = R ? (base.summaries[0].*field).size() : 0;
      std::vector<Interval> cis;
      for (std::size_t c = 0; c < cats; ++c) {
        std::vector<double> d;
        for (std::size_t r = 0; r < R; ++r)
          d.push_back(double((base.summaries[r].*field)[c]) - (arm.summaries[r].*field)[c]);
        cis.push_back(mean_interval(d));
      }
      row.by.push_back({dim, cis});
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace redes
