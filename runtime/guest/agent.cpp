#include "runtime/guest/agent.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "runtime/guest/exec.h"
#include "runtime/guest/http.h"
#include "runtime/guest/net.h"
#include "runtime/guest/shell.h"
#include "runtime/guest/sys.h"

namespace rig::guest {
namespace {

using protocol::Message;
using protocol::MessageType;

constexpr const char* kAgentName = "rig-guest 0.1.0";
// Tells this agent process from the one its supervisor starts after it died:
// the host fails the calls the dead one never answers.
const std::string& agentInstance() {
  static const std::string instance = [] {
    char text[64];
    std::snprintf(text, sizeof text, "%d@%.3f", static_cast<int>(::getpid()),
                  uptimeSeconds());
    return std::string(text);
  }();
  return instance;
}

bool systemdIsPid1() {
  std::string comm, error;
  if (!readWholeFile("/proc/1/comm", comm, error)) return false;
  return comm.rfind("systemd", 0) == 0;
}

Message hello(const Message& request) {
  Message r = protocol::makeResponse(request);
  r.addInt("version", protocol::kProtocolVersion);
  r.add("agent", kAgentName);
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  r.add("hostname", name);
  r.addInt("systemd", systemdIsPid1() ? 1 : 0);
  std::string bootId, ignored;
  readWholeFile("/proc/sys/kernel/random/boot_id", bootId, ignored);
  while (!bootId.empty() && bootId.back() == '\n') bootId.pop_back();
  r.add("boot_id", bootId);
  char uptime[32];
  std::snprintf(uptime, sizeof uptime, "%.3f", uptimeSeconds());
  r.add("uptime", uptime);
  r.add("instance", agentInstance());
  return r;
}

// The limit a request asks for (`max_bytes`, `max_output`), within what a
// frame can carry.
size_t byteLimit(const Message& request, std::string_view key) {
  int64_t asked = request.getInt(key, 0);
  if (asked <= 0) return protocol::kDefaultMaxOutputBytes;
  return static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(asked),
                                                protocol::kMaxOutputLimit));
}

Message exec(const Message& request) {
  CommandRequest cmd;
  cmd.command = request.getOr("command");
  cmd.env = request.getAll("env");
  cmd.timeoutMs = static_cast<long>(request.getInt("timeout_ms", 0));
  cmd.maxOutput = byteLimit(request, "max_output");
  cmd.bash = request.getOr("shell") == "bash";
  CommandResult result;
  std::string error;
  if (!runCommand(cmd, result, error))
    return protocol::makeError(request, error);
  Message r = protocol::makeResponse(request);
  r.addInt("status", result.status);
  r.addInt("timed_out", result.timedOut ? 1 : 0);
  if (!result.overflow.empty()) {
    r.add("overflow", result.overflow);
    r.addInt("max_output", static_cast<int64_t>(cmd.maxOutput));
    r.addInt("stdout_bytes", static_cast<int64_t>(result.outBytes));
    r.addInt("stderr_bytes", static_cast<int64_t>(result.errBytes));
  }
  r.addMoved("stdout", std::move(result.out));
  r.addMoved("stderr", std::move(result.err));
  return r;
}

Message tcpCheck(const Message& request) {
  std::vector<Address> addresses;
  std::string error;
  int port = static_cast<int>(request.getInt("port", 0));
  if (port <= 0 || port > 65535)
    return protocol::makeError(request, "bad port " + request.getOr("port"));
  if (!resolveHost(request.getOr("address", "localhost"), port, addresses,
                   error))
    return protocol::makeError(request, error);
  int timeoutMs = static_cast<int>(request.getInt("timeout_ms", 2000));
  bool open = false;
  for (const Address& a : addresses) {
    int fd = connectWithTimeout(a, timeoutMs, error);
    if (fd >= 0) {
      ::close(fd);
      open = true;
      break;
    }
  }
  Message r = protocol::makeResponse(request);
  r.addInt("open", open ? 1 : 0);
  return r;
}

