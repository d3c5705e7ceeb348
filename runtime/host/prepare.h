// Prepared state (language.md 4a): a `prepare` step runs once on the host in
// a bubblewrap sandbox, its output is cached by a key, and the VM layer
// shares the cached directory read-only into the guest (overlay on top).
//
// Cache layout, under `<cacheDir>/prepare/`:
//   KEY/             the finished output (what `$out` was), never modified
//   KEY.json         the record: key, name, command, user, packages with
//                    versions, build seconds, build time; written last
//   KEY.lock         flock(2) held while building, so two suites that need
//                    the same key build it once
//   .tmp-KEY-PID/    a build in progress; renamed to KEY when it succeeded
// A crash mid-build leaves only a .tmp directory (ignored, cleaned later)
// and never a KEY directory without its record.
#ifndef RIG_RUNTIME_HOST_PREPARE_H
#define RIG_RUNTIME_HOST_PREPARE_H

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::host {

// (package, installed version) pairs; "" as version when not installed.
using PackageVersions = std::vector<std::pair<std::string, std::string>>;

// Asks dpkg for the installed versions of `packages` (sorted by name).
llvm::Expected<PackageVersions> packageVersions(
    llvm::ArrayRef<std::string> packages);

// The cache key: hex SHA-256 over the command, the user, every package with
// its version, and each input file's path and contents. Nothing else (not
// the step's name, not where it is mounted) goes in.
llvm::Expected<std::string> prepareKey(const plan::Prepare& step,
                                       const PackageVersions& versions);

struct PreparedState {
  std::string key;
  std::string outputDir;  // the cached KEY/ directory
  bool cached = false;    // false: built by this call
  double seconds = 0;     // build time (or the time to find it)
};

struct PrepareOptions {
  std::string cacheDir;  // "" = host::cacheDir()
  bool rebuild = false;  // ignore (and replace) a cached output
  // The keys this run has built or found already: a rebuild does not build
  // them again (a step several nodes share is built once per run).
  std::set<std::string>* seen = nullptr;
};

// Returns the cached output for `step`, building it first when missing.
// A failing command yields an error with the command and its output.
llvm::Expected<PreparedState> ensurePrepared(const plan::Prepare& step,
                                             const PackageVersions& versions,
                                             const PrepareOptions& options);

// `rig cache list`: one line per cached output (key, name, size, age).
struct CacheEntry {
  std::string key;
  std::string name;
  std::string command;
  uint64_t bytes = 0;
  std::string builtAt;
};
llvm::Expected<std::vector<CacheEntry>> listPrepared(llvm::StringRef cacheDir);
// `rig cache clean`: removes every cached output and stale temporaries.
llvm::Error cleanPrepared(llvm::StringRef cacheDir);

}  // namespace rig::host

#endif
