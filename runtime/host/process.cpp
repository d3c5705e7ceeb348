#include "runtime/host/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

extern char** environ;

namespace rig::host {
namespace {

// ---- Registry of live process groups (lock-free: read by signal handlers) --

constexpr size_t kMaxChildren = 1024;
std::atomic<pid_t> gGroups[kMaxChildren];

void registerGroup(pid_t pgid) {
  for (auto& slot : gGroups) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) return;
  }
  // Full: the child still dies with rig through PR_SET_PDEATHSIG.
}

void unregisterGroup(pid_t pgid) {
  for (auto& slot : gGroups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

// ---- The spawner thread ------------------------------------------------------

// Everything the child needs, prepared before fork(): between fork and exec
// the child may only make async-signal-safe calls (no allocation).
struct Prepared {
  std::string program;
  std::vector<std::string> argvStore;
  std::vector<std::string> envStore;
  std::vector<char*> argv;
  std::vector<char*> envp;
  int stdinFd = -1;
  int stdoutFd = -1;
  std::string outputPath;
  std::string workingDir;
  std::vector<std::string> cgroupProcs;
};

struct Outcome {
  pid_t pid = -1;
  int error = 0;  // errno of a failed fork/exec/setup
  const char* where = "";
};

[[noreturn]] void childFail(int errPipe, const char* where) {
  int e = errno;
  struct {
    int e;
    const char* w;
  } msg{e, where};  // `where` points into the parent's identical image
  (void)!write(errPipe, &msg, sizeof msg);
  _exit(127);
}

Outcome forkAndExec(Prepared& p) {
  int errPipe[2];
  if (pipe2(errPipe, O_CLOEXEC) != 0) return {-1, errno, "pipe2"};
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(errPipe[0]);
    close(errPipe[1]);
    return {-1, e, "fork"};
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) childFail(errPipe[1], "prctl");
    if (getppid() != parent) _exit(127);  // rig died before prctl
    int in = p.stdinFd >= 0 ? p.stdinFd : open("/dev/null", O_RDONLY);
    if (in < 0) childFail(errPipe[1], "open stdin");
    int out = p.stdoutFd;
    if (out < 0) {
      out = p.outputPath.empty() ? open("/dev/null", O_WRONLY)
                                 : open(p.outputPath.c_str(),
                                        O_WRONLY | O_CREAT | O_APPEND, 0600);
    }
    if (out < 0) childFail(errPipe[1], "open output");
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
      childFail(errPipe[1], "dup2");
    // Every other descriptor closes on exec (the error pipe stays until then).
    syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
    if (!p.workingDir.empty() && chdir(p.workingDir.c_str()) != 0)
      childFail(errPipe[1], "chdir");
    for (const std::string& procs : p.cgroupProcs) {
      int fd = open(procs.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) continue;
      (void)!write(fd, "0", 1);
      close(fd);
    }
    execve(p.program.c_str(), p.argv.data(), p.envp.data());
    childFail(errPipe[1], "execve");
  }
  close(errPipe[1]);
  setpgid(pid, pid);  // also in the parent: no window where kill(-pid) misses
  registerGroup(pid);
  struct {
    int e;
    const char* w;
  } msg{0, ""};
  ssize_t n;
  do {
    n = read(errPipe[0], &msg, sizeof msg);
  } while (n < 0 && errno == EINTR);
  close(errPipe[0]);
  if (n == static_cast<ssize_t>(sizeof msg)) {
    unregisterGroup(pid);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return {-1, msg.e, msg.w};
  }
  return {pid, 0, ""};
}

class Spawner;
std::atomic<Spawner*> gSpawner{nullptr};

class Spawner {
 public:
  static Spawner& get() {
    // Leaked on purpose: the thread must live until the process ends.
    if (Spawner* s = gSpawner.load()) return *s;
    auto* fresh = new Spawner();
    Spawner* expected = nullptr;
    if (gSpawner.compare_exchange_strong(expected, fresh)) {
      std::thread([fresh] { fresh->loop(); }).detach();
      return *fresh;
    }
    delete fresh;
    return *expected;
  }

  Outcome spawn(Prepared& p) {
    std::packaged_task<Outcome()> task([&p] { return forkAndExec(p); });
    auto future = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return future.get();
  }

