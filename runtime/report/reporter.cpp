#include <algorithm>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/reporter.h"

namespace rig::report {

std::optional<SourceLocation> parseLocation(llvm::StringRef location) {
  auto [rest, colText] = location.rsplit(':');
  auto [file, lineText] = rest.rsplit(':');
  SourceLocation loc;
  if (file.empty() || lineText.getAsInteger(10, loc.line) ||
      colText.getAsInteger(10, loc.col))
    return std::nullopt;
  loc.file = file.str();
  return loc;
}

std::optional<SourceLocation> locateInSuite(const Failure& failure,
                                            llvm::StringRef suitePath) {
  std::optional<SourceLocation> loc = parseLocation(failure.location);
  if (loc && !llvm::sys::path::has_parent_path(loc->file) &&
      llvm::sys::path::filename(suitePath) == loc->file)
    loc->file = suitePath.str();
  return loc;
}

llvm::Error writeReportFile(const std::string& path, llvm::StringRef text,
                            llvm::StringRef what) {
  // Atomic: a reader (a CI step, a browser) never sees half a report, and a
  // failed write leaves the previous report in place.
  llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream& os) {
    os << text;
    return llvm::Error::success();
  });
  if (!e) return e;
  std::string why = llvm::toString(std::move(e));
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write %s %s: %s", what.str().c_str(),
                                 path.c_str(), why.c_str());
}

}  // namespace rig::report

namespace rig::report {

std::string runIdentityHash(llvm::ArrayRef<std::string> suites,
                            llvm::StringRef salt) {
  // Sorted: the same suites given in another order are the same run.
  std::vector<std::string> sorted(suites.begin(), suites.end());
  std::sort(sorted.begin(), sorted.end());
  llvm::SHA1 hash;
  for (const std::string& suite : sorted) {
    hash.update(suite);
    hash.update("\n");
  }
  hash.update("salt:");
  hash.update(salt);
  return llvm::toHex(hash.final(), /*LowerCase=*/true).substr(0, 16);
}

}  // namespace rig::report
