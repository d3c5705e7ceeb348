#include "runtime/guest/exec.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "runtime/guest/sys.h"

namespace rig::guest {

std::vector<std::string> baseEnvironment() {
  return {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "HOME=/root",
          "LANG=C.UTF-8",
          "USER=root",
          "LOGNAME=root",
          "SHELL=/bin/sh",
          "TERM=dumb"};
}

bool runCommand(const CommandRequest& request, CommandResult& result,
                std::string& error) {
  using Clock = std::chrono::steady_clock;
  result = CommandResult();
  std::vector<std::string> env = baseEnvironment();
  if (request.bash)
    for (std::string& e : env)
      if (e.rfind("SHELL=", 0) == 0) e = "SHELL=/bin/bash";
  for (const std::string& add : request.env) {
    size_t eq = add.find('=');
    std::string name =
        add.substr(0, eq == std::string::npos ? add.size() : eq + 1);
    bool replaced = false;
    for (std::string& e : env)
      if (e.compare(0, name.size(), name) == 0) {
        e = add;
        replaced = true;
      }
    if (!replaced) env.push_back(add);
  }
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls (the agent is multi-threaded).
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args;
  if (request.bash)
    args = {"/bin/bash", "-euo", "pipefail", "-c", request.command};
  else
    args = {request.shell, "-c", request.command};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) {
    error = "pipe: " + errnoText(errno);
    return false;
  }
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    error = "pipe: " + errnoText(errno);
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    return false;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    error = "fork: " + errnoText(errno);
    for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < 32; ++sig) ::signal(sig, SIG_DFL);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(outPipe[1], 1);
    ::dup2(errPipe[1], 2);
    if (::chdir("/root") != 0) (void)::chdir("/");
    ::execve(argv[0], argv.data(), envp.data());
    static const char msg[] = "rig-guest: cannot execute the shell\n";
    (void)::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also in the parent: no race with a quick kill
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));

  auto deadline = Clock::now() + std::chrono::milliseconds(request.timeoutMs);
  int fds[2] = {outPipe[0], errPipe[0]};
  std::string* sinks[2] = {&result.out, &result.err};
  bool exited = false;
  int waitStatus = 0;
  auto exitedAt = Clock::now();
  char buf[65536];
  while (fds[0] >= 0 || fds[1] >= 0 || !exited) {
    pollfd p[3];
    int n = 0;
    int index[3];
    for (int i = 0; i < 2; ++i)
      if (fds[i] >= 0) {
        index[n] = i;
        p[n++] = {fds[i], POLLIN, 0};
      }
    int pidSlot = -1;
    if (!exited && pidfd >= 0) {
      pidSlot = n;
      p[n++] = {pidfd, POLLIN, 0};
    }
    int wait = exited ? 200 : (pidfd >= 0 ? -1 : 50);
    if (request.timeoutMs > 0 && !exited && !result.timedOut) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - Clock::now())
                      .count();
      if (left <= 0) {
        ::kill(-pid, SIGKILL);
        result.timedOut = true;
        left = 50;  // then wait for the exit (the pidfd wakes us)
      }
      if (wait < 0 || left < wait) wait = static_cast<int>(left);
    }
    int ready = ::poll(p, n, wait);
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n && ready > 0; ++k) {
      if (k == pidSlot || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      int i = index[k];
      ssize_t got = ::read(fds[i], buf, sizeof buf);
      if (got > 0) {
        size_t& total = i == 0 ? result.outBytes : result.errBytes;
        total += static_cast<size_t>(got);
        if (!result.overflow.empty()) {
          // Killed already: what is still in the pipes is dropped.
        } else if (request.maxOutput > 0 && total > request.maxOutput) {
          // Keep what fits; the rest of this read is dropped with the command.
          size_t before = total - static_cast<size_t>(got);
          if (before < request.maxOutput)
            sinks[i]->append(buf, request.maxOutput - before);
          result.overflow = i == 0 ? "stdout" : "stderr";
          ::kill(-pid, SIGKILL);
        } else {
          sinks[i]->append(buf, static_cast<size_t>(got));
        }
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
    if (!exited) {
      pid_t w = ::waitpid(pid, &waitStatus, WNOHANG);
      if (w == pid) {
        exited = true;
        exitedAt = Clock::now();
        if (pidfd >= 0) ::close(pidfd);
        pidfd = -1;
      }
    } else if ((ready == 0 &&
                Clock::now() - exitedAt >= std::chrono::milliseconds(200)) ||
               Clock::now() - exitedAt >= std::chrono::seconds(2)) {
      break;  // left-behind processes hold the pipes open
    }
  }
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  if (!exited) ::waitpid(pid, &waitStatus, 0);
  if (pidfd >= 0) ::close(pidfd);
  if (!result.overflow.empty()) {
    for (std::string* text : sinks) {
      if (text->size() <= 2 * kOverflowKeep) continue;
      std::string kept = text->substr(0, kOverflowKeep);
      kept += "\n[... " + std::to_string(text->size() - 2 * kOverflowKeep) +
              " bytes left out ...]\n";
      kept.append(*text, text->size() - kOverflowKeep, kOverflowKeep);
      *text = std::move(kept);
    }
  }
  if (WIFEXITED(waitStatus))
    result.status = WEXITSTATUS(waitStatus);
  else if (WIFSIGNALED(waitStatus))
    result.status = 128 + WTERMSIG(waitStatus);
  return true;
}

}  // namespace rig::guest
