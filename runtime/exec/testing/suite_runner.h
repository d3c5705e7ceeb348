// Runs a suite written in the mini syntax against fake machines, for tests.
#ifndef RIG_RUNTIME_EXEC_TESTING_SUITE_RUNNER_H
#define RIG_RUNTIME_EXEC_TESTING_SUITE_RUNNER_H

#include <functional>
#include <string>
#include <vector>

#include "runtime/exec/run.h"
#include "runtime/exec/testing/fakes.h"
#include "runtime/report/reporter.h"

namespace rig::exec::testing {

// Records events as lines ("test started: x", "log: msg", ...).
class RecordingReporter : public report::Reporter {
 public:
  void suiteStarted(const report::SuiteInfo& s) override { events.push_back("suite started: " + s.name); }
  void testStarted(const report::SuiteInfo&, llvm::StringRef t) override { events.push_back("test started: " + t.str()); }
  void log(const report::SuiteInfo&, llvm::StringRef, llvm::StringRef m) override { events.push_back("log: " + m.str()); }
  void subtestFinished(const report::SuiteInfo&, llvm::StringRef,
                       const report::SubtestResult& r) override {
    events.push_back("subtest " + report::statusName(r.status).str() + ": " + r.name);
  }
  void testFinished(const report::SuiteInfo&, const report::TestResult& r) override {
    events.push_back("test " + report::statusName(r.status).str() + ": " + r.name);
  }
  void suiteFinished(const report::SuiteResult& r) override {
    events.push_back("suite " + report::statusName(r.status).str() + ": " + r.name);
  }
  std::vector<std::string> events;
};

struct SuiteRun {
  plan::Plan plan;
  FakeClock clock;
  std::unique_ptr<FakeSuiteMachines> machines;
  RecordingReporter reporter;
  RunOptions options;
  report::SuiteResult result;

  // Parses `source`; aborts the test binary on a syntax error.
  explicit SuiteRun(const std::string& source);
  FakeMachine& operator[](const std::string& name) { return (*machines)[name]; }
  report::SuiteResult& run();
  // The failure of test `i` as the terminal shows it (no indent), or "".
  std::string failure(size_t i = 0) const;
  report::Status status(size_t i = 0) const { return result.tests.at(i).status; }
};

}  // namespace rig::exec::testing

#endif
