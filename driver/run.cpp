// `rig run FILE|DIR|PLAN.json...`: compile the specs (a directory means its
// *.rig files that declare nodes or tests), read the plans, run them all.
#include <algorithm>

#include "driver/execute.h"
#include "driver/lowering.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

int runRun(Session& session) {
  const Invocation& inv = session.invocation();
  std::vector<plan::Plan> plans;
  const Config* config = nullptr;
  bool failed = false;

  for (const std::string& input : inv.files) {
    if (!config) config = session.configFor(input);
    if (!config) return kExitUsage;
    if (llvm::StringRef(input).endswith(".json")) {
      auto buffer = llvm::MemoryBuffer::getFile(input, /*IsText=*/true);
      if (!buffer) {
        session.error(fmt::format("cannot read {}: {}", input,
                                  buffer.getError().message()));
        failed = true;
        continue;
      }
      llvm::Expected<plan::Plan> plan = plan::parsePlan((*buffer)->getBuffer());
      if (!plan) {
        session.error(fmt::format("{}: {}", input,
                                  llvm::toString(plan.takeError())));
        failed = true;
        continue;
      }
      plans.push_back(std::move(*plan));
      continue;
    }
    std::vector<std::string> specs;
    bool fromDirectory = llvm::sys::fs::is_directory(input);
    if (fromDirectory)
      specs = specsIn(input);  // session.h
    else
      specs.push_back(input);
    for (const std::string& path : specs) {
      std::unique_ptr<CheckedSpec> spec = session.check(path, false);
      if (!spec || !spec->ok) {
        failed = true;
        continue;
      }
      // A library found in a directory is not a suite.
      if (fromDirectory && spec->program.nodes.empty() &&
          spec->program.tests.empty())
        continue;
      std::optional<plan::Plan> plan = lowerSpec(session, *spec);
      if (!plan) {
        failed = true;
        continue;
      }
      plans.push_back(std::move(*plan));
    }
  }
  session.printDiagnostics();
  if (failed || session.errorCount()) return kExitUsage;
  if (plans.empty()) {
    session.error("no suite to run (a suite declares nodes or tests)");
    return kExitUsage;
  }
  return executePlans(session, plans, config->run);
}

}  // namespace rig::driver
