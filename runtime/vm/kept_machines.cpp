#include "runtime/vm/kept_machines.h"

#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "runtime/host/cgroup.h"
#include "runtime/vm/qmp.h"

namespace rig::vm {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until none of `pids` runs (as a process of `runDir`) or `ms` pass.
void waitGone(llvm::StringRef runDir, const std::vector<pid_t>& pids,
              double ms) {
  auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(ms));
  for (;;) {
    bool any = false;
    for (pid_t pid : pids) any |= host::processOfRunAlive(pid, runDir);
    if (!any || Clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

std::vector<std::string> stopKeptMachines(llvm::StringRef runDir,
                                          const host::RunRecord& record,
                                          double graceMs) {
  std::vector<std::string> said;
  std::vector<const host::RecordedProcess*> asked;
  std::set<const host::RecordedProcess*> containers;
  for (const host::RecordedProcess& n : record.nodes) {
    if (!host::processOfRunAlive(n.pid, runDir)) {
      said.push_back(n.name + ": was not running");
      continue;
    }
    std::string qmpSocket = runDir.str() + "/" + n.name + "/qmp.sock";
    if (!llvm::sys::fs::exists(qmpSocket)) {
      // A container (runtime/container): systemd-nspawn ends it on SIGTERM.
      ::kill(-n.pid, SIGTERM);
      asked.push_back(&n);
      containers.insert(&n);
      continue;
    }
    auto qmp = QmpClient::connect(qmpSocket, 2'000);
    if (qmp)
      llvm::consumeError((*qmp)->execute("quit", {}, 2'000).takeError());
    else
      llvm::consumeError(qmp.takeError());
    asked.push_back(&n);
  }
  std::vector<pid_t> pids;
  for (auto* n : asked) pids.push_back(n->pid);
  waitGone(runDir, pids, graceMs);
  for (auto* n : asked) {
    if (!host::processOfRunAlive(n->pid, runDir)) {
      said.push_back(n->name + (containers.count(n)
                                    ? ": stopped (SIGTERM to systemd-nspawn)"
                                    : ": stopped (QMP quit)"));
      continue;
    }
    ::kill(-n->pid, SIGKILL);
    waitGone(runDir, {n->pid}, 5'000);
    said.push_back(n->name + ": killed (no exit " +
                   std::to_string(static_cast<int>(graceMs / 1000)) +
                   " s after QMP quit)");
  }
  for (const host::RecordedProcess& s : record.switches) {
    if (!host::processOfRunAlive(s.pid, runDir)) continue;
    ::kill(-s.pid, SIGTERM);
    waitGone(runDir, {s.pid}, 2'000);
    if (host::processOfRunAlive(s.pid, runDir)) {
      ::kill(-s.pid, SIGKILL);
      waitGone(runDir, {s.pid}, 5'000);
    }
    said.push_back("switch of vlan " + std::to_string(s.vlan) + ": stopped");
  }
  // The cgroups of the containers just stopped (host/cgroup.h), and of
  // any other kept container that has ended.
  if (!containers.empty()) host::removeIdleChildCgroups("rig-");
  return said;
}

}  // namespace rig::vm
