// `rig cache list|clean`: the cached outputs of `prepare` steps
// (docs/prepare.md).
#include <fmt/format.h>

#include "driver/session.h"
#include "runtime/host/prepare.h"
#include "runtime/host/run_dir.h"

namespace rig::driver {

int runCache(Session& session) {
  const std::string& action = session.invocation().files[0];
  if (action != "list" && action != "clean") {
    session.error(fmt::format(
        "rig cache takes `list` or `clean`, not `{}` (see rig cache --help)",
        action));
    return kExitUsage;
  }
  auto dir = host::cacheDir();
  if (!dir) {
    session.error(llvm::toString(dir.takeError()));
    return kExitInfrastructure;
  }
  if (action == "clean") {
    if (llvm::Error e = host::cleanPrepared(*dir)) {
      session.error(llvm::toString(std::move(e)));
      return kExitInfrastructure;
    }
    session.out() << fmt::format(
        "removed the prepared state cached in {}/prepare\n", *dir);
    return kExitOk;
  }
  auto entries = host::listPrepared(*dir);
  if (!entries) {
    session.error(llvm::toString(entries.takeError()));
    return kExitInfrastructure;
  }
  if (entries->empty()) {
    session.out() << fmt::format("no prepared state cached in {}/prepare\n",
                                 *dir);
    return kExitOk;
  }
  session.out() << fmt::format("{:<16} {:<14} {:>10}  {:<20}  {}\n", "key",
                               "step", "size", "built", "command");
  for (const host::CacheEntry& e : *entries)
    session.out() << fmt::format("{:<16} {:<14} {:>8.1f}MB  {:<20}  {}\n",
                                 e.key.substr(0, 16), e.name, e.bytes / 1e6,
                                 e.builtAt, e.command);
  return kExitOk;
}

}  // namespace rig::driver
