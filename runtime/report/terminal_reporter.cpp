// The terminal output of `rig run` (terminal.h, docs/running.md).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/report/live_status.h"
#include "runtime/report/plain_text.h"
#include "runtime/report/terminal.h"

namespace rig::report {
namespace {

std::string seconds(double ms) { return fmt::format("{:.1f}s", ms / 1000.0); }

void appendIndented(std::string& out, llvm::StringRef text,
                    llvm::StringRef indent) {
  if (text.empty()) return;
  llvm::SmallVector<llvm::StringRef, 16> lines;
  text.rtrim('\n').split(lines, '\n');
  for (llvm::StringRef line : lines) {
    out += indent;
    out += line;
    out += '\n';
  }
}

std::string countsText(const Counts& c) {
  std::string text = fmt::format("{} passed, {} failed", c.passed, c.failed);
  if (c.skipped) text += fmt::format(", {} skipped", c.skipped);
  if (c.errors) text += fmt::format(", {} errors", c.errors);
  return text;
}

class Terminal : public TerminalReporter {
 public:
  Terminal(llvm::raw_ostream& out, TerminalOptions options)
      : out_(out), options_(std::move(options)) {
    if (!options_.nowMs)
      options_.nowMs = [] {
        return std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
      };
    if (!options_.size) options_.size = [] { return TerminalSize{}; };
  }
  ~Terminal() override { stopTicker(); }

  void runStarted(size_t suiteCount, unsigned jobs) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      parallel_ = suiteCount > 1 && jobs > 1;
      suiteCount_ = suiteCount;
      originMs_ = options_.nowMs();
    }
    if (options_.live && options_.tickMs > 0) startTicker();
  }

