#include "driver/execute.h"
#include "driver/kept_runs.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <functional>
#include <mutex>

#include <fmt/format.h>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "runtime/container/container_backend.h"
#include "runtime/exec/run.h"
#include "runtime/host/memory.h"
#include "runtime/host/prepare.h"
#include "runtime/host/process.h"
#include "runtime/report/terminal.h"
#include "runtime/vm/cluster.h"

namespace rig::driver {

namespace {

// What --keep-vms-on-failure did, per failed suite, for the lines printed
// after the run (the suites may run on several threads).
class KeptRuns {
 public:
  void add(std::string text) {
    std::lock_guard<std::mutex> lock(mutex_);
    texts_.push_back(std::move(text));
  }
  std::vector<std::string> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::move(texts_);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> texts_;
};

// The machines of one suite: a Cluster of QEMU machines.
class ClusterMachines : public exec::SuiteMachines {
 public:
  ClusterMachines(std::unique_ptr<vm::Cluster> cluster, std::string suite,
                  KeptRuns& kept, std::string rig)
      : cluster_(std::move(cluster)),
        suite_(std::move(suite)),
        kept_(kept),
        rig_(std::move(rig)) {}
  machine::Machine* machine(llvm::StringRef name) override {
    return cluster_->machine(name);
  }
  void stopAll() override { cluster_->stopAll(); }
  bool keepRunning() override {
    auto record = cluster_->keepRunning();
    if (!record) {
      kept_.add(
          fmt::format("--keep-vms-on-failure: suite `{}`: {}\n  what was kept "
                      "is recorded in {}; "
                      "`{} attach {} --stop` ends it\n",
                      suite_, llvm::toString(record.takeError()),
                      cluster_->runDir(), rig_, cluster_->runDir()));
      return false;
    }
    if (!*record) {
      kept_.add(fmt::format(
          "--keep-vms-on-failure: suite `{}` failed with no machine "
          "running; nothing was kept\n",
          suite_));
      return false;
    }
    kept_.add(describeKeptRun(rig_, cluster_->runDir(), **record));
    return true;
  }

 private:
  std::unique_ptr<vm::Cluster> cluster_;
  std::string suite_;
  KeptRuns& kept_;
  std::string rig_;
};

// Builds (or finds in the cache) every `prepare` step of the suite's nodes
// before any machine boots, and hands the outputs to the cluster as 9p
// overlays (docs/prepare.md). Progress lines go to `say` (above the live
// block of the terminal, or to standard error with --tap).
class ClusterFactory : public exec::MachineFactory {
 public:
  ClusterFactory(vm::ClusterOptions options, bool rebuild,
                 std::function<void(llvm::StringRef)> say, KeptRuns& kept,
                 std::string rig)
      : options_(std::move(options)),
        rebuild_(rebuild),
        say_(std::move(say)),
        kept_(kept),
        rig_(std::move(rig)) {}
  llvm::Expected<std::unique_ptr<exec::SuiteMachines>> create(
      const plan::Plan& plan) override {
    // Before anything is built or booted (docs/running.md, "Memory").
    if (llvm::Error error = host::checkHostMemory(plan.suiteName, plan.nodes))
      return error;
    vm::ClusterOptions options = options_;
    options.suiteName = plan.suiteName;
    options.suitePath = plan.suitePath;
    options.programText = vm::programStrings(plan);
    std::set<std::string> seen;  // --rebuild builds a shared step once
    for (const plan::Node& node : plan.nodes) {
      if (node.prepares.empty()) continue;
      auto versions = host::packageVersions(node.packages);
      if (!versions) return versions.takeError();
      unsigned index = 0;
      for (const plan::Prepare& step : node.prepares) {
        // A top-level step is keyed by its own packages (docs/prepare.md).
        auto own = host::packageVersions(
            step.packages.value_or(std::vector<std::string>{}));
        if (!own) return own.takeError();
        auto state = host::ensurePrepared(
            step, step.packages ? *own : *versions, {"", rebuild_, &seen});
        if (!state)
          return llvm::createStringError(
              llvm::inconvertibleErrorCode(), "%s: node %s: %s",
              plan.suiteName.c_str(), node.name.c_str(),
              llvm::toString(state.takeError()).c_str());
        say_(fmt::format("  preparing {} on {}: {} ({:.1f}s)\n", step.name,
                         node.name, state->cached ? "cached" : "built",
                         state->seconds));
        options.overlays[node.name].push_back(
            {fmt::format("prep{}", index++), state->outputDir, step.mountAt});
      }
    }
    auto cluster = vm::Cluster::create(plan.nodes, options);
    if (!cluster) return cluster.takeError();
    return std::make_unique<ClusterMachines>(std::move(*cluster),
                                             plan.suiteName, kept_, rig_);
  }

