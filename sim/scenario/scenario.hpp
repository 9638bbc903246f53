// scenario/scenario: the validated, immutable parameter set of one scenario. Built once from YAML by
// load_scenario(); nothing reads YAML while stepping. Per-department vectors follow
// `population.departments` order; per-platform arrays follow kPlatformNames (index 0 = offline).
#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace redes {

struct AgeBand {
  int lo = 0, hi = 0;  // years, inclusive
  double share = 0;    // of the population
};

struct PopulationParams {
  std::int64_t size = 0;
  double represents = 0;  // real people the synthetic population stands for (scale = represents / size)
  std::vector<std::string> departments;
  std::vector<double> department_share, urban_share, poverty_rate;  // per department
  double poverty_urban_factor = 1, poverty_rural_factor = 1;
  double female_share = 0.5;
  std::vector<AgeBand> age_bands;
  double mean_household_size = 3;
  // attributes (logit-normal or probability parameters; see scenarios/README.md)
  double family_conflict_mean = 0.2, family_conflict_poverty_corr = 0.3;
  std::array<double, kAgeGroups> device_access{};  // probability, urban
  double device_rural_factor = 0.8, device_poverty_factor = 0.8;
  std::array<double, kAgeGroups> screen_hours{};      // mean hours/day among device users
  std::array<double, kAgeGroups> privacy_exposure{};  // mean share of life public
  std::array<double, kAgeGroups> digital_literacy{};  // mean, urban non-poor
  double literacy_rural_penalty = 0.1, literacy_poverty_penalty = 0.1;
  double awareness_mean = 0.2;
  double supervision_child = 0.6, supervision_adolescent = 0.35, supervision_conflict_penalty = 0.3;
  double job_seeking_base = 0.1, job_seeking_poverty = 0.3;        // ages 15-64
  double migration_wish_base = 0.1, migration_wish_poverty = 0.3;  // ages 15-39
  double attribute_spread = 0.8;                                   // sd of the logit-normal noise on [0,1] attributes
};

struct PlatformParams {
  bool enabled = false;
  std::array<double, kAgeGroups> use{};  // probability of use among device owners, by age group
  double moderation = 0;                 // daily removal probability of an ad or fake profile
  double cooperation = 0;                // investigator cooperation [0,1]
  int private_channel = 0;               // platform index conversations move to
  bool image_sharing = false;            // intimate images can be obtained (sextortion)
  double mean_degree = 0;                // ties per user in this layer
  double degree_tail = 2.5;              // Pareto exponent of expected degrees (heavy tail)
  double same_department = 0.8;          // share of ties inside the department
  std::string edge_list;                 // optional CSV replacing the generator
  bool shock_only = false;               // used only while a shock opens it (classroom video)
};

struct NetworkParams {
  double school_work_degree = 8, school_work_same_age = 0.7, school_work_cross_department = 0.02;
  int neighbourhood_degree = 6;
  double neighbourhood_rewire = 0.1;
  std::string household_edge_list, school_work_edge_list, neighbourhood_edge_list;
};

struct RecruiterParams {
  double per_100k = 10;                           // active recruiters per 100,000 people
  std::vector<double> department_weight;          // where they live and mostly operate
  double embedded_share = 0.3;                    // share embedded in the offline graph (trusted contact)
  double hunting_share = 0.4;                     // of online recruiters' effort, hunting vs fishing
  std::array<double, kPlatforms> platform_mix{};  // online recruiters' platform weights
  int capacity = 5;                               // concurrent targets
  double local_share = 0.7;                       // share of effort inside the home department
  double replacement_days = 90;                   // mean days until an arrested recruiter is replaced
  bool displacement = false;                      // adapt platform mix to moderation/cooperation
  double displacement_sensitivity = 3.0;
  int victim_age_min = 0, victim_age_max = 120;  // ages (years) any route can target; outside: never approached
};

/// Most people holding shares of live ads at once, over all ads (the sharing-cascade bound; the
/// engine stops a run that exceeds it, validation refuses scenarios that could).
inline constexpr std::size_t kMaxLiveShares = std::size_t(1) << 24;