  void suiteStarted(const SuiteInfo& suite) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.suiteStarted(suite, now());
    std::string nodes = llvm::join(suite.nodes, ", ");
    std::string header =
        fmt::format("suite {} ({} test{}{}{})\n", suite.name,
                    suite.tests.size(), suite.tests.size() == 1 ? "" : "s",
                    nodes.empty() ? "" : ", nodes: ", nodes);
    if (quiet()) {
      pendingHeaders_[suite.name] = header;  // printed with a first failure
      redraw();
      return;
    }
    print(suite, header);
  }

  void testStarted(const SuiteInfo& suite, llvm::StringRef test) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.testStarted(suite, test, now());
    // On a terminal the block shows the running test; in a log, a line.
    if (options_.verbosity >= 1 || (!options_.live && !quiet()))
      print(suite, fmt::format("  {} {}\n", paint("RUN ", "2"), test.str()));
    else
      redraw();
  }

  void log(const SuiteInfo& suite, llvm::StringRef,
           llvm::StringRef message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (options_.verbosity < 1) return;
    std::string text;
    appendIndented(text, message, "        log: ");
    print(suite, text);
  }

  void subtestFinished(const SuiteInfo& suite, llvm::StringRef,
                       const SubtestResult& subtest) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (options_.verbosity < 1 && subtest.status == Status::Passed) return;
    if (quiet() && subtest.status == Status::Skipped) return;
    print(suite,
          fmt::format("    {} {} ({})\n", label(subtest.status), subtest.name,
                      seconds(subtest.durationMs)),
          true);
  }

  void testFinished(const SuiteInfo& suite, const TestResult& test) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.testFinished(suite);
    bool failed = test.status == Status::Failed || test.status == Status::Error;
    if (quiet() && !failed) {
      redraw();
      return;
    }
    std::string text = fmt::format("  {} {}", label(test.status), test.name);
    if (test.status != Status::Skipped)
      text += fmt::format(" ({})", seconds(test.durationMs));
    text += '\n';
    if (test.failure) text += renderFailure(*test.failure, "        ");
    print(suite, text, failed);
  }

  void nodeChanged(const SuiteInfo& suite, const NodeEvent& event) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.nodeChanged(suite, event, now());
    std::string key = suite.path + "\n" + suite.name + "\n" + event.node;
    std::string text;
    switch (event.phase) {
      case NodePhase::Booting:
        bootStartedMs_[key] = event.atMs;
        if (options_.verbosity >= 1 && !options_.live)
          text = fmt::format("  node {} booting\n", event.node);
        break;
      case NodePhase::Ready:
        if (options_.verbosity >= 0 && !options_.live) {
          auto started = bootStartedMs_.find(key);
          text = started == bootStartedMs_.end()
                     ? fmt::format("  node {} ready\n", event.node)
                     : fmt::format("  node {} booted in {}\n", event.node,
                                   seconds(event.atMs - started->second));
        }
        break;
      case NodePhase::Stopped:
        if (options_.verbosity >= 1 && !options_.live)
          text = fmt::format("  node {} stopped\n", event.node);
        break;
      case NodePhase::Failed:
        text =
            fmt::format("  node {} {}{}{}\n", event.node, paint("failed", "31"),
                        event.detail.empty() ? "" : ": ", event.detail);
        break;
    }
    if (text.empty())
      redraw();
    else
      print(suite, text, event.phase == NodePhase::Failed);
  }

  void stepStarted(const SuiteInfo& suite, const StepInfo& step) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.stepStarted(suite, step, now());
    redraw();
  }

  void stepFinished(const SuiteInfo& suite, const StepResult& step) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.stepFinished(suite, step);
    redraw();
  }

  void consoleLine(const SuiteInfo& suite, llvm::StringRef node,
                   llvm::StringRef line, double) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (options_.verbosity < 1 &&
        std::find(options_.consoleNodes.begin(), options_.consoleNodes.end(),
                  node) == options_.consoleNodes.end())
      return;
    print(suite, fmt::format("{} # {}\n", paint(node, "2"), plainText(line)));
  }

  void suiteFinished(const SuiteResult& suite) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.suiteFinished(suite.path, suite.name);
    std::string text;
    if (suite.error) {
      text += fmt::format("  {} suite {}\n", label(suite.status), suite.name);
      text += renderFailure(*suite.error, "        ");
    }
    // With one suite its line is the end of the run: the failures first.
    if (suiteCount_ == 1) {
      std::string failures = failureList({suite});
      if (!failures.empty()) text += "\n" + failures;
    }
    text +=
        fmt::format("{}: {} in {}\n", suite.name, countsText(countTests(suite)),
                    seconds(suite.durationMs));
    SuiteInfo info;
    info.name = suite.name;
    info.path = suite.path;
    print(info, text, suite.error.has_value());
    pendingHeaders_.erase(suite.name);
  }

  void runFinished(const RunSummary& run) override {
    stopTicker();
    std::lock_guard<std::mutex> lock(mutex_);
    std::string text = eraseBlock();
    if (run.suites.size() >= 2) {
      size_t passedSuites = 0;
      for (const SuiteResult& s : run.suites)
        if (s.status == Status::Passed) ++passedSuites;
      text += "\n" + failureList(run.suites);
      text += fmt::format("{} of {} suites passed ({}) in {}\n", passedSuites,
                          run.suites.size(), countsText(countTests(run)),
                          seconds(run.durationMs));
    }
    out_ << text;
    out_.flush();
  }

  void note(llvm::StringRef text) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (quiet()) return;
    std::string frame = eraseBlock();
    frame += text;
    frame += drawBlock();
    out_ << frame;
    out_.flush();
  }

  void tick() override {
    std::lock_guard<std::mutex> lock(mutex_);
    redraw();
  }

 private:
  bool quiet() const { return options_.verbosity < 0; }
  double now() const { return options_.nowMs() - originMs_; }

  std::string paint(llvm::StringRef text, const char* sgr) const {
    if (!options_.color) return text.str();
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text.str());
  }

  // PASS, FAIL, ...; `width` pads it before it is coloured.
  std::string label(Status status, size_t width = 0) const {
    const char* word = "?";
    const char* sgr = "";
    switch (status) {
      case Status::Passed: word = "PASS", sgr = "32"; break;
      case Status::Failed: word = "FAIL", sgr = "31"; break;
      case Status::Skipped: word = "SKIP", sgr = "33"; break;
      case Status::Error: word = "ERROR", sgr = "31"; break;
    }
    return paint(fmt::format("{:<{}}", word, width), sgr);
  }

  // Every failed test and suite error of `suites` with where it happened
  // (the spec's path and line, for an editor or a CI log's links).
  std::string failureList(llvm::ArrayRef<SuiteResult> suites) const {
    std::string out;
    auto add = [&](const SuiteResult& suite, llvm::StringRef test,
                   Status status, const std::optional<Failure>& failure) {
      std::string where = suite.path.empty() ? suite.name : suite.path;
      std::string message = failure ? failure->message : "failed";
      if (failure)
        if (auto at = locateInSuite(*failure, suite.path))
          where = fmt::format("{}:{}", at->file, at->line);
      out += fmt::format("  {} {}: {}: {}\n", label(status, 5), where,
                         test.str(), message);
    };
    for (const SuiteResult& suite : suites) {
      if (suite.error) add(suite, "(suite)", suite.status, suite.error);
      for (const TestResult& test : suite.tests)
        if (test.status == Status::Failed || test.status == Status::Error)
          add(suite, test.name, test.status, test.failure);
    }
    return out.empty() ? out : "failed:\n" + out;
  }

  // Writes `text` (whole lines) above the live block, each line prefixed
  // with `[suite]` when suites run in parallel. `failure` prints a quiet
  // run's pending suite header first.
  void print(const SuiteInfo& suite, const std::string& text,
             bool failure = false) {
    std::string body;
    if (failure && !parallel_) {
      auto pending = pendingHeaders_.find(suite.name);
      if (pending != pendingHeaders_.end()) {
        body += pending->second;
        pendingHeaders_.erase(pending);
      }
    }
    body += text;
    std::string frame = eraseBlock();
    if (parallel_)
      appendIndented(frame, body, "[" + suite.name + "] ");
    else
      frame += body;
    frame += drawBlock();
    out_ << frame;
    out_.flush();
  }

  // Moves to the block's first line and clears everything from there.
  std::string eraseBlock() {
    if (drawnLines_ == 0) return "";
    std::string text = fmt::format("\r\x1b[{}A\x1b[J", drawnLines_);
    drawnLines_ = 0;
    drawn_.clear();
    return text;
  }

  std::string renderBlock() const {
    std::string text;
    for (const std::string& line :
         live_.render(now(), options_.size(), options_.color))
      text += line + "\n";
    return text;
  }

  std::string drawBlock() {
    if (!options_.live || quiet()) return "";
    drawn_ = renderBlock();
    drawnLines_ = llvm::StringRef(drawn_).count('\n');
    return drawn_;
  }

  // Draws the block again when its text changed: each line overwritten in
  // place (no blank frame in between), the rest of the old block cleared.
  void redraw() {
    if (!options_.live || quiet()) return;
    std::string next = renderBlock();
    if (next == drawn_) return;
    std::string frame;
    if (drawnLines_) frame += fmt::format("\r\x1b[{}A", drawnLines_);
    llvm::SmallVector<llvm::StringRef, 8> lines;
    llvm::StringRef(next).split(lines, '\n', -1, false);
    for (llvm::StringRef line : lines) frame += line.str() + "\x1b[K\n";
    frame += "\x1b[J";
    drawn_ = std::move(next);
    drawnLines_ = lines.size();
    out_ << frame;
    out_.flush();
  }

  void startTicker() {
    ticker_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stopping_) {
        wake_.wait_for(
            lock, std::chrono::duration<double, std::milli>(options_.tickMs));
        if (!stopping_) redraw();
      }
    });
  }

  void stopTicker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
  }

  llvm::raw_ostream& out_;
  TerminalOptions options_;
  std::mutex mutex_;  // the events, note(), tick() and the ticker thread
  bool parallel_ = false;
  size_t suiteCount_ = 0;
  double originMs_ = 0;
  LiveStatus live_;
  std::string drawn_;  // the block as it is on the screen
  size_t drawnLines_ = 0;
  std::map<std::string, std::string> pendingHeaders_;  // -q: by suite
  std::map<std::string, double> bootStartedMs_;        // by suite and node
  std::thread ticker_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace

std::string renderFailure(const Failure& failure, llvm::StringRef indent) {
  std::string out;
  std::string head = failure.location.empty()
                         ? failure.message
                         : failure.location + ": " + failure.message;
  appendIndented(out, head, indent);
  appendIndented(out, failure.snippet, indent);
  appendIndented(out, failure.details, indent);
  for (const std::string& caller : failure.callers)
    appendIndented(out, caller, indent);
  for (const ConsoleTail& console : failure.consoles) {
    size_t lines = llvm::StringRef(console.text).rtrim('\n').count('\n') + 1;
    if (console.text.empty()) lines = 0;
    appendIndented(
        out,
        fmt::format("console of {} (last {} lines):", console.machine, lines),
        indent);
    appendIndented(out, plainText(console.text), indent.str() + "  | ");
  }
  return out;
}

std::unique_ptr<TerminalReporter> makeTerminalReporter(
    llvm::raw_ostream& out, TerminalOptions options) {
  return std::make_unique<Terminal>(out, std::move(options));
}

}  // namespace rig::report
