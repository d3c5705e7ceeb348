#include "runtime/report/result.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "runtime/report/reporter.h"

namespace rig::report {

llvm::StringRef statusName(Status status) {
  switch (status) {
    case Status::Passed: return "passed";
    case Status::Failed: return "failed";
    case Status::Skipped: return "skipped";
    case Status::Error: return "error";
  }
  return "?";
}

llvm::StringRef nodePhaseName(NodePhase phase) {
  switch (phase) {
    case NodePhase::Booting: return "booting";
    case NodePhase::Ready: return "ready";
    case NodePhase::Stopped: return "stopped";
    case NodePhase::Failed: return "failed";
  }
  return "?";
}

static void add(Counts& counts, Status status) {
  switch (status) {
    case Status::Passed: ++counts.passed; break;
    case Status::Failed: ++counts.failed; break;
    case Status::Skipped: ++counts.skipped; break;
    case Status::Error: ++counts.errors; break;
  }
}

Counts countTests(const SuiteResult& suite) {
  Counts counts;
  for (const TestResult& test : suite.tests) add(counts, test.status);
  return counts;
}

Counts countTests(const RunSummary& run) {
  Counts total;
  for (const SuiteResult& suite : run.suites) {
    Counts c = countTests(suite);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    total.errors += c.errors;
  }
  return total;
}

std::optional<SourceLocation> parseLocation(llvm::StringRef location) {
  auto [rest, colText] = location.rsplit(':');
  auto [file, lineText] = rest.rsplit(':');
  SourceLocation loc;
  if (file.empty() || lineText.getAsInteger(10, loc.line) ||
      colText.getAsInteger(10, loc.col))
    return std::nullopt;
  loc.file = file.str();
  return loc;
}

std::optional<SourceLocation> locateInSuite(const Failure& failure,
                                            llvm::StringRef suitePath) {
  std::optional<SourceLocation> loc = parseLocation(failure.location);
  if (loc && !llvm::sys::path::has_parent_path(loc->file) &&
      llvm::sys::path::filename(suitePath) == loc->file)
    loc->file = suitePath.str();
  return loc;
}

int exitCode(const RunSummary& run) {
  bool failed = false;
  for (const SuiteResult& suite : run.suites) {
    if (suite.status == Status::Error) return 3;
    for (const TestResult& test : suite.tests) {
      if (test.status == Status::Error) return 3;
      if (test.status == Status::Failed) failed = true;
    }
    if (suite.status == Status::Failed) failed = true;
  }
  return failed ? 1 : 0;
}

llvm::Error writeReportFile(const std::string& path, llvm::StringRef text,
                            llvm::StringRef what) {
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot write %s %s: %s",
                                   what.str().c_str(), path.c_str(),
                                   ec.message().c_str());
  file << text;
  file.close();
  if (file.has_error())
    return llvm::createStringError(file.error(), "cannot write %s %s",
                                   what.str().c_str(), path.c_str());
  return llvm::Error::success();
}

}  // namespace rig::report
