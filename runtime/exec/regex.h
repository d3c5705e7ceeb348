// ECMAScript regular expressions (std::regex) for `=~`, `!~`, `matches` and
// `wait_for_console_text`. std::regex reports bad patterns and runaway
// matches by exception: they are caught here and become failures.
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
