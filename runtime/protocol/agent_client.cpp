#include "runtime/protocol/agent_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/support/error.h"

namespace rig::protocol {
namespace {

using Clock = std::chrono::steady_clock;

std::string formatMs(double ms) {
  if (ms >= 1000) return std::to_string(static_cast<int64_t>(ms / 1000)) + " s";
  return std::to_string(static_cast<int64_t>(ms)) + " ms";
}

}  // namespace

struct AgentClient::State {
  struct Pending {
    bool done = false;
    Message response;
    uint64_t seq = 0;     // order of sending
    bool probe = false;   // a hello of the handshake or the heartbeat
    std::string failure;  // set when the agent that got the call stopped
  };

  int fd = -1;
  std::string socketPath;
  std::mutex mu;  // guards everything below but fd and writeMu
  std::condition_variable cv;
  bool closed = false;
  std::string closeReason;
  uint32_t nextId = 1;
  std::map<uint32_t, std::shared_ptr<Pending>> pending;
  uint64_t nextSeq = 1;
  std::string instance;  // the agent process that answered the last hello
  std::string nodeName;  // for messages
  Clock::time_point lastRead = Clock::now();  // the guest's last bytes
  std::mutex writeMu;  // one frame at a time on the socket
  std::thread reader;
  std::thread heartbeat;

  std::string agentName() const {
    return nodeName.empty() ? "the guest agent"
                            : "the guest agent on " + nodeName;
  }

  // Fails the calls sent before `seq` (under mu).
  void failCallsBefore(uint64_t seq, const std::string& why) {
    for (auto& [id, p] : pending)
      if (!p->probe && !p->done && p->seq < seq) {
        p->failure = why;
        p->done = true;
      }
    cv.notify_all();
  }

  void heartbeatLoop();

  void markClosed(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu);
    if (!closed) {
      closed = true;
      closeReason = reason;
    }
    cv.notify_all();
  }

  // Registers `request` under a fresh id and writes it.
  llvm::Expected<std::pair<uint32_t, std::shared_ptr<Pending>>> send(
      Message& request, bool probe = false);
  void forget(uint32_t id);

  void readLoop() {
    FrameReader frames;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        markClosed(n == 0 ? "the VM closed the agent socket (QEMU exited?)"
                          : std::string("reading the agent socket: ") +
                                std::strerror(errno));
        return;
      }
      frames.append(buf, static_cast<size_t>(n));
      {
        std::lock_guard<std::mutex> lock(mu);
        lastRead = Clock::now();
      }
      for (;;) {
        Message m;
        std::string error;
        DecodeStatus status = frames.next(m, error);
        if (status == DecodeStatus::NeedMore) break;
        if (status == DecodeStatus::Invalid) {
          markClosed("the guest agent sent a malformed frame: " + error);
          ::shutdown(fd, SHUT_RDWR);
          return;
        }
        if (m.type != MessageType::Response)
          continue;  // the guest only answers
        std::lock_guard<std::mutex> lock(mu);
        auto it = pending.find(m.id);
        if (it == pending.end()) continue;  // the caller gave up already
        it->second->response = std::move(m);
        it->second->done = true;
        cv.notify_all();
      }
    }
  }
};

AgentClient::AgentClient(std::shared_ptr<State> state)
    : state_(std::move(state)) {}

