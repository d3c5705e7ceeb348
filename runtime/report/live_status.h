// What the live block of the terminal shows: the running suites, each with
// its current test, its nodes and the step being executed. State and text
// only; terminal_reporter.cpp draws it. Internal to runtime/report.
#ifndef RIG_RUNTIME_REPORT_LIVE_STATUS_H
#define RIG_RUNTIME_REPORT_LIVE_STATUS_H

#include <string>
#include <vector>

#include "runtime/report/terminal.h"

namespace rig::report {

class LiveStatus {
 public:
  // `now` is the reporter's clock (milliseconds): the elapsed times of the
  // block are measured from when the reporter saw an event.
  void suiteStarted(const SuiteInfo& suite, double now);
  void testStarted(const SuiteInfo& suite, llvm::StringRef test, double now);
  void testFinished(const SuiteInfo& suite);
  void nodeChanged(const SuiteInfo& suite, const NodeEvent& event, double now);
  void stepStarted(const SuiteInfo& suite, const StepInfo& step, double now);
  void stepFinished(const SuiteInfo& suite, const StepResult& step);
  void suiteFinished(llvm::StringRef path, llvm::StringRef name);

  // The block at `now`: at most `size.rows - 1` lines of at most
  // `size.columns - 1` columns (a line never wraps, so the block's height is
  // its number of lines), with SGR colours when `color`.
  std::vector<std::string> render(double now, TerminalSize size,
                                  bool color) const;

 private:
  struct NodeState {
    std::string name;
    bool seen = false;  // no event yet: not shown
    NodePhase phase = NodePhase::Stopped;
    double sinceMs = 0;
  };
  struct RunningStep {
    StepInfo step;
    double startedMs = 0;
  };
  struct RunningSuite {
    std::string key;  // path, or name when there is none
    std::string name;
    size_t tests = 0, done = 0;
    double startedMs = 0;
    std::string test;  // "" between tests
    double testStartedMs = 0;
    std::vector<NodeState> nodes;
    std::vector<RunningStep> steps;  // innermost last
  };
  RunningSuite* find(const SuiteInfo& suite);
  std::vector<RunningSuite> suites_;  // in the order they started
};

}  // namespace rig::report

#endif
