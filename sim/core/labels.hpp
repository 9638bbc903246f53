// core/labels: the model's categorical axes (stages, routes, platforms, ...). Their order and
// names are the output contract (sim/output/output_format.md); never reorder.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redes {

using PersonId = std::uint32_t;
using RecruiterId = std::uint32_t;
inline constexpr std::uint32_t kNone = UINT32_MAX;

/// Pipeline stages and exits. Active stages first; a person's pipeline ends at an exit.
enum class Stage : std::uint8_t {
  Contacted,
  Engaged,
  Groomed,
  Offered,
  Recruited,
  Exploited,
  Declined,
  BlockedOrReported,
  Intervened,
  RemovedByPlatform,
  Rescued,
  Escaped,
};
inline constexpr int kActiveStages = 6;
inline constexpr int kTransitions = 12;
inline constexpr std::array<std::string_view, kTransitions> kStageNames = {"contacted",  "engaged",
                                                                           "groomed",    "offered",
                                                                           "recruited",  "exploited",
                                                                           "declined",   "blocked_or_reported",
                                                                           "intervened", "removed_by_platform",
                                                                           "rescued",    "escaped"};

enum class Route : std::uint8_t { Hunting, Fishing, TrustedContact };
inline constexpr int kRoutes = 3;
inline constexpr std::array<std::string_view, kRoutes> kRouteNames = {"hunting", "fishing", "trusted_contact"};

/// Platform 0 is "offline" (no ICT); the others are layers of the social graph.
inline constexpr int kPlatforms = 8;
inline constexpr std::array<std::string_view, kPlatforms> kPlatformNames = {
    "offline", "facebook", "whatsapp", "instagram", "tiktok", "discord_games", "telegram", "classroom_video"};
inline constexpr int kOffline = 0;

enum class AgeGroup : std::uint8_t { Child, Adolescent, YoungAdult, Adult };
inline constexpr int kAgeGroups = 4;
inline constexpr std::array<std::string_view, kAgeGroups> kAgeGroupNames = {"child", "adolescent", "young_adult",
                                                                            "adult"};
inline constexpr AgeGroup age_group_of(int age_years) {
  return age_years < 13   ? AgeGroup::Child
         : age_years < 18 ? AgeGroup::Adolescent
         : age_years < 25 ? AgeGroup::YoungAdult
                          : AgeGroup::Adult;
}

inline constexpr int kGenders = 2;
inline constexpr std::array<std::string_view, kGenders> kGenderNames = {"female", "male"};

inline constexpr int kExploitationTypes = 3;
inline constexpr std::array<std::string_view, kExploitationTypes> kExploitationNames = {"sexual", "labour",
                                                                                        "online_sexual"};

/// How a recruitment happened: an accepted job or romance offer, or coercion.
inline constexpr int kMeans = 4;
inline constexpr std::array<std::string_view, kMeans> kMeansNames = {"job_offer", "romance", "sextortion",
                                                                     "travel_debt"};

inline constexpr int kDestinations = 7;
inline constexpr std::array<std::string_view, kDestinations> kDestinationNames = {
    "same_department", "other_department", "argentina", "spain", "brazil", "chile", "bolivia"};

inline constexpr int kInstitutions = 4;
inline constexpr std::array<std::string_view, kInstitutions> kInstitutionNames = {
    "prosecutor", "police", "childhood_ministry", "women_ministry"};

inline constexpr int kSexRecorded = 3;
inline constexpr std::array<std::string_view, kSexRecorded> kSexRecordedNames = {"female", "male", "not_recorded"};

template <std::size_t N>
std::vector<std::string> to_strings(const std::array<std::string_view, N>& names) {
  return {names.begin(), names.end()};
}

}  // namespace redes
