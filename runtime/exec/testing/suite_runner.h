// Runs a suite, compiled by the real front end, against fake machines, for
// tests.
#ifndef RIG_RUNTIME_EXEC_TESTING_SUITE_RUNNER_H
#define RIG_RUNTIME_EXEC_TESTING_SUITE_RUNNER_H

#include <functional>
#include <string>
#include <vector>

#include "compiler/lower/lower.h"
#include "runtime/exec/run.h"
#include "runtime/exec/testing/fakes.h"
#include "runtime/report/reporter.h"

namespace rig::exec::testing {

// Records events as lines ("test started: x", "log: msg", ...); node
// phases, steps and console lines go to lists of their own.
class RecordingReporter : public events::Sink {
 public:
  void suiteStarted(const events::SuiteInfo& s) override {
    events.push_back("suite started: " + s.name);
  }
  void testStarted(const events::SuiteInfo&, llvm::StringRef t) override {
    events.push_back("test started: " + t.str());
  }
  void log(const events::SuiteInfo&, llvm::StringRef,
           llvm::StringRef m) override {
    events.push_back("log: " + m.str());
  }
  void subtestFinished(const events::SuiteInfo&, llvm::StringRef,
                       const events::SubtestResult& r) override {
    events.push_back("subtest " + events::statusName(r.status).str() + ": " +
                     r.name);
  }
  void testFinished(const events::SuiteInfo&,
                    const events::TestResult& r) override {
    events.push_back("test " + events::statusName(r.status).str() + ": " +
                     r.name);
  }
  void suiteFinished(const events::SuiteResult& r) override {
    events.push_back("suite " + events::statusName(r.status).str() + ": " +
                     r.name);
  }
  // "server booting @0", "server failed @5000: why"
  void nodeChanged(const events::SuiteInfo&,
                   const events::NodeEvent& e) override {
    nodes.push_back(e.node + " " + events::nodePhaseName(e.phase).str() + " @" +
                    std::to_string(static_cast<long long>(e.atMs)) +
                    (e.detail.empty() ? "" : ": " + e.detail));
  }
  void stepStarted(const events::SuiteInfo&,
                   const events::StepInfo& s) override {
    stepsStarted.push_back(s);
  }
  void stepFinished(const events::SuiteInfo&,
                    const events::StepResult& s) override {
    stepsFinished.push_back(s);
  }
  // "server @0: line"
  void consoleLine(const events::SuiteInfo&, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override {
    console.push_back(node.str() + " @" +
                      std::to_string(static_cast<long long>(atMs)) + ": " +
                      line.str());
  }
  std::vector<std::string> events;
  std::vector<std::string> nodes;
  std::vector<events::StepInfo> stepsStarted;
  std::vector<events::StepResult> stepsFinished;
  std::vector<std::string> console;
};

struct SuiteRun {
  plan::Plan plan;
  FakeClock clock;
  std::unique_ptr<FakeSuiteMachines> machines;
  RecordingReporter reporter;
  RunOptions options;
  events::SuiteResult result;

  // Compiles `source` with the real front end (compile_suite.h); a spec
  // the checker refuses fails the test.
  explicit SuiteRun(const std::string& source,
                    const lower::Options& options = {});
  // A plan compiled by the real front end (compile_suite.h).
  explicit SuiteRun(plan::Plan compiled);
  FakeMachine& operator[](const std::string& name) { return (*machines)[name]; }
  events::SuiteResult& run();
  // The failure of test `i` as the terminal shows it (no indent), or "".
  std::string failure(size_t i = 0) const;
  events::Status status(size_t i = 0) const {
    return result.tests.at(i).status;
  }
};

}  // namespace rig::exec::testing

#endif
