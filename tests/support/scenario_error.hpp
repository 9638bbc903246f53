// Test support: run a callable that must throw a ScenarioError and return the error.
#pragma once
#include <gtest/gtest.h>

#include "sim/io/errors.hpp"

namespace redes::testing {

template <class F>
ScenarioError error_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return ScenarioError({}, "", "(none thrown)");
}

}  // namespace redes::testing
