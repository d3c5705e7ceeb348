// The events the executor sends besides results (docs/reports.md, the event
// stream): steps at every level, node phases, console lines, and their times.
#include "gtest/gtest.h"
#include "runtime/exec/testing/suite_runner.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::FakeMachine;
using testing::SuiteRun;

// "text [node] @start+duration status" for each finished step, in the order
// they finished; the nesting shows as indentation by start order below.
std::vector<std::string> finished(const SuiteRun& run) {
  std::vector<std::string> out;
  for (const events::StepResult& r : run.reporter.stepsFinished)
    out.push_back(r.step.text +
                  (r.step.node.empty() ? "" : " [" + r.step.node + "]") +
                  (r.step.wait ? " wait" : "") + " @" +
                  std::to_string(static_cast<long long>(r.step.startMs)) + "+" +
                  std::to_string(static_cast<long long>(r.durationMs)) + " " +
                  events::statusName(r.status).str());
  return out;
}

TEST(StepEvents, EveryStatementAtEveryLevel) {
  SuiteRun run(R"(node server {}
node client {}
fn fetch(m, path) {
  let out = m.succeed("curl " + path)
  return out
}
test "t" {
  server.wait_for_unit("web.service")
  subtest "get" {
    expect fetch(client, "/") == "ok"
  }
  for p in ["/a"] {
    if true { log(p) }
  }
})");
  run["server"].on("systemctl",
                   {FakeMachine::ok("ActiveState=active\nSubState=running\n")});
  run["client"].on("curl", {FakeMachine::ok("ok")});
  run["client"].commandMs = 100;
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(
      finished(run),
      (std::vector<std::string>{
          "server.wait_for_unit(\"web.service\") [server] wait @0+0 passed",
          "let out = m.succeed(\"curl \" + path) [client] @0+100 passed",
          "return out @100+0 passed",
          "expect fetch(client, \"/\") == \"ok\" [client] @0+100 passed",
          "subtest \"get\" [client] @0+100 passed",
          "log(p) @100+0 passed",
          "if true @100+0 passed",
          "for p in [\"/a\"] @100+0 passed",
      }));
  // Starts come outermost first; each knows its test and innermost subtest.
  ASSERT_EQ(run.reporter.stepsStarted.size(), 8u);
  const events::StepInfo& inner = run.reporter.stepsStarted[3];
  EXPECT_EQ(inner.text, "let out = m.succeed(\"curl \" + path)");
  EXPECT_EQ(inner.test, "t");
  EXPECT_EQ(inner.subtest, "get");
  EXPECT_EQ(inner.location, "t.rig:4:3");
  EXPECT_EQ(run.reporter.stepsStarted[1].subtest, "");
  EXPECT_EQ(run.reporter.stepsStarted[1].text, "subtest \"get\"");
}

TEST(StepEvents, AFailingStepAndItsParentsFail) {
  SuiteRun run(R"(node m {}
test "t" {
  subtest "s" {
    m.succeed("false")
  }
})");
  run["m"].on("false", {FakeMachine::status(1)});
  run.run();
  EXPECT_EQ(finished(run), (std::vector<std::string>{
                               "m.succeed(\"false\") [m] @0+0 failed",
                               "subtest \"s\" [m] @0+0 failed",
                           }));
}

// An eventually block polled many times reports its steps once (the first
// attempt); the eventually step spans every attempt.
TEST(StepEvents, EventuallyReportsOnlyItsFirstAttempt) {
  SuiteRun run(R"(node m {}
test "t" {
  eventually 10s {
    expect m.succeed("cat /count") == "3"
  }
})");
  run["m"].on("cat /count", {FakeMachine::ok("1"), FakeMachine::ok("2"),
                             FakeMachine::ok("3")});
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(finished(run),
            (std::vector<std::string>{
                "expect m.succeed(\"cat /count\") == \"3\" [m] @0+0 failed",
                "eventually 10s [m] wait @0+2000 passed",
            }));
}