// While calls wait, a hello every 500 ms: an answer from another agent
// process (the guest restarted a dead one) fails the calls the dead one had,
// and neither an answer nor any byte from the guest for kHeartbeatSilenceMs
// (a large answer in transit counts as a sign of life) fails them all,
// instead of each waiting for its own timeout (a command without one would
// wait forever).
void AgentClient::State::heartbeatLoop() {
  constexpr auto kInterval = std::chrono::milliseconds(500);
  constexpr auto kSilence =
      std::chrono::milliseconds(static_cast<int64_t>(kHeartbeatSilenceMs));
  struct Sent {
    uint32_t id;
    std::shared_ptr<Pending> pending;
    Clock::time_point at;
  };
  std::vector<Sent> sent;  // unanswered hellos, oldest first
  auto forgetSent = [&](size_t count) {
    for (size_t i = 0; i < count; ++i) pending.erase(sent[i].id);
    sent.erase(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(count));
  };
  std::unique_lock<std::mutex> lock(mu);
  auto next = Clock::now() + kInterval;
  while (!closed) {
    cv.wait_until(lock, next, [&] { return closed; });
    if (closed) break;
    if (Clock::now() < next) continue;
    next = Clock::now() + kInterval;
    // The newest answered hello speaks for the agent now; older ones went
    // to it too, or to an agent that is gone.
    for (size_t i = sent.size(); i-- > 0;) {
      if (!sent[i].pending->done) continue;
      std::string answered = sent[i].pending->response.getOr("instance");
      if (!answered.empty() && !instance.empty() && answered != instance)
        failCallsBefore(sent[i].pending->seq,
                        agentName() + " stopped (" +
                            machine::kAgentRestartedText.str() +
                            "; the call was lost)");
      if (!answered.empty()) instance = answered;
      forgetSent(i + 1);
      break;
    }
    bool busy = false;
    for (auto& [id, p] : pending) busy = busy || (!p->probe && !p->done);
    if (!busy) {
      forgetSent(sent.size());
      continue;
    }
    auto now = Clock::now();
    if (!sent.empty() && now - sent.front().at > kSilence &&
        now - lastRead > kSilence) {
      failCallsBefore(UINT64_MAX,
                      agentName() +
                          " stopped answering (no answer to a heartbeat for " +
                          formatMs(kHeartbeatSilenceMs) + ")");
      forgetSent(sent.size());
    }
    lock.unlock();
    Message hello(MessageType::Hello, 0);
    hello.addInt("version", kProtocolVersion);
    auto one = send(hello, /*probe=*/true);
    lock.lock();
    if (one)
      sent.push_back({one->first, one->second, Clock::now()});
    else
      llvm::consumeError(one.takeError());
  }
  forgetSent(sent.size());
}

AgentClient::~AgentClient() {
  close();
  if (state_->reader.joinable()) state_->reader.join();
  if (state_->heartbeat.joinable()) state_->heartbeat.join();
  ::close(state_->fd);
}

void AgentClient::setNodeName(std::string name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->nodeName = std::move(name);
}

void AgentClient::close() {
  state_->markClosed("the agent connection was closed by the host");
  ::shutdown(state_->fd, SHUT_RDWR);
}

bool AgentClient::closed() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->closed;
}

