// The run events: what the executor emits and the reporters consume (node
// phases, steps, console lines, test and suite results), and the sink
// interface they are sent through. A leaf library: exec emits into a Sink,
// runtime/report implements Sinks, and neither includes the other. The
// results are plain data, already rendered (source snippets and console
// tails are text), so that a reporter is pure formatting and a new format
// never touches the executor.
//
// The order of events: the executor calls a sink from one thread at a time
// (the orchestrator serializes parallel suites), in this order per suite:
// suiteStarted, then per test testStarted, log* and subtestFinished*,
// testFinished, then suiteFinished. runStarted/runFinished bracket
// everything. Between suiteStarted and suiteFinished, nodeChanged,
// stepStarted/stepFinished and consoleLine arrive as they happen
// (stepStarted/stepFinished nest like the statements they report;
// consoleLine may come from any node at any time, also during a boot before
// any test started).
#ifndef RIG_RUNTIME_EVENTS_EVENTS_H
#define RIG_RUNTIME_EVENTS_EVENTS_H

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::events {

enum class Status : unsigned char {
  Passed,
  Failed,   // an expectation or a machine operation failed
  Skipped,  // not run: an earlier test failed (and no --keep-going)
  Error,    // the infrastructure failed: a VM did not boot, the agent is gone
};

llvm::StringRef statusName(Status status);  // "passed", "failed", ...

struct ConsoleTail {
  std::string machine;
  std::string text;  // the last lines of the serial console, '\n'-separated
};

// Why a test (or a suite) did not pass.
struct Failure {
  std::string message;   // one line: "expect failed", "unit `x` failed"
  std::string location;  // "todos.rig:25:3", or "" when unknown
  std::string snippet;   // the source line and a caret line, or ""
  std::string details;   // more lines (values, diff, command output), or ""
  std::vector<std::string>
      callers;  // "in fn `f` called at FILE:L:C", innermost first
  std::vector<ConsoleTail> consoles;  // of the machines involved
};

struct SubtestResult {
  std::string name;
  Status status = Status::Passed;
  double durationMs = 0;
  std::optional<Failure> failure;
};

struct TestResult {
  std::string name;
  Status status = Status::Passed;
  double durationMs = 0;
  std::optional<Failure> failure;
  std::vector<SubtestResult> subtests;  // in the order they finished
  std::vector<std::string> log;         // log() messages
};

// What is known about a suite when it starts.
struct SuiteInfo {
  std::string name;  // the file stem
  std::string path;
  std::vector<std::string> tests;
  std::vector<std::string> nodes;
};

struct SuiteResult {
  std::string name;
  std::string path;
  Status status = Status::Passed;  // the worst of its tests, or Error
  double durationMs = 0;
  std::vector<TestResult> tests;
  // A failure of the suite itself: no machines (missing host package), the
  // global timeout, a dead machine, a failing global `let`.
  std::optional<Failure> error;
};

// One step of a test, as the timeline and the live progress show it: a
// statement at the top level of a test, subtest, `eventually` or `fn` body
// (a `let`, an `expect`, a call). `node` is the machine the step drives
// (`server.wait_for_unit(...)` -> "server"), "" when it drives none or more
// than one. Times are milliseconds since the run started (the executor's
// clock), so a recorded stream replays the same timeline.
struct StepInfo {
  std::string test;      // the test it belongs to
  std::string subtest;   // the innermost subtest, or ""
  std::string text;      // the statement's source, one line (cut at 200 bytes)
  std::string location;  // "todos.rig:25:3", or ""
  std::string node;      // the machine it drives, or ""
  double startMs = 0;
  // The step waits rather than acts: an `eventually` block, a `wait_*`
  // operation, `sleep`. The timeline draws waits differently.
  bool wait = false;
};

struct StepResult {
  StepInfo step;
  Status status = Status::Passed;  // Passed or Failed (Error: machine gone)
  double durationMs = 0;
};

// A node's power state changes. `atMs` is since the run started.
enum class NodePhase : unsigned char {
  Booting,  // QEMU started
  Ready,    // the agent answers and systemd reached rig.target
  Stopped,  // shut down, crashed or ended with the suite
  Failed,   // did not boot, or died unexpectedly
};
llvm::StringRef nodePhaseName(NodePhase phase);  // "booting", "ready", ...

struct NodeEvent {
  std::string node;
  NodePhase phase = NodePhase::Booting;
  double atMs = 0;
  std::string detail;   // Failed: why; otherwise ""
  std::string backend;  // Booting: "vm" or "container"; otherwise ""
};

struct RunSummary {
  std::vector<SuiteResult> suites;  // in the order they were given
  double durationMs = 0;
  // Ctrl-C or SIGTERM ended the run early: the results are what ran so far.
  bool interrupted = false;
};

// Counts over every test of a run or a suite.
struct Counts {
  size_t passed = 0, failed = 0, skipped = 0, errors = 0;
};
Counts countTests(const SuiteResult& suite);
Counts countTests(const RunSummary& run);

// 0 every suite passed; 1 a test failed; 3 the infrastructure failed (takes
// precedence: the other results cannot be trusted then).
int exitCode(const RunSummary& run);

class Sink {
 public:
  virtual ~Sink() = default;
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

}  // namespace rig::events

#endif
