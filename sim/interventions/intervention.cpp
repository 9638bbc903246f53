#include "sim/interventions/intervention.hpp"

#include <algorithm>
#include <cmath>

namespace redes {

bool Targeting::department_targeted(int d) const {
  return departments.empty() || std::find(departments.begin(), departments.end(), d) != departments.end();
}

bool Targeting::matches(const Population& pop, PersonId i, int day) const {
  if (urban >= 0 && pop.urban[i] != urban) return false;
  const int age = pop.age_years(i, day);
  if (age < min_age || age > max_age) return false;
  if (!genders.empty() && std::find(genders.begin(), genders.end(), pop.gender_of(i, day)) == genders.end())
    return false;
  if (!platforms.empty()) {
    bool any = false;
    for (int p : platforms) any = any || pop.uses(i, p, day);
    if (!any) return false;
  }
  return true;
}

double Schedule::strength(int day) const {
  if (day < start || end <= start) return 0.0;
  if (day < end) return 1.0;
  return half_life > 0 ? std::exp2(-double(day - end + 1) / half_life) : 0.0;
}

void Intervention::read_common(io::Reader& r, const Scenario& sc) {
  using io::Range;
  type_ = r.string("type", "intervention type (see `redes list interventions`)");
  name_ = r.string("name", type_, "label used in outputs");
  auto date = [&](std::string_view key, std::string_view fallback) {
    std::string text = r.string(key, fallback, "date (YYYY-MM-DD)");
    int day = 0;
    if (!sc.day_of(text, day)) r.fail(key, "expected a date YYYY-MM-DD, got '" + text + "'");
    return day;
  };
  requested_start_ = date("start", sc.start_date);
  requested_end_ = date("end", "9999-12-31");
  if (requested_end_ < requested_start_) r.fail("end", "the intervention ends before it starts");
  bind(sc);
  schedule_.half_life = r.number("half_life_days", 0.0, Range::non_negative(),
                                 "days for the effect to halve after it is given (0 = no decay)");
  coverage_ = r.number("coverage", Range::probability(), "share of the targeted persons reached over the schedule");
  if (auto t = r.optional_section("targeting", "who the intervention is for (absent = everyone)")) {
    const auto& deps = sc.population.departments;
    for (auto& name : t->strings("departments", deps, {}, "departments (absent = all)"))
      targeting_.departments.push_back(int(std::find(deps.begin(), deps.end(), name) - deps.begin()));
    std::string area = t->choice("area", {"any", "urban", "rural"}, "any", "urban, rural or any");
    targeting_.urban = area == "any" ? -1 : area == "urban" ? 1 : 0;
    auto ages = t->numbers("ages", {0.0, 200.0}, {0, 120, false, "ages in years"}, 2, "age range [from, to] in years");
    if (ages[1] < ages[0]) t->fail("ages", "the age range is empty (to < from)");
    targeting_.min_age = int(ages[0]);
    targeting_.max_age = int(ages[1]);
    for (auto& g : t->strings("genders", to_strings(kGenderNames), {}, "genders (absent = all)"))
      targeting_.genders.push_back(g == "female" ? 0 : 1);
    std::vector<std::string> plats(kPlatformNames.begin() + 1, kPlatformNames.end());
    for (auto& p : t->strings("platforms", plats, {}, "persons using any of these platforms (absent = all)"))
      targeting_.platforms.push_back(
          int(std::find(kPlatformNames.begin(), kPlatformNames.end(), p) - kPlatformNames.begin()));
    t->finish();
  }
  if (auto c = r.optional_section("cost", "cost in USD")) {
    read_uncertain_into(*c, "fixed", 0.0, Range::non_negative(), "one-off cost at the start (USD)", "cost.fixed",
                        cost_.fixed);
    read_uncertain_into(*c, "per_person", 0.0, Range::non_negative(), "cost per person reached (USD)",
                        "cost.per_person", cost_.per_person);
    read_uncertain_into(*c, "per_day", 0.0, Range::non_negative(), "running cost per active day (USD)", "cost.per_day",
                        cost_.per_day);
    c->finish();
  }
}

void Intervention::bind(const Scenario& sc) {
  // Days [start, end) clipped to the simulated period: a schedule wholly outside it is empty.
  schedule_.start = std::clamp(requested_start_, 0, sc.days);
  schedule_.end = std::clamp(requested_end_, schedule_.start, sc.days);
  people_per_person_ = sc.population.represents / double(sc.population.size);
}

std::unique_ptr<Intervention> Intervention::instance(const Scenario& sc) const {
  std::unique_ptr<Intervention> copy = clone();
  copy->reach_people_.clear();
  copy->reach_day_begin_.clear();
  copy->bind(sc);
  return copy;
}

void Intervention::prepare(InterventionContext&, int) {}

std::uint16_t Intervention::reach_key() const {
  // FNV-1a, hand-written: eight lines, and no hashing library here promises a stable value
  // across platforms and versions (std::hash does not).
  std::uint32_t h = 2166136261u;
  for (char c : type_ + "/" + name_) {
    h ^= std::uint8_t(c);
    h *= 16777619u;
  }
  return std::uint16_t((h >> 16) ^ (h & 0xffffu));
}

std::pair<const PersonId*, const PersonId*> Intervention::reached_on(int day) const {
  if (reach_day_begin_.empty() || day < schedule_.start || day >= schedule_.start + int(reach_day_begin_.size()) - 1)
    return {nullptr, nullptr};
  const std::size_t k = std::size_t(day - schedule_.start);
  return {reach_people_.data() + reach_day_begin_[k], reach_people_.data() + reach_day_begin_[k + 1]};
}

double Intervention::day_cost(int day, std::int64_t reached) const {
  // Each synthetic person stands for `people_per_person_` real ones: costs are for the real population.
  double c = cost_.per_person * double(reached) * people_per_person_;
  if (day == schedule_.start && schedule_.start < schedule_.end) c += cost_.fixed;
  if (schedule_.active(day)) c += cost_.per_day;
  return c;
}

}  // namespace redes