struct FishingParams {
  double ad_rate = 0.1;      // ads posted per fishing recruiter per day
  double ad_audience = 200;  // targeted users a live ad reaches per day (expected)
  double share_prob = 0.01;  // reached user shares to each platform tie
  double respond_base = 0.02;
  double max_ad_days = 60;
  std::array<bool, kAgeGroups> target_age{{false, true, true, true}};
};

struct HuntingParams {
  int browse_count = 30, contacts_per_day = 1;
  double accept_base = 0.3, k_lit = 0.5, k_sup = 0.5, k_mutual = 0.5;
  double visibility_noise = 0.1;
};

struct TrustedParams {
  double approach_rate = 0.02;  // daily probability an embedded recruiter approaches a tie
  double trust_start = 0.5, ict_share = 0.6;
  int choice = 3;  // ties considered per approach; the most vulnerable is chosen
};

struct GroomingParams {
  double grow_base = 0.03, k_conf = 1.0, k_screen = 0.1, trust_threshold = 1.0;
  double rec_self = 0.01, rec_parent = 0.01, rec_peer = 0.002, report_prob = 0.2;
  double image_prob = 0.01;      // daily, on image-sharing platforms
  double offer_days = 7;         // mean days from groomed to the offer
  double patience_min = 1.0;     // offers come at trust >= trust_threshold * U(patience_min, 1), per pipeline
  double profile_removal = 0.2;  // fake-profile removal per day, relative to the channel's moderation
};

struct VulnerabilityParams {
  double b0 = -1, b_pov = 2, b_conf = 1.5, b_job = 1, b_mig = 1, b_lit = 1.5, b_aw = 1.5;
  std::array<double, kAgeGroups> b_age{};
  std::array<double, kGenders> b_gender{};
  double need_pov = 2, need_job = 2, need_mig = 1;  // economic need, for fishing responses
};

struct OfferParams {
  double accept = 0.5, k_aw = 0.5, coercion = 0.3;  // coercion applies once images were obtained
  double job_share = 0.6;                           // hunting and trusted contact: job offers vs romance
  double travel_debt = 0.05;                        // coercion through travel debt after acceptance refusals
  // exploitation type shares [gender][type]; destination shares [route][destination]
  std::array<std::array<double, kExploitationTypes>, kGenders> exploitation{};
  std::array<double, kExploitationTypes> minor_online_boost{};  // added for minors, renormalised
  std::array<std::array<double, kDestinations>, kRoutes> destination{};
};

struct EnforcementParams {
  double arrest_base = 0.0005, k_reports = 0.5;
  std::vector<double> capacity;  // per department, relative investigative capacity
  double rescue_base = 0.002, escape_rate = 0.001;
  double international_cooperation = 0.3;  // rescue abroad, relative to capacity 1 at home
};

