// fishing: online recruiters post ads (job or modelling offers) on platforms; users who see an ad
// may reply (a proposal) and pass it on to their platform ties. Grooming then moves to the
// platform's private channel, and the offer is always a job.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/recruitment/route_types.hpp"

namespace redes {
namespace {

/// An ad's identity: the k-th ad its recruiter (slot, generation) posted on day `posted`. Not a
/// global counter, so an arrest that differs between two arms leaves other recruiters' ads, and
/// their draws, unchanged (common random numbers).
struct AdId {
  std::uint32_t slot;
  std::uint16_t generation, k;
  std::int32_t posted;
  auto operator<=>(const AdId&) const = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads it
};

struct Ad {
  RecruiterId recruiter;
  AdId id;
  std::uint32_t key;        // 32-bit hash of id for draw counters (a collision only correlates two ads' draws)
  std::int16_t department;  // -1 = whole country
  std::uint8_t platform;
  bool live = true;
  std::vector<PersonId> shared_to;  // sorted: who received it by a share (each person at most once)
};

/// Exposure index reserved for an ad arriving by a share (direct exposures count from 0).
constexpr std::uint16_t kSharedExposure = 0xFFFF;
/// How many exposures ahead the exposure loop requests a person's records (about one memory latency).
constexpr std::size_t kPrefetchAhead = 8;
/// Yesterday's shares are exposed in chunks of this many, one task each. Small: at 1 million
/// persons a day has a few hundred shares, which chunks of 512 left to one thread.
constexpr std::size_t kShareChunk = 48;

class Fishing final : public RecruitmentRoute {
 public:
  explicit Fishing(const Scenario& sc) : f_(sc.fishing), share_rate_(sc.fishing.share_prob) {
    if (share_rate_.p > 0 && share_rate_.p < 1)
      for (std::size_t b = 0; b < share_beyond_.size(); ++b)
        share_beyond_[b] = share_rate_.surely_at_least(std::uint32_t(b));
  }

  std::unique_ptr<RecruitmentRoute> clone() const override { return std::make_unique<Fishing>(*this); }
  RouteTraits traits() const override {
    RouteTraits t;
    t.entry = Stage::Engaged;
    t.private_channel = true;
    t.job_offers_only = true;
    return t;
  }
  bool for_embedded() const override { return false; }

  void begin_day(std::size_t recruiters) override {
    new_ads_.clear();
    new_ads_.resize(recruiters);
  }

  void act(const RouteWorld& w, Recruiter& rec, RecruiterId r, int day, int, std::uint8_t,
           std::vector<Proposal>&) override {
    const double h = w.hunting_share(rec);
    Draws post(w.rng, rec.slot, std::uint32_t(day), Stream::AdPost, rec.generation);
    const std::uint32_t n_ads = std::min<std::uint32_t>(post.poisson(f_.ad_rate * (1 - h)), 0xFFFF);
    auto& ads = new_ads_[r];
    for (std::uint32_t k = 0; k < n_ads; ++k) {
      int p = w.draw_platform(post);
      const bool local = post.bernoulli(w.sc.recruiters.local_share);
      if (p == kOffline) break;
      const AdId id{rec.slot, rec.generation, std::uint16_t(k), day};
      const std::uint32_t key =
          w.rng.words(rec.slot, std::uint32_t(day), Stream::AdPost, rec.generation, 0x80000000u | k)[0];
      ads.push_back({r, id, key, local ? std::int16_t(rec.home) : std::int16_t(-1), std::uint8_t(p), true, {}});
    }
  }

  void respond(const RouteWorld& w, int day, std::uint8_t route, std::vector<Proposal>& proposals,
               std::uint64_t& ties_visited) override {
    for (auto& batch : new_ads_)
      for (auto& ad : batch) ads_.push_back(std::move(ad));
    // Sorted by identity, so shares find their ad by binary search.
    std::sort(ads_.begin(), ads_.end(), [](const Ad& a, const Ad& b) { return a.id < b.id; });
    exposures(w, day, route, proposals, ties_visited);
  }