Message unixCheck(const Message& request) {
  std::string path = request.getOr("path");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return protocol::makeError(request, "bad socket path `" + path + "`");
  std::memcpy(addr.sun_path, path.data(), path.size());
  bool open = false;
  for (int type : {SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM}) {
    int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::close(fd);
    if (rc == 0) {
      open = true;
      break;
    }
    if (err != EPROTOTYPE) break;  // wrong type: try the next one
  }
  Message r = protocol::makeResponse(request);
  r.addInt("open", open ? 1 : 0);
  return r;
}

Message readFile(const Message& request) {
  std::string data, error, path = request.getOr("path");
  size_t limit = byteLimit(request, "max_bytes");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<size_t>(st.st_size) > limit)
    return protocol::makeError(
        request, path + " is " + std::to_string(st.st_size) +
                     " bytes, more than the limit of " + std::to_string(limit) +
                     " bytes (max_output in rig.toml)");
  if (!readWholeFile(path, data, error, limit))
    return protocol::makeError(request, error);
  Message r = protocol::makeResponse(request);
  r.addMoved("data", std::move(data));
  return r;
}

Message writeFile(const Message& request) {
  std::string path = request.getOr("path"), error;
  if (path.empty() || path.front() != '/')
    return protocol::makeError(request, "path `" + path + "` is not absolute");
  mode_t mode = static_cast<mode_t>(request.getInt("mode", 0644) & 07777);
  if (!makeDirs(parentDir(path), 0755, error) ||
      !writeWholeFile(path, request.getOr("data"), mode, error))
    return protocol::makeError(request, error);
  return protocol::makeResponse(request);
}

