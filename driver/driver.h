// The `rig` command line tool: main.cpp hands argv here. Everything the
// process gives (streams, environment, whether they are terminals, where the
// executable is) comes in a Host, so the driver runs in-process in tests.
#ifndef RIG_COMPILER_DRIVER_DRIVER_H
#define RIG_COMPILER_DRIVER_DRIVER_H

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::driver {

// Exit codes (architecture.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitTestFailed = 1,
  kExitUsage = 2,  // a usage or compile error
  kExitInfrastructure = 3,
  kExitInterrupted = 130,  // Ctrl-C or SIGTERM (128 + SIGINT, as shells say)
};

struct Host {
  llvm::raw_ostream* out = nullptr;  // results: plans, json/sarif/github
  llvm::raw_ostream* err = nullptr;  // text diagnostics, progress, errors
  bool outIsTerminal = false;
  bool errIsTerminal = false;
  // getenv; nullopt when unset.
  std::function<std::optional<std::string>(const char*)> env;
  std::string executable;  // absolute path of the rig binary
};

// The real process: llvm::outs()/errs(), getenv, /proc/self/exe.
Host processHost(const char* argv0);

// Runs `rig ARGS...` (argv without the program name); returns the exit code.
int runRig(llvm::ArrayRef<std::string> args, const Host& host);

// The stdlib directory: $RIG_STDLIB, else `<dir of the executable>/stdlib`.
std::string stdlibDir(const Host& host);

}  // namespace rig::driver

#endif
