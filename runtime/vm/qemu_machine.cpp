#include "runtime/vm/qemu_machine.h"

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/host/process.h"
#include "runtime/protocol/agent_client.h"
#include "runtime/vm/qmp.h"
#include "runtime/support/clock.h"
#include "runtime/support/error.h"

namespace rig::vm {
namespace {

std::string readText(const std::string& path) {
  auto buf = llvm::MemoryBuffer::getFileAsStream(path);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

std::string lastLines(llvm::StringRef text, size_t n) {
  text = text.rtrim("\r\n");
  size_t pos = text.size();
  for (size_t i = 0; i < n && pos != llvm::StringRef::npos && pos > 0; ++i)
    pos = text.rfind('\n', pos - 1);
  return (pos == llvm::StringRef::npos ? text : text.substr(pos + 1)).str();
}

constexpr size_t kTailLines = 30;
// Sparse: only what the node writes takes space.
constexpr off_t kStateDiskBytes = 8ll << 30;

}  // namespace

QemuMachine::QemuMachine(QemuMachineOptions options)
    : options_(std::move(options)),
      dir_(options_.runDir + "/" + options_.node.name) {}

QemuMachine::~QemuMachine() { stop(); }

namespace {

// The node's writable layer, made at its first start and kept for the run
// (the run directory goes with it): a sparse ext4 image, formatted on the
// host. Lazy inode tables and journal keep mkfs from writing them out; the
// guest mounts with noinit_itable, so nothing zeroes them later either
// (a fresh sparse file reads as zeros).
llvm::Error makeStateDisk(const std::string& path) {
  if (llvm::sys::fs::exists(path)) return llvm::Error::success();
  std::string partial = path + ".new";
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(partial, ec);
    if (ec) return failure("cannot create " + partial + ": " + ec.message());
  }
  if (::truncate(partial.c_str(), kStateDiskBytes) != 0)
    return failure("cannot size " + partial + ": " + std::strerror(errno));
  auto r = host::run({"mkfs.ext4", "-q", "-F", "-m", "0", "-i", "65536", "-E",
                      "lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0", "-L", "rig-state",
                      partial},
                     60'000);
  if (!r) return r.takeError();
  if (r->status != 0)
    return failure("mkfs.ext4 failed for the node's state disk " + partial + ": " + r->output +
                (r->status == 127 ? " (apt-get install e2fsprogs)" : ""));
  if (auto ec = llvm::sys::fs::rename(partial, path))
    return failure("cannot rename " + partial + ": " + ec.message());
  return llvm::Error::success();
}

}  // namespace

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
  c.stateDisk = dir_ + "/state.img";
  for (auto& v : options_.node.vlans) {
    auto it = options_.switchDirs.find(v.vlan);
    c.nics.push_back({v.vlan, v.mac, it == options_.switchDirs.end() ? "" : it->second});
  }
  for (auto& o : options_.overlays) c.shares.push_back({o.tag, o.hostPath});
  return c;
}

pid_t QemuMachine::qemuPid() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  return qemu_ ? qemu_->pid() : -1;
}

void QemuMachine::refreshLocked() {
  if (!qemu_) return;
  auto status = qemu_->poll();
  if (!status) return;
  if (state_ == MachineState::Running || state_ == MachineState::Booting) {
    state_ = MachineState::Dead;
    deathNote_ = "QEMU for " + options_.node.name + " exited (" +
                 (*status > 128 ? "signal " + std::to_string(*status - 128)
                                : "status " + std::to_string(*status)) +
                 ")";
    std::string qemuLog = llvm::StringRef(readText(dir_ + "/qemu.log")).trim().str();
    if (!qemuLog.empty()) deathNote_ += ": " + lastLines(qemuLog, 5);
  }
  tearDownLocked();
}

void QemuMachine::tearDownLocked() {
  if (agent_) agent_->close();
  agent_.reset();
  qmp_.reset();
  if (qemu_) qemu_->kill();
  qemu_.reset();
  // After QEMU is gone, so that its last lines (a panic) reach the sink.
  if (follower_) follower_->stop();
  follower_.reset();
}

void QemuMachine::setConsoleSink(ConsoleSink sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  consoleSink_ = std::move(sink);
}

MachineState QemuMachine::state() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  return state_;
}

llvm::Error QemuMachine::withConsoleTail(llvm::Error err) {
  std::string tail = consoleTail(kTailLines);
  return failure(llvm::toString(std::move(err)) + "\n--- console of " + name() +
              " (last lines, full log: " + consoleLogPath() + ") ---\n" + tail);
}

