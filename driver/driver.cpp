#include "driver/driver.h"

#include <cstdlib>

#include "driver/args.h"
#include "driver/session.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace rig::driver {

Host processHost(const char* argv0) {
  Host host;
  host.out = &llvm::outs();
  host.err = &llvm::errs();
  host.outIsTerminal = llvm::sys::Process::StandardOutIsDisplayed();
  host.errIsTerminal = llvm::sys::Process::StandardErrIsDisplayed();
  host.env = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
  };
  // /proc/self/exe names the binary even when it was run through a symlink
  // or found on PATH.
  llvm::SmallString<256> exe;
  if (!llvm::sys::fs::real_path("/proc/self/exe", exe))
    host.executable = std::string(exe);
  else
    host.executable = llvm::sys::fs::getMainExecutable(
        argv0, reinterpret_cast<void*>(&processHost));
  return host;
}

std::string stdlibDir(const Host& host) {
  if (host.env)
    if (std::optional<std::string> dir = host.env("RIG_STDLIB");
        dir && !dir->empty())
      return *dir;
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(host.executable));
  llvm::sys::path::append(dir, "stdlib");
  return std::string(dir);
}

int runRig(llvm::ArrayRef<std::string> args, const Host& host) {
  ParsedArgs parsed = parseArgs(args);
  if (!parsed.ok()) {
    *host.err << "rig: " << parsed.error << "\n";
    return kExitUsage;
  }
  const Invocation& inv = parsed.invocation;
  switch (inv.command) {
    case Command::None:
      *host.out << helpText(Command::None);
      return inv.help ? kExitOk : kExitUsage;
    case Command::Version: *host.out << versionText(); return kExitOk;
    case Command::Help: {
      Command topic = Command::None;
      if (!inv.helpTopic.empty()) topic = *commandByName(inv.helpTopic);
      *host.out << helpText(topic);
      return kExitOk;
    }
    default: break;
  }
  if (inv.help) {
    *host.out << helpText(inv.command);
    return kExitOk;
  }
  Session session(host, inv);
  int code = kExitOk;
  switch (inv.command) {
    case Command::Check:
    case Command::Lint: code = runCheck(session); break;
    case Command::Compile: code = runCompile(session); break;
    case Command::Run: code = runRun(session); break;
    case Command::Doctor: code = runDoctor(session); break;
    case Command::Cache: code = runCache(session); break;
    case Command::Repl: code = runRepl(session); break;
    case Command::Attach: code = runAttach(session); break;
    case Command::Fmt: code = runFmt(session); break;
    case Command::Lsp: code = runLsp(session); break;
    case Command::List: code = runList(session); break;
    case Command::Merge: code = runMerge(session); break;
    default: break;
  }
  host.out->flush();
  host.err->flush();
  return code;
}

}  // namespace rig::driver
