#include "runtime/vm/qmp.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "runtime/support/clock.h"
#include "runtime/support/error.h"

namespace rig::vm {
llvm::Expected<std::unique_ptr<QmpClient>> QmpClient::connect(
    llvm::StringRef socketPath, double timeoutMs) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socketPath.size() >= sizeof addr.sun_path)
    return failure("QMP socket path too long (" +
                   std::to_string(socketPath.size()) +
                   " bytes): " + socketPath);
  memcpy(addr.sun_path, socketPath.data(), socketPath.size());
  double deadline = steadyNowMs() + timeoutMs;
  for (;;) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return failure(llvm::Twine("socket: ") + strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
      return fromFd(fd, deadline - steadyNowMs());
    int e = errno;
    close(fd);
    if ((e != ENOENT && e != ECONNREFUSED) || steadyNowMs() > deadline)
      return failure("cannot connect to QMP at " + socketPath + ": " +
                     strerror(e));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

llvm::Expected<std::unique_ptr<QmpClient>> QmpClient::fromFd(int fd,
                                                             double timeoutMs) {
  std::unique_ptr<QmpClient> c(new QmpClient(fd));
  if (auto err = c->handshake(timeoutMs)) return err;
  return c;
}

QmpClient::~QmpClient() { close(fd_); }

llvm::Error QmpClient::handshake(double timeoutMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  double deadline = steadyNowMs() + timeoutMs;
  auto greeting = readMessage(deadline);
  if (!greeting) return greeting.takeError();
  auto* obj = greeting->getAsObject();
  auto* qmp = obj ? obj->getObject("QMP") : nullptr;
  if (!qmp) return failure("QMP: unexpected greeting");
  if (auto* v = qmp->getObject("version"))
    if (auto* q = v->getObject("qemu")) {
      auto major = q->getInteger("major"), minor = q->getInteger("minor"),
           micro = q->getInteger("micro");
      if (major && minor && micro)
        version_ = std::to_string(*major) + "." + std::to_string(*minor) + "." +
                   std::to_string(*micro);
    }
  if (auto err = writeLine(R"({"execute":"qmp_capabilities","id":0})"))
    return err;
  for (;;) {
    auto msg = readMessage(deadline);
    if (!msg) return msg.takeError();
    auto* o = msg->getAsObject();
    if (!o) continue;
    if (o->get("event")) {
      events_.push_back(std::move(*msg));
      continue;
    }
    if (auto* e = o->getObject("error"))
      return failure("QMP qmp_capabilities: " +
                     e->getString("desc").getValueOr("error"));
    return llvm::Error::success();
  }
}

llvm::Error QmpClient::writeLine(const std::string& line) {
  std::string data = line + "\n";
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      return failure("QMP connection closed");
    }
    done += static_cast<size_t>(n);
  }
  return llvm::Error::success();
}

llvm::Expected<llvm::json::Value> QmpClient::readMessage(double deadline) {
  for (;;) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (llvm::StringRef(line).trim().empty()) continue;
      auto v = llvm::json::parse(line);
      if (!v)
        return failure("QMP: bad JSON from QEMU: " +
                       llvm::toString(v.takeError()));
      return v;
    }
    if (closed_) return failure("QMP connection closed");
    double left = deadline - steadyNowMs();
    if (left <= 0) return failure("QMP: no answer from QEMU in time");
    pollfd pfd{fd_, POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char buf[8192];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      return failure("QMP connection closed");
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

llvm::Expected<llvm::json::Value> QmpClient::execute(
    llvm::StringRef command, llvm::json::Object arguments, double timeoutMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t id = nextId_++;
  llvm::json::Object request{{"execute", command.str()}, {"id", id}};
  if (!arguments.empty()) request["arguments"] = std::move(arguments);
  std::string line;
  llvm::raw_string_ostream os(line);
  os << llvm::json::Value(std::move(request));
  os.flush();
  if (auto err = writeLine(line)) return err;
  double deadline = steadyNowMs() + timeoutMs;
  for (;;) {
    auto msg = readMessage(deadline);
    if (!msg)
      return failure("QMP " + command + ": " + llvm::toString(msg.takeError()));
    auto* o = msg->getAsObject();
    if (!o) continue;
    if (o->get("event")) {
      events_.push_back(std::move(*msg));
      continue;
    }
    auto gotId = o->getInteger("id");
    if (!gotId || *gotId != id) continue;  // a late answer to an abandoned call
    if (auto* e = o->getObject("error"))
      return failure("QMP " + command + ": " +
                     e->getString("desc").getValueOr("error"));
    if (auto* r = o->get("return")) return *r;
    return llvm::json::Value(nullptr);
  }
}

llvm::Expected<std::string> QmpClient::humanMonitorCommand(
    llvm::StringRef commandLine, double timeoutMs) {
  auto r = execute("human-monitor-command",
                   llvm::json::Object{{"command-line", commandLine.str()}},
                   timeoutMs);
  if (!r) return r.takeError();
  if (auto s = r->getAsString()) return s->str();
  return std::string();
}

std::vector<llvm::json::Value> QmpClient::takeEvents() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<llvm::json::Value> out = std::move(events_);
  events_.clear();
  return out;
}

}  // namespace rig::vm
