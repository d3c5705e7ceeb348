// runtime/plan/regex.h's search for `matches` and `wait_for_console_text`,
// with a bad pattern or a runaway match as a Failure.
#ifndef RIG_RUNTIME_EXEC_REGEX_H
#define RIG_RUNTIME_EXEC_REGEX_H

#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::exec {

// True when `pattern` matches somewhere in `text`. Throws Failure on a bad
// pattern. Compiled patterns are cached per thread.
bool regexSearch(llvm::StringRef pattern, llvm::StringRef text);

}  // namespace rig::exec

#endif
