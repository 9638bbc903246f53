// core/alias_table: Walker's alias method, O(1) draws proportional to weights. Hand-written
// because neither Boost nor the standard library offers one whose draws are identical across
// platforms (std::discrete_distribution's algorithm is implementation-defined).
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.hpp"

namespace redes {

class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0.0);
    alias_.assign(n, 0);
    double total = 0;
    for (double w : weights) total += w;
    if (n == 0 || total <= 0) return;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * double(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(std::uint32_t(i));
    }
    while (!small.empty() && !large.empty()) {
      auto s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob_[i] = 1.0;
    for (auto i : small) prob_[i] = 1.0;  // rounding leftovers
  }
  std::size_t size() const { return prob_.size(); }
  bool empty() const { return prob_.empty(); }
  std::uint32_t draw(Draws& d) const {
    std::uint32_t i = d.below(std::uint32_t(prob_.size()));
    return d.uniform() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

}  // namespace redes
