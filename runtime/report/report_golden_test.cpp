// Golden tests of every report format: one recorded event stream (a pass, a
// failure with a diff, a skip, an infrastructure error, a suite that could
// not start; node phases, nested steps and console lines with escapes and
// invalid UTF-8) replayed into each reporter; the output is compared with
// tests/testdata/report/*. Times and the checkout path are normalised first.
// RIG_UPDATE_GOLDEN=1 rewrites the files.
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/report/golden_testing.h"
#include "runtime/report/reporter.h"
#include "runtime/report/terminal.h"

namespace rig::report {
namespace {

SuiteInfo todosInfo() {
  return {"todos",
          std::string(kRoot) + "specs/todos.rig",
          {"served", "lists todos", "deletes"},
          {"server", "client"}};
}
SuiteInfo clusterInfo() {
  return {"cluster",
          std::string(kRoot) + "specs/cluster.rig",
          {"replicates"},
          {"db1", "db2"}};
}
SuiteInfo missingInfo() {
  return {
      "missing", std::string(kRoot) + "specs/missing.rig", {"works"}, {"box"}};
}

StepInfo step(const char* test, const char* subtest, const char* text,
              const char* location, const char* node, double startMs,
              bool wait = false) {
  return {test, subtest, text, location, node, startMs, wait};
}

void steps(Reporter& r, const SuiteInfo& s, StepInfo info, Status status,
           double durationMs) {
  r.stepStarted(s, info);
  r.stepFinished(s, {info, status, durationMs});
}

// The events of a run as the executor sends them; returns the summary.
// Times (startMs, atMs) are milliseconds since the run started.
RunSummary replay(Reporter& r) {
  RunSummary run;
  r.runStarted(3, 1);

  SuiteInfo todos = todosInfo();
  SuiteResult todosResult{todos.name, todos.path, Status::Failed,
                          14321.987,  {},         std::nullopt};
  r.suiteStarted(todos);
  r.testStarted(todos, "served");
  StepInfo startAll =
      step("served", "", "start_all()", "todos.rig:12:3", "", 110);
  r.stepStarted(todos, startAll);
  r.nodeChanged(todos, {"server", NodePhase::Booting, 120, "", "vm"});
  r.nodeChanged(todos, {"client", NodePhase::Booting, 125, "", "container"});
  r.consoleLine(todos, "server", "[    0.000000] Linux version 6.1.0-28-amd64",
                700);
  r.consoleLine(todos, "client", "[    0.000000] Linux version 6.1.0-28-amd64",
                750);
  r.consoleLine(todos, "server",
                "[\x1b[0;32m  OK  \x1b[0m] Started "
                "\x1b[0;1;39mtodo-server.service\x1b[0m.",
                6000);
  r.nodeChanged(todos, {"server", NodePhase::Ready, 7000, "", ""});
  r.nodeChanged(todos, {"client", NodePhase::Ready, 7600, "", ""});
  r.stepFinished(todos, {startAll, Status::Passed, 7590});
  steps(r, todos,
        step("served", "", "server.wait_for_unit(\"todo-server.service\")",
             "todos.rig:13:3", "server", 7710, true),
        Status::Passed, 900);
  r.log(todos, "served", "port 8080 open");
  StepInfo get =
      step("served", "", "subtest \"GET /\"", "todos.rig:15:3", "client", 8620);
  r.stepStarted(todos, get);
  steps(r, todos,
        step("served", "GET /",
             "expect client.succeed(\"curl -sf server:8080/\") == \"ok\\n\"",
             "todos.rig:16:5", "client", 8620),
        Status::Passed, 980);
  r.stepFinished(todos, {get, Status::Passed, 990});
  SubtestResult sub{"GET /", Status::Passed, 990, std::nullopt};
  r.subtestFinished(todos, "served", sub);
  TestResult served{"served",     Status::Passed, 9500,
                    std::nullopt, {sub},          {"port 8080 open"}};
  r.testFinished(todos, served);
  todosResult.tests.push_back(served);

  r.testStarted(todos, "lists todos");
  // An `eventually` whose first attempt failed (the steps of later attempts
  // are not reported), then a failing expect inside a fn.
  StepInfo eventually = step("lists todos", "", "eventually 30s",
                             "todos.rig:20:3", "server", 9700, true);
  r.stepStarted(todos, eventually);
  steps(r, todos,
        step("lists todos", "",
             "expect server.succeed(\"todo-cli count\") == \"2\\n\"",
             "todos.rig:21:5", "server", 9700),
        Status::Failed, 300);
  r.stepFinished(todos, {eventually, Status::Passed, 2100});
  StepInfo check =
      step("lists todos", "", "check(client.succeed(\"curl -s server/todos\"))",
           "todos.rig:25:3", "client", 11800);
  r.stepStarted(todos, check);
  steps(r, todos,
        step("lists todos", "", "expect got == want", "todos.rig:40:5", "",
             14250),
        Status::Failed, 2);
  r.stepFinished(todos, {check, Status::Failed, 2460});
  r.consoleLine(todos, "client", "curl: (7) Failed \a to connect\x01", 12500);
  r.consoleLine(todos, "server", "todo-server: bad bytes \xff\xfe and <b>&</b>",
                13000);
  Failure diff{
      "expect failed: output differs",
      "todos.rig:25:3",
      "  25 |   expect client.run(\"curl -s server/todos\") == want\n"
      "     |   ^",
      "--- want\n+++ got\n@@ -1,2 +1,2 @@\n buy milk\n-walk dog\n+walk cat",
      {"in fn `check` called at todos.rig:40:5"},
      {{"server", "todo-server: GET /todos 200\ntodo-server: 2 items"}}};
  TestResult lists{"lists todos", Status::Failed, 4560.25, diff, {}, {}};
  r.testFinished(todos, lists);
  todosResult.tests.push_back(lists);

  TestResult deletes{"deletes", Status::Skipped, 0, std::nullopt, {}, {}};
  r.testFinished(todos, deletes);
  todosResult.tests.push_back(deletes);
  r.nodeChanged(todos, {"server", NodePhase::Stopped, 14400, "", ""});
  r.nodeChanged(todos, {"client", NodePhase::Stopped, 14400, "", ""});
  r.suiteFinished(todosResult);
  run.suites.push_back(todosResult);

  SuiteInfo cluster = clusterInfo();
  r.suiteStarted(cluster);
  r.testStarted(cluster, "replicates");
  StepInfo promote = step("replicates", "", "db1.succeed(\"pg_ctl promote\")",
                          "cluster.rig:9:3", "db1", 14500);
  r.stepStarted(cluster, promote);
  r.nodeChanged(cluster, {"db1", NodePhase::Booting, 14500, "", "vm"});
  r.nodeChanged(cluster, {"db1", NodePhase::Ready, 25500, "", ""});
  r.stepFinished(cluster, {promote, Status::Passed, 11500});
  StepInfo replica =
      step("replicates", "", "db2.wait_until_succeeds(\"psql -c 'select 1'\")",
           "cluster.rig:10:3", "db2", 26000, true);
  r.stepStarted(cluster, replica);
  r.nodeChanged(cluster, {"db2", NodePhase::Booting, 26000, "", "vm"});
  r.nodeChanged(cluster, {"db2", NodePhase::Ready, 37000, "", ""});
  r.consoleLine(cluster, "db2",
                "[   3.1] Kernel panic - not syncing: <oops> & \"x\"", 74200);
  r.nodeChanged(cluster,
                {"db2", NodePhase::Failed, 74600, "died unexpectedly", ""});
  r.stepFinished(cluster, {replica, Status::Error, 48800});
  Failure gone{
      "machine db2 stopped answering: the agent is gone",
      "",
      "",
      "",
      {},
      {{"db2", "[   3.1] Kernel panic - not syncing: <oops> & \"x\"\n"}}};
  TestResult replicates{"replicates", Status::Error, 60000.5, gone, {}, {}};
  r.testFinished(cluster, replicates);
  r.nodeChanged(cluster, {"db1", NodePhase::Stopped, 75300, "", ""});
  SuiteResult clusterResult{cluster.name, cluster.path, Status::Error,
                            61000.75,     {replicates}, std::nullopt};
  r.suiteFinished(clusterResult);
  run.suites.push_back(clusterResult);

  SuiteInfo missing = missingInfo();
  r.suiteStarted(missing);
  SuiteResult missingResult{
      missing.name,
      missing.path,
      Status::Error,
      3.5,
      {},
      Failure{"host package `qemu-system-arm` is not installed",
              "",
              "",
              "install it with apt-get",
              {},
              {}}};
  r.suiteFinished(missingResult);
  run.suites.push_back(missingResult);

  run.durationMs = 75326.237;
  r.runFinished(run);
  return run;
}

std::string through(std::unique_ptr<Reporter> (*make)(llvm::raw_ostream&)) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto reporter = make(os);
  replay(*reporter);
  EXPECT_FALSE(static_cast<bool>(reporter->finish()));
  return os.str();
}

TEST(ReportGolden, Tap) { checkGolden("run.tap", through(makeTapReporter)); }

TEST(ReportGolden, Events) {
  checkGolden("events.ndjson", through(makeEventsReporter));
}

TEST(ReportGolden, Html) {
  checkGolden("report.html", through(makeHtmlReporter));
}

// Console text is whatever a guest wrote: nothing of it may become markup,
// and invalid UTF-8 or control characters must not reach the page raw.
TEST(ReportGolden, HtmlEscapesConsoleText) {
  std::string page = through(makeHtmlReporter);
  EXPECT_EQ(page.find("<b>&</b>"), std::string::npos);
  EXPECT_NE(
      page.find(
          "todo-server: bad bytes \uFFFD\uFFFD and &lt;b&gt;&amp;&lt;/b&gt;"),
      std::string::npos);
  EXPECT_NE(page.find("curl: (7) Failed \u2407 to connect\u2401"),
            std::string::npos);
  EXPECT_NE(page.find("[  OK  ] Started todo-server.service."),
            std::string::npos);
  for (char c : page)
    EXPECT_FALSE((c >= 0 && c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        << "control character " << int(c) << " in the page";
  // Self-contained: no URL that a browser would fetch.
  for (const char* fetch : {"src=", "<link", "@import", "url(http", "//cdn"})
    EXPECT_EQ(page.find(fetch), std::string::npos) << fetch;
}

TEST(ReportGolden, Github) {
  checkGolden("github.txt", through(makeGithubReporter));
}

TEST(ReportGolden, Terminal) {
  std::string out;
  llvm::raw_string_ostream os(out);
  TerminalOptions options;
  options.verbosity = 1;
  auto terminal = makeTerminalReporter(os, options);
  replay(*terminal);
  checkGolden("terminal.txt", os.str());
}

class NullReporter : public Reporter {};

TEST(ReportGolden, Json) {
  NullReporter null;
  checkGolden("run.json", renderJson(replay(null)));
}

TEST(ReportGolden, JUnit) {
  NullReporter null;
  JUnitContext where;
  where.hostname = "ci-runner";
  where.startedAt[std::string(kRoot) + "specs/todos.rig\ntodos"] =
      "2026-11-30T08:00:00";
  checkGolden("junit.xml", renderJUnit(replay(null), where));
}

// The file reporters write what the render functions return.
TEST(ReportGolden, FileReporters) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-report", dir));
  std::string json = std::string(dir) + "/r.json";
  std::string events = std::string(dir) + "/e.ndjson";
  std::string page = std::string(dir) + "/r.html";
  MultiReporter all;
  all.add(makeJsonReporter(json));
  all.add(makeEventsReporter(events));
  all.add(makeHtmlReporter(page));
  RunSummary run = replay(all);
  ASSERT_FALSE(static_cast<bool>(all.finish()));
  auto read = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  EXPECT_EQ(read(json), renderJson(run));
  EXPECT_EQ(read(events), through(makeEventsReporter));
  EXPECT_EQ(read(page), through(makeHtmlReporter));
  llvm::sys::fs::remove_directories(dir);

  auto bad = makeJsonReporter("/nonexistent-dir/r.json");
  NullReporter null;
  bad->runFinished(replay(null));
  llvm::Error error = bad->finish();
  EXPECT_TRUE(static_cast<bool>(error));
  llvm::consumeError(std::move(error));

  auto badPage = makeHtmlReporter("/nonexistent-dir/r.html");
  replay(*badPage);
  llvm::Error pageError = badPage->finish();
  ASSERT_TRUE(static_cast<bool>(pageError));
  EXPECT_NE(
      llvm::toString(std::move(pageError)).find("cannot write HTML report"),
      std::string::npos);
}

TEST(ReportGolden, ParseLocation) {
  auto loc = parseLocation("specs/a.rig:25:3");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->file, "specs/a.rig");
  EXPECT_EQ(loc->line, 25u);
  EXPECT_EQ(loc->col, 3u);
  EXPECT_FALSE(parseLocation(""));
  EXPECT_FALSE(parseLocation("a.rig:x:3"));
}

}  // namespace
}  // namespace rig::report
