// Several suites at once (`rig run -j N`): a pool of worker threads, each
// running one suite at a time with its own machines; the reporter sees one
// event at a time.
#include <atomic>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "runtime/exec/run.h"
#include "runtime/report/terminal.h"

namespace rig::exec {
namespace {

// Serializes the events of suites that run in parallel.
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

// A suite whose machines could not be made: every test is skipped.
report::SuiteResult infrastructureFailure(const plan::Plan& plan,
                                          std::string why,
                                          report::Reporter& reporter) {
  report::SuiteInfo info;
  info.name = plan.suiteName;
  info.path = plan.suitePath;
  for (const plan::Test& t : plan.tests) info.tests.push_back(t.name);
  for (const plan::Node& n : plan.nodes) info.nodes.push_back(n.name);
  reporter.suiteStarted(info);
  report::SuiteResult result;
  result.name = plan.suiteName;
  result.path = plan.suitePath;
  result.status = report::Status::Error;
  report::Failure failure;
  failure.message = "cannot set up the machines of the suite";
  failure.details = std::move(why);
  result.error = std::move(failure);
  for (const plan::Test& t : plan.tests) {
    report::TestResult test;
    test.name = t.name;
    test.status = report::Status::Skipped;
    reporter.testFinished(info, test);
    result.tests.push_back(std::move(test));
  }
  reporter.suiteFinished(result);
  return result;
}

}  // namespace

report::RunSummary runSuites(llvm::ArrayRef<plan::Plan> plans,
                             MachineFactory& factory,
                             const RunOptions& options,
                             report::Reporter& reporter, Clock& clock) {
  LockedReporter locked(reporter);
  unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, plans.size()));
  locked.runStarted(plans.size(), jobs);
  double start = clock.nowMs();

  report::RunSummary summary;
  summary.suites.resize(plans.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < plans.size(); i = next++) {
      const plan::Plan& plan = plans[i];
      llvm::Expected<std::unique_ptr<SuiteMachines>> machines =
          factory.create(plan);
      if (!machines) {
        summary.suites[i] = infrastructureFailure(
            plan, llvm::toString(machines.takeError()), locked);
        continue;
      }
      summary.suites[i] = runSuite(plan, **machines, options, locked, clock);
    }
  };
  if (jobs == 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
  }
  summary.durationMs = clock.nowMs() - start;
  locked.runFinished(summary);
  return summary;
}

int run(llvm::ArrayRef<plan::Plan> plans, MachineFactory& factory,
        const RunOptions& options, llvm::raw_ostream& out) {
  report::MultiReporter reporters;
  report::TerminalOptions terminal;
  terminal.verbosity = options.verbosity;
  terminal.color = options.color;
  reporters.add(report::makeTerminalReporter(out, terminal));
  if (!options.junitPath.empty())
    reporters.add(report::makeJUnitReporter(options.junitPath));
  report::RunSummary summary =
      runSuites(plans, factory, options, reporters, systemClock());
  int code = report::exitCode(summary);
  if (llvm::Error error = reporters.finish()) {
    out << "rig: error: " << llvm::toString(std::move(error)) << "\n";
    code = 3;
  }
  out.flush();
  return code;
}

}  // namespace rig::exec
