// `rig repl FILE`: not implemented yet; checks the spec so that errors show.
#include "compiler/driver/session.h"

namespace rig::driver {

int runRepl(Session& session) {
  std::unique_ptr<CheckedSpec> spec =
      session.check(session.invocation().files[0], false);
  session.printDiagnostics();
  if (!spec || !spec->ok) return kExitUsage;
  session.error("repl is not implemented yet");
  return kExitInfrastructure;
}

}  // namespace rig::driver
