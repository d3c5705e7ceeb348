// A MachineFactory decorator: before making a suite's machines, check that
// the host has every Debian package the plan's nodes need (the guests see
// the host's /usr). A missing package is an infrastructure failure (exit
// code 3) that says how to install it.
//
//   ClusterFactory qemu(...);
//   exec::HostPackageCheck factory(qemu);
//   exec::run(plans, factory, options, out);
#ifndef RIG_RUNTIME_EXEC_HOST_PACKAGES_H
#define RIG_RUNTIME_EXEC_HOST_PACKAGES_H

#include <functional>
#include <string>
#include <vector>

#include "runtime/exec/run.h"

namespace rig::exec {

class HostPackageCheck : public MachineFactory {
 public:
  using Query = std::function<llvm::Expected<std::vector<std::string>>(
      llvm::ArrayRef<std::string>)>;
  // `missing` defaults to host::missingPackages (dpkg); tests pass a fake.
  explicit HostPackageCheck(MachineFactory& inner, Query missing = nullptr);
  llvm::Expected<std::unique_ptr<SuiteMachines>> create(
      const plan::Plan& plan) override;

 private:
  MachineFactory& inner_;
  Query missing_;
};

}  // namespace rig::exec

#endif
