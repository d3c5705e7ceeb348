#include "compiler/driver/execute.h"

#include "runtime/exec/run.h"
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

class ClusterFactory : public exec::MachineFactory {
 public:
  explicit ClusterFactory(vm::ClusterOptions options)
      : options_(std::move(options)) {}
  llvm::Expected<std::unique_ptr<exec::SuiteMachines>> create(
      const plan::Plan& plan) override {
    vm::ClusterOptions options = options_;
    options.suiteName = plan.suiteName;
    auto cluster = vm::Cluster::create(plan.nodes, options);
    if (!cluster) return cluster.takeError();
    return std::make_unique<ClusterMachines>(std::move(*cluster));
  }

 private:
  vm::ClusterOptions options_;
};

}  // namespace

int executePlans(Session& session, std::vector<plan::Plan>& plans,
                 const RunSettings& settings) {
  const Invocation& inv = session.invocation();
  for (const auto& [flag, given] :
       {std::pair<const char*, bool>{"--json", !inv.jsonPath.empty()},
        {"--html", !inv.htmlPath.empty()},
        {"--tap", inv.tap},
        {"--rebuild", inv.rebuild}}) {
    if (!given) continue;
    session.error(fmt::format("{} is not supported by this build yet", flag));
    return kExitUsage;
  }

  exec::RunOptions options;
  options.jobs = inv.jobs.value_or(settings.jobs.value_or(1));
  options.keepGoing = inv.keepGoing;
  options.keepVmsOnFailure = inv.keepVmsOnFailure;
  options.junitPath = inv.junitPath;
  options.verbosity = inv.verbosity;
  options.color = session.colorOut();

  vm::ClusterOptions cluster;
  cluster.kernel.image = settings.kernel;
  cluster.forcedAccel = inv.accel.empty() ? settings.accel : inv.accel;
  llvm::SmallString<256> guest(
      llvm::sys::path::parent_path(session.host().executable));
  llvm::sys::path::append(guest, "rig-guest");
  cluster.guestBinary = std::string(guest);
  ClusterFactory factory(cluster);
  return exec::run(plans, factory, options, session.out());
}

}  // namespace rig::driver
