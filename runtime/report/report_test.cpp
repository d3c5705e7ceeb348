#include "gtest/gtest.h"
#include "runtime/report/plain_text.h"
#include "runtime/report/reporter.h"
#include "runtime/report/terminal.h"

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
  bad.failure = Failure{"expect failed",
                        "todos.rig:3:10",
                        "   3 | x\n     | ^",
                        "x = 1",
                        {},
                        {{"server", "line1\nline2\n"}}};
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
<testsuites name="rig" tests="3" failures="1" errors="0" time="12.500">
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
      <skipped message="not run after an earlier failure"/>
    </testcase>
  </testsuite>
</testsuites>
)");
}

// Subtests are testcases of their own (`test / subtest`) and count in the
// totals; console text loses escape sequences and control characters, and
// invalid UTF-8 becomes U+FFFD, so that the XML stays well-formed.
TEST(Report, JUnitSubtestsAndConsoleText) {
  RunSummary run = sample();
  run.suites[0].tests[0].subtests = {
      {"GET /", Status::Passed, 20, std::nullopt},
      {"POST", Status::Failed, 30,
       Failure{"expect failed", "", "", "", {}, {}}}};
  run.suites[0].tests[1].failure->consoles = {
      {"server",
       "[\x1b[0;32m  OK  \x1b[0m] up\x07\x01 \x1b]0;title\x07"
       "bad\xff\r\n"}};
  std::string xml = renderJUnit(run);
  EXPECT_NE(xml.find("<testsuite name=\"todos\" tests=\"5\" failures=\"2\" "
                     "errors=\"0\" skipped=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"served / GET /\" "
                     "classname=\"tests/todos.rig\" time=\"0.020\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"served / POST\" "
                     "classname=\"tests/todos.rig\" time=\"0.030\">\n"
                     "      <failure message=\"expect failed\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("console of server:\n[  OK  ] up bad\xEF\xBF\xBD\n"),
            std::string::npos)
      << xml;
  for (char c : xml)
    EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20)
        << int(static_cast<unsigned char>(c));
}

TEST(Report, PlainText) {
  EXPECT_EQ(plainText("a\x1b[1;31mred\x1b[0m\tb\n"), "ared\tb\n");
  EXPECT_EQ(plainText("\x1b]0;title\x07x\x1b]2;t\x1b\\y\x1b"
                      "cz"),
            "xyz");
  EXPECT_EQ(plainText("caf\xC3\xA9 \xC0\xAF \xED\xA0\x80 \xEF\xBF\xBF"),
            "caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD"
            "\xEF\xBF\xBD \xEF\xBF\xBD");
  EXPECT_EQ(plainText("\x01\x7F\xC2\x9Bok\r"), "ok");
  EXPECT_EQ(displayWidth("caf\xC3\xA9"), 4u);
  EXPECT_EQ(fitColumns("caf\xC3\xA9s", 4), "caf\xC3\xA9");
  EXPECT_EQ(fitColumns("abc", 5), "abc");
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
