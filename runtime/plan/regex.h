// Regular expressions (PCRE2, with ECMAScript-compatible options) for `=~`,
// `!~`, `matches`, `wait_for_console_text` and the checker's validation of
// regex literals. A bad pattern and a runaway match (one that reaches the
// match limit or the backtracking memory limit) become messages, never an
// exception, a crash or a hang. docs/language.md says how the syntax differs
// from ECMAScript's.
#ifndef RIG_RUNTIME_PLAN_REGEX_H
#define RIG_RUNTIME_PLAN_REGEX_H

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace rig {

// Why `pattern` is not a valid regex ("missing closing parenthesis at
// offset 2"), or std::nullopt when it is one.
std::optional<std::string> regexError(llvm::StringRef pattern);

struct RegexSearch {
  bool found = false;
  std::string error;  // "" or why the search could not be made
};

// Whether `pattern` matches somewhere in `text`. Compiled patterns are
// cached per thread.
RegexSearch regexSearch(llvm::StringRef pattern, llvm::StringRef text);

struct RegexCaptures {
  bool found = false;
  std::vector<std::string> groups;  // [0] the whole match; "" when unset
  std::vector<size_t> offsets;      // where each group starts in the text
                                    // (StringRef::npos when unset)
  std::string error;                // "" or why the search could not be made
};

// The first match of `pattern` in `text` with its capture groups.
RegexCaptures regexCaptures(llvm::StringRef pattern, llvm::StringRef text);

}  // namespace rig

#endif
