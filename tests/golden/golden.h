// Golden-file tests shared by every compiler phase. A testdata directory
// holds `NAME.rig` inputs and `NAME.expected` outputs; a phase provides a
// Producer that turns one input into its output text. The runner compares
// (or, with --update, rewrites) the expectations. Files named `fail_*` must
// produce errors and the others must not (as in Carbon's toolchain tests).
#ifndef RIG_TESTS_GOLDEN_GOLDEN_H
#define RIG_TESTS_GOLDEN_GOLDEN_H

#include <functional>
#include <string>

#include "compiler/base/source.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::golden {

struct Output {
  std::string text;
  bool hasErrors = false;
};

// `path` is the input file relative to the current directory (the runner
// changes into the testdata directory, so names in diagnostics are stable);
// `mode` is the --mode argument, for phases with several kinds of output.
using Producer =
    std::function<Output(const std::string& path, const std::string& mode)>;

// Usage: RUNNER [--update] [--mode=MODE] DIR [FILE.rig...]
// Returns the process exit code.
int main(int argc, char** argv, const Producer& produce);

// The same for a phase that reads one rig source: the runner loads `path`
// (a file that cannot be read makes an output of its own, with errors), then
// `phase` writes the output text for it and returns whether it had errors.
using SourcePhase =
    std::function<bool(SourceFiles& sources, FileId file,
                       const std::string& mode, llvm::raw_ostream& out)>;
int mainOverSources(int argc, char** argv, const SourcePhase& phase);

// What the phases' goldens check with: the repository's stdlib/, named
// relative to a testdata directory so no machine's path is in an
// expectation.
inline constexpr const char* kStdlibFromTestdata = "../../../stdlib";

}  // namespace rig::golden

#endif
