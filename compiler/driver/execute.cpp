#include "compiler/driver/execute.h"

#include <mutex>

#include <fmt/format.h>

#include "runtime/exec/run.h"
#include "runtime/host/prepare.h"
#include "runtime/vm/cluster.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

namespace {

// The machines of one suite: a Cluster of QEMU machines.
class ClusterMachines : public exec::SuiteMachines {
 public:
  explicit ClusterMachines(std::unique_ptr<vm::Cluster> cluster)
      : cluster_(std::move(cluster)) {}
  vm::Machine* machine(llvm::StringRef name) override {
    return cluster_->machine(name);
  }
  void stopAll() override { cluster_->stopAll(); }

 private:
  std::unique_ptr<vm::Cluster> cluster_;
};

// Builds (or finds in the cache) every `prepare` step of the suite's nodes
// before any machine boots, and hands the outputs to the cluster as 9p
// overlays (docs/prepare.md). Progress lines go to `out`.
class ClusterFactory : public exec::MachineFactory {
 public:
  ClusterFactory(vm::ClusterOptions options, bool rebuild, llvm::raw_ostream& out)
      : options_(std::move(options)), rebuild_(rebuild), out_(out) {}
  llvm::Expected<std::unique_ptr<exec::SuiteMachines>> create(
      const plan::Plan& plan) override {
    vm::ClusterOptions options = options_;
    options.suiteName = plan.suiteName;
    for (const plan::Node& node : plan.nodes) {
      if (node.prepares.empty()) continue;
      auto versions = host::packageVersions(node.packages);
      if (!versions) return versions.takeError();
      unsigned index = 0;
      for (const plan::Prepare& step : node.prepares) {
        auto state = host::ensurePrepared(step, *versions, {"", rebuild_});
        if (!state)
          return llvm::createStringError(
              llvm::inconvertibleErrorCode(), "%s: node %s: %s",
              plan.suiteName.c_str(), node.name.c_str(),
              llvm::toString(state.takeError()).c_str());
        say(fmt::format("  preparing {} on {}: {} ({:.1f}s)\n", step.name,
                        node.name, state->cached ? "cached" : "built",
                        state->seconds));
        options.overlays[node.name].push_back(
            {fmt::format("prep{}", index++), state->outputDir, step.mountAt});
      }
    }
    auto cluster = vm::Cluster::create(plan.nodes, options);
    if (!cluster) return cluster.takeError();
    return std::make_unique<ClusterMachines>(std::move(*cluster));
  }

 private:
  void say(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    out_ << line;
    out_.flush();
  }

  vm::ClusterOptions options_;
  bool rebuild_;
  llvm::raw_ostream& out_;
  std::mutex mutex_;
};

}  // namespace

int executePlans(Session& session, std::vector<plan::Plan>& plans,
                 const RunSettings& settings) {
  const Invocation& inv = session.invocation();
  if (!inv.htmlPath.empty()) {
    session.error("--html is not supported by this build yet");
    return kExitUsage;
  }

  exec::RunOptions options;
  options.jobs = inv.jobs.value_or(settings.jobs.value_or(1));
  options.keepGoing = inv.keepGoing;
  options.keepVmsOnFailure = inv.keepVmsOnFailure;
  if (inv.suiteTimeoutMs) options.suiteTimeoutMs = inv.suiteTimeoutMs;
  options.verbosity = inv.verbosity;
  options.color = session.colorOut();

  vm::ClusterOptions cluster;
  cluster.kernel.image = settings.kernel;
  cluster.forcedAccel = inv.accel.empty() ? settings.accel : inv.accel;
  llvm::SmallString<256> guest(
      llvm::sys::path::parent_path(session.host().executable));
  llvm::sys::path::append(guest, "rig-guest");
  cluster.guestBinary = std::string(guest);
  // With --tap standard output is the TAP stream alone: the prepare lines
  // go to standard error.
  llvm::raw_ostream& progress = inv.tap ? llvm::errs() : session.out();
  ClusterFactory factory(cluster, inv.rebuild, progress);

  // The reporters (docs/reports.md); the executor feeds them all one stream
  // of events.
  report::MultiReporter reporters;
  if (inv.tap) {
    reporters.add(report::makeTapReporter(session.out()));
  } else {
    report::TerminalOptions terminal;
    terminal.verbosity = options.verbosity;
    terminal.color = options.color;
    reporters.add(report::makeTerminalReporter(session.out(), terminal));
  }
  if (inv.github) reporters.add(report::makeGithubReporter(session.out()));
  if (!inv.junitPath.empty())
    reporters.add(report::makeJUnitReporter(inv.junitPath));
  if (!inv.jsonPath.empty())
    reporters.add(report::makeJsonReporter(inv.jsonPath));
  if (!inv.eventsPath.empty())
    reporters.add(report::makeEventsReporter(inv.eventsPath));

  report::RunSummary summary = exec::runSuites(plans, factory, options,
                                               reporters, exec::systemClock());
  int code = report::exitCode(summary);
  if (llvm::Error error = reporters.finish()) {
    session.error(llvm::toString(std::move(error)));
    code = 3;
  }
  session.out().flush();
  return code;
}

}  // namespace rig::driver
