// Internal to rig_report: what the HTML reporter (html_reporter.cpp) records
// of a run, and the pieces of the page it is built from (the timeline in
// html_timeline.cpp, text helpers and assets in html_text.cpp).
#ifndef RIG_RUNTIME_REPORT_HTML_H
#define RIG_RUNTIME_REPORT_HTML_H

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "runtime/report/reporter.h"

namespace rig::report::html {

// A step as recorded: stepStarted, and stepFinished when it came.
struct Step {
  StepInfo info;
  Status status = Status::Passed;
  double durationMs = 0;
  bool finished = false;
  size_t depth = 0;              // 0: a statement of the test body
  std::optional<size_t> parent;  // index in SuiteRecord::steps
  bool hasChildren = false;
  double endMs() const { return info.startMs + durationMs; }
};

struct ConsoleLine {
  double atMs = 0;
  std::string text;  // as the machine wrote it (not yet sanitized)
};

// Everything one suite reported, in arrival order.
struct SuiteRecord {
  SuiteInfo info;
  std::vector<NodeEvent> nodeEvents;
  std::vector<Step> steps;
  std::vector<size_t> open;  // steps started and not finished, innermost last
  std::map<std::string, std::vector<ConsoleLine>> consoles;  // by node
  // Node names in lane order: the suite's nodes, then any other that
  // reported (a step or a console line naming it).
  std::vector<std::string> nodeOrder() const;
};

// Text as HTML (also safe in attributes): & < > " ' escaped; invalid UTF-8
// becomes U+FFFD; ANSI colour sequences are dropped; other control
// characters are shown as their Unicode pictures (U+2400...), except a tab
// and, with `keepNewlines`, a newline.
std::string escape(llvm::StringRef text, bool keepNewlines = true);

// When the suite's first event happened (run ms), the origin of its
// timeline and console times; nullopt when it reported none.
std::optional<double> firstEventMs(const SuiteRecord& suite);

// "340 ms", "12.3 s", "2 min 05 s".
std::string formatMs(double ms);

// "passed" -> "✔" etc.
llvm::StringRef statusIcon(Status status);

// A step that failed inside an `eventually` block that passed in the end:
// one failed attempt, shown as "retried" rather than as a failure.
bool retried(const SuiteRecord& suite, size_t step);

// The element ids of the page, from indexes (names may hold anything).
std::string testId(size_t suite, size_t test);
std::string consoleId(size_t suite, size_t node);

// The timeline of one suite as inline SVG: a row of tests, one lane per
// node (boot, up, the steps that drive it), a lane for steps that drive no
// node, a time axis. `result` gives the tests' statuses and durations.
// `suiteIndex` keeps the SVG's ids unique in the page.
std::string renderTimeline(const SuiteRecord& suite, const SuiteResult& result,
                           size_t suiteIndex);

// The page's <style> and <script> bodies.
llvm::StringRef pageStyle();
llvm::StringRef pageScript();

}  // namespace rig::report::html

#endif
