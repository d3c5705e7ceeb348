// Compiles a suite with the real front end (compiler/: parse, sema, lower),
// so the executor's tests run what `rig run` would. Test code only: library
// code in runtime/ never depends on compiler/.
#ifndef RIG_RUNTIME_EXEC_TESTING_COMPILE_SUITE_H
#define RIG_RUNTIME_EXEC_TESTING_COMPILE_SUITE_H

#include <string>
#include <vector>

#include "compiler/lower/lower.h"
#include "compiler/sema/sema.h"
#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::exec::testing {

// The plan, or an error holding the rendered diagnostics.
// `options` are what rig.toml's [run] would set.
llvm::Expected<plan::Plan> compileSuite(const std::string& text,
                                        const std::string& path = "t.rig",
                                        const lower::Options& options = {});

// A suite as `rig repl` holds it: compiled once, then each input checked
// and lowered in one lasting scope, as driver/repl.cpp does.
class ReplCompiler {
 public:
  // A suite the checker refuses fails the test; compiled() is then empty.
  explicit ReplCompiler(const std::string& suite);
  ~ReplCompiler();
  const plan::Plan& compiled() const { return plan_; }
  // The statements of `text` for `plan` (a copy of compiled() that runs);
  // an input the checker refuses fails the test and gives none.
  std::vector<plan::Stmt> input(const std::string& text, plan::Plan& plan);

 private:
  SourceFiles sources_;
  sema::Program program_;
  sema::ReplScope scope_;
  std::vector<std::vector<ast::StmtPtr>> inputs_;  // sema points into them
  plan::Plan plan_;
};

}  // namespace rig::exec::testing

#endif
