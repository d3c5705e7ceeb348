// `rig check FILE...` and `rig lint FILE...`: the front end over each file,
// then every diagnostic in the chosen format.
#include "compiler/driver/session.h"

namespace rig::driver {

int runCheck(Session& session) {
  bool lint = session.invocation().command == Command::Lint;
  for (const std::string& path : session.invocation().files)
    session.check(path, lint);
  session.printDiagnostics();
  return session.diagnosticsExitCode();
}

}  // namespace rig::driver
