// The command line of `rig`: hand-written parsing into an Invocation, and
// the help texts. Errors are one line, for `rig: <error>`.
#ifndef RIG_COMPILER_DRIVER_ARGS_H
#define RIG_COMPILER_DRIVER_ARGS_H

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace rig::driver {

enum class Command : uint8_t {
  None,  // `rig` alone: the help
  Check,
  Lint,
  Compile,
  Run,
  Repl,
  Doctor,
  Cache,
  Attach,
  Fmt,
  Lsp,
  List,
  Merge,
  Help,
  Version,
};

enum class Format : uint8_t { Text, Json, Sarif, Github };
enum class ColorMode : uint8_t { Auto, Always, Never };

struct Invocation {
  Command command = Command::None;
  std::vector<std::string> files;  // positional arguments
  bool help = false;               // `rig CMD --help`
  std::string helpTopic;           // `rig help CMD`

  // Diagnostics.
  Format format = Format::Text;
  ColorMode color = ColorMode::Auto;
  bool warningsAsErrors = false;  // --warnings-as-errors: exit 2 on a warning
  std::string configPath;         // --config FILE: this rig.toml, no search
  bool noConfig = false;          // --no-config

  // compile
  std::string output;  // -o FILE ("-" or "" = standard output)

  // run
  std::optional<unsigned> jobs;  // -j N
  std::string junitPath, jsonPath, htmlPath;
  std::string eventsPath;  // --events FILE: NDJSON, one line per event
  bool tap = false;        // --tap: TAP 14 on stdout instead of progress
  bool github = false;     // --github: Actions annotations next to progress
  bool keepGoing = false;
  bool keepVmsOnFailure = false;
  bool rebuild = false;
  std::optional<double>
      suiteTimeoutMs;   // --timeout D (wins over meta and rig.toml)
  std::string accel;    // --accel kvm|tcg (overrides rig.toml)
  std::string backend;  // --backend vm|container (overrides nodes and rig.toml)
  int verbosity = 0;    // -v, -vv
  bool quiet = false;   // -q: only failures and the summary

  // fmt
  bool fmtCheck = false;  // --check: list the files that would change, exit 1
  bool fmtDiff = false;   // --diff: print a unified diff instead of writing

  // run --shard K/N | auto (docs/scaling.md)
  std::string shard;                   // "" = the whole run
  std::optional<unsigned> shardTotal;  // --shard-total N (Kubernetes)
  std::string durationsPath;           // --durations FILE (run, list)
  bool listJson = false;               // rig list --json
  bool install = false;                // rig doctor --install

  // attach
  std::string consoleNode;                // rig attach --console NODE
  std::vector<std::string> consoleNodes;  // rig run --console NODE...
  bool stop = false;                      // --stop
  bool listRuns = false;                  // --list
};

// Parses argv[1..]. On failure `error` is set to one line without the
// `rig: ` prefix, e.g. "unknown option --x (see rig --help)".
struct ParsedArgs {
  Invocation invocation;
  std::string error;
  bool ok() const { return error.empty(); }
};
ParsedArgs parseArgs(llvm::ArrayRef<std::string> args);

llvm::StringRef commandName(Command command);
std::optional<Command> commandByName(llvm::StringRef name);

// `rig --help` (command None) or `rig CMD --help`.
std::string helpText(Command command);
std::string versionText();

}  // namespace rig::driver

#endif
