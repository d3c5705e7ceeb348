// unused-fn (L0002): a function of a suite that nothing calls.
#include "compiler/lint/context.h"

namespace rig::lint {

void checkUnusedFn(Context& ctx) {
  if (ctx.isLibrary()) return;  // a library's functions are for its importers
  const Uses& uses = ctx.uses();
  for (const ast::Fn& fn : ctx.suite().fns) {
    if (unusedOnPurpose(fn.name) || uses.count(fn.name)) continue;
    ctx.emit(fn.nameRange, diag::Kind::UnusedFn, fn.name)
        .withHelp("call it from a test, or remove it");
  }
}

}  // namespace rig::lint
