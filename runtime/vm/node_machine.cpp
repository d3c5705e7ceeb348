#include "runtime/vm/node_machine.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/host/run_dir.h"
#include "runtime/protocol/agent_client.h"
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

}  // namespace

NodeMachine::NodeMachine(NodeOptions options)
    : node_(std::move(options)), dir_(node_.runDir + "/" + node_.node.name) {}

NodeMachine::~NodeMachine() = default;

pid_t NodeMachine::processPid() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  return process_ ? process_->pid() : -1;
}

void NodeMachine::refreshLocked() {
  if (!process_) return;
  auto status = process_->poll();
  if (!status) return;
  if (state_ == MachineState::Running || state_ == MachineState::Booting) {
    state_ = MachineState::Dead;
    deathNote_ = processName().str() + " for " + node_.node.name + " exited (" +
                 (*status > 128 ? "signal " + std::to_string(*status - 128)
                                : "status " + std::to_string(*status)) +
                 ")";
    std::string logPath = processLogPath();
    std::string log =
        logPath.empty() ? "" : llvm::StringRef(readText(logPath)).trim().str();
    if (!log.empty()) deathNote_ += ": " + lastLines(log, 5);
  }
  tearDownLocked();
}

void NodeMachine::tearDownLocked() {
  if (agent_) agent_->close();
  agent_.reset();
  onTearDown();
  if (process_) process_->kill();
  process_.reset();
  // After the process is gone, so that its last lines (a panic) reach the sink.
  if (follower_) follower_->stop();
  follower_.reset();
}

void NodeMachine::setConsoleSink(ConsoleSink sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  consoleSink_ = std::move(sink);
}

MachineState NodeMachine::state() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  return state_;
}

llvm::Error NodeMachine::withConsoleTail(llvm::Error err) {
  std::string tail = consoleTail(kTailLines);
  // A node's disk that cannot grow pauses a VM (QEMU stops on ENOSPC) or
  // fails a container's writes: what the agent's silence or the guest's
  // errors mean then is this.
  std::string full = host::fullFileSystemNote(
      llvm::sys::path::parent_path(dir_), "run directory");
  if (!full.empty())
    full = "\n" + full +
           ": the nodes' disks and logs live there (free some "
           "space, or set XDG_RUNTIME_DIR to a larger one)";
  return failure(llvm::toString(std::move(err)) + full + "\n--- console of " +
                 name() + " (last lines, full log: " + consoleLogPath() +
                 ") ---\n" + tail);
}

llvm::Error NodeMachine::notRunningLocked(llvm::StringRef what) {
  switch (state_) {
    case MachineState::Off:
      return failure("machine `" + name() + "` is not running (" + what + ")");
    case MachineState::Booting:
      return failure("machine `" + name() + "` is still booting (" + what +
                     ")");
    case MachineState::Dead:
      return withConsoleTail(
          failure("machine `" + name() + "` is dead: " + deathNote_));
    case MachineState::Running: break;
  }
  return llvm::Error::success();
}

