// rig_exec: runs compiled plans against machines and reports the results.
//
// ---- API for the CLI driver (compiler/driver, `rig run`) -------------------
//
//   #include "runtime/exec/run.h"
//
//   std::vector<rig::plan::Plan> plans = ...;   // compiled or read from JSON
//   rig::exec::RunOptions options;
//   options.jobs = 2;                     // -j N: suites run in parallel
//   options.junitPath = "report.xml";     // --junit FILE ("" = none)
//   options.keepGoing = true;             // --keep-going
//   options.keepVmsOnFailure = false;     // --keep-vms-on-failure
//   options.waitTimeoutMs = 60'000;       // rig.toml / flag; overrides the plan
//   options.suiteTimeoutMs = 1'200'000;   // rig.toml / flag; overrides the plan
//   options.verbosity = 1;                // -v
//   options.color = isatty(1);
//   MyClusterFactory factory;             // a rig::exec::MachineFactory
//   int code = rig::exec::run(plans, factory, options, llvm::outs());
//   return code;                          // 0 passed, 1 a test failed, 3 infra
//
// The factory is the only link to QEMU: it turns one plan into the machines
// of one suite (runtime/vm's Cluster). Tests pass a fake.
// -----------------------------------------------------------------------------
#ifndef RIG_RUNTIME_EXEC_RUN_H
#define RIG_RUNTIME_EXEC_RUN_H

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/exec/clock.h"
#include "runtime/plan/plan.h"
#include "runtime/report/reporter.h"
#include "runtime/vm/machine.h"

namespace rig::exec {

// The machines of one suite. Owns them and whatever they share (the run
// directory, the vde switches); destroying it releases everything.
class SuiteMachines {
 public:
  virtual ~SuiteMachines() = default;
  // The machine of node `name`; every node of the plan has one, not started.
  virtual vm::Machine* machine(llvm::StringRef name) = 0;
  // Ends every VM at once (QMP quit) at the end of the suite. May also be
  // called from another thread while a call on a machine is blocked (the
  // suite timeout): the blocked call must then return with an error.
  virtual void stopAll() = 0;
  // `--keep-vms-on-failure`, after the suite failed: leave the running
  // machines up after rig exits. True when something was kept (stopAll()
  // is then not called); false when nothing ran or keeping failed, and the
  // machines stop as usual. What was kept, and how to reach it, is the
  // implementation's to tell (the driver prints it after the run).
  virtual bool keepRunning() { return false; }
};

class MachineFactory {
 public:
  virtual ~MachineFactory() = default;
  // Makes the machines of `plan`, not started. An error is an
  // infrastructure failure (exit code 3): a missing host package, no QEMU,
  // no run directory. Called from the suite's worker thread.
  virtual llvm::Expected<std::unique_ptr<SuiteMachines>> create(
      const plan::Plan& plan) = 0;
};

struct RunOptions {
  unsigned jobs = 1;              // suites run at once
  bool keepGoing = false;         // run the tests after a failing one
  // A suite that did not pass keeps its machines (SuiteMachines::keepRunning).
  bool keepVmsOnFailure = false;
  // Override the plan's settings (which come from meta {} and rig.toml).
  std::optional<double> waitTimeoutMs;
  std::optional<double> eventuallyTimeoutMs;
  std::optional<double> suiteTimeoutMs;
  std::string junitPath;  // "" = no JUnit report
  int verbosity = 0;      // 0 results; 1 + log() and subtests; 2 + machine ops
  bool color = false;
  size_t consoleLines = 30;  // console tail shown with a failure
  // Poll period of the wait_* operations and of `eventually`.
  double pollIntervalMs = 1000;
  // Poll period of the waits whose check costs the guest nothing (an open
  // port or unix socket, checked by the agent's connect(); console text,
  // read on the host): they notice the change within this.
  double fastPollIntervalMs = 100;
};

// Runs `plans` (each with its own machines from `factory`, at most
// `options.jobs` at once), prints live progress to `out`, writes the JUnit
// report, and returns the exit code: 0 all passed, 1 a test failed, 3 the
// infrastructure failed (also when the JUnit file cannot be written).
int run(llvm::ArrayRef<plan::Plan> plans, MachineFactory& factory,
        const RunOptions& options, llvm::raw_ostream& out);

// The same with the reporter and the clock given (tests, other front ends).
report::RunSummary runSuites(llvm::ArrayRef<plan::Plan> plans,
                             MachineFactory& factory,
                             const RunOptions& options,
                             report::Reporter& reporter, Clock& clock);

// One suite against machines that already exist. Calls stopAll() at the end
// (unless the machines were kept).
// Event times (steps, node phases, console lines) are `clock` milliseconds
// since `runStartMs` (default: the suite's start). The reporter is called
// from one thread at a time (console lines come from the machines' threads:
// runSuite serializes them).
report::SuiteResult runSuite(const plan::Plan& plan, SuiteMachines& machines,
                             const RunOptions& options,
                             report::Reporter& reporter, Clock& clock,
                             std::optional<double> runStartMs = std::nullopt);

}  // namespace rig::exec

#endif
