#include "runtime/protocol/shell_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "runtime/protocol/wire.h"

namespace rig::protocol {
namespace {

llvm::Error fail(const std::string& text) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

bool sendAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

llvm::Error attachShell(llvm::StringRef socketPath, int inFd, int outFd,
                        double connectTimeoutMs) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socketPath.size() >= sizeof addr.sun_path)
    return fail("shell socket path is too long: " + socketPath.str());
  std::memcpy(addr.sun_path, socketPath.data(), socketPath.size());
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(connectTimeoutMs));
  int fd = -1;
  for (;;) {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::string("socket(): ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    std::string reason = std::strerror(errno);
    ::close(fd);
    if (std::chrono::steady_clock::now() >= deadline)
      return fail("cannot connect to the shell socket " + socketPath.str() + ": " + reason);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  termios saved{};
  bool raw = ::isatty(inFd) && ::tcgetattr(inFd, &saved) == 0;
  if (raw) {
    termios t = saved;
    ::cfmakeraw(&t);
    ::tcsetattr(inFd, TCSANOW, &t);
  }
  // The guest starts a session on the first byte: a carriage return shows a prompt.
  bool ok = sendAll(fd, "\r", 1);
  std::string error;
  char buf[16384];
  bool inputOpen = true;
  while (ok) {
    // After the input ends (a script piped in), output is relayed until the
    // guest has been quiet for 2 s.
    pollfd p[2] = {{inputOpen ? inFd : -1, POLLIN, 0}, {fd, POLLIN, 0}};
    int ready = ::poll(p, 2, inputOpen ? -1 : 2000);
    if (ready < 0) {
      if (errno == EINTR) continue;
      error = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (ready == 0) break;
    if (p[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = ::read(inFd, buf, sizeof buf);
      if (n <= 0) {
        inputOpen = false;
        continue;
      }
      const char* detach = static_cast<const char*>(std::memchr(buf, kShellDetachByte, n));
      size_t len = detach ? static_cast<size_t>(detach - buf) : static_cast<size_t>(n);
      if (len > 0 && !sendAll(fd, buf, len)) {
        error = "the VM closed the shell socket";
        break;
      }
      if (detach) break;
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;  // QEMU exited
      if (!writeAll(outFd, std::string_view(buf, static_cast<size_t>(n)))) break;
    }
  }
  if (raw) ::tcsetattr(inFd, TCSANOW, &saved);
  ::close(fd);
  if (!error.empty()) return fail(error);
  return llvm::Error::success();
}

}  // namespace rig::protocol
