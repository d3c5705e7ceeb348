// Host package checks: the guest sees the host's /usr, so every package a
// node needs must be installed on the host (language.md section 4).
#ifndef RIG_RUNTIME_HOST_PACKAGES_H
#define RIG_RUNTIME_HOST_PACKAGES_H

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

// The packages of `names` that dpkg does not report as
// "install ok installed", in the given order.
llvm::Expected<std::vector<std::string>> missingPackages(
    llvm::ArrayRef<std::string> names);

// Parses `dpkg-query -W -f '${Package} ${Status}\n'` output (for tests).
std::vector<std::string> missingFromDpkgOutput(
    llvm::ArrayRef<std::string> names, llvm::StringRef output);

// "apt-get install a b c"
std::string aptGetLine(llvm::ArrayRef<std::string> names);

}  // namespace rig::host

#endif
