// Golden-file tests shared by every compiler phase. A testdata directory
// holds `NAME.rig` inputs and `NAME.expected` outputs; a phase provides a
// Producer that turns one input into its output text. The runner compares
// (or, with --update, rewrites) the expectations. Files named `fail_*` must
// produce errors and the others must not (as in Carbon's toolchain tests).
#ifndef RIG_TESTS_GOLDEN_GOLDEN_H
#define RIG_TESTS_GOLDEN_GOLDEN_H

#include <functional>
#include <string>

namespace rig::golden {

struct Output {
  std::string text;
  bool hasErrors = false;
};

// `path` is the input file relative to the current directory (the runner
// changes into the testdata directory, so names in diagnostics are stable);
// `mode` is the --mode argument, for phases with several kinds of output.
using Producer = std::function<Output(const std::string& path,
                                      const std::string& mode)>;

// Usage: RUNNER [--update] [--mode=MODE] DIR [FILE.rig...]
// Returns the process exit code.
int main(int argc, char** argv, const Producer& produce);

}  // namespace rig::golden

#endif
