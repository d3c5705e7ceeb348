#include "runtime/guest/exec.h"

#include <gtest/gtest.h>

#include <chrono>

namespace rig::guest {
namespace {

CommandResult run(const std::string& command, long timeoutMs = 0,
                  std::vector<std::string> env = {}) {
  CommandRequest req;
  req.command = command;
  req.timeoutMs = timeoutMs;
  req.env = std::move(env);
  CommandResult result;
  std::string error;
  EXPECT_TRUE(runCommand(req, result, error)) << error;
  return result;
}

CommandResult runBash(const std::string& command) {
  CommandRequest req;
  req.command = command;
  req.bash = true;
  CommandResult result;
  std::string error;
  EXPECT_TRUE(runCommand(req, result, error)) << error;
  return result;
}

// Test commands run as the NixOS driver runs them: bash -euo pipefail.
TEST(Exec, BashWithPipefail) {
  EXPECT_EQ(runBash("false | cat").status, 1);             // pipefail
  EXPECT_EQ(runBash("false; echo reached").out, "");       // -e
  EXPECT_NE(runBash("echo $RIG_SURELY_UNSET").status, 0);  // -u
  EXPECT_EQ(runBash("[[ -d / ]] && echo {a,b}").out, "a b\n");
  EXPECT_EQ(runBash("echo $SHELL").out, "/bin/bash\n");
  // sh (dash here): none of that
  EXPECT_EQ(run("false | cat").status, 0);
  EXPECT_EQ(run("echo {a,b}").out, "{a,b}\n");
}

TEST(Exec, StatusAndStreams) {
  CommandResult r = run("echo out; echo err >&2; exit 7");
  EXPECT_EQ(r.status, 7);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timedOut);
}

TEST(Exec, BinaryOutputAndSignals) {
  CommandResult r = run("printf 'a\\000b\\377'; kill -TERM $$");
  EXPECT_EQ(r.out, std::string("a\0b\xff", 4));
  EXPECT_EQ(r.status, 128 + 15);
}

TEST(Exec, EnvironmentAndStdin) {
  CommandResult r =
      run("echo $PATH $HOME $EXTRA; cat", 0, {"EXTRA=x y", "HOME=/tmp"});
  EXPECT_EQ(r.out,
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /tmp "
            "x y\n");
}

TEST(Exec, TimeoutKillsTheWholeProcessGroup) {
  auto start = std::chrono::steady_clock::now();
  CommandResult r = run("sleep 30 & sleep 30; echo never", 300);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timedOut);
  EXPECT_EQ(r.status, 128 + 9);
  EXPECT_EQ(r.out, "");
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Exec, LeftBehindProcessesDoNotBlock) {
  auto start = std::chrono::steady_clock::now();
  CommandResult r = run("sleep 3 & echo started");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Past the limit the command is killed at once (not after writing 300 MB),
// and what was written keeps only its first and last kOverflowKeep bytes.
TEST(Exec, OutputPastTheLimitKillsTheCommand) {
  CommandRequest req;
  req.command =
      "echo first; head -c 300000000 /dev/zero | tr '\\0' a; echo never";
  req.maxOutput = 1 << 20;
  CommandResult r;
  std::string error;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(runCommand(req, r, error)) << error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(r.overflow, "stdout");
  EXPECT_GT(r.outBytes, size_t(1 << 20));
  EXPECT_LT(r.outBytes, size_t(300000000));
  EXPECT_EQ(r.out.substr(0, 6), "first\n");
  EXPECT_NE(r.out.find("bytes left out ...]"), std::string::npos);
  EXPECT_LT(r.out.size(), 3 * kOverflowKeep);
  EXPECT_EQ(r.out.substr(r.out.size() - 10), std::string(10, 'a'));
  EXPECT_EQ(r.status, 128 + 9);
}

TEST(Exec, OutputWithinTheLimitIsWhole) {
  CommandRequest req;
  req.command = "head -c 100000 /dev/zero; echo err >&2";
  req.maxOutput = 100000;
  CommandResult r;
  std::string error;
  ASSERT_TRUE(runCommand(req, r, error)) << error;
  EXPECT_EQ(r.overflow, "");
  EXPECT_EQ(r.out.size(), 100000u);
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.status, 0);
}

}  // namespace
}  // namespace rig::guest
