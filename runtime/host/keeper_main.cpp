// rig-keeper: runs one program (QEMU or vde_switch) on behalf of rig so that
// rig can later let it outlive itself (`rig run --keep-vms-on-failure`).
//
//   rig-keeper [--hold-stdin] -- PROGRAM ARGS...
//
// rig spawns the keeper like any child (own process group, parent-death
// signal SIGKILL, in the kill registry). The keeper forks PROGRAM into the
// same process group, with its own parent-death signal pointing at the
// keeper, so until rig says otherwise the program dies with rig whatever
// kills it. Standard input is the control channel (a socket rig holds):
// - the byte `k` (keep): the keeper clears its parent-death signal and
//   answers `K`; from then on it survives rig, and PROGRAM survives with it;
// - end of input before `k`: rig is gone; the keeper kills PROGRAM and exits.
// The keeper exits with PROGRAM's status (128+N for a signal N), so rig sees
// it as if it had spawned PROGRAM itself; killing the keeper's process group
// ends both. With --hold-stdin PROGRAM's stdin is a pipe only the keeper
// holds (vde_switch exits at its end of input), else /dev/null.
//
// Only async-signal-safe calls and no allocation between fork and exec.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

int statusCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool holdStdin = false;
  int first = 1;
  for (; first < argc; ++first) {
    if (strcmp(argv[first], "--hold-stdin") == 0) {
      holdStdin = true;
    } else if (strcmp(argv[first], "--") == 0) {
      ++first;
      break;
    } else {
      fprintf(stderr, "rig-keeper: unknown argument %s\n", argv[first]);
      return 2;
    }
  }
  if (first >= argc) {
    fprintf(stderr, "usage: rig-keeper [--hold-stdin] -- PROGRAM ARGS...\n");
    return 2;
  }

  int programStdin[2] = {-1, -1};
  if (holdStdin && pipe2(programStdin, O_CLOEXEC) != 0) {
    perror("rig-keeper: pipe2");
    return 127;
  }
  pid_t keeper = getpid();
  pid_t program = fork();
  if (program < 0) {
    perror("rig-keeper: fork");
    return 127;
  }
  if (program == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) _exit(127);
    if (getppid() != keeper) _exit(127);  // the keeper died before prctl
    int in =
        holdStdin ? programStdin[0] : open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, 0) < 0) _exit(127);
    execvp(argv[first], argv + first);
    static const char msg[] = "rig-keeper: cannot execute the program\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  if (holdStdin)
    close(programStdin[0]);  // the write end stays open: ours alone

  // The program's exit as a readable descriptor.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, program, 0));
  if (pidfd < 0) {
    perror("rig-keeper: pidfd_open");
    kill(program, SIGKILL);
    return 127;
  }
  bool controlOpen = true;
  for (;;) {
    pollfd p[2] = {{pidfd, POLLIN, 0}, {controlOpen ? 0 : -1, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("rig-keeper: poll");
      kill(program, SIGKILL);
      break;
    }
    if (p[0].revents) break;
    if (!(p[1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char byte = 0;
    ssize_t n = read(0, &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // rig is gone (or dropped us) without asking to keep the program.
      kill(program, SIGKILL);
      break;
    }
    if (byte == 'k') {
      if (prctl(PR_SET_PDEATHSIG, 0) != 0) {
        perror("rig-keeper: prctl");
        continue;  // no answer: rig reports that the program was not kept
      }
      (void)!write(0, "K", 1);
      // From here rig may exit at any time: stop listening, and no
      // terminal signal of rig's session reaches us.
      controlOpen = false;
      signal(SIGHUP, SIG_IGN);
      signal(SIGINT, SIG_IGN);
      int devnull = open("/dev/null", O_RDWR);
      if (devnull >= 0) dup2(devnull, 0);
    }
  }
  int status = 0;
  while (waitpid(program, &status, 0) < 0 && errno == EINTR) {}
  return statusCode(status);
}
