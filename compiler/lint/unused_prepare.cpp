// unused-prepare (L0014): a top-level `prepare "NAME" { ... }` that no node
// mounts (`prepare "NAME" {}` in a node or in a module it uses). It is
// never built, so whatever it was meant to provide is missing.
#include "compiler/lint/context.h"
#include "compiler/sema/sema.h"

namespace rig::lint {

void checkUnusedPrepare(Context& ctx) {
  const sema::Program* program = ctx.program();
  if (!program || ctx.suite().prepares.empty()) return;
  llvm::StringSet<> mounted;
  for (const ast::Node& decl : ctx.suite().nodes) {
    const sema::NodeConfig* node = program->node(decl.name);
    if (!node) return;  // not every node is known: assume the best
    for (const sema::PrepareEntry& p : node->prepares)
      if (p.shared) mounted.insert(p.name);
  }
  for (const ast::Item& item : ctx.suite().prepares) {
    if (!item.label) continue;
    Const name = ctx.eval(*item.label);
    if (!name.isString() || mounted.count(name.text)) continue;
    ctx.emit(item.label->range, diag::Kind::UnusedPrepare, name.text)
        .withHelp(fmt::format(
            "mount it in a node with `prepare \"{}\" {{}}`, or remove it",
            name.text));
  }
}

}  // namespace rig::lint
