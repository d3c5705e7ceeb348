#include "driver/kept_runs.h"

#include <fmt/format.h>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

namespace rig::driver {

std::string rigCommandFor(const Host& host) {
  auto onPath = llvm::sys::findProgramByName("rig");
  llvm::SmallString<256> found, self;
  if (onPath && !llvm::sys::fs::real_path(*onPath, found) &&
      !llvm::sys::fs::real_path(host.executable, self) && found == self)
    return "rig";
  return host.executable.empty() ? "rig" : host.executable;
}

std::string describeKeptRun(llvm::StringRef rig, llvm::StringRef runDir,
                            const host::RunRecord& record) {
  std::string out = fmt::format(
      "kept the machines of suite `{}` ({}) after its failure, in {}\n",
      record.suite, record.path.empty() ? "?" : record.path, runDir.str());
  std::string idle;
  for (const host::RecordedProcess& node : record.nodes) {
    if (node.pid <= 0) {
      idle += (idle.empty() ? "" : ", ") + node.name;
      continue;
    }
    out += fmt::format(
        "  {} attach {} {}\n      a root shell on {} (Ctrl-] detaches)\n",
        rig.str(), runDir.str(), node.name, node.name);
    out += fmt::format(
        "  {} attach {} --console {}\n      follow {}'s serial console (Ctrl-C "
        "ends)\n",
        rig.str(), runDir.str(), node.name, node.name);
  }
  out += fmt::format(
      "  {} attach {} --stop\n      stop them and remove the directory\n",
      rig.str(), runDir.str());
  if (!idle.empty())
    out += fmt::format("  (not running, so not kept: {})\n", idle);
  out += fmt::format(
      "  They run until stopped, holding their memory; `{} attach --list` "
      "shows every kept run.\n",
      rig.str());
  return out;
}

}  // namespace rig::driver
