// JUnit XML: <testsuites> with one <testsuite> per rig suite and one
// <testcase> per test; a failed test has <failure>, an infrastructure error
// <error>, a skipped test <skipped/>. A suite-level error becomes a testcase
// named "(suite)" so that CI systems show it.
#include <string>

#include "fmt/format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/reporter.h"

namespace rig::report {
namespace {

// XML 1.0 allows only some control characters; console output has others.
std::string xmlEscape(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += fmt::format("&#x{:X};", 0xFFFD);
        else
          out += static_cast<char>(c);
    }
  }
  return out;
}

std::string secs(double ms) { return fmt::format("{:.3f}", ms / 1000.0); }

void writeFailure(std::string& out, llvm::StringRef tag, const Failure& f) {
  std::string message =
      f.location.empty() ? f.message : f.location + ": " + f.message;
  out += fmt::format("      <{} message=\"{}\">{}</{}>\n", tag.str(),
                     xmlEscape(message), xmlEscape(renderFailure(f, "")),
                     tag.str());
}

// classname is the suite's path (CI systems group by it), `suite` when the
// path is unknown. A failure's console tails go to <system-out>, after the
// log() lines; the failure text keeps the rest.
void writeTest(std::string& out, const std::string& suite,
               const TestResult& test) {
  out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
                     xmlEscape(test.name), xmlEscape(suite),
                     secs(test.durationMs));
  std::string log;
  for (const std::string& line : test.log) log += line + "\n";
  std::optional<Failure> failure = test.failure;
  if (failure) {
    for (const ConsoleTail& c : failure->consoles) {
      log += fmt::format("console of {}:\n{}", c.machine, c.text);
      if (!c.text.empty() && c.text.back() != '\n') log += '\n';
    }
    failure->consoles.clear();
  }
  bool empty = test.status == Status::Passed && log.empty();
  if (empty) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  switch (test.status) {
    case Status::Passed: break;
    case Status::Skipped: out += "      <skipped/>\n"; break;
    case Status::Failed:
    case Status::Error:
      writeFailure(out, test.status == Status::Failed ? "failure" : "error",
                   failure.value_or(Failure{"failed", "", "", "", {}, {}}));
      break;
  }
  if (!log.empty()) {
    out += fmt::format("      <system-out>{}</system-out>\n", xmlEscape(log));
  }
  out += "    </testcase>\n";
}

class JUnitReporter : public Reporter {
 public:
  explicit JUnitReporter(std::string path) : path_(std::move(path)) {}
  void runFinished(const RunSummary& run) override { text_ = renderJUnit(run); }
  llvm::Error finish() override {
    std::error_code ec;
    llvm::raw_fd_ostream file(path_, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return llvm::createStringError(ec, "cannot write JUnit report %s: %s",
                                     path_.c_str(), ec.message().c_str());
    file << text_;
    file.close();
    if (file.has_error())
      return llvm::createStringError(file.error(),
                                     "cannot write JUnit report %s",
                                     path_.c_str());
    return llvm::Error::success();
  }

 private:
  std::string path_;
  std::string text_;
};

}  // namespace

std::string renderJUnit(const RunSummary& run) {
  Counts all = countTests(run);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  size_t suiteErrors = 0;
  for (const SuiteResult& s : run.suites) suiteErrors += s.error ? 1 : 0;
  out += fmt::format(
      "<testsuites name=\"rig\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "skipped=\"{}\" time=\"{}\">\n",
      all.passed + all.failed + all.skipped + all.errors + suiteErrors,
      all.failed, all.errors + suiteErrors, all.skipped, secs(run.durationMs));
  for (const SuiteResult& suite : run.suites) {
    Counts c = countTests(suite);
    const std::string& classname = suite.path.empty() ? suite.name : suite.path;
    size_t extra = suite.error ? 1 : 0;
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"{}\" time=\"{}\" file=\"{}\">\n",
        xmlEscape(suite.name), c.passed + c.failed + c.skipped + c.errors + extra,
        c.failed + (suite.error && suite.status == Status::Failed ? 1 : 0),
        c.errors + (suite.error && suite.status != Status::Failed ? 1 : 0),
        c.skipped, secs(suite.durationMs), xmlEscape(suite.path));
    if (suite.error) {
      TestResult pseudo;
      pseudo.name = "(suite)";
      pseudo.status =
          suite.status == Status::Failed ? Status::Failed : Status::Error;
      pseudo.failure = suite.error;
      writeTest(out, classname, pseudo);
    }
    for (const TestResult& test : suite.tests) writeTest(out, classname, test);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::unique_ptr<Reporter> makeJUnitReporter(std::string path) {
  return std::make_unique<JUnitReporter>(std::move(path));
}

}  // namespace rig::report
