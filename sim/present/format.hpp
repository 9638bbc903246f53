// present/format: numbers as the printed summaries show them (thousands separators, printf layouts
// kept byte for byte).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/core/statistics.hpp"  // quantile, for the spreads the summaries print

namespace redes {

inline std::string with_commas(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string s = buf, out;
  int start = s[0] == '-' ? 1 : 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    std::size_t rest = s.size() - i - 1;
    if (int(i) >= start && rest > 0 && rest % 3 == 0) out += ',';
  }
  return out;
}

/// printf into a string. Tables keep printf's layouts: it pads by bytes where fmt pads by
/// characters, and the printed text must not change. The compiler checks the arguments.
[[gnu::format(printf, 1, 2)]] inline std::string cformat(const char* format, ...) {
  std::va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out(n > 0 ? std::size_t(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
  va_end(again);
  return out;
}

}  // namespace redes
