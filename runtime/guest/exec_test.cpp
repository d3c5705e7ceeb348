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
  CommandResult r = run("echo $PATH $HOME $EXTRA; cat", 0, {"EXTRA=x y", "HOME=/tmp"});
  EXPECT_EQ(r.out,
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /tmp x y\n");
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

}  // namespace
}  // namespace rig::guest
