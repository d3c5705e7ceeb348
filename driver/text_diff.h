// A unified diff of two texts, line by line (for `rig fmt --diff`).
#ifndef RIG_DRIVER_TEXT_DIFF_H
#define RIG_DRIVER_TEXT_DIFF_H

#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::driver {

// `--- a/PATH` / `+++ b/PATH` and hunks with 3 lines of context; "" when the
// texts are equal.
std::string unifiedDiff(llvm::StringRef path, llvm::StringRef before,
                        llvm::StringRef after);

}  // namespace rig::driver

#endif
