#include "runtime/report/reporter.h"

namespace rig::report {

void MultiReporter::runStarted(size_t suiteCount, unsigned jobs) {
  for (auto& r : reporters_) r->runStarted(suiteCount, jobs);
}
void MultiReporter::suiteStarted(const SuiteInfo& suite) {
  for (auto& r : reporters_) r->suiteStarted(suite);
}
void MultiReporter::testStarted(const SuiteInfo& suite, llvm::StringRef test) {
  for (auto& r : reporters_) r->testStarted(suite, test);
}
void MultiReporter::log(const SuiteInfo& suite, llvm::StringRef test,
                        llvm::StringRef message) {
  for (auto& r : reporters_) r->log(suite, test, message);
}
void MultiReporter::subtestFinished(const SuiteInfo& suite,
                                    llvm::StringRef test,
                                    const SubtestResult& subtest) {
  for (auto& r : reporters_) r->subtestFinished(suite, test, subtest);
}
void MultiReporter::testFinished(const SuiteInfo& suite,
                                 const TestResult& test) {
  for (auto& r : reporters_) r->testFinished(suite, test);
}
void MultiReporter::nodeChanged(const SuiteInfo& suite,
                                const NodeEvent& event) {
  for (auto& r : reporters_) r->nodeChanged(suite, event);
}
void MultiReporter::stepStarted(const SuiteInfo& suite, const StepInfo& step) {
  for (auto& r : reporters_) r->stepStarted(suite, step);
}
void MultiReporter::stepFinished(const SuiteInfo& suite,
                                 const StepResult& step) {
  for (auto& r : reporters_) r->stepFinished(suite, step);
}
void MultiReporter::consoleLine(const SuiteInfo& suite, llvm::StringRef node,
                                llvm::StringRef line, double atMs) {
  for (auto& r : reporters_) r->consoleLine(suite, node, line, atMs);
}
void MultiReporter::suiteFinished(const SuiteResult& suite) {
  for (auto& r : reporters_) r->suiteFinished(suite);
}
void MultiReporter::runFinished(const RunSummary& run) {
  for (auto& r : reporters_) r->runFinished(run);
}
llvm::Error MultiReporter::finish() {
  llvm::Error all = llvm::Error::success();
  for (auto& r : reporters_)
    all = llvm::joinErrors(std::move(all), r->finish());
  return all;
}

}  // namespace rig::report
