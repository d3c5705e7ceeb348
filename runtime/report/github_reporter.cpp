// GitHub Actions workflow commands, printed next to the progress lines:
// an `::error` annotation per failed test (and per suite error) at its
// source location, and a `::group::` around each console tail.
#include <string>

#include "fmt/format.h"
#include "runtime/report/plain_text.h"
#include "runtime/report/reporter.h"

namespace rig::report {
namespace {

std::string escapeData(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escapeProperty(llvm::StringRef text) {
  std::string out;
  for (char c : escapeData(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

class GithubReporter : public Reporter {
 public:
  explicit GithubReporter(llvm::raw_ostream& out) : out_(out) {}

  void testFinished(const SuiteInfo& suite, const TestResult& test) override {
    if (test.status != Status::Failed && test.status != Status::Error) return;
    emit(suite.path, suite.name + ": " + test.name,
         test.failure.value_or(Failure{"failed", "", "", "", {}, {}}));
  }

  void suiteFinished(const SuiteResult& suite) override {
    if (suite.error) emit(suite.path, suite.name, *suite.error);
  }

 private:
  void emit(llvm::StringRef suitePath, const std::string& title,
            const Failure& f) {
    std::string props;
    if (auto loc = locateInSuite(f, suitePath)) {
      props = fmt::format("file={},line={},col={},", escapeProperty(loc->file),
                          loc->line, loc->col);
    } else if (!suitePath.empty()) {
      props = fmt::format("file={},", escapeProperty(suitePath));
    }
    props += "title=" + escapeProperty(title);
    std::string body = f.message;
    if (!f.details.empty()) body += "\n" + f.details;
    for (const std::string& caller : f.callers) body += "\n" + caller;
    std::string text =
        fmt::format("::error {}::{}\n", props, escapeData(plainText(body)));
    for (const ConsoleTail& c : f.consoles) {
      text += fmt::format("::group::console of {} ({})\n",
                          escapeData(c.machine), escapeData(title));
      // A console's escape sequences would garble the Actions log.
      std::string console = plainText(c.text);
      text += console;
      if (!console.empty() && console.back() != '\n') text += '\n';
      text += "::endgroup::\n";
    }
    out_ << text;
    out_.flush();
  }

  llvm::raw_ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> makeGithubReporter(llvm::raw_ostream& out) {
  return std::make_unique<GithubReporter>(out);
}

}  // namespace rig::report
