#include "runtime/exec/testing/suite_runner.h"

#include "gtest/gtest.h"
#include "runtime/exec/testing/compile_suite.h"

namespace rig::exec::testing {

SuiteRun::SuiteRun(const std::string& source, const lower::Options& options) {
  // A spec the checker refuses fails the test (and runs nothing).
  llvm::Expected<plan::Plan> compiled = compileSuite(source, "t.rig", options);
  if (compiled)
    plan = std::move(*compiled);
  else
    ADD_FAILURE() << llvm::toString(compiled.takeError());
  machines = std::make_unique<FakeSuiteMachines>(plan, &clock);
}

SuiteRun::SuiteRun(plan::Plan compiled) : plan(std::move(compiled)) {
  machines = std::make_unique<FakeSuiteMachines>(plan, &clock);
}

events::SuiteResult& SuiteRun::run() {
  result = runSuite(plan, *machines, options, reporter, clock);
  return result;
}

std::string SuiteRun::failure(size_t i) const {
  const events::TestResult& test = result.tests.at(i);
  if (!test.failure) return "";
  return report::renderFailure(*test.failure, "");
}

}  // namespace rig::exec::testing
