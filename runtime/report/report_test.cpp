#include "gtest/gtest.h"
#include "runtime/report/reporter.h"

namespace rig::report {
namespace {

RunSummary sample() {
  RunSummary run;
  SuiteResult suite;
  suite.name = "todos";
  suite.path = "tests/todos.rig";
  suite.status = Status::Failed;
  suite.durationMs = 12500;
  TestResult ok;
  ok.name = "served";
  ok.durationMs = 1000;
  TestResult bad;
  bad.name = "a <b> & \"c\"";
  bad.status = Status::Failed;
  bad.durationMs = 250;
  bad.failure = Failure{"expect failed", "todos.rig:3:10", "   3 | x\n     | ^",
                        "x = 1", {}, {{"server", "line1\nline2\n"}}};
  bad.log = {"hello"};
  TestResult skipped;
  skipped.name = "later";
  skipped.status = Status::Skipped;
  suite.tests = {ok, bad, skipped};
  run.suites.push_back(suite);
  run.durationMs = 12500;
  return run;
}

TEST(Report, ExitCodes) {
  RunSummary run = sample();
  EXPECT_EQ(exitCode(run), 1);
  run.suites[0].tests[1].status = Status::Passed;
  run.suites[0].status = Status::Passed;
  EXPECT_EQ(exitCode(run), 0);
  run.suites[0].tests[0].status = Status::Error;
  EXPECT_EQ(exitCode(run), 3);
}

TEST(Report, RenderFailure) {
  EXPECT_EQ(renderFailure(*sample().suites[0].tests[1].failure, "  "),
            "  todos.rig:3:10: expect failed\n"
            "     3 | x\n"
            "       | ^\n"
            "  x = 1\n"
            "  console of server (last 2 lines):\n"
            "    | line1\n"
            "    | line2\n");
}

TEST(Report, JUnit) {
  EXPECT_EQ(renderJUnit(sample()),
            R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="rig" tests="3" failures="1" errors="0" skipped="1" time="12.500">
  <testsuite name="todos" tests="3" failures="1" errors="0" skipped="1" time="12.500" file="tests/todos.rig">
    <testcase name="served" classname="tests/todos.rig" time="1.000"/>
    <testcase name="a &lt;b&gt; &amp; &quot;c&quot;" classname="tests/todos.rig" time="0.250">
      <failure message="todos.rig:3:10: expect failed">todos.rig:3:10: expect failed
   3 | x
     | ^
x = 1
</failure>
      <system-out>hello
console of server:
line1
line2
</system-out>
    </testcase>
    <testcase name="later" classname="tests/todos.rig" time="0.000">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>
)");
}

TEST(Report, TerminalParallelPrefixesLines) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto terminal = makeTerminalReporter(os, {});
  terminal->runStarted(2, 2);
  SuiteInfo info{"todos", "todos.rig", {"served"}, {"server"}};
  terminal->suiteStarted(info);
  TestResult ok;
  ok.name = "served";
  ok.durationMs = 1500;
  terminal->testFinished(info, ok);
  EXPECT_EQ(os.str(),
            "[todos] suite todos (1 test, nodes: server)\n"
            "[todos]   PASS served (1.5s)\n");
}

}  // namespace
}  // namespace rig::report
