// Serializes the events of one reporter: suites that run in parallel, the
// machines' console reader threads and start_all's boot threads all report
// through one of these. Internal to rig_exec.
#ifndef RIG_RUNTIME_EXEC_LOCKED_REPORTER_H
#define RIG_RUNTIME_EXEC_LOCKED_REPORTER_H

#include <mutex>

#include "runtime/events/events.h"

namespace rig::exec {

class LockedReporter : public events::Sink {
 public:
  explicit LockedReporter(events::Sink& inner) : inner_(inner) {}
  void runStarted(size_t n, unsigned jobs) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.runStarted(n, jobs);
  }
  void suiteStarted(const events::SuiteInfo& s) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.suiteStarted(s);
  }
  void testStarted(const events::SuiteInfo& s, llvm::StringRef t) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.testStarted(s, t);
  }
  void log(const events::SuiteInfo& s, llvm::StringRef t,
           llvm::StringRef msg) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.log(s, t, msg);
  }
  void subtestFinished(const events::SuiteInfo& s, llvm::StringRef t,
                       const events::SubtestResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.subtestFinished(s, t, r);
  }
  void testFinished(const events::SuiteInfo& s,
                    const events::TestResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.testFinished(s, r);
  }
  void nodeChanged(const events::SuiteInfo& s,
                   const events::NodeEvent& e) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.nodeChanged(s, e);
  }
  void stepStarted(const events::SuiteInfo& s,
                   const events::StepInfo& step) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.stepStarted(s, step);
  }
  void stepFinished(const events::SuiteInfo& s,
                    const events::StepResult& step) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.stepFinished(s, step);
  }
  // Console lines come from the machines' reader threads, so this lock is
  // what keeps them from interleaving with the suite's own events.
  void consoleLine(const events::SuiteInfo& s, llvm::StringRef node,
                   llvm::StringRef line, double atMs) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.consoleLine(s, node, line, atMs);
  }
  void suiteFinished(const events::SuiteResult& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.suiteFinished(r);
  }
  void runFinished(const events::RunSummary& r) override {
    std::lock_guard<std::mutex> l(m_);
    inner_.runFinished(r);
  }

 private:
  events::Sink& inner_;
  std::mutex m_;
};

}  // namespace rig::exec

#endif
