#include "runtime/host/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace rig::host {
namespace {

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(Process, RunCapturesOutputAndStatus) {
  auto r = run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->status, 3);
  EXPECT_FALSE(r->timedOut);
  EXPECT_EQ(r->output, "out\nerr\n");
}

TEST(Process, RunFindsProgramsInPath) {
  auto r = run({"echo", "hello"});
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->output, "hello\n");
}

TEST(Process, RunTimesOutAndKillsTheGroup) {
  auto start = std::chrono::steady_clock::now();
  // The grandchild keeps stdout open: only killing the group ends it.
  auto r = run({"/bin/sh", "-c", "sleep 30 & sleep 30"}, 300);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_TRUE(r->timedOut);
  EXPECT_EQ(r->status, 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Process, MissingProgramIsAnError) {
  auto r = run({"rig-no-such-program"});
  ASSERT_FALSE(bool(r));
  EXPECT_NE(llvm::toString(r.takeError())
                .find("`rig-no-such-program` not found in PATH"),
            std::string::npos);
  auto r2 = run({"/nonexistent/prog"});
  ASSERT_FALSE(bool(r2));
  EXPECT_NE(llvm::toString(r2.takeError()).find("execve"), std::string::npos);
}

TEST(Process, OwnProcessGroupAndRegistry) {
  size_t before = liveChildCount();
  SpawnOptions o;
  o.argv = {"sleep", "30"};
  auto c = spawn(o);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(getpgid((*c)->pid()), (*c)->pid());
  EXPECT_EQ(liveChildCount(), before + 1);
  EXPECT_FALSE((*c)->poll());
  EXPECT_FALSE((*c)->wait(50));
  EXPECT_EQ((*c)->kill(), 128 + SIGKILL);
  EXPECT_EQ(liveChildCount(), before);
}

TEST(Process, KillAllChildrenKillsEveryGroup) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "sleep 30 & exec sleep 30"};
  auto a = spawn(o);
  auto b = spawn(o);
  ASSERT_TRUE(bool(a) && bool(b));
  killAllChildren();
  EXPECT_EQ((*a)->wait(5000), 128 + SIGKILL);
  EXPECT_EQ((*b)->wait(5000), 128 + SIGKILL);
}

TEST(Process, SurvivesTheSpawningThreadAndDiesWithRig) {
  // The child must not get its parent-death signal when the (short-lived)
  // thread that asked for it ends: forks happen on the spawner thread.
  std::unique_ptr<Child> child;
  std::thread([&] {
    SpawnOptions o;
    o.argv = {"sleep", "30"};
    auto c = spawn(o);
    ASSERT_TRUE(bool(c));
    child = std::move(*c);
  }).join();
  ASSERT_TRUE(child);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(child->poll())
      << "the child died with the thread that spawned it";

  // And it does die with rig: a forked copy of this test spawns a child,
  // reports its pid, and is SIGKILLed.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t rig = fork();
  if (rig == 0) {
    SpawnOptions o;
    o.argv = {"sleep", "30"};
    auto c = spawn(o);
    pid_t pid = c ? (*c)->pid() : -1;
    (void)!write(fds[1], &pid, sizeof pid);
    pause();
    _exit(0);
  }
  pid_t grandchild = -1;
  ASSERT_EQ(read(fds[0], &grandchild, sizeof grandchild),
            ssize_t(sizeof grandchild));
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(alive(grandchild));
  ::kill(rig, SIGKILL);
  waitpid(rig, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    // Reparented to init (or a subreaper): gone once killed and reaped, or a zombie.
    std::string stat;
    FILE* f =
        fopen(("/proc/" + std::to_string(grandchild) + "/stat").c_str(), "r");
    if (!f) {
      gone = true;
      break;
    }
    char buf[512] = {};
    (void)!fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    stat = buf;
    auto close = stat.rfind(')');
    if (close != std::string::npos && stat.size() > close + 2 &&
        stat[close + 2] == 'Z')
      gone = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "pdeathsig did not kill " << grandchild;
  close(fds[0]);
  close(fds[1]);
}

TEST(Process, ExtraEnvAndWorkingDir) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "echo $RIG_TEST_VAR; pwd"};
  o.extraEnv = {"RIG_TEST_VAR=42"};
  o.workingDir = "/usr";
  o.stdoutFd = fds[1];
  auto c = spawn(o);
  close(fds[1]);
  ASSERT_TRUE(bool(c));
  char buf[256];
  std::string out;
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, n);
  close(fds[0]);
  EXPECT_EQ((*c)->wait(5000), 0);
  EXPECT_EQ(out, "42\n/usr\n");
}

TEST(Process, SignalHandlerKillsChildrenThenDies) {
  // A forked copy of the test installs the handlers, spawns, and gets SIGTERM.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t rig = fork();
  if (rig == 0) {
    installSignalHandlers();
    SpawnOptions o;
    o.argv = {"sleep", "30"};
    auto c = spawn(o);
    pid_t pid = c ? (*c)->pid() : -1;
    (void)!write(fds[1], &pid, sizeof pid);
    for (;;) pause();
  }
  pid_t grandchild = -1;
  ASSERT_EQ(read(fds[0], &grandchild, sizeof grandchild),
            ssize_t(sizeof grandchild));
  ::kill(rig, SIGTERM);
  int status = 0;
  waitpid(rig, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    FILE* f =
        fopen(("/proc/" + std::to_string(grandchild) + "/stat").c_str(), "r");
    if (!f) {
      gone = true;
      break;
    }
    char buf[512] = {};
    (void)!fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    std::string stat = buf;
    auto close = stat.rfind(')');
    if (close != std::string::npos && stat[close + 2] == 'Z') gone = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone);
  close(fds[0]);
  close(fds[1]);
}

TEST(Process, GlobalTimeoutKillsChildrenAndDies) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t rig = fork();
  if (rig == 0) {
    SpawnOptions o;
    o.argv = {"sleep", "30"};
    auto c = spawn(o);
    pid_t pid = c ? (*c)->pid() : -1;
    (void)!write(fds[1], &pid, sizeof pid);
    setGlobalTimeout(1);
    for (;;) pause();
  }
  pid_t grandchild = -1;
  ASSERT_EQ(read(fds[0], &grandchild, sizeof grandchild),
            ssize_t(sizeof grandchild));
  int status = 0;
  waitpid(rig, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    FILE* f =
        fopen(("/proc/" + std::to_string(grandchild) + "/stat").c_str(), "r");
    if (!f) {
      gone = true;
      break;
    }
    char buf[512] = {};
    (void)!fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    std::string stat = buf;
    auto close = stat.rfind(')');
    if (close != std::string::npos && stat[close + 2] == 'Z') gone = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace rig::host
