// RUNDIR/machines.json and the stale-directory rules that depend on it.
#include "runtime/host/run_record.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

RunRecord sample() {
  RunRecord r;
  r.suite = "keep";
  r.path = "tests/e2e/keep.rig";
  r.rigPid = 4242;
  r.keptAt = "2026-11-30T08:40:12Z";
  r.nodes = {{"box", 0, 4300}, {"idle", 0, 0}};
  r.switches = {{"vlan1", 1, 4290}};
  return r;
}

TEST(RunRecord, RoundTrip) {
  RunRecord r = sample();
  auto back = parseRunRecord(renderRunRecord(r));
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->suite, "keep");
  EXPECT_EQ(back->path, "tests/e2e/keep.rig");
  EXPECT_EQ(back->rigPid, 4242);
  EXPECT_TRUE(back->kept());
  ASSERT_EQ(back->nodes.size(), 2u);
  EXPECT_EQ(back->nodes[0].pid, 4300);
  EXPECT_EQ(back->nodes[1].name, "idle");
  ASSERT_EQ(back->switches.size(), 1u);
  EXPECT_EQ(back->switches[0].name, "vlan1");
  EXPECT_EQ(back->switches[0].vlan, 1);
  EXPECT_EQ(back->nodeNames(), "box, idle");
  EXPECT_EQ(back->node("idle")->pid, 0);
  EXPECT_EQ(back->node("nope"), nullptr);

  r.keptAt.clear();
  auto notKept = parseRunRecord(renderRunRecord(r));
  ASSERT_TRUE(bool(notKept));
  EXPECT_FALSE(notKept->kept());
}

TEST(RunRecord, BadRecordsSayWhy) {
  auto err = [](llvm::StringRef text) {
    auto r = parseRunRecord(text);
    return r ? std::string("parsed") : llvm::toString(r.takeError());
  };
  EXPECT_EQ(err("[]"), "not a JSON object");
  EXPECT_EQ(err(R"({"nodes": []})"), "`switches` is missing");
  EXPECT_EQ(err(R"({"nodes": [{"name": "a"}], "switches": []})"),
            "nodes[0].pid is missing");
  EXPECT_EQ(err(R"({"nodes": [{"pid": 1}], "switches": []})"),
            "nodes[0] has no name");
}

class RunDirRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::SmallString<128> d;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-record-test", d));
    base = std::string(d);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(base); }
  std::string base;
};

TEST_F(RunDirRecordTest, ReadingSaysWhatIsWrong) {
  auto missing = readRunRecord(base + "/nope");
  ASSERT_FALSE(bool(missing));
  EXPECT_EQ(
      llvm::toString(missing.takeError()),
      base +
          "/nope is not a directory (a run directory is printed by `rig run "
          "--keep-vms-on-failure`; `rig attach --list` shows the kept ones)");
  auto plain = readRunRecord(base);
  ASSERT_FALSE(bool(plain));
  EXPECT_EQ(llvm::toString(plain.takeError()),
            base +
                " is not a run directory of rig (it has no machines.json; `rig "
                "attach "
                "--list` shows the kept ones)");
  ASSERT_FALSE(bool(writeFileAtomically(base + "/machines.json", "{")));
  auto bad = readRunRecord(base);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find(base + "/machines.json: "),
            std::string::npos);
}

// A process whose command line names the run directory, as QEMU's does.
std::unique_ptr<Child> processNaming(const std::string& dir) {
  SpawnOptions o;
  // No exec: the shell, whose command line names the directory, stays.
  o.argv = {"/bin/sh", "-c", "sleep 30; :", "sh", dir + "/box/console.log"};
  auto c = spawn(o);
  EXPECT_TRUE(bool(c));
  return c ? std::move(*c) : nullptr;
}

TEST_F(RunDirRecordTest, AliveMeansRunningAndNamingTheDirectory) {
  auto dir = RunDir::create("alive", base);
  ASSERT_TRUE(bool(dir));
  auto child = processNaming((*dir)->path());
  ASSERT_TRUE(child);
  EXPECT_TRUE(processOfRunAlive(child->pid(), (*dir)->path()));
  EXPECT_TRUE(processOfRunAlive(child->pid(), (*dir)->path() + "/"));
  // Our own pid is alive but names no such directory: a recycled pid.
  EXPECT_FALSE(processOfRunAlive(getpid(), (*dir)->path()));
  EXPECT_FALSE(processOfRunAlive(0, (*dir)->path()));
  child->kill();
  EXPECT_FALSE(processOfRunAlive(child->pid(), (*dir)->path()));
}

TEST_F(RunDirRecordTest, KeptDirectoryStaysWhileItsMachinesRun) {
  std::string path;
  std::unique_ptr<Child> machine;
  {
    auto dir = RunDir::create("kept", base);
    ASSERT_TRUE(bool(dir));
    path = (*dir)->path();
    machine = processNaming(path);
    RunRecord r = sample();
    r.nodes = {{"box", 0, machine->pid()}};
    r.switches.clear();
    ASSERT_FALSE(bool(writeRunRecord(path, r)));
    (*dir)->keep();
  }
  EXPECT_FALSE(llvm::sys::fs::exists(path + "/rig.pid"));
  auto other = RunDir::create("other", base);
  ASSERT_TRUE(bool(other));
  EXPECT_TRUE(llvm::sys::fs::exists(path))
      << "a kept run with a live machine was reaped";

  machine->kill();
  auto third = RunDir::create("third", base);
  ASSERT_TRUE(bool(third));
  EXPECT_FALSE(llvm::sys::fs::exists(path))
      << "a kept run whose machines are gone stayed";
}

TEST_F(RunDirRecordTest,
       DirectoryOfADeadRigIsReapedAndOneKeptWithoutRecordStays) {
  // A dead rig: a pid that has exited.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  std::string stale = base + "/stale-abc123";
  ASSERT_FALSE(bool(makePrivateDir(stale)));
  ASSERT_FALSE(
      bool(writeFileAtomically(stale + "/rig.pid", std::to_string(dead))));
  RunRecord r = sample();
  r.keptAt.clear();
  ASSERT_FALSE(bool(writeRunRecord(stale, r)));
  std::string keptByHand = base + "/hand-abc123";
  ASSERT_FALSE(bool(makePrivateDir(keptByHand)));
  auto dir = RunDir::create("next", base);
  ASSERT_TRUE(bool(dir));
  EXPECT_FALSE(llvm::sys::fs::exists(stale));
  EXPECT_TRUE(llvm::sys::fs::exists(keptByHand));
}

}  // namespace
}  // namespace rig::host
