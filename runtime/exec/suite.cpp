// One suite: globals, then the tests in file order against the same machines.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "runtime/exec/locked_reporter.h"
#include "runtime/exec/run.h"
#include "runtime/exec/suite_run.h"

namespace rig::exec {
namespace {

// Ends the machines when the suite's time is up, in real time, so that a call
// blocked inside a machine returns. The interpreter notices the deadline
// itself at its next statement or poll.
class Watchdog {
 public:
  Watchdog(SuiteMachines& machines, std::optional<double> timeoutMs)
      : machines_(machines) {
    if (!timeoutMs) return;
    thread_ = std::thread([this, ms = *timeoutMs] {
      std::unique_lock<std::mutex> lock(mutex_);
      // A grace period: the interpreter's own deadline check comes first
      // when nothing is blocked.
      auto until = std::chrono::steady_clock::now() +
                   std::chrono::duration<double, std::milli>(ms + 5000);
      if (!cv_.wait_until(lock, until, [this] { return done_; }))
        machines_.stopAll();
    });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  SuiteMachines& machines_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

}  // namespace

events::Status statusOf(const Failure& f) {
  return f.kind == FailureKind::Error ? events::Status::Error
                                      : events::Status::Failed;
}

SuiteReporting::SuiteReporting(const plan::Plan& plan, events::Sink& reporter)
    : reporter_(reporter) {
  info_.name = plan.suiteName;
  info_.path = plan.suitePath;
  for (const plan::Test& t : plan.tests) info_.tests.push_back(t.name);
  for (const plan::Node& n : plan.nodes) info_.nodes.push_back(n.name);
}

Interpreter::Hooks SuiteReporting::hooks(double originMs) {
  Interpreter::Hooks hooks;
  hooks.subtestFinished = [this](const events::SubtestResult& subtest) {
    if (!current_) return;
    current_->subtests.push_back(subtest);
    reporter_.subtestFinished(info_, current_->name, subtest);
  };
  hooks.log = [this](const std::string& message) {
    if (current_) current_->log.push_back(message);
    reporter_.log(info_, current_ ? current_->name : "", message);
  };
  hooks.nodeChanged = [this](const events::NodeEvent& event) {
    reporter_.nodeChanged(info_, event);
  };
  hooks.stepStarted = [this](const events::StepInfo& step) {
    reporter_.stepStarted(info_, step);
  };
  hooks.stepFinished = [this](const events::StepResult& step) {
    reporter_.stepFinished(info_, step);
  };
  hooks.originMs = originMs;
  return hooks;
}

bool SuiteReporting::runTests(Interpreter& interpreter,
                              const std::vector<const plan::Test*>& tests,
                              const RunOptions& options, Clock& clock,
                              bool stop, events::SuiteResult& result) {
  for (const plan::Test* test : tests) {
    events::TestResult testResult;
    testResult.name = test->name;
    if (stop) {
      testResult.status = events::Status::Skipped;
      reporter_.testFinished(info_, testResult);
      result.tests.push_back(std::move(testResult));
      continue;
    }
    current_ = &testResult;
    reporter_.testStarted(info_, test->name);
    double testStart = clock.nowMs();
    try {
      interpreter.runTest(*test);
    } catch (Failure& f) {
      testResult.status = statusOf(f);
      testResult.failure = interpreter.render(f);
      if (f.fatal || !options.keepGoing) stop = true;
    }
    testResult.durationMs = clock.nowMs() - testStart;
    current_ = nullptr;
    reporter_.testFinished(info_, testResult);
    result.tests.push_back(std::move(testResult));
  }
  return stop;
}

void SuiteReporting::settleStatus(events::SuiteResult& result) {
  for (const events::TestResult& t : result.tests) {
    if (t.status == events::Status::Error)
      result.status = events::Status::Error;
    else if (t.status == events::Status::Failed &&
             result.status == events::Status::Passed)
      result.status = events::Status::Failed;
  }
}

events::SuiteResult runSuite(const plan::Plan& plan, SuiteMachines& machines,
                             const RunOptions& options, events::Sink& unlocked,
                             Clock& clock, std::optional<double> runStartMs) {
  LockedReporter reporter(unlocked);
  SuiteReporting reporting(plan, reporter);
  const events::SuiteInfo& info = reporting.info();
  events::SuiteResult result;
  result.name = plan.suiteName;
  result.path = plan.suitePath;
  double start = clock.nowMs();
  double origin = runStartMs.value_or(start);
  reporter.suiteStarted(info);

  // Console lines arrive from the machines' reader threads while they run.
  for (const plan::Node& node : plan.nodes) {
    machine::Machine* machine = machines.machine(node.name);
    if (!machine) continue;
    machine->setConsoleSink([&reporter, &info, &clock, origin,
                             name = node.name](llvm::StringRef line) {
      reporter.consoleLine(info, name, line, clock.nowMs() - origin);
    });
  }
  Interpreter::Hooks hooks = reporting.hooks(origin);
  hooks.interrupted = options.interrupted;
  Interpreter interpreter(plan, machines, options, clock, std::move(hooks));

  std::optional<double> suiteTimeout = options.suiteTimeoutMs
                                           ? options.suiteTimeoutMs
                                           : plan.settings.suiteTimeoutMs;
  if (suiteTimeout && *suiteTimeout <= 0) suiteTimeout.reset();
  if (suiteTimeout)
    interpreter.setDeadline(start + *suiteTimeout, *suiteTimeout);
  Watchdog watchdog(machines, suiteTimeout);

  bool stop = false;
  try {
    interpreter.evalGlobals();
  } catch (Failure& f) {
    result.error = interpreter.render(f);
    result.status = statusOf(f);
    stop = true;
  }

  std::vector<const plan::Test*> tests;
  for (const plan::Test& test : plan.tests) tests.push_back(&test);
  reporting.runTests(interpreter, tests, options, clock, stop, result);
  SuiteReporting::settleStatus(result);
  bool kept = options.keepVmsOnFailure &&
              result.status != events::Status::Passed && machines.keepRunning();
  // Kept machines go on running past rig: they are not reported stopped.
  if (!kept) {
    machines.stopAll();
    interpreter.machinesStopped();
  }
  for (const plan::Node& node : plan.nodes)
    if (machine::Machine* machine = machines.machine(node.name))
      machine->setConsoleSink(nullptr);
  result.durationMs = clock.nowMs() - start;
  reporter.suiteFinished(result);
  return result;
}

}  // namespace rig::exec
