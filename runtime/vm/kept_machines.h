// Machines kept after a failed run (`rig run --keep-vms-on-failure`), seen
// from a later rig process: `rig attach RUN_DIR --stop` ends them.
#ifndef RIG_RUNTIME_VM_KEPT_MACHINES_H
#define RIG_RUNTIME_VM_KEPT_MACHINES_H

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "runtime/host/run_record.h"

namespace rig::vm {

// Ends every recorded process of `runDir` that still runs: each node with
// QMP `quit` on RUNDIR/NODE/qmp.sock, then SIGKILL to the process group of
// any node still up after `graceMs`; each switch with SIGTERM, then SIGKILL.
// A pid is only signalled while its command line names the run directory
// (host::processOfRunAlive), so a recycled pid is never hit. Returns one
// line per process saying what happened ("box: stopped (QMP quit)").
std::vector<std::string> stopKeptMachines(llvm::StringRef runDir,
                                          const host::RunRecord& record,
                                          double graceMs = 10'000);

}  // namespace rig::vm

#endif
