// `rig doctor [FILE...]`: what the host has and lacks; with specs, also the
// packages their nodes need. Exit 0 when every required check passes, 3
// otherwise.
#include "driver/session.h"
#include "runtime/host/doctor.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

int runDoctor(Session& session) {
  const Invocation& inv = session.invocation();
  host::DoctorOptions options;
  // Settings: the rig.toml of the first spec, else of the current directory.
  const Config* config =
      session.configFor(inv.files.empty() ? "./rig.toml" : inv.files[0]);
  if (!config) return kExitUsage;
  options.kernel.image = config->run.kernel;
  options.forcedAccel = inv.accel.empty() ? config->run.accel : inv.accel;
  llvm::SmallString<256> guest(
      llvm::sys::path::parent_path(session.host().executable));
  llvm::sys::path::append(guest, "rig-guest");
  options.guestBinary = std::string(guest);
  for (const std::string& path : inv.files) {
    std::unique_ptr<CheckedSpec> spec = session.check(path, false);
    if (!spec) continue;
    for (const sema::NodeConfig& node : spec->program.nodes)
      for (const std::string& p : node.packages)
        if (std::find(options.packages.begin(), options.packages.end(), p) ==
            options.packages.end())
          options.packages.push_back(p);
  }
  session.printDiagnostics();
  if (session.errorCount()) return kExitUsage;
  std::vector<host::DoctorCheck> checks = host::doctor(options);
  session.out() << host::renderDoctor(checks);
  return host::doctorPassed(checks) ? kExitOk : kExitInfrastructure;
}

}  // namespace rig::driver