Message http(const Message& request) {
  HttpCall call;
  call.method = request.getOr("method", "GET");
  call.url = request.getOr("url");
  call.body = request.getOr("body");
  call.timeoutMs = static_cast<int>(request.getInt("timeout_ms", 30'000));
  call.maxBytes = byteLimit(request, "max_bytes");
  for (const std::string& h : request.getAll("header")) {
    size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    size_t v = colon + 1;
    while (v < h.size() && h[v] == ' ') ++v;
    call.headers.emplace_back(h.substr(0, colon), h.substr(v));
  }
  HttpParsedResponse response;
  std::string error;
  if (!performHttp(call, response, error))
    return protocol::makeError(request,
                               call.method + " " + call.url + ": " + error);
  Message r = protocol::makeResponse(request);
  r.addInt("status", response.status);
  for (const auto& [k, v] : response.headers) r.add("header", k + ": " + v);
  r.addMoved("body", std::move(response.body));
  return r;
}

void powerDown(bool reboot) {
  std::this_thread::sleep_for(
      std::chrono::milliseconds(100));  // let the answer leave
  if (systemdIsPid1()) {
    CommandRequest cmd;
    // Not `systemctl poweroff`: that asks logind over D-Bus first, and
    // starting both costs seconds under TCG. This is the same job, queued
    // through systemd's private socket.
    cmd.command =
        std::string(
            "systemctl start --no-block --job-mode=replace-irreversibly ") +
        (reboot ? "reboot.target" : "poweroff.target");
    cmd.timeoutMs = 30'000;
    CommandResult result;
    std::string error;
    if (runCommand(cmd, result, error) && result.status == 0) return;
    say("`" + cmd.command + "` failed (" + error + result.err +
        "), forcing it");
  }
  ::sync();
  ::reboot(reboot ? RB_AUTOBOOT : RB_POWER_OFF);
}

Message shutdown(const Message& request) {
  std::string action = request.getOr("action", "poweroff");
  if (action != "poweroff" && action != "reboot")
    return protocol::makeError(request,
                               "unknown shutdown action `" + action + "`");
  std::thread([reboot = action == "reboot"] { powerDown(reboot); }).detach();
  return protocol::makeResponse(request);
}

// The encoded answer to `request`: a request that fails by exception (an
// allocation the guest's memory cannot hold) becomes an error reply instead
// of ending the agent.
std::string answerFrame(const Message& request) {
  try {
    return protocol::encodeFrame(handleRequest(request));
  } catch (const std::bad_alloc&) {
    return protocol::encodeFrame(protocol::makeError(
        request, "the guest agent ran out of memory answering this request"));
  } catch (const std::exception& e) {
    return protocol::encodeFrame(protocol::makeError(
        request, std::string("the guest agent failed: ") + e.what()));
  }
}

}  // namespace

Message handleRequest(const Message& request) {
  switch (request.type) {
    case MessageType::Hello: return hello(request);
    case MessageType::Exec: return exec(request);
    case MessageType::TcpCheck: return tcpCheck(request);
    case MessageType::UnixCheck: return unixCheck(request);
    case MessageType::ReadFile: return readFile(request);
    case MessageType::WriteFile: return writeFile(request);
    case MessageType::Http: return http(request);
    case MessageType::Shutdown: return shutdown(request);
    case MessageType::Response: break;
  }
  return protocol::makeError(request, "unexpected message type");
}

std::string findVirtioPort(const std::string& portName, long timeoutMs) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (DIR* dir = ::opendir("/sys/class/virtio-ports")) {
      std::string found;
      while (struct dirent* e = ::readdir(dir)) {
        std::string port = e->d_name, name, error;
        if (port[0] == '.') continue;
        if (!readWholeFile("/sys/class/virtio-ports/" + port + "/name", name,
                           error))
          continue;
        while (!name.empty() && name.back() == '\n') name.pop_back();
        if (name == portName && ::access(("/dev/" + port).c_str(), F_OK) == 0) {
          found = "/dev/" + port;
          break;
        }
      }
      ::closedir(dir);
      if (!found.empty()) return found;
    }
    if (timeoutMs >= 0 && std::chrono::steady_clock::now() - start >=
                              std::chrono::milliseconds(timeoutMs))
      return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

namespace {

// One stream to the host: a virtio-serial port (outlives host connections)
// or an accepted unix-socket connection (ends with it). Answers are written
// by the request threads, so the descriptor lives as long as any of them.
struct Stream {
  int fd = -1;
  std::mutex writeMu;
  ~Stream() {
    if (fd >= 0) ::close(fd);
  }
};

// Serves requests on `stream` until a fatal error (false, `error` set) or,
// when `endOnHangup`, until the host closes the connection (true).
bool serveStream(const std::shared_ptr<Stream>& stream, const std::string& name,
                 bool endOnHangup, std::string& error) {
  int fd = stream->fd;
  protocol::FrameReader frames;
  char buf[65536];
  // The stream can be out of step after a guest reboot (QEMU keeps bytes the
  // previous boot left unread). Resynchronize by dropping everything until
  // the host has been quiet for a moment: it sends whole frames at once, and
  // resends its hello every 200 ms until answered.
  auto resync = [&](const std::string& why) {
    say("dropping " + std::to_string(frames.buffered()) +
        " bytes from the host: " + why);
    frames.clear();
    for (;;) {
      pollfd q = {fd, POLLIN, 0};
      if (::poll(&q, 1, 100) <= 0 || !(q.revents & POLLIN)) return;
      if (::read(fd, buf, sizeof buf) <= 0) return;
    }
  };
  auto lastProgress = std::chrono::steady_clock::now();
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    int n = ::poll(&p, 1, 1000);
    if (n < 0 && errno != EINTR) {
      error = "poll " + name + ": " + errnoText(errno);
      return false;
    }
    if (n <= 0) {
      if (frames.buffered() > 0 &&
          std::chrono::steady_clock::now() - lastProgress >
              std::chrono::seconds(5))
        resync("a partial frame stalled for 5 s");
      continue;
    }
    if (!(p.revents & POLLIN)) {
      if (endOnHangup) return true;
      // POLLHUP: no host connected. Forget any half frame and wait.
      frames.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) {
      if (endOnHangup) return true;
      frames.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    lastProgress = std::chrono::steady_clock::now();
    frames.append(buf, static_cast<size_t>(got));
    for (;;) {
      Message request;
      std::string decodeError;
      protocol::DecodeStatus status = frames.next(request, decodeError);
      if (status == protocol::DecodeStatus::NeedMore) break;
      if (status == protocol::DecodeStatus::Invalid) {
        resync("malformed frame: " + decodeError);
        break;
      }
      auto answer = [stream](const Message& request) {
        std::string frame = answerFrame(request);
        std::lock_guard<std::mutex> lock(stream->writeMu);
        if (!protocol::writeAll(stream->fd, frame))
          say("cannot answer request " + std::to_string(request.id) + ": " +
              errnoText(errno));
      };
      try {
        auto shared = std::make_shared<const Message>(std::move(request));
        std::thread([answer, shared] { answer(*shared); }).detach();
      } catch (const std::exception& e) {
        // No thread to spare (memory, a thread limit): answer here.
        say(std::string("cannot start a thread for a request: ") + e.what());
        Message refused = protocol::makeError(
            Message(MessageType::Response, request.id),
            std::string("the guest agent cannot start a thread: ") + e.what());
        std::string frame = protocol::encodeFrame(refused);
        std::lock_guard<std::mutex> lock(stream->writeMu);
        protocol::writeAll(stream->fd, frame);
      }
    }
  }
}

void sayReady(const std::string& where) {
  char uptime[32];
  std::snprintf(uptime, sizeof uptime, "%.2f", uptimeSeconds());
  say(std::string("agent listening on ") + where + " at " + uptime +
      " s uptime");
  say("agent ready");
}

}  // namespace

bool runAgent(const std::string& devicePath, std::string& error) {
  ::signal(SIGPIPE, SIG_IGN);
  std::string device = devicePath;
  if (device.empty()) {
    device = findVirtioPort(kAgentPortName, 10'000);
    if (device.empty()) {
      say(std::string("still waiting for the virtio-serial port ") +
          kAgentPortName +
          " (is `-device virtserialport,name=org.rig.agent` on the QEMU "
          "command line?)");
      device = findVirtioPort(kAgentPortName, -1);
    }
  }
  auto stream = std::make_shared<Stream>();
  stream->fd = ::open(device.c_str(), O_RDWR | O_CLOEXEC);
  if (stream->fd < 0) {
    error = "cannot open " + device + ": " + errnoText(errno);
    return false;
  }
  static std::once_flag shellStarted;
  if (devicePath.empty())
    std::call_once(shellStarted, [] {
      std::thread([] {
        std::string shellDevice = findVirtioPort(kShellPortName, 5'000),
                    shellError;
        if (shellDevice.empty())
          return;  // the host did not ask for a shell port
        if (!runShellPort(shellDevice, shellError))
          say("shell port: " + shellError);
      }).detach();
    });
  sayReady(device);
  return serveStream(stream, device, false, error);
}

int listenUnix(const std::string& path, std::string& error) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    error = "socket path too long: " + path;
    return -1;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = "socket: " + errnoText(errno);
    return -1;
  }
  ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0) {
    error = "cannot listen on " + path + ": " + errnoText(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

bool runAgentOnSocket(const std::string& socketPath, std::string& error) {
  ::signal(SIGPIPE, SIG_IGN);
  int listener = listenUnix(socketPath, error);
  if (listener < 0) return false;
  sayReady(socketPath);
  for (;;) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      error = "accept on " + socketPath + ": " + errnoText(errno);
      return false;
    }
    // One host at a time, as on a virtio-serial port.
    auto stream = std::make_shared<Stream>();
    stream->fd = fd;
    if (!serveStream(stream, socketPath, true, error)) return false;
  }
}

void superviseAgent(const std::function<bool(std::string&)>& serve) {
  for (;;) {
    auto started = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid < 0) {
      say("cannot start the agent: fork: " + errnoText(errno));
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (pid == 0) {
      for (;;) {
        std::string error;
        serve(error);
        say("agent failed: " + error + "; restarting");
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    std::string how = WIFSIGNALED(status)
                          ? "signal " + std::to_string(WTERMSIG(status))
                          : "status " + std::to_string(WEXITSTATUS(status));
    say("agent stopped (" + how + "); restarting it");
    // A crash loop restarts once a second, a single death at once.
    if (std::chrono::steady_clock::now() - started < std::chrono::seconds(1))
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace rig::guest
