// Reading reports back (recorded.h): the golden event stream and JSON
// report, read and written again, give the same text; what a merge needs
// survives (the run's identity, the steps of a suite, a cut-off stream).
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "runtime/report/recorded.h"

namespace rig::report {
namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(RIG_REPORT_GOLDEN_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RunSummary replayRun(const RecordedRun& run, Reporter& sink) {
  RunSummary summary;
  sink.runStarted(run.suites.size(), run.jobs);
  for (const RecordedSuite& suite : run.suites) {
    replaySuite(suite, sink);
    summary.suites.push_back(suite.result);
  }
  summary.durationMs = run.durationMs;
  sink.runFinished(summary);
  return summary;
}

TEST(Recorded, EventStreamRoundTrips) {
  std::string text = golden("events.ndjson");
  auto run = readRecordedRun(text);
  ASSERT_TRUE(static_cast<bool>(run)) << llvm::toString(run.takeError());
  EXPECT_TRUE(run->fromEvents);
  EXPECT_TRUE(run->finished);
  std::string again;
  llvm::raw_string_ostream os(again);
  auto events = makeEventsReporter(os);
  replayRun(*run, *events);
  EXPECT_EQ(os.str(), text);
}

TEST(Recorded, JsonReportRoundTrips) {
  std::string text = golden("run.json");
  auto run = readRecordedRun(text);
  ASSERT_TRUE(static_cast<bool>(run)) << llvm::toString(run.takeError());
  EXPECT_FALSE(run->fromEvents);
  EXPECT_FALSE(run->identity);
  RunSummary summary;
  for (const RecordedSuite& s : run->suites) summary.suites.push_back(s.result);
  summary.durationMs = run->durationMs;
  EXPECT_EQ(renderJson(summary), text);
}

TEST(Recorded, IdentityRoundTripsInBothFormats) {
  RunIdentity id;
  id.suites = {"b.rig", "a.rig"};
  id.id = runIdentityHash(id.suites, "");
  id.shards = 3;
  id.shard = 2;
  EXPECT_EQ(id.id, runIdentityHash({"a.rig", "b.rig"}, ""));
  EXPECT_NE(id.id, runIdentityHash({"a.rig", "b.rig"}, "github:1.1"));
  EXPECT_NE(id.id, runIdentityHash({"a.rig"}, ""));

  auto json = readRecordedRun(renderJson(RunSummary{}, id));
  ASSERT_TRUE(static_cast<bool>(json)) << llvm::toString(json.takeError());
  ASSERT_TRUE(json->identity);
  EXPECT_EQ(json->identity->id, id.id);
  EXPECT_EQ(json->identity->suites, id.suites);
  EXPECT_EQ(json->identity->shard, 2u);
  EXPECT_EQ(json->identity->shards, 3u);

  std::string path = ::testing::TempDir() + "rig-recorded-events.ndjson";
  {
    auto events = makeEventsReporter(path, id);
    events->runStarted(0, 2);
    ASSERT_FALSE(static_cast<bool>(events->finish()));
  }
  auto stream = readRecordedRunFile(path);
  ASSERT_TRUE(static_cast<bool>(stream)) << llvm::toString(stream.takeError());
  ASSERT_TRUE(stream->identity);
  EXPECT_EQ(stream->identity->id, id.id);
  EXPECT_EQ(stream->identity->shard, 2u);
  EXPECT_EQ(stream->jobs, 2u);
  EXPECT_FALSE(stream->finished);
}

TEST(Recorded, StreamOfADeadRunnerKeepsItsFinishedSuites) {
  std::string text = golden("events.ndjson");
  // Cut in the middle of the second suite, half-way through a line.
  size_t second =
      text.find("{\"event\":\"suiteStarted\"", text.find("\"suiteFinished\""));
  ASSERT_NE(second, std::string::npos);
  size_t cut = text.find('\n', second + 1) + 20;
  auto run = readRecordedRun(llvm::StringRef(text).take_front(cut));
  ASSERT_TRUE(static_cast<bool>(run)) << llvm::toString(run.takeError());
  EXPECT_FALSE(run->finished);
  ASSERT_EQ(run->suites.size(), 1u);
  EXPECT_EQ(run->suites[0].result.name, "todos");
  EXPECT_FALSE(run->suites[0].events.empty());
}

TEST(Recorded, Errors) {
  auto notJson = readRecordedRun("hello");
  ASSERT_FALSE(static_cast<bool>(notJson));
  EXPECT_NE(llvm::toString(notJson.takeError()).find("neither"),
            std::string::npos);
  auto other = readRecordedRun("{\"tool\": \"jest\"}");
  ASSERT_FALSE(static_cast<bool>(other));
  EXPECT_NE(llvm::toString(other.takeError()).find("not a rig JSON report"),
            std::string::npos);
  auto orphan = readRecordedRun(
      "{\"event\":\"runStarted\"}\n{\"event\":\"testStarted\",\"suite\":\"x\"}"
      "\n");
  ASSERT_FALSE(static_cast<bool>(orphan));
  EXPECT_NE(llvm::toString(orphan.takeError()).find("line 2"),
            std::string::npos);
  auto missing = readRecordedRunFile("/nonexistent/r.json");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("/nonexistent/r.json"),
            std::string::npos);
}

}  // namespace
}  // namespace rig::report
