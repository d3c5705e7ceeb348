#include "runtime/host/packages.h"

#include <set>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/host/process.h"

namespace rig::host {

std::vector<std::string> missingFromDpkgOutput(
    llvm::ArrayRef<std::string> names, llvm::StringRef output) {
  std::set<std::string> installed;
  llvm::SmallVector<llvm::StringRef, 32> lines;
  output.split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    auto [pkg, status] = line.split(' ');
    pkg = pkg.split(':').first;  // architecture qualifier
    if (status.trim() == "install ok installed") installed.insert(pkg.str());
  }
  std::vector<std::string> missing;
  for (auto& name : names)
    if (!installed.count(llvm::StringRef(name).split(':').first.str()))
      missing.push_back(name);
  return missing;
}

llvm::Expected<std::vector<std::string>> missingPackages(
    llvm::ArrayRef<std::string> names) {
  if (names.empty()) return std::vector<std::string>{};
  std::vector<std::string> argv = {"dpkg-query", "-W", "-f",
                                   "${Package} ${Status}\n"};
  argv.insert(argv.end(), names.begin(), names.end());
  auto result = run(argv, 30'000);
  if (!result) return result.takeError();
  // Exit status 1 only means some name matched no package; the output still
  // lists the others (dpkg's complaint about the unknown ones goes along).
  return missingFromDpkgOutput(names, result->output);
}

std::string aptGetLine(llvm::ArrayRef<std::string> names) {
  std::string line = "apt-get install";
  for (auto& n : names) line += " " + n;
  return line;
}

}  // namespace rig::host
