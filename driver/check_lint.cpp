// `rig check FILE|DIR...` and `rig lint FILE|DIR...`: the front end over
// each file (a directory means every *.rig file under it), then every
// diagnostic in the chosen format.
#include "driver/session.h"
#include "llvm/Support/FileSystem.h"

namespace rig::driver {

int runCheck(Session& session) {
  bool lint = session.invocation().command == Command::Lint;
  for (const std::string& input : session.invocation().files) {
    if (!llvm::sys::fs::is_directory(input)) {
      session.check(input, lint);
      continue;
    }
    std::vector<std::string> specs = specsIn(input);
    if (specs.empty()) {
      session.error(fmt::format("no .rig file under {}", input));
      return kExitUsage;
    }
    for (const std::string& path : specs) session.check(path, lint);
  }
  session.printDiagnostics();
  return session.diagnosticsExitCode();
}

}  // namespace rig::driver
