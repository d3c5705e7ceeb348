// exec::InteractiveSuite (what `rig repl` runs on): inputs in one lasting
// scope, tests on the live machines, m.shell() and interrupts.
#include "runtime/exec/interactive.h"

#include "gtest/gtest.h"
#include "runtime/exec/testing/compile_suite.h"
#include "runtime/exec/testing/suite_runner.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::FakeMachine;
using testing::SuiteRun;

const char* kSuite = R"(node m {}
let base = 40
test "one" { m.succeed("true") }
test "two" { expect 1 == 2 }
test "three" { m.succeed("true") }
)";

// The suite compiled as `rig repl` does (ReplCompiler first: SuiteRun runs
// a copy of its plan), and inputs typed at it.
struct Interactive : testing::ReplCompiler, SuiteRun {
  explicit Interactive(const std::string& source, Interaction interaction = {})
      : ReplCompiler(source),
        SuiteRun(compiled()),
        suite(plan, *machines, options, reporter, clock, interaction) {}
  std::vector<plan::Stmt> input(const std::string& text) {
    return ReplCompiler::input(text, plan);
  }
  InteractiveSuite suite;
};

TEST(Interactive, LetsLastFromOneInputToTheNext) {
  Interactive run(kSuite);
  ASSERT_FALSE(run.suite.evalGlobals());
  EXPECT_FALSE(run.suite.execute(run.input("let x = base + 1")).failure);
  InteractiveSuite::Outcome outcome = run.suite.execute(run.input("x + 1"));
  ASSERT_FALSE(outcome.failure);
  ASSERT_TRUE(outcome.value);
  EXPECT_EQ(outcome.value->repr(), "42");
  // A statement has no value.
  EXPECT_FALSE(run.suite.execute(run.input("let y = 1")).value);
}

TEST(Interactive, AFailureIsReturnedAndLetsBeforeItStay) {
  Interactive run(kSuite);
  // json(): values of the run, not constants the checker folds.
  InteractiveSuite::Outcome outcome = run.suite.execute(
      run.input("let a = json(\"1\")\nexpect a == 2\nlet b = json(\"3\")"));
  ASSERT_TRUE(outcome.failure);
  EXPECT_EQ(outcome.failure->message, "expect failed");
  EXPECT_EQ(run.suite.execute(run.input("a")).value->repr(), "1");
  EXPECT_TRUE(run.suite.execute(run.input("b")).failure);  // never ran
}

TEST(Interactive, RunTestsOnTheLiveMachines) {
  Interactive run(kSuite);
  ASSERT_FALSE(run.suite.execute(run.input("m.start()")).failure);
  events::SuiteResult one = run.suite.runTests({"three"});
  EXPECT_EQ(one.status, Status::Passed);
  ASSERT_EQ(one.tests.size(), 1u);
  events::SuiteResult all = run.suite.runTests({});
  // As in rig run: after the failing test the rest are skipped.
  ASSERT_EQ(all.tests.size(), 3u);
  EXPECT_EQ(all.tests[1].status, Status::Failed);
  EXPECT_EQ(all.tests[2].status, Status::Skipped);
  EXPECT_EQ(all.status, Status::Failed);
  // The machine booted once and still runs.
  EXPECT_EQ(run["m"].starts, 1);
  EXPECT_EQ(run["m"].state(), machine::MachineState::Running);
  EXPECT_FALSE(run.machines->stopped);
  run.suite.stopAll();
  EXPECT_TRUE(run.machines->stopped);
}

TEST(Interactive, ShellStartsTheMachineAndCallsTheFrontEnd) {
  std::vector<std::string> attached;
  Interaction interaction;
  interaction.shell = [&](machine::Machine& machine) -> llvm::Error {
    attached.push_back(machine.name().str() +
                       (machine.state() == machine::MachineState::Running
                            ? " running"
                            : " not running"));
    if (attached.size() == 2)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot connect to the shell socket");
    return llvm::Error::success();
  };
  Interactive run(kSuite, interaction);
  EXPECT_FALSE(run.suite.execute(run.input("m.shell()")).failure);
  InteractiveSuite::Outcome second = run.suite.execute(run.input("m.shell()"));
  ASSERT_TRUE(second.failure);
  EXPECT_EQ(second.failure->message,
            "`m.shell()`: cannot connect to the shell socket");
  EXPECT_EQ(attached, (std::vector<std::string>{"m running", "m running"}));
}

TEST(Interactive, AnInterruptStopsPollsAndSleeps) {
  int checks = 0;
  Interaction interaction;
  // Ctrl-C arrives after a few checks: in the middle of the wait.
  interaction.interrupted = [&] { return ++checks > 3; };
  Interactive run(kSuite, interaction);
  run["m"].on("false", {FakeMachine::status(1)});
  InteractiveSuite::Outcome outcome =
      run.suite.execute(run.input("m.wait_until_succeeds(\"false\")"));
  ASSERT_TRUE(outcome.failure);
  EXPECT_EQ(outcome.failure->message, "interrupted");
  // It gave up long before the 900 s default timeout.
  EXPECT_LT(run.clock.slept(), 10'000);
}

}  // namespace
}  // namespace rig::exec
