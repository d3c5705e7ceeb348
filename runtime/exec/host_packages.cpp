#include "runtime/exec/host_packages.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/host/packages.h"

namespace rig::exec {

HostPackageCheck::HostPackageCheck(MachineFactory& inner, Query missing)
    : inner_(inner), missing_(std::move(missing)) {
  if (!missing_) missing_ = host::missingPackages;
}

llvm::Expected<std::unique_ptr<SuiteMachines>> HostPackageCheck::create(
    const plan::Plan& plan) {
  if (!plan.hostPackages.empty()) {
    llvm::Expected<std::vector<std::string>> missing =
        missing_(plan.hostPackages);
    if (!missing) return missing.takeError();
    if (!missing->empty())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          fmt::format("the host lacks package{} {} that the nodes use (the "
                      "guests see the host's /usr): {}",
                      missing->size() == 1 ? "" : "s",
                      llvm::join(*missing, ", "), host::aptGetLine(*missing)));
  }
  return inner_.create(plan);
}

}  // namespace rig::exec
