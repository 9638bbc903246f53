// The e2e tests read the English summaries of `redes` (--lang defaults to the locale): give every
// command they start an English locale, whatever the machine's. Spanish output is tested in
// tests/python/test_languages.py.
#include <cstdlib>

namespace {
const int english_locale = setenv("LC_ALL", "C.UTF-8", 1);
}  // namespace