struct ObservationParams {
  std::array<double, kInstitutions> detect{};               // yearly probability at presence 1
  std::vector<std::array<double, kInstitutions>> presence;  // per department
  double fear = 0.5, p_sex_missing = 0.01, p_ict_recorded = 0.1;
  double delay_days = 180;            // mean days from recruitment to the record
  double abroad_capital_share = 0.5;  // victims found abroad: share recorded in the capital (first department)
  double abroad_border_share = 0;     // ... share recorded at the border crossing where they are intercepted or return
  std::vector<double> border_crossing;  // per department, weights of the crossings (normalised); the rest at home
  // Share of the records made at a border crossing that come from the crossing's own checks, not a
  // complaint: the recording trend (fewer complaints) does not apply to them.
  double border_check_share = 0;
  double police_referral = 0;  // chance a case the police would record also reaches the prosecutor (referral)
  int case_window_days = 90;   // a recruiter's victims recorded by one institution within this window form one case
  // Change of the chance of a record per year since the calendar start (log scale; 0: constant),
  // for recording_trend_years, then held: fewer complaints as exploitation is normalised.
  double recording_trend = 0, recording_trend_years = 0;
  // The prosecutor's specialised units (per department, how many): a domestic case found in a
  // department without one is handled, and counted, in the capital with specialised_share.
  std::vector<double> specialised_units;
  double specialised_share = 0;
  // Institution's own change per year of its chance of a record (log scale), added to recording_trend.
  std::array<double, kInstitutions> institution_trend{};
  // Relative chance of a record by the victim's exploitation type (sexual, labour, other).
  std::array<double, kExploitationTypes> exploitation_detect{1, 1, 1};
  // Per route (hunting, fishing, trusted contact), the share of its recorded victims whose record names
  // the recruiter as a relative, friend or partner: a groomer has built that bond by the proposal.
  std::array<double, kRoutes> recorded_as_close_bond{0, 0, 1};
  // A period in which victims found abroad are identified more often than usual (e.g. returned
  // home when borders closed): their chance of a record is multiplied per institution.
  struct IdentificationWave {
    std::string name;
    int start_day = 0, end_day = 0;  // inclusive
    std::array<double, kInstitutions> abroad_factor{1, 1, 1, 1};
  };
  std::vector<IdentificationWave> identification_waves;
};

struct ShockParams {
  std::string name;
  int start_day = 0, end_day = 0;
  double minors_device_access = 0, minors_screen_factor = 1, supervision_factor = 1;
  bool classroom_layer = false;
  double poverty_shift = 0;
};

class Intervention;  // sim/interventions

struct InterventionSpec {
  std::string type, name;
  io::Node node;  // as written (arms and decision draws edit the tree and load it again)
  /// The typed intervention, parsed from `node` once when the scenario is loaded (its type checks
  /// its own keys); each replicate starts from a copy, so nothing is read again per run.
  std::shared_ptr<const Intervention> parsed;
};

struct Scenario {
  std::filesystem::path file;
  std::string name, text;  // text: YAML as composed
  std::uint32_t seed = 1;
  std::string start_date = "2019-01-01";
  int start_year = 2019, days = 365;
  int warmup_days = 0;  // simulated before day 0 (days -warmup_days .. -1), not reported
  PopulationParams population;
  NetworkParams network;
  std::array<PlatformParams, kPlatforms> platforms{};
  RecruiterParams recruiters;
  FishingParams fishing;
  HuntingParams hunting;
  TrustedParams trusted;
  GroomingParams grooming;
  VulnerabilityParams vulnerability;
  OfferParams offer;
  EnforcementParams enforcement;
  ObservationParams observation;
  std::vector<ShockParams> shocks;
  std::vector<InterventionSpec> interventions;
  double peer_spread = 0.0;  // daily probability awareness passes along a tie (awareness campaigns)

  int department_count() const { return int(population.departments.size()); }
  int years() const { return (days + 364) / 365; }
  int year_of_day(int day) const;  // calendar year of a simulated day
  /// Day offset of an ISO date (YYYY-MM-DD) from the start; false when the text is not a date.
  bool day_of(const std::string& iso, int& day) const;
};

/// The day of an ISO date, exactly YYYY-MM-DD (the one date parser of redes); nullopt when the
/// text is not a valid date.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text);

/// One arm of a comparison: a baseline with the interventions of an intervention file added. An
/// intervention file holds `interventions:` and optionally `name:` and `description:`.
struct Arm {
  std::string name;
  Scenario scenario;
  io::Node tree;  // the composed baseline tree with the arm's interventions appended
};
Arm arm_from_files(const io::Node& base_tree, const std::filesystem::path& base_file,
                   const std::filesystem::path& intervention_file);

/// Loads, composes and validates a scenario. Throws ScenarioError naming file:line:column and key.
/// `strict_provenance` requires every numeric parameter to say source/assumed/calibrated.
Scenario load_scenario(const std::filesystem::path& file, bool strict_provenance = false);
/// Same from an already composed tree (tests, compare arms).
Scenario scenario_from_tree(const io::Node& root, const std::filesystem::path& file, bool strict_provenance = false);

}  // namespace redes
