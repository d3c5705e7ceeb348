// One suite: globals, then the tests in file order against the same machines.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/locked_reporter.h"
#include "runtime/exec/run.h"

namespace rig::exec {
namespace {

report::SuiteInfo suiteInfo(const plan::Plan& plan) {
  report::SuiteInfo info;
  info.name = plan.suiteName;
  info.path = plan.suitePath;
  for (const plan::Test& t : plan.tests) info.tests.push_back(t.name);
  for (const plan::Node& n : plan.nodes) info.nodes.push_back(n.name);
  return info;
}

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

report::Status statusOf(const Failure& f) {
  return f.kind == FailureKind::Error ? report::Status::Error
                                      : report::Status::Failed;
}

}  // namespace

report::SuiteResult runSuite(const plan::Plan& plan, SuiteMachines& machines,
                             const RunOptions& options,
                             report::Reporter& unlocked, Clock& clock,
                             std::optional<double> runStartMs) {
  LockedReporter reporter(unlocked);
  report::SuiteInfo info = suiteInfo(plan);
  report::SuiteResult result;
  result.name = plan.suiteName;
  result.path = plan.suitePath;
  double start = clock.nowMs();
  double origin = runStartMs.value_or(start);
  reporter.suiteStarted(info);

  // Console lines arrive from the machines' reader threads while they run.
  for (const plan::Node& node : plan.nodes) {
    vm::Machine* machine = machines.machine(node.name);
    if (!machine) continue;
    machine->setConsoleSink([&reporter, &info, &clock, origin,
                             name = node.name](llvm::StringRef line) {
      reporter.consoleLine(info, name, line, clock.nowMs() - origin);
    });
  }

  report::TestResult* current = nullptr;
  Interpreter::Hooks hooks;
  hooks.subtestFinished = [&](const report::SubtestResult& subtest) {
    if (!current) return;
    current->subtests.push_back(subtest);
    reporter.subtestFinished(info, current->name, subtest);
  };
  hooks.log = [&](const std::string& message) {
    if (current) current->log.push_back(message);
    reporter.log(info, current ? current->name : "", message);
  };
  hooks.nodeChanged = [&](const report::NodeEvent& event) {
    reporter.nodeChanged(info, event);
  };
  hooks.stepStarted = [&](const report::StepInfo& step) {
    reporter.stepStarted(info, step);
  };
  hooks.stepFinished = [&](const report::StepResult& step) {
    reporter.stepFinished(info, step);
  };
  hooks.originMs = origin;
  Interpreter interpreter(plan, machines, options, clock, hooks);

  std::optional<double> suiteTimeout =
      options.suiteTimeoutMs ? options.suiteTimeoutMs : plan.settings.suiteTimeoutMs;
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

  for (const plan::Test& test : plan.tests) {
    report::TestResult testResult;
    testResult.name = test.name;
    if (stop) {
      testResult.status = report::Status::Skipped;
      reporter.testFinished(info, testResult);
      result.tests.push_back(std::move(testResult));
      continue;
    }
    current = &testResult;
    reporter.testStarted(info, test.name);
    double testStart = clock.nowMs();
    try {
      interpreter.runTest(test);
    } catch (Failure& f) {
      testResult.status = statusOf(f);
      testResult.failure = interpreter.render(f);
      if (f.fatal || !options.keepGoing) stop = true;
    }
    testResult.durationMs = clock.nowMs() - testStart;
    current = nullptr;
    reporter.testFinished(info, testResult);
    result.tests.push_back(std::move(testResult));
  }

  for (const report::TestResult& t : result.tests) {
    if (t.status == report::Status::Error)
      result.status = report::Status::Error;
    else if (t.status == report::Status::Failed &&
             result.status == report::Status::Passed)
      result.status = report::Status::Failed;
  }
  bool kept = options.keepVmsOnFailure &&
              result.status != report::Status::Passed && machines.keepRunning();
  // Kept machines go on running past rig: they are not reported stopped.
  if (!kept) {
    machines.stopAll();
    interpreter.machinesStopped();
  }
  for (const plan::Node& node : plan.nodes)
    if (vm::Machine* machine = machines.machine(node.name))
      machine->setConsoleSink(nullptr);
  result.durationMs = clock.nowMs() - start;
  reporter.suiteFinished(result);
  return result;
}

}  // namespace rig::exec