 private:
  /// A user sees ad `ad` today: may reply (a proposal) and may pass it on to platform ties.
  /// `exposure` numbers this person's exposures to the ad today (each has its own draws).
  void expose(const RouteWorld& w, PersonId i, const Ad& ad, std::uint32_t a, int day, std::uint16_t exposure,
              std::uint8_t route, std::vector<Proposal>& out, std::vector<std::pair<PersonId, std::uint32_t>>& shares,
              std::uint64_t& visited) const {
    const int age = w.age_if_on_platform(i, ad.platform, day);
    if (age < 0 || !f_.target_age[int(age_group_of(age))]) return;
    Draws d(w.rng, i, std::uint32_t(day), Stream::AdResponse, exposure, ad.key);
    // need <= 1, so u >= respond_base settles the draw before reading whether the person is free
    // or their traits (most exposures; each read is a cache miss at country scale).
    const double u = d.uniform();
    if (u < f_.respond_base && w.available(i) && w.targetable(age) &&
        u < f_.respond_base * economic_need(w.sc.vulnerability, w.view(i, day)))
      out.push_back(
          {i, ad.recruiter, order_key(w.rng, i, std::uint32_t(day), ad.id.slot, ad.id.generation), route, ad.platform});
    if (f_.share_prob <= 0) return;
    // Shares: the first tie passed to is a geometric skip into the person's row. Most skips land
    // past every row of this person (the degree bound), which the uniform alone shows, so neither
    // the row nor the logarithm is needed then; otherwise the same skip as geometric_skip's.
    std::uint64_t k = 0;
    if (share_rate_.p < 1.0) {
      const double us = d.uniform();
      const std::uint32_t bound = w.net.platform_degree_bound(i);
      if (bound < share_beyond_.size() && us < share_beyond_[bound]) return;
      k = Draws::skip_of(us, share_rate_);
    }
    auto [b, e] = w.net.neighbours(layer_of_platform(ad.platform), i);
    const std::uint64_t deg = std::uint64_t(e - b);
    visited += deg;
    for (; k < deg; k += 1 + d.geometric_skip(share_rate_)) shares.push_back({b[k], a});
  }

