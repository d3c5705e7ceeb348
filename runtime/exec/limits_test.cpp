// A misbehaving guest and an interrupted run, against fake machines: output
// past the limit, a restarted agent, progress meters, Ctrl-C, and how the
// reports mark an interrupted run (docs/running.md).
#include "gtest/gtest.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/testing/fakes.h"
#include "runtime/exec/testing/suite_runner.h"
#include "runtime/report/reporter.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::FakeMachine;
using testing::SuiteRun;

const char* kNode = "node m {}\n";

machine::ExecResult overflowed() {
  machine::ExecResult r =
      FakeMachine::status(137, "aaaa\n[... 67100000 bytes left out ...]\naaaa");
  r.overflow = "stdout";
  r.outputLimit = 64ull << 20;
  r.overflowBytes = (64ull << 20) + 65536;
  return r;
}

// The step fails with the limit named; the node stays usable, so the next
// test runs (no --keep-going needed: the failure is not fatal... it stops
// the suite only as any failed test does).
TEST(Limits, OutputPastTheLimitFailsTheStep) {
  SuiteRun run(std::string(kNode) + R"(test "t" {
  m.succeed("yes")
})");
  run["m"].on("yes", {overflowed()});
  run.options.maxOutputBytes = 64ull << 20;
  run.run();
  ASSERT_EQ(run.status(), Status::Failed) << run.failure();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "`yes` on `m`: its stdout passed the output limit of 64MiB "
            "(max_output on the call or in rig.toml); the command was killed");
  EXPECT_EQ(run.result.tests[0].failure->details,
            "stdout (its first and last 4 KiB):\naaaa\n[... 67100000 bytes "
            "left out ...]\naaaa");
  EXPECT_EQ(run["m"].lastRequest.maxOutputBytes, 64ull << 20);
}

// `max_output` on the call is the limit the agent is asked for, over the
// suite's; the message names it.
TEST(Limits, MaxOutputOnTheCallOverridesTheSuites) {
  SuiteRun run(std::string(kNode) + R"(test "t" {
  m.succeed("true", max_output = 8KiB)
  m.execute("yes", max_output = 16KiB)
})");
  run["m"].on("true", {FakeMachine::ok()});
  run["m"].on("yes", {overflowed()});
  run.options.maxOutputBytes = 64ull << 20;
  run.run();
  ASSERT_EQ(run.status(), Status::Failed) << run.failure();
  EXPECT_EQ(run["m"].lastRequest.maxOutputBytes, 16ull << 10);
  EXPECT_NE(
      run.result.tests[0].failure->message.find("passed the output limit of"),
      std::string::npos);
}

TEST(Limits, ARestartedAgentFailsOnlyTheStep) {
  SuiteRun run(std::string(kNode) + R"(test "t" {
  m.succeed("kill the agent")
}
test "next" {
  expect m.succeed("echo back") == "back\n"
})");
  run["m"].failNext = "exec: the guest agent on m stopped (" +
                      machine::kAgentRestartedText.str() +
                      "; the call was lost)";
  run["m"].on("echo back", {FakeMachine::ok("back\n")});
  run.options.keepGoing = true;
  run.run();
  EXPECT_EQ(run.status(0), Status::Error);
  EXPECT_EQ(
      run.result.tests[0].failure->message,
      "machine `m`: running a command: exec: the guest agent on m stopped (a "
      "restarted agent answers now; the call was lost)");
  EXPECT_EQ(run.status(1), Status::Passed) << run.failure(1);
}

