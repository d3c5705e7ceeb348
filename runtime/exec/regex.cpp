#include "runtime/exec/regex.h"

#include "runtime/exec/failure.h"
#include "runtime/plan/regex.h"

namespace rig::exec {

bool regexSearch(llvm::StringRef pattern, llvm::StringRef text) {
  RegexSearch s = rig::regexSearch(pattern, text);
  if (!s.error.empty()) failf("{}", s.error);
  return s.found;
}

}  // namespace rig::exec
