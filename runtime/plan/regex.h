// ECMAScript regular expressions (std::regex) for `=~`, `!~`, `matches`,
// `wait_for_console_text` and the checker's validation of regex literals.
// std::regex reports bad patterns and runaway matches by exception; they are
// caught here and become messages.
#ifndef RIG_RUNTIME_PLAN_REGEX_H
#define RIG_RUNTIME_PLAN_REGEX_H

#include <optional>
#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig {

// Why `pattern` is not a valid ECMAScript regex ("mismatched ( and )"), or
// std::nullopt when it is one.
std::optional<std::string> regexError(llvm::StringRef pattern);

struct RegexSearch {
  bool found = false;
  std::string error;  // "" or why the search could not be made
};

// Whether `pattern` matches somewhere in `text`. Compiled patterns are
// cached per thread.
RegexSearch regexSearch(llvm::StringRef pattern, llvm::StringRef text);

}  // namespace rig

#endif
