// `rig doctor [FILE|DIR...] [--install]`: what the host has and lacks; with
// specs, also the packages their nodes need. Exit 0 when every required
// check passes, 3 otherwise. --install apt-gets what is missing (as root;
// otherwise it prints the command), so that a CI runner's set-up is one
// line (docs/scaling.md).
#include <unistd.h>

#include <cstdlib>

#include "driver/session.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "runtime/host/doctor.h"
#include "runtime/host/packages.h"

namespace rig::driver {

namespace {

// apt-get update, then install: a fresh runner has no package lists. The
// output is apt-get's own, on rig's standard output and error.
bool aptGetInstall(Session& session, const std::vector<std::string>& packages) {
  llvm::ErrorOr<std::string> apt = llvm::sys::findProgramByName("apt-get");
  if (!apt) {
    session.error(
        "--install: apt-get not found (rig doctor --install needs a "
        "Debian or Ubuntu host)");
    return false;
  }
  std::vector<std::string> env = {"DEBIAN_FRONTEND=noninteractive"};
  if (const char* path = std::getenv("PATH"))
    env.push_back(std::string("PATH=") + path);
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  auto run = [&](std::vector<std::string> argv) {
    session.out() << "+ " << llvm::join(argv, " ") << "\n";
    session.out().flush();
    std::vector<llvm::StringRef> refs(argv.begin(), argv.end());
    std::string message;
    int code = llvm::sys::ExecuteAndWait(
        *apt, refs, llvm::ArrayRef<llvm::StringRef>(envRefs), {}, 0, 0,
        &message);
    if (code != 0)
      session.error(fmt::format("--install: {} failed{}", llvm::join(argv, " "),
                                message.empty() ? "" : ": " + message));
    return code == 0;
  };
  if (!run({"apt-get", "update", "-q"})) return false;
  std::vector<std::string> install = {"apt-get", "install", "-y", "-q",
                                      "--no-install-recommends"};
  install.insert(install.end(), packages.begin(), packages.end());
  return run(install);
}

}  // namespace

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
  std::vector<std::string> specs;
  for (const std::string& input : inv.files) {
    if (!llvm::sys::fs::is_directory(input)) {
      specs.push_back(input);
      continue;
    }
    std::vector<std::string> under = specsIn(input);
    specs.insert(specs.end(), under.begin(), under.end());
  }
  for (const std::string& path : specs) {
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
  if (!inv.install)
    return host::doctorPassed(checks) ? kExitOk : kExitInfrastructure;

  std::vector<std::string> packages = host::packagesToInstall(checks);
  if (packages.empty()) {
    session.out() << "--install: nothing to install\n";
    return host::doctorPassed(checks) ? kExitOk : kExitInfrastructure;
  }
  if (::geteuid() != 0) {
    session.out() << "--install: not root; run as root:\n  "
                  << host::aptGetLine(packages) << "\n";
    return kExitInfrastructure;
  }
  if (!aptGetInstall(session, packages)) return kExitInfrastructure;
  // What the host has now.
  checks = host::doctor(options);
  session.out() << "after --install:\n" << host::renderDoctor(checks);
  return host::doctorPassed(checks) ? kExitOk : kExitInfrastructure;
}

}  // namespace rig::driver