 private:
  void loop() {
    for (;;) {
      std::packaged_task<Outcome()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<Outcome()>> queue_;
};

// A forked copy of rig (tests, or a library user's fork) has no spawner
// thread and does not own its parent's children: start afresh.
void afterForkInChild() {
  gSpawner.store(nullptr);
  for (auto& slot : gGroups) slot.store(0);
}
[[maybe_unused]] const int gAtForkRegistered =
    pthread_atfork(nullptr, nullptr, afterForkInChild);

// ---- Signals -----------------------------------------------------------------

unsigned gTimeoutSeconds = 0;
std::atomic<bool> gDeferInterrupts{false};
std::atomic<bool> gInterrupted{false};

void onFatalSignal(int sig) {
  killAllChildren();
  if ((sig == SIGINT || sig == SIGTERM) && gDeferInterrupts.load() &&
      !gInterrupted.exchange(true)) {
    // SA_RESETHAND put the default back for this signal; the other one gets
    // it here, so that a second signal of either kind ends rig at once.
    ::signal(sig == SIGINT ? SIGTERM : SIGINT, SIG_DFL);
    gTimeoutSeconds = 0;
    alarm(20);
    return;
  }
  if (sig == SIGALRM && gInterrupted.load()) {
    const char text[] =
        "rig: still running 20 s after the interrupt, ending without reports\n";
    (void)!write(2, text, sizeof text - 1);
    ::signal(SIGALRM, SIG_DFL);
    raise(SIGALRM);
    return;
  }
  if (sig == SIGALRM) {
    char buf[96] = "rig: global timeout of ";
    size_t n = strlen(buf);
    char digits[16];
    int d = 0;
    unsigned v = gTimeoutSeconds;
    do {
      digits[d++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v && d < 15);
    while (d) buf[n++] = digits[--d];
    const char tail[] = " s reached, killing the VMs\n";
    memcpy(buf + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    (void)!write(2, buf, n);
  }
  ::signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

int decodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void killAllChildren() {
  for (auto& slot : gGroups) {
    pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
}

size_t liveChildCount() {
  size_t n = 0;
  for (auto& slot : gGroups)
    if (slot.load() > 0) ++n;
  return n;
}

void installSignalHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = onFatalSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGALRM})
      sigaction(sig, &sa, nullptr);
    // A VM's socket closing must be an error, not a death.
    ::signal(SIGPIPE, SIG_IGN);
  });
}

void deferInterrupts() {
  installSignalHandlers();
  gDeferInterrupts = true;
}

bool interruptRequested() { return gInterrupted.load(); }

void setGlobalTimeout(unsigned seconds) {
  installSignalHandlers();
  gTimeoutSeconds = seconds;
  alarm(seconds);
}

llvm::Expected<std::unique_ptr<Child>> spawn(const SpawnOptions& options) {
  if (options.argv.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "spawn: empty command");
  Prepared p;
  llvm::StringRef name = options.argv[0];
  if (name.contains('/')) {
    p.program = name.str();
  } else {
    auto found = llvm::sys::findProgramByName(name);
    if (!found)
      return llvm::createStringError(found.getError(), "`%s` not found in PATH",
                                     name.str().c_str());
    p.program = *found;
  }
  p.argvStore = options.argv;
  // Under a keeper, the keeper is what we execute; it runs the program
  // (found here, so that a missing program fails the same way).
  int control[2] = {-1, -1};
  if (!options.keeper.empty()) {
    std::vector<std::string> wrapped = {options.keeper};
    if (options.keeperHoldsStdin) wrapped.push_back("--hold-stdin");
    wrapped.push_back("--");
    wrapped.push_back(p.program);
    wrapped.insert(wrapped.end(), p.argvStore.begin() + 1, p.argvStore.end());
    p.argvStore = std::move(wrapped);
    p.program = options.keeper;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) != 0)
      return llvm::createStringError(
          std::error_code(errno, std::generic_category()),
          "socketpair for rig-keeper: %s", strerror(errno));
  }
  for (auto& a : p.argvStore) p.argv.push_back(a.data());
  p.argv.push_back(nullptr);
  for (char** e = environ; *e; ++e) {
    llvm::StringRef entry(*e);
    llvm::StringRef key = entry.split('=').first;
    bool overridden = false;
    for (auto& extra : options.extraEnv)
      if (llvm::StringRef(extra).split('=').first == key) overridden = true;
    if (!overridden) p.envStore.push_back(entry.str());
  }
  for (auto& extra : options.extraEnv) p.envStore.push_back(extra);
  for (auto& e : p.envStore) p.envp.push_back(e.data());
  p.envp.push_back(nullptr);
  p.stdinFd = control[1] >= 0 ? control[1] : options.stdinFd;
  p.stdoutFd = options.stdoutFd;
  p.outputPath = options.outputPath;
  p.workingDir = options.workingDir;
  p.cgroupProcs = options.cgroupProcs;

  Outcome outcome = Spawner::get().spawn(p);
  if (control[1] >= 0) close(control[1]);
  if (outcome.pid < 0) {
    if (control[0] >= 0) close(control[0]);
    return llvm::createStringError(
        std::error_code(outcome.error, std::generic_category()),
        "cannot start `%s`: %s: %s", p.program.c_str(), outcome.where,
        strerror(outcome.error));
  }
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, outcome.pid, 0));
  if (pidfd < 0) {
    int e = errno;
    ::kill(-outcome.pid, SIGKILL);
    unregisterGroup(outcome.pid);
    int status;
    waitpid(outcome.pid, &status, 0);
    if (control[0] >= 0) close(control[0]);
    return llvm::createStringError(std::error_code(e, std::generic_category()),
                                   "pidfd_open: %s", strerror(e));
  }
  fcntl(pidfd, F_SETFD, FD_CLOEXEC);
  return std::unique_ptr<Child>(new Child(outcome.pid, pidfd, control[0]));
}

