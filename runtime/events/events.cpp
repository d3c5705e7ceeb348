#include "runtime/events/events.h"

namespace rig::events {

llvm::StringRef statusName(Status status) {
  switch (status) {
    case Status::Passed: return "passed";
    case Status::Failed: return "failed";
    case Status::Skipped: return "skipped";
    case Status::Error: return "error";
  }
  return "?";
}

llvm::StringRef nodePhaseName(NodePhase phase) {
  switch (phase) {
    case NodePhase::Booting: return "booting";
    case NodePhase::Ready: return "ready";
    case NodePhase::Stopped: return "stopped";
    case NodePhase::Failed: return "failed";
  }
  return "?";
}

static void add(Counts& counts, Status status) {
  switch (status) {
    case Status::Passed: ++counts.passed; break;
    case Status::Failed: ++counts.failed; break;
    case Status::Skipped: ++counts.skipped; break;
    case Status::Error: ++counts.errors; break;
  }
}

Counts countTests(const SuiteResult& suite) {
  Counts counts;
  for (const TestResult& test : suite.tests) add(counts, test.status);
  return counts;
}

Counts countTests(const RunSummary& run) {
  Counts total;
  for (const SuiteResult& suite : run.suites) {
    Counts c = countTests(suite);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    total.errors += c.errors;
  }
  return total;
}

int exitCode(const RunSummary& run) {
  bool failed = false;
  for (const SuiteResult& suite : run.suites) {
    if (suite.status == Status::Error) return 3;
    for (const TestResult& test : suite.tests) {
      if (test.status == Status::Error) return 3;
      if (test.status == Status::Failed) failed = true;
    }
    if (suite.status == Status::Failed) failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace rig::events
