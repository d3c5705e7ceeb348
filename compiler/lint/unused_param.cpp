// unused-param (L0004): a module `param` or a function parameter that its
// body never reads.
#include "compiler/lint/context.h"

namespace rig::lint {

void checkUnusedParam(Context& ctx) {
  const Uses& uses = ctx.uses();
  for (const auto& [module, param] : uses.unusedModuleParams) {
    if (unusedOnPurpose(param->name)) continue;
    ctx.emit(param->nameRange, diag::Kind::UnusedParam, param->name)
        .note(module->nameRange,
              fmt::format("nothing in module `{}` reads it, so setting it in "
                          "`use {}` changes nothing",
                          module->name, module->name));
  }
  for (const auto& [fn, param] : uses.unusedFnParams) {
    if (unusedOnPurpose(param->name)) continue;
    ctx.emit(param->range, diag::Kind::UnusedParam, param->name)
        .withHelp(fmt::format("remove it, or name it `_{}` if it is unused on "
                              "purpose",
                              param->name));
  }
}

}  // namespace rig::lint
