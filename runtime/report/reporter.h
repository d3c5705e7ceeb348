// The event interface between the executor and the output formats. The
// executor calls a reporter from one thread at a time (the orchestrator
// serializes parallel suites), in this order per suite: suiteStarted, then
// per test testStarted, log* and subtestFinished*, testFinished, then
// suiteFinished. runStarted/runFinished bracket everything. Between
// suiteStarted and suiteFinished, nodeChanged, stepStarted/stepFinished and
// consoleLine arrive as they happen (stepStarted/stepFinished nest like the
// statements they report; consoleLine may come from any node at any time,
// also during a boot before any test started).
#ifndef RIG_RUNTIME_REPORT_REPORTER_H
#define RIG_RUNTIME_REPORT_REPORTER_H

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/result.h"

namespace rig::report {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void runStarted(size_t suiteCount, unsigned jobs) {}
  virtual void suiteStarted(const SuiteInfo& suite) {}
  virtual void testStarted(const SuiteInfo& suite, llvm::StringRef test) {}
  virtual void log(const SuiteInfo& suite, llvm::StringRef test,
                   llvm::StringRef message) {}
  virtual void subtestFinished(const SuiteInfo& suite, llvm::StringRef test,
                               const SubtestResult& subtest) {}
  virtual void testFinished(const SuiteInfo& suite, const TestResult& test) {}
  virtual void nodeChanged(const SuiteInfo& suite, const NodeEvent& event) {}
  virtual void stepStarted(const SuiteInfo& suite, const StepInfo& step) {}
  virtual void stepFinished(const SuiteInfo& suite, const StepResult& step) {}
  // One line of a node's serial console, without its newline; `atMs` since
  // the run started.
  virtual void consoleLine(const SuiteInfo& suite, llvm::StringRef node,
                           llvm::StringRef line, double atMs) {}
  virtual void suiteFinished(const SuiteResult& suite) {}
  virtual void runFinished(const RunSummary& run) {}
  // Called once after runFinished: a reporter that writes a file says here
  // whether it could.
  virtual llvm::Error finish() { return llvm::Error::success(); }
};

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

// The JSON document of a run (docs/reports.md), written by finish().
std::unique_ptr<Reporter> makeJsonReporter(std::string path);
std::string renderJson(const RunSummary& run);

// Every event as one JSON object per line (NDJSON), flushed per event, so
// that another process can follow the run while it goes on.
std::unique_ptr<Reporter> makeEventsReporter(std::string path);
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
