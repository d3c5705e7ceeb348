// Which declarations of a file are referenced: a small name resolver over
// the AST (locals shadow globals, a `let` is visible after itself to the end
// of its block, parameters in their body). Used by the unused-* rules.
#ifndef RIG_COMPILER_LINT_USES_H
#define RIG_COMPILER_LINT_USES_H

#include <vector>

#include "compiler/ast/ast.h"
#include "llvm/ADT/StringMap.h"

namespace rig::lint {

struct Uses {
  // References to top-level names (let, fn, node, module, import alias),
  // from anywhere in the file; a function's references to itself do not
  // count.
  llvm::StringMap<unsigned> globals;
  // `let` statements whose name nothing after them reads.
  std::vector<const ast::Stmt*> unusedLocals;
  struct UnusedFnParam {
    const ast::Fn* fn;
    const ast::FnParam* param;
  };
  std::vector<UnusedFnParam> unusedFnParams;
  struct UnusedModuleParam {
    const ast::Module* module;
    const ast::Item* param;
  };
  std::vector<UnusedModuleParam> unusedModuleParams;

  unsigned count(llvm::StringRef name) const {
    auto it = globals.find(name);
    return it == globals.end() ? 0 : it->second;
  }
};

Uses findUses(const ast::File& file);

}  // namespace rig::lint

#endif
