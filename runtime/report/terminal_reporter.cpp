// The live terminal output of `rig run` (docs/running.md shows an example).
#include <cstdio>
#include <string>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/report/reporter.h"

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

class TerminalReporter : public Reporter {
 public:
  TerminalReporter(llvm::raw_ostream& out, TerminalOptions options)
      : out_(out), options_(options) {}

  void runStarted(size_t suiteCount, unsigned jobs) override {
    parallel_ = suiteCount > 1 && jobs > 1;
  }

  void suiteStarted(const SuiteInfo& suite) override {
    std::string nodes = llvm::join(suite.nodes, ", ");
    line(suite, fmt::format("suite {} ({} test{}{}{})", suite.name,
                            suite.tests.size(),
                            suite.tests.size() == 1 ? "" : "s",
                            nodes.empty() ? "" : ", nodes: ", nodes));
  }

  void testStarted(const SuiteInfo& suite, llvm::StringRef test) override {
    if (options_.verbosity >= 1)
      line(suite, fmt::format("  {} {}", paint("RUN ", Color::Dim), test.str()));
  }

  void log(const SuiteInfo& suite, llvm::StringRef test,
           llvm::StringRef message) override {
    if (options_.verbosity < 1) return;
    std::string text;
    appendIndented(text, message, "        log: ");
    block(suite, text);
  }

  void subtestFinished(const SuiteInfo& suite, llvm::StringRef test,
                       const SubtestResult& subtest) override {
    if (options_.verbosity < 1 && subtest.status == Status::Passed) return;
    line(suite, fmt::format("    {} {} ({})", label(subtest.status),
                            subtest.name, seconds(subtest.durationMs)));
  }

  void testFinished(const SuiteInfo& suite, const TestResult& test) override {
    std::string text = fmt::format("  {} {}", label(test.status), test.name);
    if (test.status != Status::Skipped)
      text += fmt::format(" ({})", seconds(test.durationMs));
    text += '\n';
    if (test.failure)
      text += renderFailure(*test.failure, "        ");
    block(suite, text);
  }

  void suiteFinished(const SuiteResult& suite) override {
    std::string text;
    if (suite.error) {
      text += fmt::format("  {} suite {}\n", label(suite.status), suite.name);
      text += renderFailure(*suite.error, "        ");
    }
    Counts c = countTests(suite);
    text += fmt::format("{}: {} in {}\n", suite.name, countsText(c),
                        seconds(suite.durationMs));
    SuiteInfo info;
    info.name = suite.name;
    block(info, text);
  }

  void runFinished(const RunSummary& run) override {
    if (run.suites.size() < 2) return;
    size_t passedSuites = 0;
    for (const SuiteResult& s : run.suites)
      if (s.status == Status::Passed) ++passedSuites;
    out_ << fmt::format("\n{} of {} suites passed ({}) in {}\n", passedSuites,
                        run.suites.size(), countsText(countTests(run)),
                        seconds(run.durationMs));
    out_.flush();
  }

 private:
  enum class Color { Green, Red, Yellow, Dim };

  std::string paint(llvm::StringRef text, Color color) const {
    if (!options_.color) return text.str();
    const char* code = "";
    switch (color) {
      case Color::Green: code = "32"; break;
      case Color::Red: code = "31"; break;
      case Color::Yellow: code = "33"; break;
      case Color::Dim: code = "2"; break;
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text.str());
  }

  std::string label(Status status) const {
    switch (status) {
      case Status::Passed: return paint("PASS", Color::Green);
      case Status::Failed: return paint("FAIL", Color::Red);
      case Status::Skipped: return paint("SKIP", Color::Yellow);
      case Status::Error: return paint("ERROR", Color::Red);
    }
    return "?";
  }

  static std::string countsText(const Counts& c) {
    std::string text = fmt::format("{} passed, {} failed", c.passed, c.failed);
    if (c.skipped) text += fmt::format(", {} skipped", c.skipped);
    if (c.errors) text += fmt::format(", {} errors", c.errors);
    return text;
  }

  void line(const SuiteInfo& suite, const std::string& text) {
    block(suite, text + "\n");
  }

  // Writes `text` at once; with parallel suites every line carries the suite.
  void block(const SuiteInfo& suite, const std::string& text) {
    if (!parallel_) {
      out_ << text;
    } else {
      std::string prefixed;
      appendIndented(prefixed, text, "[" + suite.name + "] ");
      out_ << prefixed;
    }
    out_.flush();
  }

  llvm::raw_ostream& out_;
  TerminalOptions options_;
  bool parallel_ = false;
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
    appendIndented(out,
                   fmt::format("console of {} (last {} lines):", console.machine,
                               lines),
                   indent);
    appendIndented(out, console.text, indent.str() + "  | ");
  }
  return out;
}

std::unique_ptr<Reporter> makeTerminalReporter(llvm::raw_ostream& out,
                                               TerminalOptions options) {
  return std::make_unique<TerminalReporter>(out, options);
}

}  // namespace rig::report