  void exposures(const RouteWorld& w, int day, std::uint8_t route, std::vector<Proposal>& proposals,
                 std::uint64_t& ties_visited) {
    // Ads come down (moderation, or their recruiter was arrested) or expire before they reach
    // anyone today.
    for (auto& ad : ads_) {
      if (!ad.live) continue;
      Draws d(w.rng, ad.key, std::uint32_t(day), Stream::AdRemoval);
      if (day - ad.id.posted >= f_.max_ad_days || d.uniform() < w.moderation(ad.platform) ||
          !w.recruiters[ad.recruiter].active(day))
        ad.live = false;
    }
    for (const auto& ad : ads_)
      if (!ad.live) live_shares_ -= ad.shared_to.size();
    std::erase_if(ads_, [](const Ad& a) { return !a.live; });
    const std::size_t na = ads_.size();
    // Outputs per ad, then per chunk of yesterday's shares (kept apart so that joining them in
    // order gives the same lists whatever the threads).
    const std::size_t share_chunks = (pending_shares_.size() + kShareChunk - 1) / kShareChunk;
    std::vector<std::vector<Proposal>> props(na + share_chunks);
    std::vector<std::vector<std::pair<PersonId, std::uint32_t>>> shares(na + share_chunks);
    std::vector<std::uint64_t> visited(na + share_chunks, 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, na, 1), [&](const auto& range) {
      for (std::size_t a = range.begin(); a != range.end(); ++a) {
        const Ad& ad = ads_[a];
        const auto& users = w.pop.users[ad.platform];
        const auto& ub = w.pop.users_begin[ad.platform];
        std::uint64_t lo = ad.department >= 0 ? ub[ad.department] : 0;
        std::uint64_t hi = ad.department >= 0 ? ub[ad.department + 1] : users.size();
        if (hi <= lo) continue;  // no users of this platform in the ad's department (a skip of "never" would wrap)
        Draws d(w.rng, ad.key, std::uint32_t(day), Stream::AdReach);
        // An ad's audience is a number of exposures, not a share of the area's users: each day it
        // makes ad_audience exposures in expectation whatever the area's size, so per-capita rates
        // do not depend on the population size. Up to one per user: each user with probability
        // audience / users; beyond that, every user a Poisson number with that mean.
        const double mean = f_.ad_audience / double(hi - lo);
        if (mean <= 1.0) {
          // The audience's places first (its draws do not depend on what the exposures find), then
          // the exposures, with what they will read requested a few exposures ahead in three steps
          // (the user list, then the person's record and degree bound, then their later version): each
          // exposure reads a person at random, a chain of cache misses at scale otherwise.
          thread_local std::vector<std::uint32_t> places;
          places.clear();
          const Draws::SkipRate rate(mean);
          for (std::uint64_t k = lo + d.geometric_skip(rate); k < hi; k += 1 + d.geometric_skip(rate))
            places.push_back(std::uint32_t(k));
          const std::size_t m = places.size();
          for (std::size_t j = 0; j < m; ++j) {
            if (j + 3 * kPrefetchAhead < m) __builtin_prefetch(users.data() + places[j + 3 * kPrefetchAhead]);
            if (j + 2 * kPrefetchAhead < m) {
              const PersonId ahead = users[places[j + 2 * kPrefetchAhead]];
              w.pop.prefetch(ahead);
              if (f_.share_prob > 0) w.net.prefetch_degree_bound(ahead);
            }
            if (j + kPrefetchAhead < m) w.pop.prefetch_version(users[places[j + kPrefetchAhead]], day);
            expose(w, users[places[j]], ad, std::uint32_t(a), day, 0, route, props[a], shares[a], visited[a]);
          }
        } else {
          for (std::uint64_t k = lo; k < hi; ++k) {
            const std::uint32_t times = std::min<std::uint32_t>(d.poisson(mean), kSharedExposure);
            for (std::uint32_t x = 0; x < times; ++x)
              expose(w, users[k], ad, std::uint32_t(a), day, std::uint16_t(x), route, props[a], shares[a], visited[a]);
          }
        }
      }
    });
    // Yesterday's shares arrive today, if their ad is still up. In parallel chunks: at 1 million
    // persons they took about 3% of a one-thread run, serial, each a read of a person at random.
    tbb::parallel_for(std::size_t(0), share_chunks, [&](std::size_t c) {
      const std::size_t end = std::min(pending_shares_.size(), (c + 1) * kShareChunk);
      for (std::size_t k = c * kShareChunk; k < end; ++k) {
        if (k + kPrefetchAhead < end) w.pop.prefetch(pending_shares_[k + kPrefetchAhead].first);
        const auto& [i, id] = pending_shares_[k];
        auto it = std::lower_bound(ads_.begin(), ads_.end(), id, [](const Ad& a, const AdId& v) { return a.id < v; });
        if (it != ads_.end() && it->id == id)
          expose(w, i, *it, std::uint32_t(it - ads_.begin()), day, kSharedExposure, route, props[na + c],
                 shares[na + c], visited[na + c]);
      }
    });
    pending_shares_.clear();
    // Shares reach each person at most once per ad: the cascade of one ad is bounded by the
    // platform's users, and all live ads' together by kMaxLiveShares.
    std::vector<std::vector<PersonId>> fresh(na);
    for (std::size_t a = 0; a < props.size(); ++a) {
      proposals.insert(proposals.end(), props[a].begin(), props[a].end());
      for (auto& [i, to] : shares[a]) fresh[to].push_back(i);
      ties_visited += visited[a];
    }
    // Per ad (in parallel: each touches its own lists): who is new to it, then, once the cascade
    // bound holds, added to those it reached; pending in ad order.
    tbb::parallel_for(std::size_t(0), na, [&](std::size_t a) {
      auto& f = fresh[a];
      if (f.empty()) return;
      const auto& seen = ads_[a].shared_to;
      std::sort(f.begin(), f.end());
      f.erase(std::unique(f.begin(), f.end()), f.end());
      std::erase_if(f, [&](PersonId i) { return std::binary_search(seen.begin(), seen.end(), i); });
    });
    for (const auto& f : fresh) live_shares_ += f.size();
    if (live_shares_ > kMaxLiveShares)
      throw std::runtime_error("fishing.share_prob: shared ads reached more than " + std::to_string(kMaxLiveShares) +
                               " people at once (the cascade bound); lower fishing.share_prob");
    tbb::parallel_for(std::size_t(0), na, [&](std::size_t a) {
      const auto& f = fresh[a];
      if (f.empty()) return;
      auto& seen = ads_[a].shared_to;
      const std::size_t old = seen.size();
      seen.insert(seen.end(), f.begin(), f.end());
      std::inplace_merge(seen.begin(), seen.begin() + std::ptrdiff_t(old), seen.end());
    });
    for (std::size_t a = 0; a < na; ++a)
      for (PersonId i : fresh[a]) pending_shares_.push_back({i, ads_[a].id});
  }

  const FishingParams& f_;
  const Draws::SkipRate share_rate_;                               // fishing.share_prob, its logarithm computed once
  std::array<double, Network::kDegreeCapUnknown> share_beyond_{};  // surely_at_least(degree bound)
  std::vector<std::vector<Ad>> new_ads_;  // per recruiter: ads posted today (merged in respond)
  std::vector<Ad> ads_;                   // ascending id
  std::size_t live_shares_ = 0;           // sum of shared_to sizes over ads_
  std::vector<std::pair<PersonId, AdId>> pending_shares_;
};

}  // namespace

std::unique_ptr<RecruitmentRoute> make_fishing(const Scenario& sc) { return std::make_unique<Fishing>(sc); }

}  // namespace redes
