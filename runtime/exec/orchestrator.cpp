// Several suites at once (`rig run -j N`): a pool of worker threads, each
// running one suite at a time with its own machines; the reporter sees one
// event at a time.
#include <atomic>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "runtime/exec/locked_reporter.h"
#include "runtime/exec/run.h"

namespace rig::exec {
namespace {

// A suite whose machines could not be made, or that an interrupt kept from
// starting: every test is skipped.
events::SuiteResult infrastructureFailure(
    const plan::Plan& plan, std::string why, events::Sink& reporter,
    std::string message = "cannot set up the machines of the suite") {
  events::SuiteInfo info;
  info.name = plan.suiteName;
  info.path = plan.suitePath;
  for (const plan::Test& t : plan.tests) info.tests.push_back(t.name);
  for (const plan::Node& n : plan.nodes) info.nodes.push_back(n.name);
  reporter.suiteStarted(info);
  events::SuiteResult result;
  result.name = plan.suiteName;
  result.path = plan.suitePath;
  result.status = events::Status::Error;
  events::Failure failure;
  failure.message = std::move(message);
  failure.details = std::move(why);
  result.error = std::move(failure);
  for (const plan::Test& t : plan.tests) {
    events::TestResult test;
    test.name = t.name;
    test.status = events::Status::Skipped;
    reporter.testFinished(info, test);
    result.tests.push_back(std::move(test));
  }
  reporter.suiteFinished(result);
  return result;
}

}  // namespace

events::RunSummary runSuites(llvm::ArrayRef<plan::Plan> plans,
                             MachineFactory& factory, const RunOptions& options,
                             events::Sink& reporter, Clock& clock) {
  LockedReporter locked(reporter);
  unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, plans.size()));
  double start = clock.nowMs();  // the origin of every event time
  locked.runStarted(plans.size(), jobs);

  events::RunSummary summary;
  summary.suites.resize(plans.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < plans.size(); i = next++) {
      const plan::Plan& plan = plans[i];
      if (options.interrupted && options.interrupted()) {
        summary.suites[i] = infrastructureFailure(
            plan, "the run was interrupted before this suite started", locked,
            "interrupted");
        continue;
      }
      llvm::Expected<std::unique_ptr<SuiteMachines>> machines =
          factory.create(plan);
      if (!machines) {
        summary.suites[i] = infrastructureFailure(
            plan, llvm::toString(machines.takeError()), locked);
        continue;
      }
      summary.suites[i] =
          runSuite(plan, **machines, options, locked, clock, start);
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
  summary.interrupted = options.interrupted && options.interrupted();
  locked.runFinished(summary);
  return summary;
}

}  // namespace rig::exec
