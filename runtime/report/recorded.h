// Reading a run back from its reports: the JSON document (`--json`) or the
// NDJSON event stream (`--events`) as the results and events they recorded,
// for `rig merge` (the shards of one run into one report) and for
// `--durations` (a previous run's suite times). docs/reports.md has both
// formats; this is their inverse.
#ifndef RIG_RUNTIME_REPORT_RECORDED_H
#define RIG_RUNTIME_REPORT_RECORDED_H

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/report/reporter.h"

namespace rig::report {

// One suite as a report recorded it.
struct RecordedSuite {
  SuiteInfo info;
  SuiteResult result;
  // From an event stream: every event of the suite between suiteStarted and
  // suiteFinished (exclusive), in order, to replay (the HTML timeline needs
  // the steps, node phases and console lines). Empty from a JSON report.
  std::vector<std::function<void(Reporter&, const SuiteInfo&)>> events;
};

struct RecordedRun {
  std::optional<RunIdentity> identity;  // absent: written by an older rig
  bool fromEvents = false;  // an NDJSON stream (else a JSON document)
  bool finished = false;    // the run's end was recorded
  unsigned jobs = 1;
  double durationMs = 0;
  // The suites that finished, in the order they finished (an event stream)
  // or were given (a JSON report). A suite that started and never finished
  // (a runner that died) is not here.
  std::vector<RecordedSuite> suites;
};

// Parses a JSON report or an NDJSON event stream (told apart by their
// first line). Errors name the line of the stream.
llvm::Expected<RecordedRun> readRecordedRun(llvm::StringRef text);
// The same, from a file; errors start with the path.
llvm::Expected<RecordedRun> readRecordedRunFile(const std::string& path);

// Sends one recorded suite to `sink`: suiteStarted, its recorded events
// (or, from a JSON report, testStarted/testFinished per test), then
// suiteFinished.
void replaySuite(const RecordedSuite& suite, Reporter& sink);

}  // namespace rig::report

#endif
