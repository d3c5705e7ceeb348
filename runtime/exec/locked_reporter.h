// Serializes the events of one reporter: suites that run in parallel, the
// machines' console reader threads and start_all's boot threads all report
// through one of these. Internal to rig_exec.
#ifndef RIG_RUNTIME_EXEC_LOCKED_REPORTER_H
#define RIG_RUNTIME_EXEC_LOCKED_REPORTER_H

#include <mutex>

#include "runtime/report/reporter.h"

namespace rig::exec {

class LockedReporter : public report::Reporter {
 public:
  explicit LockedReporter(report::Reporter& inner) : inner_(inner) {}
  void runStarted(size_t n, unsigned jobs) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.runStarted(n, jobs);
  }
  void suiteStarted(const report::SuiteInfo& s) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.suiteStarted(s);
  }
  void testStarted(const report::SuiteInfo& s, llvm::StringRef t) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.testStarted(s, t);
  }
  void log(const report::SuiteInfo& s, llvm::StringRef t,
           llvm::StringRef msg) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.log(s, t, msg);
  }
  void subtestFinished(const report::SuiteInfo& s, llvm::StringRef t,
                       const report::SubtestResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.subtestFinished(s, t, r);
  }
  void testFinished(const report::SuiteInfo& s,
                    const report::TestResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.testFinished(s, r);
  }
  void nodeChanged(const report::SuiteInfo& s,
                   const report::NodeEvent& e) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.nodeChanged(s, e);
  }
  void stepStarted(const report::SuiteInfo& s,
                   const report::StepInfo& step) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.stepStarted(s, step);
  }
  void stepFinished(const report::SuiteInfo& s,
                    const report::StepResult& step) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.stepFinished(s, step);
  }
  // Console lines come from the machines' reader threads, so this lock is
  // what keeps them from interleaving with the suite's own events.
  void consoleLine(const report::SuiteInfo& s, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.consoleLine(s, node, line, atMs);
  }
  void suiteFinished(const report::SuiteResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.suiteFinished(r);
  }
  void runFinished(const report::RunSummary& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.runFinished(r);
  }

 private:
  report::Reporter& inner_;
  std::mutex m_;
};

}  // namespace rig::exec

#endif
