// rig_exec: runs compiled plans against machines and reports the results.
//
// ---- API for the CLI driver (driver, `rig run`) -------------------
//
//   #include "runtime/exec/run.h"
//
//   std::vector<rig::plan::Plan> plans = ...;   // compiled or read from JSON
//   rig::exec::RunOptions options;
//   options.jobs = 2;                     // -j N: suites run in parallel
//   options.keepGoing = true;             // --keep-going
//   options.keepVmsOnFailure = false;     // --keep-vms-on-failure
//   options.waitTimeoutMs = 60'000;       // rig.toml / flag; overrides the plan
//   options.suiteTimeoutMs = 1'200'000;   // rig.toml / flag; overrides the plan
//   options.verbosity = 1;                // -v
//   MyClusterFactory factory;             // a rig::exec::MachineFactory
//   rig::events::RunSummary summary = rig::exec::runSuites(
//       plans, factory, options, sink, rig::exec::systemClock());
//   return rig::events::exitCode(summary);  // 0 passed, 1 failed, 3 infra
//
// The factory is the only link to QEMU: it turns one plan into the machines
// of one suite (runtime/vm's Cluster). Tests pass a fake.
// -----------------------------------------------------------------------------
#ifndef RIG_RUNTIME_EXEC_RUN_H
#define RIG_RUNTIME_EXEC_RUN_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/events/events.h"
#include "runtime/exec/clock.h"
#include "runtime/machine/machine.h"
#include "runtime/plan/plan.h"

namespace rig::exec {

// The machines of one suite. Owns them and whatever they share (the run
// directory, the vde switches); destroying it releases everything.
class SuiteMachines {
 public:
  virtual ~SuiteMachines() = default;
  // The machine of node `name`; every node of the plan has one, not started.
  virtual machine::Machine* machine(llvm::StringRef name) = 0;
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
  unsigned jobs = 1;       // suites run at once
  bool keepGoing = false;  // run the tests after a failing one
  // A suite that did not pass keeps its machines (SuiteMachines::keepRunning).
  bool keepVmsOnFailure = false;
  // Override the plan's settings (which come from meta {} and rig.toml).
  std::optional<double> waitTimeoutMs;
  std::optional<double> eventuallyTimeoutMs;
  std::optional<double> suiteTimeoutMs;
  int verbosity = 0;  // 0 results; 1 + log() and subtests; 2 + machine ops
  size_t consoleLines = 30;  // console tail shown with a failure
  // ... of each other machine the failing test used (not the failing call's)
  size_t otherConsoleLines = 10;
  // Poll period of the wait_* operations and of `eventually`.
  double pollIntervalMs = 1000;
  // Poll period of the waits whose check costs the guest nothing (an open
  // port or unix socket, checked by the agent's connect(); console text,
  // read on the host): they notice the change within this.
  double fastPollIntervalMs = 100;
  // What one stream of a command or an HTTP body may carry (rig.toml
  // `max_output`); 0 = the protocol's default of 64 MiB.
  uint64_t maxOutputBytes = 0;
  // True once the user interrupted the run (Ctrl-C, SIGTERM): the running
  // tests end as "interrupted", suites not started yet are not run, and the
  // summary says so. Called from the suites' threads.
  std::function<bool()> interrupted;
};

// Runs `plans` (each with its own machines from `factory`, at most
// `options.jobs` at once), sending every event to `sink`. The exit code of
// the run is events::exitCode of the summary.
events::RunSummary runSuites(llvm::ArrayRef<plan::Plan> plans,
                             MachineFactory& factory, const RunOptions& options,
                             events::Sink& reporter, Clock& clock);

// One suite against machines that already exist. Calls stopAll() at the end
// (unless the machines were kept).
// Event times (steps, node phases, console lines) are `clock` milliseconds
// since `runStartMs` (default: the suite's start). The reporter is called
// from one thread at a time (console lines come from the machines' threads:
// runSuite serializes them).
events::SuiteResult runSuite(const plan::Plan& plan, SuiteMachines& machines,
                             const RunOptions& options, events::Sink& reporter,
                             Clock& clock,
                             std::optional<double> runStartMs = std::nullopt);

}  // namespace rig::exec

#endif
