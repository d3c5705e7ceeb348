// TAP version 14: each suite is a subtest (`# Subtest: NAME`, indented 4
// spaces, its own plan first), then `ok N - NAME` for the suite. A failure
// carries a YAML block (message, severity, at, data). The overall plan comes
// last, since suites finish in any order.
#include <string>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/report/plain_text.h"
#include "runtime/report/reporter.h"

namespace rig::report {
namespace {

// A test name on a TAP line: `#` would start a directive, and a line break
// would end the line.
std::string tapName(llvm::StringRef name) {
  std::string out;
  for (char c : name) {
    if (c == '#')
      out += "\\#";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string yamlQuote(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += ' ';
    else
      out += c;
  }
  return out + "\"";
}

void appendBlock(std::string& out, llvm::StringRef indent, llvm::StringRef key,
                 llvm::StringRef text) {
  if (text.empty()) return;
  out += fmt::format("{}{}: |\n", indent.str(), key.str());
  // A YAML block holds no control characters (a console has some).
  std::string plain = plainText(text);
  llvm::SmallVector<llvm::StringRef, 16> lines;
  llvm::StringRef(plain).rtrim('\n').split(lines, '\n');
  for (llvm::StringRef line : lines)
    out += fmt::format("{}  {}\n", indent.str(), line.rtrim('\r').str());
}

void appendYaml(std::string& out, llvm::StringRef indent, Status status,
                double ms, const Failure& f) {
  out += indent.str() + "---\n";
  out += fmt::format("{}message: {}\n", indent.str(), yamlQuote(f.message));
  out += fmt::format("{}severity: {}\n", indent.str(),
                     status == Status::Error ? "error" : "fail");
  if (auto loc = parseLocation(f.location))
    out += fmt::format("{}at:\n{}  file: {}\n{}  line: {}\n{}  column: {}\n",
                       indent.str(), indent.str(), yamlQuote(loc->file),
                       indent.str(), loc->line, indent.str(), loc->col);
  out += fmt::format("{}duration_ms: {:.0f}\n", indent.str(), ms);
  appendBlock(out, indent, "snippet", f.snippet);
  appendBlock(out, indent, "details", f.details);
  std::string callers = llvm::join(f.callers, "\n");
  appendBlock(out, indent, "callers", callers);
  if (!f.consoles.empty()) {
    out += indent.str() + "consoles:\n";
    for (const ConsoleTail& c : f.consoles) {
      out += fmt::format("{}  - machine: {}\n", indent.str(),
                         yamlQuote(c.machine));
      if (c.text.empty())
        out += fmt::format("{}    text: \"\"\n", indent.str());
      else
        appendBlock(out, indent.str() + "    ", "text", c.text);
    }
  }
  out += indent.str() + "...\n";
}

void appendPoint(std::string& out, llvm::StringRef indent, size_t number,
                 llvm::StringRef name, Status status, double ms,
                 const std::optional<Failure>& failure) {
  bool ok = status == Status::Passed || status == Status::Skipped;
  out += fmt::format("{}{} {} - {}", indent.str(), ok ? "ok" : "not ok", number,
                     tapName(name));
  if (status == Status::Skipped)
    out += " # SKIP not run after an earlier failure";
  out += '\n';
  if (!ok)
    appendYaml(out, indent.str() + "  ", status, ms,
               failure.value_or(Failure{
                   std::string(statusName(status)), "", "", "", {}, {}}));
}

class TapReporter : public Reporter {
 public:
  explicit TapReporter(llvm::raw_ostream& out) : out_(out) {}

  void runStarted(size_t, unsigned) override {
    out_ << "TAP version 14\n";
    out_.flush();
  }

  void suiteFinished(const SuiteResult& suite) override {
    std::string text = fmt::format("# Subtest: {}\n", tapName(suite.name));
    const char* in = "    ";
    size_t points = suite.tests.size() + (suite.error ? 1 : 0);
    text += fmt::format("{}1..{}\n", in, points);
    size_t n = 0;
    for (const TestResult& test : suite.tests) {
      std::string name = test.name;
      appendPoint(text, in, ++n, name, test.status, test.durationMs,
                  test.failure);
    }
    if (suite.error)
      appendPoint(
          text, in, ++n, "(suite)",
          suite.status == Status::Failed ? Status::Failed : Status::Error,
          suite.durationMs, suite.error);
    appendPoint(text, "", ++suites_, suite.name, suite.status, suite.durationMs,
                std::nullopt);
    out_ << text;
    out_.flush();
  }

  void runFinished(const RunSummary& run) override {
    Counts c = countTests(run);
    out_ << fmt::format("1..{}\n", run.suites.size());
    out_ << fmt::format("# {} passed, {} failed, {} skipped, {} errors\n",
                        c.passed, c.failed, c.skipped, c.errors);
    out_.flush();
  }

 private:
  llvm::raw_ostream& out_;
  size_t suites_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> makeTapReporter(llvm::raw_ostream& out) {
  return std::make_unique<TapReporter>(out);
}

}  // namespace rig::report
