// A small parser for the test-program part of rig, for the executor's unit
// tests only: it turns `test "x" { expect 1 + 1 == 2 }` into a plan with
// exact source locations, so tests read like specs and failure texts (with
// carets) can be checked exactly. Node bodies are skipped (only names are
// kept). The real front end is compiler/; this is not it.
#ifndef RIG_RUNTIME_EXEC_TESTING_MINI_PARSER_H
#define RIG_RUNTIME_EXEC_TESTING_MINI_PARSER_H

#include <string>

#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::exec::testing {

llvm::Expected<plan::Plan> parseSuite(const std::string& text,
                                      const std::string& path = "t.rig");

}  // namespace rig::exec::testing

#endif
