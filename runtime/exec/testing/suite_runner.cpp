#include "runtime/exec/testing/suite_runner.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/exec/testing/mini_parser.h"

namespace rig::exec::testing {

SuiteRun::SuiteRun(const std::string& source) {
  llvm::Expected<plan::Plan> parsed = parseSuite(source);
  if (!parsed) {
    std::fprintf(stderr, "mini parser: %s\n",
                 llvm::toString(parsed.takeError()).c_str());
    std::abort();
  }
  plan = std::move(*parsed);
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
