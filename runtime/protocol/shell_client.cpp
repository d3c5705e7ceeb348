#include "runtime/protocol/shell_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "runtime/protocol/shell_wire.h"
#include "runtime/protocol/wire.h"
#include "runtime/support/error.h"

namespace rig::protocol {
namespace {

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

// SIGWINCH while attached: the handler writes a byte to this pipe, which
// the relay loop polls (whichever thread the signal lands on).
std::atomic<int> gResizeFd{-1};

void onResize(int) {
  int fd = gResizeFd.load();
  if (fd >= 0) {
    int saved = errno;
    char byte = 0;
    (void)!::write(fd, &byte, 1);
    errno = saved;
  }
}

// Forwards the terminal's size to the guest now and on every SIGWINCH
// (shell_wire.h), for as long as it lives.
class ResizeForwarder {
 public:
  ResizeForwarder(int terminalFd, int socketFd)
      : terminal_(terminalFd), socket_(socketFd) {
    if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) return;
    gResizeFd = pipe_[1];
    struct sigaction action {};
    action.sa_handler = onResize;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    installed_ = ::sigaction(SIGWINCH, &action, &previous_) == 0;
  }
  ~ResizeForwarder() {
    if (installed_) ::sigaction(SIGWINCH, &previous_, nullptr);
    gResizeFd = -1;
    if (pipe_[0] >= 0) ::close(pipe_[0]);
    if (pipe_[1] >= 0) ::close(pipe_[1]);
  }
  int fd() const { return pipe_[0]; }

  // Sends the current size; false when the socket is gone.
  bool send() {
    char drain[64];
    while (pipe_[0] >= 0 && ::read(pipe_[0], drain, sizeof drain) > 0) {}
    winsize ws{};
    if (::ioctl(terminal_, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0) return true;
    std::string message = encodeWindowSize({ws.ws_row, ws.ws_col});
    return sendAll(socket_, message.data(), message.size());
  }

 private:
  int terminal_, socket_;
  int pipe_[2] = {-1, -1};
  bool installed_ = false;
  struct sigaction previous_ {};
};

}  // namespace

llvm::Error attachShell(llvm::StringRef socketPath, int inFd, int outFd,
                        double connectTimeoutMs) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socketPath.size() >= sizeof addr.sun_path)
    return failure("shell socket path is too long: " + socketPath.str());
  std::memcpy(addr.sun_path, socketPath.data(), socketPath.size());
  auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(connectTimeoutMs));
  int fd = -1;
  for (;;) {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      return failure(std::string("socket(): ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
      break;
    std::string reason = std::strerror(errno);
    ::close(fd);
    if (std::chrono::steady_clock::now() >= deadline)
      return failure("cannot connect to the shell socket " + socketPath.str() +
                     ": " + reason);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  termios saved{};
  bool raw = ::isatty(inFd) && ::tcgetattr(inFd, &saved) == 0;
  if (raw) {
    termios t = saved;
    ::cfmakeraw(&t);
    ::tcsetattr(inFd, TCSANOW, &t);
  }
  // With a terminal, its size goes first, so the shell starts with it.
  std::unique_ptr<ResizeForwarder> resize;
  bool ok = true;
  if (raw) {
    resize = std::make_unique<ResizeForwarder>(inFd, fd);
    ok = resize->send();
  }
  // The guest starts a session on the first byte: a carriage return shows a prompt.
  ok = ok && sendAll(fd, "\r", 1);
  std::string error;
  char buf[16384];
  bool inputOpen = true;
  while (ok) {
    // After the input ends (a script piped in), output is relayed until the
    // guest has been quiet for 2 s.
    pollfd p[3] = {{inputOpen ? inFd : -1, POLLIN, 0},
                   {fd, POLLIN, 0},
                   {resize ? resize->fd() : -1, POLLIN, 0}};
    int ready = ::poll(p, 3, inputOpen ? -1 : 2000);
    if (ready < 0) {
      if (errno == EINTR) continue;
      error = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (ready == 0) break;
    if ((p[2].revents & POLLIN) && !resize->send()) {
      error = "the VM closed the shell socket";
      break;
    }
    if (p[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = ::read(inFd, buf, sizeof buf);
      if (n <= 0) {
        inputOpen = false;
        continue;
      }
      const char* detach =
          static_cast<const char*>(std::memchr(buf, kShellDetachByte, n));
      size_t len =
          detach ? static_cast<size_t>(detach - buf) : static_cast<size_t>(n);
      if (len > 0 && !sendAll(fd, buf, len)) {
        error = "the VM closed the shell socket";
        break;
      }
      if (detach) break;
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;  // QEMU exited
      if (!writeAll(outFd, std::string_view(buf, static_cast<size_t>(n))))
        break;
    }
  }
  if (raw) ::tcsetattr(inFd, TCSANOW, &saved);
  ::close(fd);
  if (!error.empty()) return failure(error);
  return llvm::Error::success();
}

}  // namespace rig::protocol