llvm::Error NodeMachine::start(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  refreshLocked();
  if (state_ == MachineState::Running) return llvm::Error::success();
  tearDownLocked();
  double begin = steadyNowMs();

  if (auto ec = llvm::sys::fs::create_directories(dir_))
    return failure("mkdir " + dir_ + ": " + ec.message());
  if (!node_.hostEtc) {
    auto etc = readHostEtc();
    if (!etc) return etc.takeError();
    node_.hostEtc = std::make_shared<HostEtc>(std::move(*etc));
  }
  auto config = renderNodeConfig(node_.node, *node_.hostEtc, node_.overlays,
                                 node_.trim, node_.varDirs);
  if (!config)
    return failure("node `" + name() +
                   "`: " + llvm::toString(config.takeError()));
  if (auto err = writeNodeConfig(*config, dir_ + "/config")) return err;
  std::string agentSocket = agentSocketPath();
  if (agentSocket.size() >= 108)
    return failure("socket path too long for a unix socket (" +
                   std::to_string(agentSocket.size()) +
                   " bytes): " + agentSocket + "; use a shorter run directory");
  auto so = prepareBoot();
  if (!so) return so.takeError();
  so->keeper = node_.keeper;

  // The log is appended across boots: follow only what this boot writes.
  std::string consoleLog = consolePath();
  uint64_t consoleStart = ConsoleFollower::fileSize(consoleLog);
  auto child = host::spawn(*so);
  if (!child) return child.takeError();
  process_ = std::move(*child);
  if (consoleSink_)
    follower_ = std::make_unique<ConsoleFollower>(consoleLog, consoleStart,
                                                  consoleSink_);
  std::shared_ptr<host::Child> process = process_;
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
    return withConsoleTail(
        failure("machine `" + name() + "` did not boot: " + why));
  };

  auto left = [&] { return timeoutMs - (steadyNowMs() - begin); };
  if (auto err = afterSpawn(left())) return bootFailed(std::move(err));

  // Connect in slices so that a process that died is noticed within one.
  std::unique_ptr<protocol::AgentClient> agent;
  std::string lastError;
  double agentTimeout =
      agentTimeoutMs() > 0 ? std::min(timeoutMs, agentTimeoutMs()) : timeoutMs;
  auto agentLeft = [&] { return agentTimeout - (steadyNowMs() - begin); };
  for (;;) {
    double slice = std::min(agentLeft(), 3'000.0);
    if (slice <= 0) {
      return bootFailed(
          failure("no answer from the agent within " +
                  std::to_string(static_cast<int>(agentTimeout / 1000)) +
                  " s (last: " + lastError + ")"));
    }
    if (auto status = process->poll())
      return bootFailed(failure(processName() + " exited during boot (status " +
                                std::to_string(*status) + ")"));
    auto a = protocol::AgentClient::connect(agentSocket, slice);
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
      return bootFailed(
          failure("systemd did not come up within " +
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
    return withConsoleTail(failure(
        "machine `" + name() + "` died right after booting: " + deathNote_));
  agent->setNodeName(name().str());
  agent_ = std::move(agent);
  lastAgentMs_ = agentAnswered - spawned;
  lastBootMs_ = steadyNowMs() - spawned;
  state_ = MachineState::Running;
  return llvm::Error::success();
}

llvm::Error NodeMachine::shutdown(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  refreshLocked();
  if (state_ == MachineState::Off) return llvm::Error::success();
  if (state_ != MachineState::Running) return notRunningLocked("shutdown");
  auto agent = agent_;
  auto process = process_;
  state_ = MachineState::Off;  // the exit that follows is expected
  lock.unlock();
  llvm::Error asked = agent->shutdown(protocol::PowerAction::PowerOff);
  std::optional<int> status;
  if (!asked) status = process->wait(timeoutMs);
  lock.lock();
  if (asked || !status) {
    std::string why =
        asked ? llvm::toString(std::move(asked))
              : processName().str() + " still runs " +
                    std::to_string(static_cast<int>(timeoutMs / 1000)) +
                    " s after the guest was asked to power off";
    tearDownLocked();
    return withConsoleTail(failure(
        "machine `" + name() + "`: shutdown failed: " + why + "; killed it"));
  }
  tearDownLocked();
  return llvm::Error::success();
}

llvm::Error NodeMachine::crash() {
  std::lock_guard<std::mutex> lock(mutex_);
  tearDownLocked();
  state_ = MachineState::Off;
  return llvm::Error::success();
}

llvm::Error NodeMachine::waitForShutdown(double timeoutMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!process_) {
    // Already exited (Off, or Dead because nobody was waiting yet).
    state_ = MachineState::Off;
    return llvm::Error::success();
  }
  std::shared_ptr<host::Child> child = process_;
  lock.unlock();
  auto status = child->wait(timeoutMs);
  lock.lock();
  if (!status)
    return failure("machine `" + name() + "` still runs after " +
                   std::to_string(static_cast<int>(timeoutMs / 1000)) +
                   " s of waiting for it to shut down");
  tearDownLocked();
  state_ = MachineState::Off;
  return llvm::Error::success();
}

void NodeMachine::stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!process_) return;
  if (agent_) agent_->close();
  if (!process_->poll()) {
    auto process = process_;
    lock.unlock();
    quit(*process);
    process->wait(2'000);
    lock.lock();
  }
  tearDownLocked();
  if (state_ != MachineState::Dead) state_ = MachineState::Off;
}

llvm::Expected<pid_t> NodeMachine::detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  if (!process_ || state_ != MachineState::Running) return 0;
  pid_t pid = process_->pid();
  if (llvm::Error err = process_->release())
    return failure("machine `" + name() +
                   "`: " + llvm::toString(std::move(err)));
  // One client per socket: free them for `rig attach`.
  if (agent_) agent_->close();
  agent_.reset();
  onTearDown();
  process_.reset();
  // The VM lives on without rig: what it writes now is for `rig attach
  // --console`, not for this run's reporters.
  if (follower_) follower_->stop();
  follower_.reset();
  state_ = MachineState::Off;
  return pid;
}

llvm::Error NodeMachine::reboot(double timeoutMs) {
  if (auto err = shutdown(timeoutMs)) return err;
  return start(timeoutMs);
}

