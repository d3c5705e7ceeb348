// unknown-unit (L0008): `wait_for_unit` on a unit that no node declares
// (`service`, `unit`, `enable`, or through a module) and the host does not
// ship in /usr/lib/systemd/system or /lib/systemd/system. Such a wait can
// only time out, after 15 minutes by default. A node whose `packages` name
// one the host has not installed may get the unit from it: its waits are not
// checked (the run says the package is missing).
#include "compiler/lint/context.h"
#include "compiler/lint/units.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

// A declared unit that `unit` is likely a typo of: the same type, and a name
// within a small edit distance of the name (not of the whole unit name: the
// shared `.service` made `enable-nfs-server.service` look close to
// `nfs-server.service`).
static std::string similarUnit(llvm::StringRef unit,
                               const llvm::StringSet<>& declared) {
  size_t dot = unit.rfind('.');
  llvm::StringRef stem = unit.take_front(dot), type = unit.drop_front(dot);
  std::vector<llvm::StringRef> candidates;
  for (const auto& u : declared)
    if (u.getKey().endswith(type))
      candidates.push_back(u.getKey().drop_back(type.size()));
  std::string best;
  unsigned bestDistance = 0;
  unsigned limit = stem.size() < 6 ? 1 : stem.size() / 5 + 1;
  for (llvm::StringRef c : candidates) {
    unsigned d = stem.edit_distance(c, true, limit + 1);
    if (d <= limit && (best.empty() || d < bestDistance)) {
      best = (c + type).str();
      bestDistance = d;
    }
  }
  return best;
}

void checkUnknownUnit(Context& ctx) {
  const HostFacts* host = ctx.options().hostFacts;
  if (!host) return;
  llvm::StringSet<> declared;
  llvm::StringSet<> unseenPackages;  // nodes with a package the host lacks
  for (const NodeFacts& n : ctx.nodes()) {
    if (!n.unitsComplete) return;  // a module we cannot see may declare it
    for (const auto& u : n.units) declared.insert(u.getKey());
    for (const std::string& p : n.packages)
      if (!host->hasPackage(p)) unseenPackages.insert(n.name);
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
    if (call.node.empty() ? !unseenPackages.empty()
                          : unseenPackages.count(call.node))
      return;
    diag::Diagnostic& d =
        ctx.emit(arg->range, diag::Kind::UnknownSystemdUnit, unit);
    std::string close = similarUnit(unit, declared);
    if (!close.empty())
      d.withHelp(fmt::format("did you mean `{}`?", close));
    else
      d.withHelp(
          "declare it in a node (`service \"NAME\" { ... }` or "
          "`unit \"NAME\" = ...`), or install the package that ships "
          "it on the host");
  });
}

}  // namespace rig::lint
