// Compiles a suite with the real front end (compiler/: parse, sema, lower),
// so the executor's tests run what `rig run` would. Test code only: library
// code in runtime/ never depends on compiler/.
#ifndef RIG_RUNTIME_EXEC_TESTING_COMPILE_SUITE_H
#define RIG_RUNTIME_EXEC_TESTING_COMPILE_SUITE_H

#include <string>

#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::exec::testing {

// The plan, or an error holding the rendered diagnostics.
llvm::Expected<plan::Plan> compileSuite(const std::string& text,
                                        const std::string& path = "t.rig");

}  // namespace rig::exec::testing

#endif
