// rig-keeper: a program run under it dies with rig until it is released,
// and outlives rig after (keeper_main.cpp, Child::release()).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

// Gone, or a zombie nobody reaped yet.
bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  if (text.empty()) return true;
  auto close = text.rfind(')');
  return close != std::string::npos && text.size() > close + 2 &&
         text[close + 2] == 'Z';
}

bool goneWithin(pid_t pid, int ms) {
  for (int i = 0; i < ms / 20; ++i) {
    if (gone(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return gone(pid);
}

// The pid the program writes to `file` (it starts asynchronously).
pid_t pidFrom(const std::string& file) {
  for (int i = 0; i < 250; ++i) {
    std::ifstream in(file);
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

class KeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = keeperNextToExecutable();
    ASSERT_TRUE(bool(k)) << llvm::toString(k.takeError());
    keeper = *k;
    llvm::SmallString<128> d;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-keeper-test", d));
    dir = std::string(d);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  // A forked copy of this test ("rig") spawns `sleep` under the keeper,
  // releases it when `release`, reports the program's pid, then dies of
  // `death` (SIGKILL: no destructor runs; 0: a normal exit).
  pid_t programAfterRigDies(bool release, int death) {
    std::string pidFile = dir + "/pid";
    pid_t rig = fork();
    if (rig == 0) {
      SpawnOptions o;
      o.argv = {"/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"};
      o.keeper = keeper;
      auto c = spawn(o);
      if (!c) _exit(3);
      if (pidFrom(pidFile) < 0) _exit(4);
      if (release && (*c)->release()) _exit(5);
      if (death) ::kill(getpid(), death);
      _exit(0);  // no destructor runs: only the keeper's watch can end it
    }
    int status = 0;
    waitpid(rig, &status, 0);
    if (death)
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == death);
    else
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    return pidFrom(pidFile);
  }

  std::string keeper;
  std::string dir;
};

TEST_F(KeeperTest, ProgramDiesWhenRigIsKilledBeforeTheRelease) {
  pid_t program = programAfterRigDies(false, SIGKILL);
  ASSERT_GT(program, 0);
  EXPECT_TRUE(goneWithin(program, 5000))
      << "the program outlived an unreleased keeper";
}

TEST_F(KeeperTest, ProgramDiesWhenRigExitsWithoutTheRelease) {
  pid_t program = programAfterRigDies(false, 0);
  ASSERT_GT(program, 0);
  EXPECT_TRUE(goneWithin(program, 5000));
}

TEST_F(KeeperTest, ReleasedProgramOutlivesRig) {
  pid_t program = programAfterRigDies(true, SIGKILL);
  ASSERT_GT(program, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(gone(program)) << "a released program died with rig";
  // Its process group is the keeper's: killing it ends both.
  pid_t group = getpgid(program);
  ASSERT_GT(group, 0);
  ::kill(-group, SIGKILL);
  EXPECT_TRUE(goneWithin(program, 5000));
}

TEST_F(KeeperTest, StatusPassesThroughAndTheGroupIsShared) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "exit 7"};
  o.keeper = keeper;
  auto c = spawn(o);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ((*c)->wait(5000), 7);

  o.argv = {"sleep", "30"};
  auto s = spawn(o);
  ASSERT_TRUE(bool(s));
  EXPECT_EQ((*s)->kill(), 128 + SIGKILL);
}

TEST_F(KeeperTest, HeldStdinStaysOpenUntilTheKeeperEnds) {
  // `cat` ends at the end of its input: /dev/null at once, the held pipe
  // only when the keeper goes.
  SpawnOptions o;
  o.argv = {"cat"};
  o.keeper = keeper;
  auto plain = spawn(o);
  ASSERT_TRUE(bool(plain));
  EXPECT_EQ((*plain)->wait(5000), 0);
  o.keeperHoldsStdin = true;
  auto held = spawn(o);
  ASSERT_TRUE(bool(held));
  EXPECT_FALSE((*held)->wait(500)) << "cat saw the end of a held stdin";
}

TEST_F(KeeperTest, ReleaseNeedsAKeeper) {
  SpawnOptions o;
  o.argv = {"sleep", "30"};
  auto c = spawn(o);
  ASSERT_TRUE(bool(c));
  llvm::Error err = (*c)->release();
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("not started under rig-keeper"),
            std::string::npos);
}

TEST_F(KeeperTest, ReleasedChildLeavesTheRegistry) {
  size_t before = liveChildCount();
  SpawnOptions o;
  o.argv = {"sleep", "30"};
  o.keeper = keeper;
  auto c = spawn(o);
  ASSERT_TRUE(bool(c));
  EXPECT_EQ(liveChildCount(), before + 1);
  pid_t pid = (*c)->pid();
  ASSERT_FALSE(bool((*c)->release()));
  EXPECT_EQ(liveChildCount(), before);
  c->reset();  // does not kill it
  EXPECT_FALSE(gone(pid));
  ::kill(-pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
}

}  // namespace
}  // namespace rig::host