TEST(Limits, ProgressMetersShowTheirLastState) {
  EXPECT_EQ(terminalText("get 10%\rget 50%\rget 100%\r\nnext\r\n"),
            "get 100%\nnext\n");
  EXPECT_EQ(terminalText("no meter"), "no meter");
  // Colours (systemd's on a console) are acted on by a terminal, not shown;
  // a lone or unfinished escape stays.
  EXPECT_EQ(terminalText("[\x1b[0;32m  OK  \x1b[0m] Started x.\r\r\n"
                         "\x1b[0;1;31mFailed\x1b[0m\n"),
            "[  OK  ] Started x.\nFailed\n");
  EXPECT_EQ(terminalText("\x1b"
                         "cSeaBIOS\x1b]0;title\a!\n"),
            "SeaBIOS!\n");
  EXPECT_EQ(terminalText("a\x1b\x01 b\x1b[12"), "a\x1b\x01 b\x1b[12");
  SuiteRun run(std::string(kNode) + R"(test "t" { m.succeed("curl x") })");
  run["m"].on("curl", {FakeMachine::status(1, "", "  1%\r 50%\r100%\ndone\n")});
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->details, "stderr:\n100%\ndone");
}

// A wait that times out on a unit queued behind another says what it waits
// for: the queued job and the job it is ordered after.
TEST(Limits, AUnitWaitShowsTheJobsItWaitsFor) {
  SuiteRun run(std::string(kNode) +
               R"(test "t" { m.wait_for_unit("sshd", timeout = 3s) })");
  run["m"].on("-p ActiveState",
              {FakeMachine::ok("ActiveState=inactive\nSubState=dead\nLoadState="
                               "loaded\nResult=success\n")});
  run["m"].on(
      "list-jobs",
      {FakeMachine::ok(
          "JOB UNIT              TYPE  STATE\n"
          "12  sshd.service      start waiting\n"
          "\u2514\u2500 waiting for job 9 (ssh-keygen.service/start)\n")});
  run.run();
  ASSERT_EQ(run.status(), Status::Failed) << run.failure();
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(
      f.message,
      "timed out after 3s waiting for unit `sshd` to become active on `m`");
  EXPECT_NE(f.details.find("12  sshd.service      start waiting"),
            std::string::npos)
      << f.details;
  EXPECT_NE(f.details.find("waiting for job 9 (ssh-keygen.service/start)"),
            std::string::npos)
      << f.details;
  EXPECT_NE(run["m"].commands[1].find("list-jobs --full --after --before"),
            std::string::npos);
}

TEST(Limits, AnInterruptEndsTheRunningTestAndSkipsTheRest) {
  SuiteRun run(std::string(kNode) + R"(test "first" {
  m.succeed("echo one")
}
test "second" {
  m.succeed("echo two")
}
test "third" {
  m.succeed("echo three")
})");
  run["m"].on("echo one", {FakeMachine::ok("one\n")});
  int checks = 0;  // the interrupt comes after the first statement
  run.options.interrupted = [&] { return ++checks > 1; };
  run.run();
  EXPECT_EQ(run.status(0), Status::Passed) << run.failure(0);
  EXPECT_EQ(run.status(1), Status::Error);
  EXPECT_EQ(run.result.tests[1].failure->message, "interrupted");
  EXPECT_EQ(run.status(2), Status::Skipped);
  EXPECT_EQ(run["m"].commands, std::vector<std::string>{"echo one"});
}

TEST(Limits, ReportsMarkAnInterruptedRun) {
  events::RunSummary run;
  events::SuiteResult suite;
  suite.name = "s";
  suite.status = Status::Error;
  run.suites.push_back(suite);
  EXPECT_EQ(report::renderJson(run).find("\"interrupted\""), std::string::npos);
  EXPECT_EQ(report::renderJUnit(run).find("(interrupted)"), std::string::npos);
  run.interrupted = true;
  EXPECT_NE(report::renderJson(run).find("\"interrupted\": true"),
            std::string::npos);
  EXPECT_NE(
      report::renderJUnit(run).find("<testsuites name=\"rig (interrupted)\""),
      std::string::npos);
  std::string page;
  llvm::raw_string_ostream out(page);
  auto html = report::makeHtmlReporter(out);
  html->runFinished(run);
  llvm::cantFail(html->finish());
  out.flush();
  EXPECT_NE(page.find("rig run interrupted"), std::string::npos);
}

}  // namespace
}  // namespace rig::exec