TEST(StepEvents, NoStepsOutsideTests) {
  SuiteRun run(R"(fn one() { return 1 }
let x = one()
test "t" { expect x == 1 })");
  run.run();
  EXPECT_EQ(finished(run),
            (std::vector<std::string>{"expect x == 1 @0+0 passed"}));
}

TEST(NodeEvents, BootReadyAndStoppedAtTheEnd) {
  SuiteRun run(R"(node a {}
node b {}
test "t" {
  start_all()
  a.crash()
  a.succeed("true")
})");
  run["a"].commandMs = 50;
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  std::vector<std::string> nodes = run.reporter.nodes;
  // start_all boots in parallel: each node's booting and ready come from its
  // own thread, so only each node's own order is fixed.
  ASSERT_EQ(nodes.size(), 9u) << ::testing::PrintToString(nodes);
  std::vector<std::string> bootA, bootB;
  for (size_t i = 0; i < 4; ++i)
    (nodes[i][0] == 'a' ? bootA : bootB).push_back(nodes[i]);
  EXPECT_EQ(bootA, (std::vector<std::string>{"a booting @0", "a ready @0"}));
  EXPECT_EQ(bootB, (std::vector<std::string>{"b booting @0", "b ready @0"}));
  // crash stops a; the next command boots it again; the suite's end stops
  // every node that is still up.
  EXPECT_EQ(
      std::vector<std::string>(nodes.begin() + 4, nodes.end()),
      (std::vector<std::string>{"a stopped @0", "a booting @0", "a ready @0",
                                "a stopped @50", "b stopped @50"}));
}

TEST(NodeEvents, BootFailure) {
  SuiteRun run(R"(node a {}
test "boot" { a.succeed("true") })");
  run["a"].bootError = "no answer from the agent within 60 s\nmore lines";
  run.run();
  EXPECT_EQ(run.status(), Status::Error);
  EXPECT_EQ(run.reporter.nodes,
            (std::vector<std::string>{
                "a booting @0",
                "a failed @0: no answer from the agent within 60 s",
            }));
}

TEST(NodeEvents, Death) {
  SuiteRun run(R"(node b {}
test "dies" { b.succeed("boom") })");
  run["b"].dieOnCommand = "boom";
  run.run();
  EXPECT_EQ(run.reporter.nodes,
            (std::vector<std::string>{"b booting @0", "b ready @0",
                                      "b failed @0: died unexpectedly"}));
  EXPECT_EQ(run.reporter.console.back(),
            "b @0: Kernel panic - not syncing: Attempted to kill init!");
}

TEST(ConsoleEvents, LinesComeWithTheirNodeAndTime) {
  SuiteRun run(R"(node m {}
test "t" { m.succeed("step one") m.succeed("step two") })");
  run["m"].commandMs = 250;
  run["m"].consoleOnCommand = {{"step two", "m: step two ran"}};
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run.reporter.console, (std::vector<std::string>{
                                      "m @0: [    0.000000] Linux version fake",
                                      "m @0: rig-guest: agent ready",
                                      "m @250: m: step two ran",
                                  }));
}

// Times are since the run's start when the orchestrator gives one.
TEST(ConsoleEvents, TimesAreSinceTheRunStarted) {
  SuiteRun run(R"(node m {}
test "t" { m.succeed("x") })");
  double suiteStart = run.clock.nowMs();
  run.result = runSuite(run.plan, *run.machines, run.options, run.reporter,
                        run.clock, suiteStart - 1500);
  EXPECT_EQ(run.reporter.console.at(0),
            "m @1500: [    0.000000] Linux version fake");
  EXPECT_EQ(run.reporter.nodes.at(0), "m booting @1500");
  EXPECT_EQ(run.reporter.stepsStarted.at(0).startMs, 1500);
}

}  // namespace
}  // namespace rig::exec
