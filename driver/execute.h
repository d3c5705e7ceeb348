// The hook from `rig run` into the runtime: compiled plans in, exit code
// out. Everything QEMU-specific the driver knows is in execute.cpp.
#ifndef RIG_DRIVER_EXECUTE_H
#define RIG_DRIVER_EXECUTE_H

#include <functional>
#include <memory>
#include <vector>

#include "driver/session.h"
#include "runtime/exec/run.h"
#include "runtime/plan/plan.h"
#include "runtime/report/reporter.h"
#include "runtime/report/terminal.h"

namespace rig::driver {

// The QEMU machines of a suite (runtime/vm Clusters), with its prepare
// steps built first; their progress lines go to `say` (called from the
// suite's thread: it must be thread-safe).
std::unique_ptr<exec::MachineFactory> makeClusterFactory(
    Session& session, const RunSettings& settings,
    std::function<void(llvm::StringRef)> say);

// The reporters of the command line (docs/reports.md) into `reporters`: the
// terminal's (live or plain lines) or TAP, then --github, --junit, --json,
// --events, --html. Returns the terminal reporter, null with --tap.
report::TerminalReporter* addReporters(Session& session,
                                       const report::RunIdentity& identity,
                                       bool live,
                                       report::MultiReporter& reporters);

// The runtime's options from the command line and rig.toml's [run] table.
exec::RunOptions runOptions(Session& session, const RunSettings& settings);

// Runs `plans` with rig::exec::run on QEMU machines (runtime/vm Cluster),
// with the command line's options and `settings` (the [run] table of
// rig.toml: accel, kernel, jobs; the timeouts are already in the plans).
// `identity` goes into the JSON report and the event stream (which run, and
// which shard of it, they are). Returns 0 all passed, 1 a test failed, 3 the
// infrastructure failed.
int executePlans(Session& session, std::vector<plan::Plan>& plans,
                 const RunSettings& settings,
                 const report::RunIdentity& identity);

}  // namespace rig::driver

#endif
