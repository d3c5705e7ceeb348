// unknown-unit (L0008): `wait_for_unit` on a unit that no node declares
// (`service`, `unit`, or through a module) and the host does not ship in
// /usr/lib/systemd/system or /lib/systemd/system. Such a wait can only time
// out, after 15 minutes by default.
#include "compiler/lint/context.h"
#include "compiler/lint/units.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

void checkUnknownUnit(Context& ctx) {
  const HostUnits* host = ctx.options().hostUnits;
  if (!host) return;
  llvm::StringSet<> declared;
  for (const NodeFacts& n : ctx.nodes()) {
    if (!n.unitsComplete) return;  // a module we cannot see may declare it
    for (const auto& u : n.units) declared.insert(u.getKey());
  }
  ctx.forEachMachineCall([&](const MachineCall& call) {
    if (call.method != "wait_for_unit") return;
    const ast::Expr* arg = argument(*call.call, 0, "unit");
    if (!arg) return;
    Const name = ctx.eval(*arg, call.scope);
    if (!name.isString() || name.text.empty() ||
        name.text.find(kUnknownChar) != std::string::npos)
      return;
    std::string unit = fullUnitName(name.text);
    // rig's own units (its boot target, its agent) are always there.
    if (llvm::StringRef(unit).startswith("rig.") ||
        llvm::StringRef(unit).startswith("rig-"))
      return;
    if (declared.count(unit) || host->ships(unit)) return;
    diag::Diagnostic& d = ctx.emit(arg->range, diag::Kind::UnknownSystemdUnit, unit);
    std::vector<llvm::StringRef> candidates;
    for (const auto& u : declared) candidates.push_back(u.getKey());
    std::string close = diag::closestMatch(unit, candidates);
    if (!close.empty())
      d.withHelp(fmt::format("did you mean `{}`?", close));
    else
      d.withHelp("declare it in a node (`service \"NAME\" { ... }` or "
                 "`unit \"NAME\" = ...`), or install the package that ships "
                 "it on the host");
  });
}

}  // namespace rig::lint
