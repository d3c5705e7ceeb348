// unused-import (L0003): an import none of whose names the file uses.
// `import "x" as a`: nothing reads `a.`; `import "std/redis"`: no module,
// let or fn of the imported file is named. Imports that were not loaded
// are not judged.
#include "compiler/lint/context.h"

namespace rig::lint {

static bool anyNameUsed(const ast::File& imported, const Uses& uses) {
  for (const ast::Module& m : imported.modules)
    if (uses.count(m.name)) return true;
  for (const ast::Let& l : imported.lets)
    if (uses.count(l.name)) return true;
  for (const ast::Fn& f : imported.fns)
    if (uses.count(f.name)) return true;
  return false;
}

void checkUnusedImport(Context& ctx) {
  const Uses& uses = ctx.uses();
  const auto& imports = ctx.suite().imports;
  for (size_t i = 0; i < imports.size(); ++i) {
    const ast::Import& import = imports[i];
    bool used;
    if (!import.alias.empty()) {
      if (unusedOnPurpose(import.alias)) continue;
      used = uses.count(import.alias) != 0;
    } else {
      const ast::File* imported = ctx.importedFile(i);
      if (!imported) continue;
      used = anyNameUsed(*imported, uses);
    }
    if (used) continue;
    ctx.emit(import.range, diag::Kind::UnusedImport, import.path)
        .withHelp("remove the import");
  }
}

}  // namespace rig::lint