std::shared_ptr<protocol::AgentClient> NodeMachine::reconnectAgent(
    const std::shared_ptr<protocol::AgentClient>& seen,
    const std::shared_ptr<host::Child>& process) {
  std::lock_guard<std::mutex> one(reconnectMutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (agent_ != seen)
      return agent_;  // another call reconnected, or a teardown
  }
  if (!agentReconnects() || !process) return nullptr;
  // The supervisor restarts a dead agent at once (a crash loop once a
  // second); the process exiting meanwhile is the machine's death.
  double deadline = steadyNowMs() + 30'000;
  while (steadyNowMs() < deadline) {
    if (process->poll()) return nullptr;
    auto a = protocol::AgentClient::connect(agentSocketPath(), 1'000);
    if (!a) {
      llvm::consumeError(a.takeError());
      continue;
    }
    (*a)->setNodeName(name().str());
    std::shared_ptr<protocol::AgentClient> fresh = std::move(*a);
    std::lock_guard<std::mutex> lock(mutex_);
    if (agent_ != seen) return agent_;
    agent_ = fresh;
    return fresh;
  }
  return nullptr;
}

template <typename T, typename F>
llvm::Expected<T> NodeMachine::agentCall(llvm::StringRef what, F&& f) {
  std::shared_ptr<protocol::AgentClient> agent;
  std::shared_ptr<host::Child> process;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ != MachineState::Running) return notRunningLocked(what);
    agent = agent_;
    process = process_;
  }
  // The agent died between calls (a container's connection closes with
  // it): this call goes to the restarted one.
  if (agent->closed() && agentReconnects())
    if (auto fresh = reconnectAgent(agent, process)) agent = fresh;
  llvm::Expected<T> result = f(*agent);
  if (!result) {
    bool restarted = false;
    if (agent->closed() && process) {
      if (agentReconnects())
        restarted = reconnectAgent(agent, process) != nullptr;
      else
        // The agent's socket closes a moment before QEMU has exited: give it
        // that moment, so that the error says the machine died and shows why.
        process->wait(2'000);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    refreshLocked();
    if (state_ == MachineState::Dead) {
      llvm::consumeError(result.takeError());
      return notRunningLocked(what);
    }
    if (restarted) {
      // The connection closed under the call and a new agent answers: what
      // the heartbeat says on a VM.
      llvm::consumeError(result.takeError());
      return withConsoleTail(
          failure("the guest agent on " + name() + " stopped (" +
                  machine::kAgentRestartedText.str() + "; the call was lost)"));
    }
    // The agent died and the guest restarted it: its console says why.
    std::string text = llvm::toString(result.takeError());
    if (text.find("the guest agent on") != std::string::npos)
      return withConsoleTail(failure(text));
    return failure(text);
  }
  return result;
}

llvm::Expected<ExecResult> NodeMachine::execute(const ExecRequest& request) {
  return agentCall<ExecResult>(
      "execute", [&](protocol::AgentClient& a) { return a.execute(request); });
}

llvm::Expected<bool> NodeMachine::isPortOpen(llvm::StringRef address,
                                             int port) {
  return agentCall<bool>("port check", [&](protocol::AgentClient& a) {
    return a.isPortOpen(address, port);
  });
}

llvm::Expected<bool> NodeMachine::isUnixSocketOpen(llvm::StringRef path) {
  return agentCall<bool>("socket check", [&](protocol::AgentClient& a) {
    return a.isUnixSocketOpen(path);
  });
}

llvm::Expected<std::string> NodeMachine::readFile(llvm::StringRef path) {
  return agentCall<std::string>(
      "read file", [&](protocol::AgentClient& a) { return a.readFile(path); });
}

llvm::Error NodeMachine::writeFile(llvm::StringRef path, llvm::StringRef data,
                                   uint32_t mode) {
  auto r = agentCall<bool>(
      "write file", [&](protocol::AgentClient& a) -> llvm::Expected<bool> {
        if (auto err = a.writeFile(path, data, mode)) return err;
        return true;
      });
  return r.takeError();
}

llvm::Expected<HttpResponse> NodeMachine::http(const HttpRequest& request) {
  return agentCall<HttpResponse>(
      "http", [&](protocol::AgentClient& a) { return a.http(request); });
}

std::string NodeMachine::consoleText() { return readText(consoleLogPath()); }

std::string NodeMachine::consoleRead(uint64_t offset, size_t maxBytes) {
  std::string out;
  int fd = ::open(consoleLogPath().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  out.resize(maxBytes);
  size_t got = 0;
  while (got < maxBytes) {
    ssize_t n = ::pread(fd, out.data() + got, maxBytes - got,
                        static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

// From the log's last 256 KiB: a console of gigabytes is not read whole.
std::string NodeMachine::consoleTail(size_t lines) {
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
  // Named: a StringRef to lastLines()'s temporary would dangle in the loop
  // (the first bytes of the tail came out as the allocator's pointers).
  std::string last = lastLines(text, lines);
  for (llvm::StringRef rest = last; !rest.empty();) {
    auto [line, next] = rest.split('\n');
    constexpr size_t kLineBytes = 2000;
    shown += line.take_front(kLineBytes).str();
    if (line.size() > kLineBytes)
      shown += " [" + std::to_string(line.size() - kLineBytes) + " bytes more]";
    shown += '\n';
    rest = next;
  }
  if (!shown.empty()) shown.pop_back();
  // NUL bytes (SeaBIOS writes some) carry nothing a reader sees and cut the
  // text wherever it passes through a C string (a test's log, CMake).
  shown.erase(std::remove(shown.begin(), shown.end(), '\0'), shown.end());
  return shown;
}

llvm::Error NodeMachine::checkRunning(llvm::StringRef what) {
  std::lock_guard<std::mutex> lock(mutex_);
  refreshLocked();
  if (state_ != MachineState::Running) return notRunningLocked(what);
  return llvm::Error::success();
}

}  // namespace rig::vm
