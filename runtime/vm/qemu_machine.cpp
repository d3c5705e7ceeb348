#include "runtime/vm/qemu_machine.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/host/process.h"
#include "runtime/support/error.h"
#include "runtime/vm/qmp.h"

namespace rig::vm {
namespace {

// Sparse: only what the node writes takes space.
constexpr off_t kStateDiskBytes = 8ll << 30;

// The node's writable layer, made at its first start and kept for the run
// (the run directory goes with it): a sparse ext4 image, formatted on the
// host. Lazy inode tables and journal keep mkfs from writing them out; the
// guest mounts with noinit_itable, so nothing zeroes them later either
// (a fresh sparse file reads as zeros).
llvm::Error makeDisk(const std::string& path, int64_t bytes,
                     const std::string& fs, const std::string& label,
                     const std::string& what) {
  if (llvm::sys::fs::exists(path)) return llvm::Error::success();
  std::string partial = path + ".new";
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(partial, ec);
    if (ec) return failure("cannot create " + partial + ": " + ec.message());
  }
  if (::truncate(partial.c_str(), bytes) != 0)
    return failure("cannot size " + partial + ": " + std::strerror(errno));
  auto r = host::run({"mkfs." + fs, "-q", "-F", "-m", "0", "-i", "65536", "-E",
                      "lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0",
                      "-L", label, partial},
                     60'000);
  if (!r) return r.takeError();
  if (r->status != 0)
    return failure("mkfs." + fs + " failed for " + what + " " + partial + ": " +
                   r->output +
                   (r->status == 127 ? " (apt-get install e2fsprogs)" : ""));
  if (auto ec = llvm::sys::fs::rename(partial, path))
    return failure("cannot rename " + partial + ": " + ec.message());
  return llvm::Error::success();
}

}  // namespace

QemuMachine::QemuMachine(QemuMachineOptions options)
    : NodeMachine(options), options_(std::move(options)) {}

QemuMachine::~QemuMachine() { stop(); }

QemuConfig QemuMachine::qemuConfig() const {
  QemuConfig c;
  c.qemu = options_.qemu;
  c.name = options_.node.name;
  c.accel = options_.accel;
  c.memoryBytes = options_.node.memoryBytes;
  c.cpus = options_.node.cpus;
  c.kernel = options_.kernel.image;
  c.initrd = options_.initrd;
  c.bootTarget = options_.node.bootTarget;
  c.kernelParams = options_.node.kernelParams;
  c.quiet = options_.quiet;
  c.consoleLog = dir_ + "/console.log";
  c.qmpSocket = dir_ + "/qmp.sock";
  c.agentSocket = dir_ + "/agent.sock";
  c.shellSocket = dir_ + "/shell.sock";
  c.configDir = dir_ + "/config";
  if (options_.stateDisk) c.stateDisk = dir_ + "/state.img";
  for (size_t i = 0; i < options_.node.disks.size(); ++i)
    c.disks.push_back({"rig-disk" + std::to_string(i),
                       dir_ + "/disk" + std::to_string(i) + ".img"});
  for (auto& v : options_.node.vlans) {
    auto it = options_.switchDirs.find(v.vlan);
    c.nics.push_back(
        {v.vlan, v.mac, it == options_.switchDirs.end() ? "" : it->second});
  }
  for (auto& o : options_.overlays) c.shares.push_back({o.tag, o.hostPath});
  return c;
}

llvm::Expected<host::SpawnOptions> QemuMachine::prepareBoot() {
  QemuConfig qc = qemuConfig();
  if (!qc.stateDisk.empty())
    if (auto err = makeDisk(qc.stateDisk, kStateDiskBytes, "ext4", "rig-state",
                            "the node's state disk"))
      return err;
  // `disk` blocks: formatted at the first start, kept for the run.
  for (size_t i = 0; i < qc.disks.size(); ++i) {
    const plan::Disk& d = options_.node.disks[i];
    if (auto err = makeDisk(qc.disks[i].file, d.sizeBytes, d.fs,
                            qc.disks[i].serial, "disk " + d.path))
      return err;
  }
  for (auto* path : {&qc.qmpSocket, &qc.agentSocket, &qc.shellSocket}) {
    if (path->size() >= 108)
      return failure("socket path too long for a unix socket (" +
                     std::to_string(path->size()) + " bytes): " + *path +
                     "; use a shorter run directory");
    ::unlink(path->c_str());
  }
  for (auto& nic : qc.nics)
    if (nic.switchDir.empty())
      return failure("node `" + name() + "`: no switch for vlan " +
                     std::to_string(nic.vlan));
  host::SpawnOptions so;
  so.argv = qemuCommandLine(qc);
  so.outputPath = processLogPath();
  return so;
}

llvm::Error QemuMachine::afterSpawn(double timeoutMs) {
  auto qmp =
      QmpClient::connect(dir_ + "/qmp.sock", std::min(timeoutMs, 30'000.0));
  if (!qmp) return qmp.takeError();
  std::lock_guard<std::mutex> lock(qmpMutex_);
  qmp_ = std::move(*qmp);
  return llvm::Error::success();
}

void QemuMachine::onTearDown() {
  std::lock_guard<std::mutex> lock(qmpMutex_);
  qmp_.reset();
}

std::shared_ptr<QmpClient> QemuMachine::qmp() {
  std::lock_guard<std::mutex> lock(qmpMutex_);
  return qmp_;
}

void QemuMachine::quit(host::Child&) {
  if (auto q = qmp())
    llvm::consumeError(q->execute("quit", {}, 2'000).takeError());
}

llvm::Error QemuMachine::setLinksUp(bool up) {
  if (auto err = checkRunning("set links")) return err;
  auto q = qmp();
  if (!q) return failure("machine `" + name() + "` has no QMP connection");
  for (auto& v : options_.node.vlans) {
    auto r = q->execute(
        "set_link", llvm::json::Object{
                        {"name", "vlan" + std::to_string(v.vlan)}, {"up", up}});
    if (!r) return r.takeError();
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> QemuMachine::monitorCommand(
    llvm::StringRef command) {
  if (auto err = checkRunning("monitor command")) return err;
  auto q = qmp();
  if (!q) return failure("machine `" + name() + "` has no QMP connection");
  return q->humanMonitorCommand(command);
}

}  // namespace rig::vm
