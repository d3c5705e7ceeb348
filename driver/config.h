// rig.toml: per-project settings, found by searching upward from a spec's
// directory (docs/cli.md lists every key).
//
//   [lint]
//   unused-let = "off"          # or by code: L0001 = "error"
//   sleep-in-test = "error"     # "off" | "warning" | "error"
//
//   [run]
//   wait_timeout = "60s"        # default timeout of every wait (else 900 s)
//   eventually_timeout = "2m"   # default of `eventually` blocks
//   suite_timeout = "20m"       # a whole suite (meta { timeout } wins)
//   accel = "tcg"               # "kvm" | "tcg"; default: probe
//   backend = "container"       # nodes without `backend`: "vm" (default) | "container"
//   kernel = "/boot/vmlinuz-6.1.0-13-amd64"  # relative to rig.toml
//   jobs = 2                    # suites at once (-j)
//   max_output = "64MiB"        # per command stream, copy_to_host, http body
#ifndef RIG_COMPILER_DRIVER_CONFIG_H
#define RIG_COMPILER_DRIVER_CONFIG_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::driver {

struct LintSetting {
  diag::Kind kind;
  diag::Severity severity;
};

struct RunSettings {
  std::optional<double> waitTimeoutMs;
  std::optional<double> eventuallyTimeoutMs;
  std::optional<double> suiteTimeoutMs;
  std::string accel;           // "", "kvm", "tcg"
  std::string backend = "vm";  // of nodes that do not say
  std::string kernel;          // absolute path, "" = the host's newest
  std::optional<unsigned> jobs;
  std::optional<uint64_t> maxOutputBytes;
};

struct Config {
  std::string path;  // the rig.toml read; "" when there is none
  std::vector<LintSetting> lint;
  RunSettings run;

  // Sets the configured lint severities on `emitter`.
  void applyTo(diag::Emitter& emitter) const;
};

// The nearest `rig.toml` in `dir` or above; "" when there is none.
std::string findConfig(llvm::StringRef dir);

// Reads and validates `path`. Errors are one line each, joined by newlines:
// `rig.toml:3:14: error: [lint] unknown rule `unused-lett`; did you mean
// `unused-let`?`.
llvm::Expected<Config> loadConfig(llvm::StringRef path);
// The same over text (tests).
llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef path);

// `30s`, `1.5m`, `500ms`, `2h` -> milliseconds; nullopt when malformed.
std::optional<double> parseDurationMs(llvm::StringRef text);

}  // namespace rig::driver

#endif
