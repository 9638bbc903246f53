// i18n/messages: the words of the human-readable summaries in Spanish or English. Texts live in the
// catalogues next to this file, {es,en}.json, embedded in the binary; numbers are formatted as before.
#pragma once
#include <spdlog/fmt/fmt.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace redes {

/// "es" when LC_ALL, else LC_MESSAGES, else LANG (the first set one, as POSIX reads them) starts with "es"; else "en".
std::string language_from_environment();
/// Chooses the catalogue ("es" or "en"); throws std::invalid_argument for any other language.
void set_language(const std::string& lang);
const std::string& language();
/// The text of `key` in the chosen catalogue; throws std::logic_error when the key is missing.
const std::string& tr(std::string_view key);
/// A category label (age group, gender, route) for display: the text of "label.<name>", else the name itself.
std::string tr_label(std::string_view name);
/// `key`'s text with {name} placeholders (fmt syntax) filled from fmt::arg("name", value).
template <typename... Args>
std::string trf(std::string_view key, Args&&... args) {
  return fmt::format(fmt::runtime(tr(key)), std::forward<Args>(args)...);
}
template <typename... Args>
void print_tr(std::string_view key, Args&&... args) {
  std::fputs(trf(key, std::forward<Args>(args)...).c_str(), stdout);
}

}  // namespace redes
