// The output formats of a run: each is an events::Sink (runtime/events)
// that renders the events it receives.
#ifndef RIG_RUNTIME_REPORT_REPORTER_H
#define RIG_RUNTIME_REPORT_REPORTER_H

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/events/events.h"

namespace rig::report {

// The formats take the run events' types as their own.
using events::ConsoleTail;
using events::Counts;
using events::countTests;
using events::exitCode;
using events::Failure;
using events::NodeEvent;
using events::NodePhase;
using events::nodePhaseName;
using events::RunSummary;
using events::Status;
using events::statusName;
using events::StepInfo;
using events::StepResult;
using events::SubtestResult;
using events::SuiteInfo;
using events::SuiteResult;
using events::TestResult;
// Every format is a sink of the run events.
using Reporter = events::Sink;

// JUnit XML (docs/reports.md; the Surefire/Jenkins junit-10 schema),
// written by finish().
std::unique_ptr<Reporter> makeJUnitReporter(std::string path);
// What JUnit records about where and when suites ran; empty: left out.
struct JUnitContext {
  std::string hostname;
  // ISO 8601 UTC start of each suite ("2026-11-30T08:00:00"), by
  // `path + "\n" + name`.
  std::map<std::string, std::string> startedAt;
};
// The same document as text (for tests).
std::string renderJUnit(const RunSummary& run, const JUnitContext& where = {});

// TAP version 14 (docs/reports.md): one subtest per suite, written when the
// suite finishes (so parallel suites never interleave), the plan at the end.
std::unique_ptr<Reporter> makeTapReporter(llvm::raw_ostream& out);

// Which run a report belongs to and which piece of it, so that `rig merge`
// can put the shards of one run together and refuse pieces of another
// (docs/scaling.md). Written as the `run` object of the JSON report and of
// the `runStarted` event; an empty `id` writes none.
struct RunIdentity {
  std::string id;                   // runIdentityHash of the suites
  std::vector<std::string> suites;  // the whole run's suite paths, run order
  unsigned shards = 1;              // N
  unsigned shard = 0;               // K of N (1-based); 0: the whole run
  std::vector<unsigned> missingShards;  // a merge that lacked them
};
// A hash (16 hex digits) of the suite paths in any order, and of `salt`
// (the CI engine's id of the pipeline, "" when there is none).
std::string runIdentityHash(llvm::ArrayRef<std::string> suites,
                            llvm::StringRef salt);

// The JSON document of a run (docs/reports.md), written by finish().
std::unique_ptr<Reporter> makeJsonReporter(std::string path,
                                           RunIdentity identity = {});
std::string renderJson(const RunSummary& run, const RunIdentity& identity = {});

// Every event as one JSON object per line (NDJSON), flushed per event, so
// that another process can follow the run while it goes on.
std::unique_ptr<Reporter> makeEventsReporter(std::string path,
                                             RunIdentity identity = {});
std::unique_ptr<Reporter> makeEventsReporter(llvm::raw_ostream& out);

// One self-contained HTML page (docs/reports.md): the summary, per suite a
// timeline (SVG) of boots and steps per node, the tests with their steps and
// failures, and each node's whole console, searchable. Written by finish().
std::unique_ptr<Reporter> makeHtmlReporter(std::string path);
std::unique_ptr<Reporter> makeHtmlReporter(llvm::raw_ostream& out);

// GitHub Actions workflow commands: `::error file=,line=,col=::` per failure
// and a `::group::` around each console tail.
std::unique_ptr<Reporter> makeGithubReporter(llvm::raw_ostream& out);

// "dir/todos.rig:25:3" split into its parts; nullopt when not of that shape.
struct SourceLocation {
  std::string file;
  unsigned line = 0, col = 0;
};
std::optional<SourceLocation> parseLocation(llvm::StringRef location);
// The failure's location with its file as the suite's path when the
// executor named the suite's own file by its file name alone (an
// annotation or a summary line needs the path from where rig ran);
// nullopt without a location.
std::optional<SourceLocation> locateInSuite(const Failure& failure,
                                            llvm::StringRef suitePath);

// Writes a report file whole (the reporters that write at the end); the
// error names `what` ("JUnit report") and the path.
llvm::Error writeReportFile(const std::string& path, llvm::StringRef text,
                            llvm::StringRef what);

// Renders a failure the way the terminal shows it, each line prefixed with
// `indent` (also used by other text formats).
std::string renderFailure(const Failure& failure, llvm::StringRef indent);

// Sends every event to each of `reporters`.
class MultiReporter : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter) {
    reporters_.push_back(std::move(reporter));
  }
  void runStarted(size_t suiteCount, unsigned jobs) override;
  void suiteStarted(const SuiteInfo& suite) override;
  void testStarted(const SuiteInfo& suite, llvm::StringRef test) override;
  void log(const SuiteInfo& suite, llvm::StringRef test,
           llvm::StringRef message) override;
  void subtestFinished(const SuiteInfo& suite, llvm::StringRef test,
                       const SubtestResult& subtest) override;
  void testFinished(const SuiteInfo& suite, const TestResult& test) override;
  void nodeChanged(const SuiteInfo& suite, const NodeEvent& event) override;
  void stepStarted(const SuiteInfo& suite, const StepInfo& step) override;
  void stepFinished(const SuiteInfo& suite, const StepResult& step) override;
  void consoleLine(const SuiteInfo& suite, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override;
  void suiteFinished(const SuiteResult& suite) override;
  void runFinished(const RunSummary& run) override;
  llvm::Error finish() override;

 private:
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace rig::report

#endif
