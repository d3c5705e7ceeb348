// `rig compile FILE [-o PLAN.json]`: check the spec and write its plan.
#include "driver/lowering.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

namespace rig::driver {

int runCompile(Session& session) {
  const Invocation& inv = session.invocation();
  std::unique_ptr<CheckedSpec> spec = session.check(inv.files[0], false);
  std::optional<plan::Plan> plan;
  if (spec && spec->ok) plan = lowerSpec(session, *spec);
  session.printDiagnostics();
  if (!plan) return kExitUsage;
  std::string text = plan::writePlan(*plan);
  if (inv.output.empty() || inv.output == "-") {
    session.out() << text;
    return kExitOk;
  }
  // ToolOutputFile removes the file unless keep() is reached: a failed
  // write never leaves half a plan behind.
  std::error_code ec;
  llvm::ToolOutputFile file(inv.output, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    session.error(fmt::format("cannot write {}: {}", inv.output, ec.message()));
    return kExitUsage;
  }
  file.os() << text;
  file.os().close();
  if (file.os().has_error()) {
    session.error(fmt::format("cannot write {}: {}", inv.output,
                              file.os().error().message()));
    file.os().clear_error();
    return kExitUsage;
  }
  file.keep();
  return kExitOk;
}

}  // namespace rig::driver