llvm::Error QemuMachine::notRunningLocked(llvm::StringRef what) {
  switch (state_) {
    case MachineState::Off:
      return failure("machine `" + name() + "` is not running (" + what + ")");
    case MachineState::Booting:
      return failure("machine `" + name() + "` is still booting (" + what + ")");
    case MachineState::Dead:
      return withConsoleTail(failure("machine `" + name() + "` is dead: " + deathNote_));
    case MachineState::Running:
      break;
  }
  return llvm::Error::success();
}

llvm::Error QemuMachine::start(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  refreshLocked();
  if (state_ == MachineState::Running) return llvm::Error::success();
  tearDownLocked();
  double begin = steadyNowMs();

  if (auto ec = llvm::sys::fs::create_directories(dir_))
    return failure("mkdir " + dir_ + ": " + ec.message());
  if (!options_.hostEtc) {
    auto etc = readHostEtc();
    if (!etc) return etc.takeError();
    options_.hostEtc = std::make_shared<HostEtc>(std::move(*etc));
  }
  auto config = renderNodeConfig(options_.node, *options_.hostEtc, options_.overlays,
                                 options_.trim, options_.varDirs);
  if (!config) return failure("node `" + name() + "`: " + llvm::toString(config.takeError()));
  if (auto err = writeNodeConfig(*config, dir_ + "/config")) return err;

  QemuConfig qc = qemuConfig();
  if (auto err = makeStateDisk(qc.stateDisk)) return err;
  for (auto* path : {&qc.qmpSocket, &qc.agentSocket, &qc.shellSocket}) {
    if (path->size() >= 108)
      return failure("socket path too long for a unix socket (" + std::to_string(path->size()) +
                  " bytes): " + *path + "; use a shorter run directory");
    ::unlink(path->c_str());
  }
  for (auto& nic : qc.nics)
    if (nic.switchDir.empty())
      return failure("node `" + name() + "`: no switch for vlan " + std::to_string(nic.vlan));

  // The log is appended across boots: follow only what this boot writes.
  uint64_t consoleStart = ConsoleFollower::fileSize(qc.consoleLog);
  host::SpawnOptions so;
  so.argv = qemuCommandLine(qc);
  so.outputPath = dir_ + "/qemu.log";
  so.keeper = options_.keeper;
  auto child = host::spawn(so);
  if (!child) return child.takeError();
  qemu_ = std::move(*child);
  if (consoleSink_)
    follower_ = std::make_unique<ConsoleFollower>(qc.consoleLog, consoleStart,
                                                  consoleSink_);
  std::shared_ptr<host::Child> qemu = qemu_;
  state_ = MachineState::Booting;
  double spawned = steadyNowMs();
  lock.unlock();

  auto bootFailed = [&](llvm::Error err) -> llvm::Error {
    std::lock_guard<std::mutex> relock(mutex_);
    refreshLocked();
    std::string why = llvm::toString(std::move(err));
    if (state_ == MachineState::Dead) why = deathNote_ + " (" + why + ")";
    tearDownLocked();
    state_ = MachineState::Dead;
    deathNote_ = "boot failed: " + why;
    return withConsoleTail(failure("machine `" + name() + "` did not boot: " + why));
  };

  auto left = [&] { return timeoutMs - (steadyNowMs() - begin); };
  auto qmp = QmpClient::connect(qc.qmpSocket, std::min(left(), 30'000.0));
  if (!qmp) return bootFailed(qmp.takeError());
  std::shared_ptr<QmpClient> qmpShared(std::move(*qmp));

  // Connect in slices so that a QEMU that died is noticed within one.
  std::unique_ptr<protocol::AgentClient> agent;
  std::string lastError;
  for (;;) {
    double slice = std::min(left(), 3'000.0);
    if (slice <= 0) {
      return bootFailed(failure("no answer from the agent within " +
                             std::to_string(static_cast<int>(timeoutMs / 1000)) +
                             " s (last: " + lastError + ")"));
    }
    if (auto status = qemu->poll())
      return bootFailed(failure("QEMU exited during boot (status " + std::to_string(*status) + ")"));
    auto a = protocol::AgentClient::connect(qc.agentSocket, slice);
    if (a) {
      agent = std::move(*a);
      break;
    }
    lastError = llvm::toString(a.takeError());
  }

  double agentAnswered = steadyNowMs();

  // The agent starts before systemd does (stage 1 forks it, then execs
  // systemd): wait until systemd is PID 1 and answers on its private socket,
  // so that `systemctl` works as soon as start() returns.
  for (;;) {
    if (left() <= 0)
      return bootFailed(failure("systemd did not come up within " +
                             std::to_string(static_cast<int>(timeoutMs / 1000)) + " s"));
    if (agent->info().systemdRunning) {
      auto open = agent->isUnixSocketOpen("/run/systemd/private", 10'000);
      if (!open) return bootFailed(open.takeError());
      if (*open) break;
    } else {
      auto info = agent->handshake(std::min(left(), 10'000.0));
      if (!info) return bootFailed(info.takeError());
      if (info->systemdRunning) continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  std::lock_guard<std::mutex> relock(mutex_);
  refreshLocked();
  if (state_ != MachineState::Booting)
    return withConsoleTail(failure("machine `" + name() + "` died right after booting: " + deathNote_));
  agent->setNodeName(name().str());
  agent_ = std::move(agent);
  qmp_ = std::move(qmpShared);
  lastAgentMs_ = agentAnswered - spawned;
  lastBootMs_ = steadyNowMs() - spawned;
  state_ = MachineState::Running;
  return llvm::Error::success();
}

llvm::Error QemuMachine::shutdown(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  refreshLocked();
  if (state_ == MachineState::Off) return llvm::Error::success();
  if (state_ != MachineState::Running) return notRunningLocked("shutdown");
  auto agent = agent_;
  auto qemu = qemu_;
  state_ = MachineState::Off;  // the exit that follows is expected
  lock.unlock();
  llvm::Error asked = agent->shutdown(protocol::PowerAction::PowerOff);
  std::optional<int> status;
  if (!asked) status = qemu->wait(timeoutMs);
  lock.lock();
  if (asked || !status) {
    std::string why = asked ? llvm::toString(std::move(asked))
                            : "QEMU still runs " + std::to_string(static_cast<int>(timeoutMs / 1000)) +
                                  " s after the guest was asked to power off";
    tearDownLocked();
    return withConsoleTail(failure("machine `" + name() + "`: shutdown failed: " + why +
                                "; killed it"));
  }
  tearDownLocked();
  return llvm::Error::success();
}

llvm::Error QemuMachine::crash() {
  std::lock_guard<std::mutex> lock(mutex_);
  tearDownLocked();
  state_ = MachineState::Off;
  return llvm::Error::success();
}

llvm::Error QemuMachine::waitForShutdown(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!qemu_) {
    // Already exited (Off, or Dead because nobody was waiting yet).
    state_ = MachineState::Off;
    return llvm::Error::success();
  }
  std::shared_ptr<host::Child> child = qemu_;
  lock.unlock();
  auto status = child->wait(timeoutMs);
  lock.lock();
  if (!status)
    return failure("machine `" + name() + "` still runs after " +
                std::to_string(static_cast<int>(timeoutMs / 1000)) + " s of waiting for it to shut down");
  tearDownLocked();
  state_ = MachineState::Off;
  return llvm::Error::success();
}

void QemuMachine::stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!qemu_) return;
  if (agent_) agent_->close();
  if (qmp_ && !qemu_->poll()) {
    auto qmp = qmp_;
    auto qemu = qemu_;
    lock.unlock();
    llvm::consumeError(qmp->execute("quit", {}, 2'000).takeError());
    qemu->wait(2'000);
    lock.lock();
  }
  tearDownLocked();
  if (state_ != MachineState::Dead) state_ = MachineState::Off;
}

llvm::Expected<pid_t> QemuMachine::detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  if (!qemu_ || state_ != MachineState::Running) return 0;
  pid_t pid = qemu_->pid();
  if (llvm::Error err = qemu_->release())
    return failure("machine `" + name() + "`: " + llvm::toString(std::move(err)));
  // QEMU serves one client per chardev socket: free them for `rig attach`.
  if (agent_) agent_->close();
  agent_.reset();
  qmp_.reset();
  qemu_.reset();
  // The VM lives on without rig: what it writes now is for `rig attach
  // --console`, not for this run's reporters.
  if (follower_) follower_->stop();
  follower_.reset();
  state_ = MachineState::Off;
  return pid;
}

llvm::Error QemuMachine::reboot(double timeoutMs) {
  if (auto err = shutdown(timeoutMs)) return err;
  return start(timeoutMs);
}

template <typename T, typename F>
llvm::Expected<T> QemuMachine::agentCall(llvm::StringRef what, F&& f) {
  std::shared_ptr<protocol::AgentClient> agent;
  std::shared_ptr<host::Child> qemu;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ != MachineState::Running) return notRunningLocked(what);
    agent = agent_;
    qemu = qemu_;
  }
  llvm::Expected<T> result = f(*agent);
  if (!result) {
    // The agent's socket closes a moment before QEMU has exited: give it
    // that moment, so that the error says the machine died and shows why.
    if (agent->closed() && qemu) qemu->wait(2'000);
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ == MachineState::Dead) {
      llvm::consumeError(result.takeError());
      return notRunningLocked(what);
    }
    // The agent died and the guest restarted it: its console says why.
    std::string text = llvm::toString(result.takeError());
    if (text.find("the guest agent on") != std::string::npos) return withConsoleTail(failure(text));
    return failure(text);
  }
  return result;
}

llvm::Expected<ExecResult> QemuMachine::execute(const ExecRequest& request) {
  return agentCall<ExecResult>("execute", [&](protocol::AgentClient& a) {
    return a.execute(request);
  });
}

llvm::Expected<bool> QemuMachine::isPortOpen(llvm::StringRef address, int port) {
  return agentCall<bool>("port check", [&](protocol::AgentClient& a) {
    return a.isPortOpen(address, port);
  });
}

llvm::Expected<bool> QemuMachine::isUnixSocketOpen(llvm::StringRef path) {
  return agentCall<bool>("socket check", [&](protocol::AgentClient& a) {
    return a.isUnixSocketOpen(path);
  });
}

llvm::Expected<std::string> QemuMachine::readFile(llvm::StringRef path) {
  return agentCall<std::string>("read file", [&](protocol::AgentClient& a) {
    return a.readFile(path);
  });
}

llvm::Error QemuMachine::writeFile(llvm::StringRef path, llvm::StringRef data,
                                   uint32_t mode) {
  auto r = agentCall<bool>("write file", [&](protocol::AgentClient& a) -> llvm::Expected<bool> {
    if (auto err = a.writeFile(path, data, mode)) return err;
    return true;
  });
  return r.takeError();
}

llvm::Expected<HttpResponse> QemuMachine::http(const HttpRequest& request) {
  return agentCall<HttpResponse>("http", [&](protocol::AgentClient& a) {
    return a.http(request);
  });
}

std::string QemuMachine::consoleText() { return readText(consoleLogPath()); }

std::string QemuMachine::consoleRead(uint64_t offset, size_t maxBytes) {
  std::string out;
  int fd = ::open(consoleLogPath().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  out.resize(maxBytes);
  size_t got = 0;
  while (got < maxBytes) {
    ssize_t n = ::pread(fd, out.data() + got, maxBytes - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

// From the log's last 256 KiB: a console of gigabytes is not read whole.
std::string QemuMachine::consoleTail(size_t lines) {
  constexpr uint64_t kTailBytes = 256 * 1024;
  uint64_t size = ConsoleFollower::fileSize(consoleLogPath());
  uint64_t from = size > kTailBytes ? size - kTailBytes : 0;
  std::string text = consoleRead(from, kTailBytes);
  if (from > 0) {
    size_t nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? 0 : nl + 1);  // a whole first line
  }
  // A very long line cut (the failure shows its start).
  std::string shown;
  for (llvm::StringRef rest = lastLines(text, lines); !rest.empty();) {
    auto [line, next] = rest.split('\n');
    constexpr size_t kLineBytes = 2000;
    shown += line.take_front(kLineBytes).str();
    if (line.size() > kLineBytes) shown += " [" + std::to_string(line.size() - kLineBytes) + " bytes more]";
    shown += '\n';
    rest = next;
  }
  if (!shown.empty()) shown.pop_back();
  // NUL bytes (SeaBIOS writes some) carry nothing a reader sees and cut the
  // text wherever it passes through a C string (a test's log, CMake).
  shown.erase(std::remove(shown.begin(), shown.end(), '\0'), shown.end());
  return shown;
}

llvm::Error QemuMachine::setLinksUp(bool up) {
  std::shared_ptr<QmpClient> qmp;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ != MachineState::Running) return notRunningLocked("set links");
    qmp = qmp_;
  }
  for (auto& v : options_.node.vlans) {
    auto r = qmp->execute("set_link", llvm::json::Object{{"name", "vlan" + std::to_string(v.vlan)},
                                                         {"up", up}});
    if (!r) return r.takeError();
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> QemuMachine::monitorCommand(llvm::StringRef command) {
  std::shared_ptr<QmpClient> qmp;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ != MachineState::Running) return notRunningLocked("monitor command");
    qmp = qmp_;
  }
  return qmp->humanMonitorCommand(command);
}

}  // namespace rig::vm