llvm::Expected<std::unique_ptr<AgentClient>> AgentClient::connect(
    llvm::StringRef socketPath, double timeoutMs) {
  auto deadline = Clock::now() + std::chrono::microseconds(
                                     static_cast<int64_t>(timeoutMs * 1000));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socketPath.size() >= sizeof addr.sun_path)
    return failure("agent socket path is too long (" +
                   std::to_string(socketPath.size()) +
                   " bytes): " + socketPath.str());
  std::memcpy(addr.sun_path, socketPath.data(), socketPath.size());
  int fd = -1;
  std::string lastError;
  for (;;) {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      return failure(std::string("socket(): ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
      break;
    lastError = std::strerror(errno);
    ::close(fd);
    fd = -1;
    if (Clock::now() >= deadline)
      return failure("cannot connect to the agent socket " + socketPath.str() +
                     " within " + formatMs(timeoutMs) + ": " + lastError);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto state = std::make_shared<State>();
  state->fd = fd;
  state->socketPath = socketPath.str();
  state->reader = std::thread([s = state.get()] { s->readLoop(); });
  std::unique_ptr<AgentClient> client(new AgentClient(state));
  double left =
      std::chrono::duration<double, std::milli>(deadline - Clock::now())
          .count();
  auto info = client->handshake(left > 0 ? left : 1);
  if (!info) return info.takeError();
  state->heartbeat = std::thread([s = state.get()] { s->heartbeatLoop(); });
  return client;
}

// Every hello of this handshake stays pending until the end: under load the
// guest may take longer than the resend interval to answer, and any answer
// will do.
llvm::Expected<AgentInfo> AgentClient::handshake(double timeoutMs) {
  State& s = *state_;
  auto deadline = Clock::now() + std::chrono::microseconds(
                                     static_cast<int64_t>(timeoutMs * 1000));
  std::vector<std::pair<uint32_t, std::shared_ptr<State::Pending>>> sent;
  auto forgetAll = [&] {
    for (auto& [id, p] : sent) s.forget(id);
  };
  std::optional<Message> reply;
  while (!reply) {
    Message hello(MessageType::Hello, 0);
    hello.addInt("version", kProtocolVersion);
    auto one = s.send(hello, /*probe=*/true);
    if (!one) {
      forgetAll();
      return failure("no handshake with the guest agent: " +
                     llvm::toString(one.takeError()));
    }
    sent.push_back(*one);
    auto until =
        std::min(deadline, Clock::now() + std::chrono::milliseconds(200));
    std::unique_lock<std::mutex> lock(s.mu);
    s.cv.wait_until(lock, until, [&] {
      if (s.closed) return true;
      for (auto& [id, p] : sent)
        if (p->done) return true;
      return false;
    });
    for (auto& [id, p] : sent)
      if (p->done) {
        reply = std::move(p->response);
        break;
      }
    bool closedNow = s.closed;
    std::string reason = s.closeReason;
    lock.unlock();
    if (reply) break;
    if (closedNow) {
      forgetAll();
      return failure(
          "no handshake with the guest agent: agent connection closed: " +
          reason);
    }
    if (Clock::now() >= deadline) {
      forgetAll();
      return failure("the guest agent did not answer within " +
                     formatMs(timeoutMs) + " (" + std::to_string(sent.size()) +
                     " hellos sent to " + s.socketPath + ")");
    }
  }
  forgetAll();
  if (const std::string* error = reply->get("error"))
    return failure("the guest agent refused the handshake: " + *error);
  int64_t version = reply->getInt("version", -1);
  if (version != kProtocolVersion)
    return failure("the guest agent (" + reply->getOr("agent", "unknown") +
                   ") speaks protocol version " + std::to_string(version) +
                   " but this host speaks version " +
                   std::to_string(kProtocolVersion) +
                   ": boot the guest with the rig-guest built with this rig");
  info_.version = version;
  info_.agent = reply->getOr("agent");
  info_.hostname = reply->getOr("hostname");
  info_.systemdRunning = reply->getInt("systemd", 0) != 0;
  info_.bootId = reply->getOr("boot_id");
  info_.uptimeSeconds = std::atof(reply->getOr("uptime", "0").c_str());
  std::lock_guard<std::mutex> lock(s.mu);
  s.instance = reply->getOr("instance");
  return info_;
}

llvm::Expected<
    std::pair<uint32_t, std::shared_ptr<AgentClient::State::Pending>>>
AgentClient::State::send(Message& request, bool probe) {
  auto entry = std::make_shared<Pending>();
  entry->probe = probe;
  {
    std::lock_guard<std::mutex> lock(mu);
    entry->seq = nextSeq++;
    if (closed)
      return failure(std::string(messageTypeName(request.type)) +
                     ": agent connection closed: " + closeReason);
    request.id = nextId++;
    if (nextId == 0) nextId = 1;
    pending[request.id] = entry;
  }
  std::string frame = encodeFrame(request);
  std::lock_guard<std::mutex> lock(writeMu);
  std::string_view data(frame);
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string reason =
          std::string("writing the agent socket: ") + std::strerror(errno);
      markClosed(reason);
      forget(request.id);
      return failure(std::string(messageTypeName(request.type)) +
                     ": agent connection closed: " + reason);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return std::make_pair(request.id, entry);
}

void AgentClient::State::forget(uint32_t id) {
  std::lock_guard<std::mutex> lock(mu);
  pending.erase(id);
}

llvm::Expected<Message> AgentClient::call(Message request,
                                          double callTimeoutMs) {
  State& s = *state_;
  auto sent = s.send(request);
  if (!sent) return sent.takeError();
  auto [id, pending] = *sent;
  std::unique_lock<std::mutex> lock(s.mu);
  auto ready = [&, p = pending] { return p->done || s.closed; };
  if (callTimeoutMs > 0) {
    auto limit =
        std::chrono::microseconds(static_cast<int64_t>(callTimeoutMs * 1000));
    s.cv.wait_for(lock, limit, ready);
  } else {
    s.cv.wait(lock, ready);
  }
  s.pending.erase(id);
  if (!pending->failure.empty())
    return failure(std::string(messageTypeName(request.type)) + ": " +
                   pending->failure);
  if (!pending->done) {
    if (s.closed)
      return failure(std::string(messageTypeName(request.type)) +
                     ": agent connection closed: " + s.closeReason);
    return failure(std::string(messageTypeName(request.type)) +
                   ": the guest agent did not answer within " +
                   formatMs(callTimeoutMs));
  }
  Message response = std::move(pending->response);
  lock.unlock();
  if (const std::string* error = response.get("error"))
    return failure(std::string(messageTypeName(request.type)) + ": " + *error);
  return response;
}

llvm::Error AgentClient::ping(double timeoutMs) {
  Message hello(MessageType::Hello, 0);
  hello.addInt("version", kProtocolVersion);
  auto reply = call(std::move(hello), timeoutMs);
  if (!reply) return reply.takeError();
  return llvm::Error::success();
}

llvm::Expected<machine::ExecResult> AgentClient::execute(
    const machine::ExecRequest& request, double callTimeoutMs) {
  Message m(MessageType::Exec, 0);
  m.add("command", request.command);
  for (const auto& [name, value] : request.env)
    m.add("env", name + "=" + value);
  if (request.shell == machine::Shell::Bash) m.add("shell", "bash");
  m.addInt("timeout_ms", static_cast<int64_t>(request.timeoutMs));
  m.addInt("max_output", static_cast<int64_t>(request.maxOutputBytes));
  if (callTimeoutMs < 0)
    callTimeoutMs = request.timeoutMs > 0 ? request.timeoutMs + 10'000 : 0;
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  machine::ExecResult result;
  result.status = static_cast<int>(reply->getInt("status", -1));
  result.timedOut = reply->getInt("timed_out", 0) != 0;
  result.stdoutText = reply->take("stdout");
  result.stderrText = reply->take("stderr");
  result.overflow = reply->getOr("overflow");
  if (!result.overflow.empty()) {
    result.outputLimit = static_cast<uint64_t>(reply->getInt("max_output", 0));
    result.overflowBytes = static_cast<uint64_t>(reply->getInt(
        result.overflow == "stdout" ? "stdout_bytes" : "stderr_bytes", 0));
  }
  return result;
}

llvm::Expected<bool> AgentClient::isPortOpen(llvm::StringRef address, int port,
                                             double callTimeoutMs) {
  Message m(MessageType::TcpCheck, 0);
  m.add("address", address.str());
  m.addInt("port", port);
  m.addInt("timeout_ms", 2000);
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  return reply->getInt("open", 0) != 0;
}

llvm::Expected<bool> AgentClient::isUnixSocketOpen(llvm::StringRef path,
                                                   double callTimeoutMs) {
  Message m(MessageType::UnixCheck, 0);
  m.add("path", path.str());
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  return reply->getInt("open", 0) != 0;
}

llvm::Expected<std::string> AgentClient::readFile(llvm::StringRef path,
                                                  double callTimeoutMs,
                                                  uint64_t maxBytes) {
  Message m(MessageType::ReadFile, 0);
  m.add("path", path.str());
  m.addInt("max_bytes", static_cast<int64_t>(maxBytes));
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  return reply->take("data");
}

llvm::Error AgentClient::writeFile(llvm::StringRef path, llvm::StringRef data,
                                   uint32_t mode, double callTimeoutMs) {
  Message m(MessageType::WriteFile, 0);
  m.add("path", path.str());
  m.add("data", std::string_view(data.data(), data.size()));
  m.addInt("mode", mode);
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  return llvm::Error::success();
}

llvm::Expected<machine::HttpResponse> AgentClient::http(
    const machine::HttpRequest& request, double callTimeoutMs) {
  Message m(MessageType::Http, 0);
  m.add("method", request.method);
  m.add("url", request.url);
  for (const auto& [name, value] : request.headers)
    m.add("header", name + ": " + value);
  m.add("body", request.body);
  m.addInt("timeout_ms", static_cast<int64_t>(request.timeoutMs));
  m.addInt("max_bytes", static_cast<int64_t>(request.maxBodyBytes));
  if (callTimeoutMs < 0)
    callTimeoutMs = request.timeoutMs > 0 ? request.timeoutMs + 5'000 : 0;
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  machine::HttpResponse response;
  response.status = static_cast<int>(reply->getInt("status", 0));
  for (const std::string& h : reply->getAll("header")) {
    size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    size_t value = colon + 1;
    while (value < h.size() && h[value] == ' ') ++value;
    response.headers.emplace_back(h.substr(0, colon), h.substr(value));
  }
  response.body = reply->take("body");
  return response;
}

llvm::Error AgentClient::shutdown(PowerAction action, double callTimeoutMs) {
  Message m(MessageType::Shutdown, 0);
  m.add("action", action == PowerAction::Reboot ? "reboot" : "poweroff");
  auto reply = call(std::move(m), callTimeoutMs);
  if (!reply) return reply.takeError();
  return llvm::Error::success();
}

}  // namespace rig::protocol
