// unused-let (L0001): a `let`, top-level or local, that nothing reads.
#include "compiler/lint/context.h"

namespace rig::lint {

void checkUnusedLet(Context& ctx) {
  const Uses& uses = ctx.uses();
  if (!ctx.isLibrary()) {
    for (const ast::Let& let : ctx.suite().lets) {
      if (unusedOnPurpose(let.name) || uses.count(let.name)) continue;
      ctx.emit(let.nameRange, diag::Kind::UnusedLet, let.name)
          .withHelp(fmt::format("remove it, or name it `_{}` if it is unused "
                                "on purpose",
                                let.name));
    }
  }
  for (const ast::Stmt* let : uses.unusedLocals) {
    if (unusedOnPurpose(let->name)) continue;
    ctx.emit(let->nameRange, diag::Kind::UnusedLet, let->name)
        .withHelp(fmt::format("to run the expression for its effect only, "
                              "drop `let {} =`",
                              let->name));
  }
}

}  // namespace rig::lint
