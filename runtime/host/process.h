// Child processes of rig (QEMU, vde_switch, probes, sandboxes).
//
// Contract: no child of rig outlives it.
// - Every child gets its own process group and PR_SET_PDEATHSIG(SIGKILL), so
//   a SIGKILL of rig kills them too. The kernel sends the parent-death signal
//   when the *thread* that forked the child exits, so every fork happens on a
//   dedicated spawner thread that is started on first use and never exits
//   before the process does (the calling thread may be a short-lived worker).
// - Every running child's process group is in a lock-free registry;
//   killAllChildren() (async-signal-safe) kills them all. The handlers that
//   installSignalHandlers() puts on SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT
//   and SIGALRM (the global timeout) call it, then re-raise the signal with
//   its default action.
// - A Child that is destroyed while running kills its group and reaps it.
#ifndef RIG_RUNTIME_HOST_PROCESS_H
#define RIG_RUNTIME_HOST_PROCESS_H

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

struct SpawnOptions {
  // argv[0] without a '/' is looked up in PATH (before forking).
  std::vector<std::string> argv;
  // Extra NAME=VALUE entries on top of the inherited environment.
  std::vector<std::string> extraEnv;
  // stdin: `stdinFd` when >= 0 (dup'ed; the caller keeps its copy), else
  // /dev/null.
  int stdinFd = -1;
  // stdout/stderr: `stdoutFd` when >= 0, else `outputPath` (created or
  // appended, 0600), else /dev/null. stderr goes where stdout goes.
  int stdoutFd = -1;
  std::string outputPath;
  std::string workingDir;  // "" = rig's
  // The path of rig-keeper (keeper_main.cpp): when set, the program runs
  // under it and the Child can be release()d to outlive rig. stdinFd is
  // then ignored: the keeper's stdin is its control socket.
  std::string keeper;
  // With a keeper: the program's stdin is a pipe that only the keeper holds
  // (vde_switch exits at its end), instead of /dev/null.
  bool keeperHoldsStdin = false;
  // cgroup.procs files the child writes "0" to before it execs (moving
  // itself into those cgroups: host/cgroup.h); one it cannot is skipped.
  std::vector<std::string> cgroupProcs;
};

// One spawned process (the leader of its own process group). Thread-safe.
class Child {
 public:
  ~Child();  // kills the group and reaps it if still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // A pidfd that becomes readable when the process exits (for poll(2)).
  int exitFd() const { return pidfd_; }
  // Exit status once the process has exited (reaps it), else nothing.
  // Encoding: the exit code, or 128+N for a signal N.
  std::optional<int> poll();
  // Waits up to `timeoutMs` (< 0: forever); nothing if still running.
  std::optional<int> wait(double timeoutMs);
  // Sends `sig` to the whole process group (no-op once reaped).
  void signal(int sig);
  // SIGKILL to the group, then reaps. Returns the status.
  int kill();
  // Lets a child spawned with a keeper outlive rig: the keeper drops its
  // parent-death signal (and confirms within `timeoutMs`), the group leaves
  // the kill registry, and this Child forgets it (the destructor no longer
  // kills it; whoever inherits it reaps it). Fails without a keeper, once
  // the process has exited, or when the keeper does not confirm (the child
  // then still dies with rig).
  llvm::Error release(double timeoutMs = 5'000);
  bool released() const { return released_; }

 private:
  friend llvm::Expected<std::unique_ptr<Child>> spawn(const SpawnOptions&);
  Child(pid_t pid, int pidfd, int controlFd)
      : pid_(pid), pidfd_(pidfd), controlFd_(controlFd) {}
  std::optional<int> reapLocked(bool block);

  pid_t pid_;
  int pidfd_;
  int controlFd_;  // our end of the keeper's control socket, or -1
  bool released_ = false;
  std::mutex mutex_;
  std::optional<int> status_;
};

llvm::Expected<std::unique_ptr<Child>> spawn(const SpawnOptions& options);

// rig-keeper next to the running executable (where the build puts every
// binary), for SpawnOptions::keeper; an error names the path it looked at.
llvm::Expected<std::string> keeperNextToExecutable();

// Runs a command to completion, capturing stdout and stderr together.
struct RunResult {
  int status = 0;  // as Child::poll
  bool timedOut = false;
  std::string output;
};
llvm::Expected<RunResult> run(llvm::ArrayRef<std::string> argv,
                              double timeoutMs = -1);

// The children of `pid` (of all its threads: rig forks on a spawner thread),
// from /proc; empty once it has exited.
std::vector<pid_t> childProcesses(pid_t pid);

// Puts the handlers described at the top of this file in place (idempotent).
void installSignalHandlers();
// Kills every registered process group with SIGKILL. Async-signal-safe.
void killAllChildren();
// After `seconds` (> 0) rig kills its children and dies of SIGALRM, printing
// `rig: global timeout of N s reached`. 0 disarms. Uses alarm(2).
void setGlobalTimeout(unsigned seconds);
// `rig run`: the first SIGINT or SIGTERM kills every child (the VMs stop at
// once, as with the default handlers) but lets rig live, so that it can
// finish its reports; interruptRequested() then says so. A second signal,
// or 20 s without rig ending, kills rig as before.
void deferInterrupts();
bool interruptRequested();
// Number of registered (not yet reaped) children, for tests.
size_t liveChildCount();

// "128+N for signal N" decoding of a waitpid status.
int decodeWaitStatus(int status);

}  // namespace rig::host

#endif
