// Internal to rig_exec: the tests of one suite run against an interpreter,
// with their results and events sent to a reporter. Shared by runSuite
// (suite.cpp) and InteractiveSuite (`:run` in `rig repl`, interactive.cpp).
#ifndef RIG_RUNTIME_EXEC_SUITE_RUN_H
#define RIG_RUNTIME_EXEC_SUITE_RUN_H

#include <vector>

#include "runtime/exec/interpreter.h"

namespace rig::exec {

class SuiteReporting {
 public:
  SuiteReporting(const plan::Plan& plan, events::Sink& reporter);

  const events::SuiteInfo& info() const { return info_; }
  events::Sink& reporter() { return reporter_; }

  // Hooks that put subtests and log() lines into the test being run and
  // forward them, node phases and steps to the reporter (which must be
  // thread-safe: start_all's boots report from their own threads). Event
  // times are clock ms since `originMs`.
  Interpreter::Hooks hooks(double originMs = 0);

  // Runs `tests` in order into `result.tests`. After a failing test the rest
  // are skipped unless options.keepGoing; a fatal failure, or `stop` from
  // the start, skips every test after it. Returns whether it stopped.
  bool runTests(Interpreter& interpreter,
                const std::vector<const plan::Test*>& tests,
                const RunOptions& options, Clock& clock, bool stop,
                events::SuiteResult& result);

  // The suite's status from its tests' (Error over Failed over Passed).
  static void settleStatus(events::SuiteResult& result);

 private:
  events::Sink& reporter_;
  events::SuiteInfo info_;
  events::TestResult* current_ = nullptr;
};

events::Status statusOf(const Failure& failure);

}  // namespace rig::exec

#endif
