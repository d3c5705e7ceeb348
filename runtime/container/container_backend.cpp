#include "runtime/container/container_backend.h"

#include <unistd.h>

#include <set>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "runtime/container/container_machine.h"
#include "runtime/container/run_network.h"
#include "runtime/support/error.h"

namespace rig::container {
namespace {

class ContainerBackend : public vm::NodeBackend {
 public:
  ContainerBackend(std::unique_ptr<RunNetwork> network, std::string runDir,
                   std::string guestBinary, bool quiet, std::string keeper)
      : network_(std::move(network)),
        runDir_(std::move(runDir)),
        guestBinary_(std::move(guestBinary)),
        quiet_(quiet),
        keeper_(std::move(keeper)) {}

  llvm::Expected<std::unique_ptr<vm::NodeMachine>> machine(
      vm::NodeOptions base) override {
    ContainerMachineOptions o;
    static_cast<vm::NodeOptions&>(o) = std::move(base);
    o.guestBinary = guestBinary_;
    o.quiet = quiet_;
    o.machineName = machineNameFor(
        "rig-" + llvm::sys::path::filename(runDir_).str() + "-" + o.node.name);
    o.network = network_.get();
    unsigned index = next_++;
    for (size_t i = 0; i < o.node.vlans.size(); ++i) {
      const auto& v = o.node.vlans[i];
      // Unique in the run's namespace, at most 15 bytes (IFNAMSIZ); renamed
      // as it moves into the container.
      std::string suffix = std::to_string(index) + "v" + std::to_string(v.vlan);
      o.links.push_back({v.vlan, v.mac, "rc" + suffix, "rb" + suffix,
                         "eth" + std::to_string(i)});
    }
    return std::make_unique<ContainerMachine>(std::move(o));
  }

  llvm::Error joinSwitch(int64_t vlan, const std::string& switchDir) override {
    if (!network_)
      return failure("no container network to join vlan " +
                     std::to_string(vlan));
    return network_->plugSwitch(vlan, switchDir, keeper_);
  }

  pid_t keptPid() const override {
    return network_ ? network_->holderPid() : 0;
  }
  llvm::Error release() override {
    return network_ ? network_->release() : llvm::Error::success();
  }

 private:
  std::unique_ptr<RunNetwork> network_;
  std::string runDir_;
  std::string guestBinary_;
  bool quiet_;
  std::string keeper_;
  unsigned next_ = 0;
};

}  // namespace

std::string containersUnavailable() {
  std::vector<std::string> missing;
  for (const char* program : {"systemd-nspawn", "nsenter", "unshare", "ip"})
    if (!llvm::sys::findProgramByName(program)) missing.push_back(program);
  std::string text;
  if (!missing.empty()) {
    for (auto& m : missing) text += (text.empty() ? "" : ", ") + m;
    text +=
        " not found (install: apt-get install systemd-container util-linux "
        "iproute2)";
  }
  if (::geteuid() != 0)
    text += std::string(text.empty() ? "" : "; ") +
            "container nodes need root (systemd-nspawn, network namespaces)";
  return text;
}

vm::NodeBackendFactory containerBackend(std::string guestBinary, bool quiet) {
  return
      [guestBinary, quiet](llvm::ArrayRef<plan::Node> nodes,
                           const std::string& runDir, const std::string& keeper)
          -> llvm::Expected<std::unique_ptr<vm::NodeBackend>> {
        std::string why = containersUnavailable();
        if (!why.empty())
          return failure("container nodes cannot run here: " + why);
        std::string guest = guestBinary;
        if (guest.empty()) {
          std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
          guest = (llvm::sys::path::parent_path(self) + "/rig-guest").str();
        }
        if (!llvm::sys::fs::exists(guest))
          return failure("rig-guest not found at " + guest +
                         " (it is built next to rig)");
        std::set<int64_t> vlans;
        for (auto& n : nodes)
          for (auto& v : n.vlans) vlans.insert(v.vlan);
        std::unique_ptr<RunNetwork> network;
        if (!vlans.empty()) {
          auto net = RunNetwork::create(vlans, runDir, keeper);
          if (!net) return net.takeError();
          network = std::move(*net);
        }
        return std::make_unique<ContainerBackend>(std::move(network), runDir,
                                                  guest, quiet, keeper);
      };
}

}  // namespace rig::container
