#include "runtime/container/container_machine.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/host/cgroup.h"
#include "runtime/host/run_dir.h"
#include "runtime/support/error.h"

namespace rig::container {
namespace {

std::string readProc(const std::string& path) {
  auto buf = llvm::MemoryBuffer::getFileAsStream(path);
  return buf ? llvm::StringRef((*buf)->getBuffer()).trim().str() : "";
}

std::string commOf(pid_t pid) {
  return readProc("/proc/" + std::to_string(pid) + "/comm");
}

std::string netnsOf(pid_t pid) {
  char buf[64];
  std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

}  // namespace

ContainerMachine::ContainerMachine(ContainerMachineOptions options)
    : NodeMachine(options), options_(std::move(options)) {}

// systemd-nspawn leaves its propagation directory behind when /run is not a
// tmpfs ("Attempted to remove disk file system ..."): rig removes it.
static std::string propagateDir(const std::string& machineName) {
  return "/run/systemd/nspawn/propagate/" + machineName;
}

ContainerMachine::~ContainerMachine() {
  stop();
  llvm::sys::fs::remove_directories(propagateDir(options_.machineName));
  host::removeChildCgroups(options_.machineName);
}

NspawnConfig ContainerMachine::nspawnConfig() const {
  NspawnConfig c;
  if (options_.network) c.netnsPath = options_.network->namespacePath();
  c.machineName = options_.machineName;
  c.guestBinary = options_.guestBinary;
  c.rootDir = dir_ + "/root";
  c.etcUpper = dir_ + "/etc.upper";
  c.configDir = dir_ + "/config";
  c.hostDir = dir_ + "/host";
  for (auto& o : options_.overlays) c.shares.push_back({o.tag, o.hostPath});
  c.bootTarget = options_.node.bootTarget;
  c.quiet = options_.quiet;
  return c;
}

llvm::Expected<host::SpawnOptions> ContainerMachine::prepareBoot() {
  NspawnConfig c = nspawnConfig();
  // The root and /etc's upper layer stay from one boot to the next within
  // the run, as a VM's state disk does (the run directory goes with them).
  // systemd-nspawn wants a /usr to bind the host's over.
  for (const std::string& dir : {c.rootDir + "/usr", c.etcUpper, c.hostDir})
    if (auto ec = llvm::sys::fs::create_directories(dir))
      return failure("mkdir " + dir + ": " + ec.message());
  // Their modes are / and /etc's (rig's umask may be 077).
  for (const std::string& dir : {c.rootDir, c.etcUpper})
    if (::chmod(dir.c_str(), 0755) != 0)
      return failure("chmod " + dir + ": " + std::strerror(errno));
  // The agent makes its sockets in host/; links at a VM's paths let `rig
  // attach` and `--stop` find them the same way.
  for (const char* socket : {"agent.sock", "shell.sock"}) {
    ::unlink((c.hostDir + "/" + socket).c_str());
    ::unlink((dir_ + "/" + socket).c_str());
    if (::symlink((std::string("host/") + socket).c_str(),
                  (dir_ + "/" + socket).c_str()) != 0)
      return failure("symlink " + dir_ + "/" + socket + ": " +
                     std::strerror(errno));
  }
  if (!options_.links.empty()) {
    if (!options_.network)
      return failure("node `" + name() + "`: no network for its vlans");
    if (auto err = options_.network->addLinks(options_.links)) return err;
  }
  llvm::sys::fs::remove_directories(
      propagateDir(options_.machineName));  // a previous boot's
  host::SpawnOptions so;
  so.argv = nspawnCommandLine(c);
  // A cgroup of its own (host/cgroup.h), fresh for each boot.
  host::removeChildCgroups(options_.machineName);
  so.cgroupProcs = host::makeChildCgroups(options_.machineName);
  so.outputPath = consolePath();
  return so;
}

// systemd-nspawn's --network-interface needs udev's database, which a host
// without systemd lacks: rig moves the links into the container's namespace
// itself, as soon as its PID 1 exists. Stage 1 waits (5 s) for an interface
// with each MAC of its manifest.
llvm::Error ContainerMachine::afterSpawn(double timeoutMs) {
  if (options_.links.empty()) return llvm::Error::success();
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(
                      static_cast<int64_t>(std::min(timeoutMs, 10'000.0)));
  pid_t init = 0;
  while (init <= 0) {
    pid_t nspawn = processPid();
    // Under rig-keeper systemd-nspawn is the keeper's child.
    for (int depth = 0;
         depth < 3 && nspawn > 0 && commOf(nspawn) != "systemd-nspawn";
         ++depth) {
      auto kids = host::childProcesses(nspawn);
      nspawn = kids.empty() ? 0 : kids.front();
    }
    if (nspawn > 0)
      for (pid_t kid : host::childProcesses(nspawn))
        if (netnsOf(kid) != netnsOf(nspawn) && !netnsOf(kid).empty())
          init = kid;
    if (init > 0) break;
    if (processPid() <= 0)
      return failure("systemd-nspawn exited before its container started");
    if (std::chrono::steady_clock::now() > deadline)
      return failure("the container's PID 1 did not appear within 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return options_.network->moveLinks(options_.links, init);
}

void ContainerMachine::quit(host::Child& process) {
  // systemd-nspawn ends the container (SIGKILL to its PID 1: it runs without
  // --boot, rig-guest execs systemd) and cleans up after itself.
  process.signal(SIGTERM);
}

llvm::Error ContainerMachine::setLinksUp(bool up) {
  if (auto err = checkRunning("set links")) return err;
  if (!options_.network) return llvm::Error::success();
  return options_.network->setLinksUp(options_.links, up);
}

llvm::Expected<std::string> ContainerMachine::monitorCommand(
    llvm::StringRef command) {
  return failure(
      "machine `" + name() + "` is a container: it has no QEMU monitor (`" +
      command +
      "`); the checker rejects send_monitor_command on container nodes");
}

}  // namespace rig::container
