// Test order, skipping, keep-going, eventually, subtests, suite timeout, and
// several suites at once.

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/exec/host_packages.h"
#include "runtime/exec/testing/compile_suite.h"
#include "runtime/exec/testing/suite_runner.h"
#include "runtime/report/terminal.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::FakeMachine;
using testing::SuiteRun;

const char* kThree = R"(node m {}
test "one" { m.succeed("true") }
test "two" { expect 1 == 2 }
test "three" { m.succeed("true") }
)";

// `text` with each duration ("1.5s") replaced by "Ts".
std::string blankDurations(llvm::StringRef text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    while (j < text.size() && llvm::isDigit(text[j])) ++j;
    if (j > i && text.substr(j).size() >= 3 && text[j] == '.' &&
        llvm::isDigit(text[j + 1]) && text[j + 2] == 's') {
      out += "Ts";
      i = j + 3;
    } else if (j > i) {
      out += text.substr(i, j - i).str();
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

TEST(Suite, SkipsAfterAFailingTest) {
  SuiteRun run(kThree);
  run.run();
  EXPECT_EQ(run.status(0), Status::Passed);
  EXPECT_EQ(run.status(1), Status::Failed);
  EXPECT_EQ(run.status(2), Status::Skipped);
  EXPECT_EQ(run.result.status, Status::Failed);
  EXPECT_EQ(run.reporter.events,
            (std::vector<std::string>{"suite started: t", "test started: one",
                                      "test passed: one", "test started: two",
                                      "test failed: two", "test skipped: three",
                                      "suite failed: t"}));
}

TEST(Suite, KeepGoingRunsTheRest) {
  SuiteRun run(kThree);
  run.options.keepGoing = true;
  run.run();
  EXPECT_EQ(run.status(2), Status::Passed);
  EXPECT_EQ(run["m"].starts, 1);  // the same machine for every test
}

TEST(Suite, KeepVmsOnFailureKeepsInsteadOfStopping) {
  SuiteRun run(kThree);
  run.options.keepVmsOnFailure = true;
  run.run();
  EXPECT_EQ(run.result.status, Status::Failed);
  EXPECT_EQ(run.machines->keepCalls, 1);
  EXPECT_FALSE(run.machines->stopped);
}

TEST(Suite, KeepVmsOnFailureStopsWhenNothingWasKept) {
  SuiteRun run(kThree);
  run.options.keepVmsOnFailure = true;
  run.machines->keepWorks = false;
  run.run();
  EXPECT_EQ(run.machines->keepCalls, 1);
  EXPECT_TRUE(run.machines->stopped);
}

TEST(Suite, KeepVmsOnFailureStopsAPassingSuite) {
  SuiteRun run(R"(node m {}
test "one" { m.succeed("true") })");
  run.options.keepVmsOnFailure = true;
  run.run();
  EXPECT_EQ(run.result.status, Status::Passed);
  EXPECT_EQ(run.machines->keepCalls, 0);
  EXPECT_TRUE(run.machines->stopped);
}

TEST(Suite, WithoutTheFlagAFailedSuiteStops) {
  SuiteRun run(kThree);
  run.run();
  EXPECT_EQ(run.machines->keepCalls, 0);
  EXPECT_TRUE(run.machines->stopped);
}

TEST(Suite, FailingGlobalFailsTheSuite) {
  SuiteRun run(R"(let x = json("nope")
test "a" { expect true })");
  run.run();
  EXPECT_EQ(run.status(0), Status::Skipped);
  ASSERT_TRUE(run.result.error);
  EXPECT_EQ(run.result.error->message,
            "global `x`: json: not valid JSON: Invalid JSON value (null?)");
  EXPECT_EQ(run.result.status, Status::Failed);
}

TEST(Eventually, RetriesUntilTheBlockPasses) {
  SuiteRun run(R"(node m {}
test "t" {
  eventually 10s {
    let out = m.succeed("cat /count")
    expect out == "3"
  }
})");
  run["m"].on("cat /count", {FakeMachine::ok("1"), FakeMachine::ok("2"),
                             FakeMachine::ok("3")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["m"].commands.size(), 3u);
  EXPECT_EQ(run.clock.slept(), 2000);
}

TEST(Eventually, TimeoutShowsTheLastFailure) {
  SuiteRun run(R"(node m {}
test "t" {
  eventually 3s {
    expect m.succeed("cat /count") == "3"
  }
})");
  run["m"].on("cat /count", {FakeMachine::ok("1"), FakeMachine::ok("2")});
  run.run();
  EXPECT_EQ(
      run.failure(),
      R"(t.rig:3:3: eventually: the block did not pass within 3s (4 attempts)
   3 |   eventually 3s {
     |   ^~~~~~~~~~~~~~~
last failure: t.rig:4:12: expect failed
   4 |     expect m.succeed("cat /count") == "3"
     |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
m.succeed("cat /count") = "2"
console of m (last 2 lines):
  | [    0.000000] Linux version fake
  | rig-guest: agent ready
)");
}

TEST(Eventually, DefaultTimeoutFromThePlan) {
  lower::Options options;  // rig.toml's [run] eventually_timeout
  options.eventuallyTimeoutMs = 5'000;
  SuiteRun run(R"(test "t" { eventually { fail("never") } })", options);
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "eventually: the block did not pass within 5s (6 attempts)");
}

TEST(Eventually, DoesNotRetryInfrastructureErrors) {
  SuiteRun run(R"(node m {}
test "t" { eventually 1m { m.succeed("true") } })");
  run["m"].bootError = "no";
  run.run();
  EXPECT_EQ(run.status(), Status::Error);
  EXPECT_EQ(run["m"].starts, 1);
}

TEST(Subtest, ReportedOnItsOwn) {
  SuiteRun run(R"(test "t" {
  subtest "first" { expect true }
  subtest "second" { expect 1 == 2 }
  subtest "never" { expect true }
})");
  run.run();
  EXPECT_EQ(run.status(), Status::Failed);
  ASSERT_EQ(run.result.tests[0].subtests.size(), 2u);
  EXPECT_EQ(run.result.tests[0].subtests[0].status, Status::Passed);
  EXPECT_EQ(run.result.tests[0].subtests[1].status, Status::Failed);
  EXPECT_EQ(run.result.tests[0].failure->message,
            "subtest \"second\": expect failed");
  EXPECT_EQ(run.reporter.events[2], "subtest passed: first");
  EXPECT_EQ(run.reporter.events[3], "subtest failed: second");
}

TEST(Suite, SuiteTimeout) {
  SuiteRun run(R"(node m {}
meta { timeout = 10s }
test "a" { m.wait_until_succeeds("false") }
test "b" { expect true })");
  run["m"].on("false", {FakeMachine::status(1)});
  run.options.keepGoing = true;
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "suite timeout of 10s reached");
  EXPECT_EQ(run.status(1), Status::Skipped);
}

// ---- Several suites --------------------------------------------------------

plan::Plan parse(const std::string& text, const std::string& path) {
  auto p = testing::compileSuite(text, path);
  if (!p) {
    ADD_FAILURE() << llvm::toString(p.takeError());
    return plan::Plan();
  }
  return std::move(*p);
}

TEST(Run, SuitesInParallelAndExitCodes) {
  testing::FakeClock clock;
  testing::FakeFactory factory(&clock);
  std::vector<plan::Plan> plans = {
      parse("node a {}\ntest \"x\" { a.succeed(\"true\") }", "one.rig"),
      parse("node b {}\ntest \"y\" { b.succeed(\"true\") }", "two.rig"),
      parse("test \"z\" { expect true }", "three.rig")};
  testing::RecordingReporter reporter;
  RunOptions options;
  options.jobs = 2;
  events::RunSummary summary =
      runSuites(plans, factory, options, reporter, clock);
  ASSERT_EQ(summary.suites.size(), 3u);
  EXPECT_EQ(summary.suites[0].name, "one");
  EXPECT_EQ(summary.suites[2].name, "three");
  EXPECT_EQ(events::exitCode(summary), 0);

  plans.push_back(parse("test \"f\" { expect false }", "four.rig"));
  summary = runSuites(plans, factory, options, reporter, clock);
  EXPECT_EQ(events::exitCode(summary), 1);

  factory.error = "missing host package: redis-server";
  summary = runSuites(plans, factory, options, reporter, clock);
  EXPECT_EQ(events::exitCode(summary), 3);
  EXPECT_EQ(summary.suites[0].error->details,
            "missing host package: redis-server");
  EXPECT_EQ(summary.suites[0].tests[0].status, Status::Skipped);
}

TEST(Run, MissingHostPackageIsAnInfrastructureFailure) {
  testing::FakeClock clock;
  testing::FakeFactory fakes(&clock);
  HostPackageCheck factory(fakes, [](llvm::ArrayRef<std::string> names) {
    return llvm::Expected<std::vector<std::string>>(
        std::vector<std::string>{"redis-server"});
  });
  plan::Plan p =
      parse("node a {}\ntest \"x\" { a.succeed(\"true\") }", "one.rig");
  p.hostPackages = {"curl", "redis-server"};
  std::vector<plan::Plan> plans = {p};
  testing::RecordingReporter reporter;
  events::RunSummary summary = runSuites(plans, factory, {}, reporter, clock);
  EXPECT_EQ(events::exitCode(summary), 3);
  EXPECT_EQ(
      summary.suites[0].error->details,
      "the host lacks package redis-server that the nodes use (the guests "
      "see the host's /usr): apt-get install redis-server");
}

// The executor's events, rendered by the terminal reporter.
TEST(Run, TerminalOutputAndExitCode) {
  testing::FakeClock clock;
  testing::FakeFactory factory(&clock);
  std::vector<plan::Plan> plans = {
      parse("test \"ok\" { expect true }\ntest \"bad\" {\n  expect json(\"1\") "
            "+ 1 == 3\n}\ntest \"later\" { expect true }\n",
            "s.rig")};
  std::string out;
  llvm::raw_string_ostream os(out);
  std::unique_ptr<report::Reporter> terminal =
      report::makeTerminalReporter(os, report::TerminalOptions());
  events::RunSummary summary =
      runSuites(plans, factory, RunOptions(), *terminal, clock);
  EXPECT_EQ(events::exitCode(summary), 1);
  // Durations are real time here; blank them.
  std::string text = blankDurations(os.str());
  EXPECT_EQ(text, R"(suite s (3 tests)
  RUN  ok
  PASS ok (Ts)
  RUN  bad
  FAIL bad (Ts)
        s.rig:3:10: expect failed
           3 |   expect json("1") + 1 == 3
             |          ^~~~~~~~~~~~~~~~~~
        json("1") + 1 = 2
  SKIP later

failed:
  FAIL  s.rig:3: bad: expect failed
s: 1 passed, 1 failed, 1 skipped in Ts
)");
}

}  // namespace
}  // namespace rig::exec
