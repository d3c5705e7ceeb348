// The terminal output of `rig run` (docs/running.md). Permanent lines (suite
// headers, results with their failures, the summary) are written as events
// arrive. On a terminal (`live`), a status block under them shows what runs
// now: each running suite, its current test, its nodes (booting with the
// elapsed time, ready, stopped, failed) and the step being executed; the
// block is redrawn in place with ANSI cursor movement, each line cut to the
// terminal's width so that it never wraps, and erased before any permanent
// line is printed so that nothing of it stays behind. Without `live` the
// progress is plain appended lines (CI logs): `RUN` when a test starts,
// `node booted in N s`.
#ifndef RIG_RUNTIME_REPORT_TERMINAL_H
#define RIG_RUNTIME_REPORT_TERMINAL_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/reporter.h"

namespace rig::report {

struct TerminalSize {
  unsigned columns = 80, rows = 24;
};

struct TerminalOptions {
  // -1 (-q): only failures and the summary; 0: results and progress;
  // 1 (-v): + log() messages, passing subtests and every node's console
  // lines (`node # line`); 2 (-vv): + every machine operation (logged by
  // the executor).
  int verbosity = 0;
  // Nodes whose console lines are shown below -v (`rig run --console NODE`).
  std::vector<std::string> consoleNodes;
  bool color = false;
  // The live status block; only for a terminal (the driver decides).
  bool live = false;
  // The terminal's size, asked at each redraw (a window may be resized);
  // null: 80x24.
  std::function<TerminalSize()> size;
  // A monotonic clock in milliseconds for the elapsed times of the block;
  // null: std::chrono::steady_clock.
  std::function<double()> nowMs;
  // With `live`: a thread redraws the block every `tickMs` so that elapsed
  // times move; 0: no thread (tests call tick()).
  double tickMs = 0;
};

class TerminalReporter : public Reporter {
 public:
  // Prints `text` (whole lines that are not run events, e.g. the driver's
  // `preparing ...` lines) above the live block; nothing with -q.
  virtual void note(llvm::StringRef text) = 0;
  // Redraws the live block when its text changed (the ticker calls this).
  virtual void tick() = 0;
};

std::unique_ptr<TerminalReporter> makeTerminalReporter(llvm::raw_ostream& out,
                                                       TerminalOptions options);

}  // namespace rig::report

#endif
