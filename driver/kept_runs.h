// What rig says about machines kept after a failure: the lines `rig run
// --keep-vms-on-failure` prints per kept suite (docs/debugging.md).
#ifndef RIG_DRIVER_KEPT_RUNS_H
#define RIG_DRIVER_KEPT_RUNS_H

#include <string>

#include "driver/driver.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/host/run_record.h"

namespace rig::driver {

// How to call this rig in a printed command: `rig` when that is what PATH
// finds, else the binary's absolute path (so the command works as shown).
std::string rigCommandFor(const Host& host);

// The run directory, then one `rig attach` line per running node (shell
// and console), the `--stop` line, and a reminder that they run until
// stopped.
std::string describeKeptRun(llvm::StringRef rig, llvm::StringRef runDir,
                            const host::RunRecord& record);

}  // namespace rig::driver

#endif
