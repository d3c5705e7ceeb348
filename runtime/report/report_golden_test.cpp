// Golden tests of every report format: one recorded event stream (a pass, a
// failure with a diff, a skip, an infrastructure error, a suite that could
// not start) replayed into each reporter; the output is compared with
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
  return {"todos", std::string(kRoot) + "specs/todos.rig",
          {"served", "lists todos", "deletes"}, {"server", "client"}};
}
SuiteInfo clusterInfo() {
  return {"cluster", std::string(kRoot) + "specs/cluster.rig", {"replicates"},
          {"db1", "db2"}};
}
SuiteInfo missingInfo() {
  return {"missing", std::string(kRoot) + "specs/missing.rig", {"works"},
          {"box"}};
}

// The events of a run as the executor sends them; returns the summary.
RunSummary replay(Reporter& r) {
  RunSummary run;
  r.runStarted(3, 1);

  SuiteInfo todos = todosInfo();
  SuiteResult todosResult{todos.name, todos.path, Status::Failed, 14321.987,
                          {}, std::nullopt};
  r.suiteStarted(todos);
  r.testStarted(todos, "served");
  r.log(todos, "served", "port 8080 open");
  SubtestResult sub{"GET /", Status::Passed, 12.3456, std::nullopt};
  r.subtestFinished(todos, "served", sub);
  TestResult served{"served", Status::Passed, 1234.5678, std::nullopt, {sub},
                    {"port 8080 open"}};
  r.testFinished(todos, served);
  todosResult.tests.push_back(served);

  r.testStarted(todos, "lists todos");
  Failure diff{"expect failed: output differs",
               "todos.rig:25:3",
               "  25 |   expect client.run(\"curl -s server/todos\") == want\n"
               "     |   ^",
               "--- want\n+++ got\n@@ -1,2 +1,2 @@\n buy milk\n-walk dog\n+walk cat",
               {"in fn `check` called at todos.rig:40:5"},
               {{"server", "todo-server: GET /todos 200\ntodo-server: 2 items"}}};
  TestResult lists{"lists todos", Status::Failed, 2500.25, diff, {}, {}};
  r.testFinished(todos, lists);
  todosResult.tests.push_back(lists);

  TestResult deletes{"deletes", Status::Skipped, 0, std::nullopt, {}, {}};
  r.testFinished(todos, deletes);
  todosResult.tests.push_back(deletes);
  r.suiteFinished(todosResult);
  run.suites.push_back(todosResult);

  SuiteInfo cluster = clusterInfo();
  r.suiteStarted(cluster);
  r.testStarted(cluster, "replicates");
  Failure gone{"machine db2 stopped answering: the agent is gone", "", "", "",
               {}, {{"db2", "[   3.1] Kernel panic - not syncing: <oops> & \"x\"\n"}}};
  TestResult replicates{"replicates", Status::Error, 60000.5, gone, {}, {}};
  r.testFinished(cluster, replicates);
  SuiteResult clusterResult{cluster.name, cluster.path, Status::Error, 61000.75,
                            {replicates}, std::nullopt};
  r.suiteFinished(clusterResult);
  run.suites.push_back(clusterResult);

  SuiteInfo missing = missingInfo();
  r.suiteStarted(missing);
  SuiteResult missingResult{missing.name, missing.path, Status::Error, 3.5, {},
                            Failure{"host package `qemu-system-arm` is not installed",
                                    "", "", "install it with apt-get", {}, {}}};
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
  MultiReporter all;
  all.add(makeJsonReporter(json));
  all.add(makeEventsReporter(events));
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
  llvm::sys::fs::remove_directories(dir);

  auto bad = makeJsonReporter("/nonexistent-dir/r.json");
  NullReporter null;
  bad->runFinished(replay(null));
  llvm::Error error = bad->finish();
  EXPECT_TRUE(static_cast<bool>(error));
  llvm::consumeError(std::move(error));
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