llvm::Expected<std::string> keeperNextToExecutable() {
  llvm::SmallString<256> exe;
  if (llvm::sys::fs::real_path("/proc/self/exe", exe))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot resolve /proc/self/exe");
  llvm::SmallString<256> keeper(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(keeper, "rig-keeper");
  if (!llvm::sys::fs::can_execute(keeper))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "%s is missing (keeping machines needs it next to rig: build the "
        "`rig-keeper` target)",
        keeper.c_str());
  return std::string(keeper);
}

// ---- Child -------------------------------------------------------------------

std::optional<int> Child::reapLocked(bool block) {
  if (status_) return status_;
  int status = 0;
  pid_t r;
  // The group id stays reserved while the zombie leader exists: kill any
  // straggler of the group and unregister it before reaping.
  if (!block) {
    siginfo_t info{};
    if (waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
        info.si_pid == 0)
      return std::nullopt;
  }
  ::kill(-pid_, SIGKILL);
  unregisterGroup(pid_);
  do {
    r = waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  status_ = r == pid_ ? decodeWaitStatus(status) : -1;
  return status_;
}

std::optional<int> Child::poll() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (released_) return std::nullopt;  // not ours to watch any more
  return reapLocked(false);
}

std::optional<int> Child::wait(double timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::microseconds(static_cast<int64_t>(
                      (timeoutMs < 0 ? 0 : timeoutMs) * 1000));
  for (;;) {
    if (auto s = poll()) return s;
    int waitMs = -1;
    if (timeoutMs >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return std::nullopt;
      waitMs = static_cast<int>(left);
    }
    struct pollfd pfd {
      pidfd_, POLLIN, 0
    };
    ::poll(&pfd, 1, waitMs);
  }
}

void Child::signal(int sig) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status_ && !released_) ::kill(-pid_, sig);
}

int Child::kill() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (released_) return -1;
  if (!status_) ::kill(-pid_, SIGKILL);
  return *reapLocked(true);
}

llvm::Error Child::release(double timeoutMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto fail = [&](const char* why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot keep process %d: %s", pid_, why);
  };
  if (released_) return llvm::Error::success();
  if (controlFd_ < 0) return fail("it was not started under rig-keeper");
  if (reapLocked(false)) return fail("it has exited");
  if (::send(controlFd_, "k", 1, MSG_NOSIGNAL) != 1)
    return fail("the keeper is gone");
  struct pollfd pfd {
    controlFd_, POLLIN, 0
  };
  char answer = 0;
  int ready;
  do {
    ready = ::poll(&pfd, 1, static_cast<int>(timeoutMs));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0 || ::read(controlFd_, &answer, 1) != 1 || answer != 'K')
    return fail("the keeper did not confirm");
  unregisterGroup(pid_);
  released_ = true;
  close(controlFd_);
  controlFd_ = -1;
  return llvm::Error::success();
}

Child::~Child() {
  kill();
  close(pidfd_);
  if (controlFd_ >= 0) close(controlFd_);
}

// ---- run ---------------------------------------------------------------------

llvm::Expected<RunResult> run(llvm::ArrayRef<std::string> argv,
                              double timeoutMs) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return llvm::errorCodeToError(
        std::error_code(errno, std::generic_category()));
  SpawnOptions options;
  options.argv.assign(argv.begin(), argv.end());
  options.stdoutFd = fds[1];
  auto child = spawn(options);
  close(fds[1]);
  if (!child) {
    close(fds[0]);
    return child.takeError();
  }
  RunResult result;
  auto start = std::chrono::steady_clock::now();
  char buf[65536];
  for (;;) {
    int waitMs = -1;
    if (timeoutMs >= 0) {
      double elapsed = std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      if (elapsed >= timeoutMs) {
        result.timedOut = true;
        break;
      }
      waitMs = static_cast<int>(timeoutMs - elapsed) + 1;
    }
    struct pollfd pfd {
      fds[0], POLLIN, 0
    };
    int r = ::poll(&pfd, 1, waitMs);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: every writer (the group) is gone
    result.output.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (result.timedOut) {
    result.status = (*child)->kill();
  } else {
    auto s = (*child)->wait(timeoutMs < 0 ? -1 : 5000);
    result.status = s ? *s : (*child)->kill();
  }
  return result;
}

std::vector<pid_t> childProcesses(pid_t pid) {
  std::vector<pid_t> out;
  std::error_code ec;
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (llvm::sys::fs::directory_iterator it(tasks, ec), end; !ec && it != end;
       it.increment(ec)) {
    auto buf = llvm::MemoryBuffer::getFileAsStream(it->path() + "/children");
    if (!buf) continue;
    llvm::SmallVector<llvm::StringRef> parts;
    (*buf)->getBuffer().split(parts, ' ', -1, false);
    for (llvm::StringRef part : parts) {
      int child = 0;
      if (!part.trim().getAsInteger(10, child)) out.push_back(child);
    }
  }
  return out;
}

}  // namespace rig::host
