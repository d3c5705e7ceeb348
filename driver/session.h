// One invocation of `rig`: the files it reads, the diagnostics they get,
// and the front end (load, check, lint) shared by every subcommand.
// Internal to driver.
#ifndef RIG_DRIVER_SESSION_H
#define RIG_DRIVER_SESSION_H

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/lint/lint.h"
#include "compiler/sema/sema.h"
#include "driver/args.h"
#include "driver/config.h"
#include "driver/driver.h"

namespace rig::driver {

// A spec after the front end.
struct CheckedSpec {
  std::string path;
  Config config;  // its rig.toml (or the --config one), or defaults
  sema::Program program;
  bool ok = false;  // no errors: it may be lowered
};

class Session {
 public:
  Session(const Host& host, const Invocation& invocation);
  ~Session();

  const Host& host() const { return host_; }
  const Invocation& invocation() const { return inv_; }
  SourceFiles& sources() { return sources_; }
  llvm::raw_ostream& out() { return *host_.out; }
  llvm::raw_ostream& err() { return *host_.err; }
  bool colorErr() const { return colorErr_; }
  bool colorOut() const { return colorOut_; }

  // `rig: MESSAGE` on standard error (a usage or system error, not about a
  // spec's text).
  void error(llvm::StringRef message);

  // The configuration for a spec at `specPath`: --config, else the nearest
  // rig.toml, else defaults. Reports a bad rig.toml and returns null.
  const Config* configFor(llvm::StringRef specPath);

  // Loads and checks `path` (and lints it when `lint`); its diagnostics are
  // kept for printDiagnostics(). Null when the file cannot be read or its
  // rig.toml is bad (already reported).
  std::unique_ptr<CheckedSpec> check(llvm::StringRef path, bool lint);

  // Keeps the diagnostics of `emitter` for printDiagnostics().
  void addDiagnostics(const diag::Emitter& emitter);

  // Prints every diagnostic so far in the chosen --format (text to standard
  // error, the others to standard output) and forgets them.
  void printDiagnostics();

  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  // 2 when a spec had errors (or warnings with --warnings-as-errors).
  int diagnosticsExitCode() const;

 private:
  const Host& host_;
  const Invocation& inv_;
  SourceFiles sources_;
  std::deque<diag::Diagnostic> diagnostics_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  bool colorErr_ = false;
  bool colorOut_ = false;
  std::vector<std::pair<std::string, std::unique_ptr<Config>>> configs_;
  std::unique_ptr<lint::HostFacts> hostFacts_;
};

// The *.rig files under `dir`, recursively, sorted (reproducible runs).
std::vector<std::string> specsIn(llvm::StringRef dir);

// Subcommands (one file each).
int runCheck(Session& session);    // check and lint (check_lint.cpp)
int runCompile(Session& session);  // compile.cpp
int runRun(Session& session);      // run.cpp
int runDoctor(Session& session);   // doctor.cpp
int runFmt(Session& session);      // fmt.cpp
int runLsp(Session& session);      // lsp.cpp
int runCache(Session& session);    // cache.cpp
int runRepl(Session& session);     // repl.cpp
int runAttach(Session& session);   // attach.cpp
int runList(Session& session);     // list.cpp
int runMerge(Session& session);    // merge.cpp

}  // namespace rig::driver

#endif