 private:
  vm::ClusterOptions options_;
  bool rebuild_;
  std::function<void(llvm::StringRef)> say_;  // thread-safe
  KeptRuns& kept_;
  std::string rig_;
};

// The size of the terminal on standard output; 80x24 when it is not one.
report::TerminalSize terminalSize() {
  report::TerminalSize size;
  struct winsize ws {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
      ws.ws_row > 0) {
    size.columns = ws.ws_col;
    size.rows = ws.ws_row;
  }
  return size;
}

// The live status block needs a terminal that moves its cursor (TERM set
// and not `dumb`); NO_COLOR and --color=never ask for plain output, and
// --github prints its own lines on standard output, which the block's
// redraws would tear apart.
bool liveTerminal(const Session& session) {
  const Invocation& inv = session.invocation();
  const Host& host = session.host();
  if (!host.outIsTerminal || inv.quiet || inv.github ||
      inv.color == ColorMode::Never)
    return false;
  auto env = [&](const char* name) {
    return host.env ? host.env(name).value_or("") : std::string();
  };
  std::string term = env("TERM");
  return !term.empty() && term != "dumb" && env("NO_COLOR").empty();
}

// The cluster options of the command line and rig.toml's [run] table.
vm::ClusterOptions clusterOptions(Session& session,
                                  const RunSettings& settings) {
  const Invocation& inv = session.invocation();
  vm::ClusterOptions cluster;
  cluster.kernel.image = settings.kernel;
  cluster.forcedAccel = inv.accel.empty() ? settings.accel : inv.accel;
  llvm::SmallString<256> guest(
      llvm::sys::path::parent_path(session.host().executable));
  llvm::sys::path::append(guest, "rig-guest");
  cluster.guestBinary = std::string(guest);
  cluster.containers = container::containerBackend(cluster.guestBinary);
  return cluster;
}

}  // namespace

std::unique_ptr<exec::MachineFactory> makeClusterFactory(
    Session& session, const RunSettings& settings,
    std::function<void(llvm::StringRef)> say) {
  // rig repl: nothing is ever kept (its machines end with the session, and
  // it never asks SuiteMachines::keepRunning), so one empty list serves.
  static KeptRuns neverKept;
  return std::make_unique<ClusterFactory>(
      clusterOptions(session, settings), session.invocation().rebuild,
      std::move(say), neverKept, rigCommandFor(session.host()));
}

report::TerminalReporter* addReporters(Session& session,
                                       const report::RunIdentity& identity,
                                       bool live,
                                       report::MultiReporter& reporters) {
  const Invocation& inv = session.invocation();
  report::TerminalReporter* terminal = nullptr;
  if (inv.tap) {
    reporters.add(report::makeTapReporter(session.out()));
  } else {
    report::TerminalOptions shown;
    shown.verbosity = inv.quiet ? -1 : inv.verbosity;
    shown.consoleNodes = inv.consoleNodes;
    shown.color = session.colorOut();
    shown.live = live;
    shown.size = terminalSize;
    shown.tickMs = 100;  // elapsed times move by a tenth of a second
    auto reporter = report::makeTerminalReporter(session.out(), shown);
    terminal = reporter.get();
    reporters.add(std::move(reporter));
  }
  if (inv.github) reporters.add(report::makeGithubReporter(session.out()));
  if (!inv.junitPath.empty())
    reporters.add(report::makeJUnitReporter(inv.junitPath));
  if (!inv.jsonPath.empty())
    reporters.add(report::makeJsonReporter(inv.jsonPath, identity));
  if (!inv.eventsPath.empty())
    reporters.add(report::makeEventsReporter(inv.eventsPath, identity));
  if (!inv.htmlPath.empty())
    reporters.add(report::makeHtmlReporter(inv.htmlPath));
  return terminal;
}

exec::RunOptions runOptions(Session& session, const RunSettings& settings) {
  const Invocation& inv = session.invocation();
  exec::RunOptions options;
  options.jobs = inv.jobs.value_or(settings.jobs.value_or(1));
  options.keepGoing = inv.keepGoing;
  options.keepVmsOnFailure = inv.keepVmsOnFailure;
  if (inv.suiteTimeoutMs) options.suiteTimeoutMs = inv.suiteTimeoutMs;
  options.verbosity = inv.verbosity;
  if (settings.maxOutputBytes)
    options.maxOutputBytes = *settings.maxOutputBytes;
  return options;
}

int executePlans(Session& session, std::vector<plan::Plan>& plans,
                 const RunSettings& settings,
                 const report::RunIdentity& identity) {
  const Invocation& inv = session.invocation();
  // --console names a node of one of the suites.
  std::vector<llvm::StringRef> nodes;
  for (const plan::Plan& plan : plans)
    for (const plan::Node& node : plan.nodes) nodes.push_back(node.name);
  for (const std::string& name : inv.consoleNodes) {
    if (llvm::is_contained(nodes, llvm::StringRef(name))) continue;
    session.error(
        fmt::format("--console {}: no such node in the suites "
                    "(nodes: {})",
                    name, llvm::join(nodes, ", ")));
    return kExitUsage;
  }
  // --backend applies to plans read from JSON too (a compiled suite has it
  // already); Cluster::create refuses what a container cannot have.
  if (!inv.backend.empty())
    for (plan::Plan& plan : plans)
      for (plan::Node& node : plan.nodes) node.backend = inv.backend;
  exec::RunOptions options = runOptions(session, settings);
  vm::ClusterOptions cluster = clusterOptions(session, settings);
  // QEMU and the switches run under rig-keeper so that a failed suite's
  // machines can outlive rig (docs/debugging.md).
  cluster.keepable = inv.keepVmsOnFailure;

  // The reporters (docs/reports.md); the executor feeds them all one stream
  // of events.
  report::MultiReporter reporters;
  report::TerminalReporter* terminal =
      addReporters(session, identity, liveTerminal(session), reporters);
  // With --tap standard output is the TAP stream alone: the prepare lines
  // go to standard error; -q shows none.
  std::mutex errMutex;
  auto say = [&](llvm::StringRef line) {
    if (terminal) {
      terminal->note(line);  // nothing with -q
      return;
    }
    std::lock_guard<std::mutex> lock(errMutex);
    session.err() << line;
    session.err().flush();
  };
  KeptRuns kept;
  ClusterFactory factory(cluster, inv.rebuild, say, kept,
                         rigCommandFor(session.host()));

  // Ctrl-C or SIGTERM stops the machines at once (as before) and ends the
  // running tests as interrupted; the reports are still written.
  host::deferInterrupts();
  options.interrupted = [] { return host::interruptRequested(); };
  events::RunSummary summary =
      exec::runSuites(plans, factory, options, reporters, exec::systemClock());
  int code = summary.interrupted ? kExitInterrupted : events::exitCode(summary);
  // After the summary (and after the live block has ended), also with -q:
  // the kept machines run until someone stops them.
  llvm::raw_ostream& keptOut = inv.tap ? session.err() : session.out();
  for (const std::string& text : kept.take()) keptOut << "\n" << text;
  keptOut.flush();
  if (llvm::Error error = reporters.finish()) {
    session.error(llvm::toString(std::move(error)));
    code = 3;
  }
  session.out().flush();
  return code;
}

}  // namespace rig::driver
