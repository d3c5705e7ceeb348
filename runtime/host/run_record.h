// What a run directory holds about its machines: RUNDIR/machines.json.
//
// Written when a suite's machines are made (the node and switch names, no
// processes) and again when they are kept after a failure (`rig run
// --keep-vms-on-failure`): then `kept_at` is set and every process that
// stays up is listed with its pid, the leader of its process group (a
// rig-keeper, whose program runs in the same group). `rig attach` reads it
// to find nodes and sockets, `rig attach --stop` to end the processes, and
// RunDir::create() to tell a kept directory whose machines still run (left
// alone) from one whose machines are gone (removed).
//
//   {"suite": "keep", "path": "tests/e2e/keep.rig", "rig_pid": 4242,
//    "kept_at": "2026-11-30T08:40:12Z",
//    "nodes": [{"name": "box", "pid": 4300}, {"name": "idle", "pid": 0}],
//    "switches": [{"vlan": 1, "pid": 4290}]}
//
// A pid of 0: nothing of that node was running when it was kept.
#ifndef RIG_RUNTIME_HOST_RUN_RECORD_H
#define RIG_RUNTIME_HOST_RUN_RECORD_H

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

struct RecordedProcess {
  std::string name;  // node name, or "vlanN" for a switch
  int64_t vlan = 0;  // switches only
  pid_t pid = 0;     // 0: not running
};

struct RunRecord {
  std::string suite;
  std::string path;  // the spec, as the plan names it
  pid_t rigPid = 0;
  std::string keptAt;  // "" while not kept (UTC, ISO 8601)
  std::vector<RecordedProcess> nodes;
  std::vector<RecordedProcess> switches;

  bool kept() const { return !keptAt.empty(); }
  const RecordedProcess* node(llvm::StringRef name) const;
  std::string nodeNames() const;  // "a, b, c"
};

inline constexpr const char* kRunRecordFile = "machines.json";

llvm::Error writeRunRecord(llvm::StringRef runDir, const RunRecord& record);
// Errors say what is wrong in words: no record (not a run directory of
// rig's), or a record that cannot be read.
llvm::Expected<RunRecord> readRunRecord(llvm::StringRef runDir);
std::string renderRunRecord(const RunRecord& record);
llvm::Expected<RunRecord> parseRunRecord(llvm::StringRef text);

// `pid` runs and its command line mentions `runDir`'s name (a recycled pid
// that now belongs to something else does not count).
bool processOfRunAlive(pid_t pid, llvm::StringRef runDir);
// Any recorded node or switch process of `runDir` alive.
bool anyRecordedProcessAlive(const RunRecord& record, llvm::StringRef runDir);

// The current time as "2026-11-30T08:40:12Z".
std::string utcTimestamp();

}  // namespace rig::host

#endif
