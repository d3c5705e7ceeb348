#include "runtime/guest/shell.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "runtime/guest/agent.h"
#include "runtime/guest/exec.h"
#include "runtime/guest/sys.h"
#include "runtime/protocol/shell_wire.h"
#include "runtime/protocol/wire.h"

namespace rig::guest {
namespace {

// Opens a pty pair; systemd mounts devpts a moment after the agent starts,
// so this retries for a while.
bool openPty(int& master, std::string& slavePath, std::string& error) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master >= 0 && ::grantpt(master) == 0 && ::unlockpt(master) == 0) {
      char name[128];
      if (::ptsname_r(master, name, sizeof name) == 0 &&
          ::access(name, F_OK) == 0) {
        slavePath = name;
        return true;
      }
    }
    error = "cannot open a pty: " + errnoText(errno);
    if (master >= 0) ::close(master);
    master = -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// One session: a login shell on a fresh pty, relayed to `port` until either
// side ends. `pending` holds the host's bytes that started the session.
void runSession(int port, const std::string& pending) {
  int master = -1;
  std::string slavePath, error;
  if (!openPty(master, slavePath, error)) {
    std::string text = "rig-guest: " + error + "\r\n";
    protocol::writeAll(port, text);
    return;
  }
  std::vector<std::string> env = baseEnvironment();
  for (std::string& e : env)
    if (e.rfind("TERM=", 0) == 0) e = "TERM=xterm-256color";
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string shell =
      ::access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
  std::string login = "-" + shell.substr(shell.rfind('/') + 1);
  char* argv[] = {login.data(), nullptr};

  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(master);
    return;
  }
  if (pid == 0) {
    ::setsid();
    int slave = ::open(slavePath.c_str(), O_RDWR);
    if (slave < 0) ::_exit(127);
    ::ioctl(slave, TIOCSCTTY, 0);
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    if (slave > 2) ::close(slave);
    for (int sig = 1; sig < 32; ++sig) ::signal(sig, SIG_DFL);
    if (::chdir("/root") != 0) (void)::chdir("/");
    ::execve(shell.c_str(), argv, envp.data());
    ::_exit(127);
  }
  // The host's bytes are terminal input, except its window-size messages
  // (shell_wire.h), which resize the pty.
  protocol::ShellInputFilter filter;
  // Until the host says otherwise (it does when it has a terminal).
  winsize initial{};
  initial.ws_row = 24;
  initial.ws_col = 80;
  ::ioctl(master, TIOCSWINSZ, &initial);
  auto relayInput = [&](const char* data, size_t size) {
    std::string input;
    std::vector<protocol::WindowSize> sizes;
    filter.feed(data, size, input, sizes);
    for (const protocol::WindowSize& size : sizes) {
      winsize ws{};
      ws.ws_row = size.rows;
      ws.ws_col = size.cols;
      ::ioctl(master, TIOCSWINSZ, &ws);  // SIGWINCH to the foreground job
    }
    protocol::writeAll(master, input);
  };
  relayInput(pending.data(), pending.size());
  char buf[16384];
  for (;;) {
    pollfd p[2] = {{port, POLLIN, 0}, {master, POLLIN, 0}};
    // A possible start of a message is held only briefly: an Escape key
    // typed on its own reaches the shell after 50 ms.
    int ready = ::poll(p, 2, filter.holding() ? 50 : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) {
      protocol::writeAll(master, filter.flush());
      continue;
    }
    if (p[0].revents & POLLIN) {
      ssize_t n = ::read(port, buf, sizeof buf);
      if (n <= 0) break;
      relayInput(buf, static_cast<size_t>(n));
    } else if (p[0].revents & (POLLHUP | POLLERR)) {
      break;  // the host went away
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) {  // EIO: the shell and everything on its tty exited
        protocol::writeAll(port, "\r\n[rig-guest: the shell exited]\r\n");
        break;
      }
      protocol::writeAll(port, std::string_view(buf, static_cast<size_t>(n)));
    }
  }
  ::kill(-pid, SIGHUP);
  ::kill(pid, SIGHUP);
  ::close(master);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

bool runShellPort(const std::string& device, std::string& error) {
  int port = ::open(device.c_str(), O_RDWR | O_CLOEXEC);
  if (port < 0) {
    error = "cannot open " + device + ": " + errnoText(errno);
    return false;
  }
  char buf[4096];
  for (;;) {
    pollfd p = {port, POLLIN, 0};
    int n = ::poll(&p, 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (!(p.revents & POLLIN)) {  // no host connected
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    ssize_t got = ::read(port, buf, sizeof buf);
    if (got <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    runSession(port, std::string(buf, static_cast<size_t>(got)));
  }
}

bool runShellSocket(const std::string& socketPath, std::string& error) {
  int listener = listenUnix(socketPath, error);
  if (listener < 0) return false;
  char buf[4096];
  for (;;) {
    int conn = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      error = "accept on " + socketPath + ": " + errnoText(errno);
      return false;
    }
    // A session starts at the host's first byte, as on the port.
    ssize_t got = ::read(conn, buf, sizeof buf);
    if (got > 0) runSession(conn, std::string(buf, static_cast<size_t>(got)));
    ::close(conn);
  }
}

}  // namespace rig::guest
