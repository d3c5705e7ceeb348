// Top-level scopes: every file's own declarations, then the names its
// imports bring in (language.md section 3: order does not matter, a
// duplicate is an error).
#include <set>

#include "compiler/sema/checker.h"
#include "llvm/Support/Path.h"

namespace rig::sema {

static const char* kindWord(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Let: return "let";
    case SymbolKind::Fn: return "fn";
    case SymbolKind::Module: return "module";
    case SymbolKind::Node: return "node";
    case SymbolKind::Import: return "import";
  }
  return "name";
}

void Checker::declare(SourceUnit& unit) {
  // A prefix that keeps imported names apart in the plan: the file stem,
  // made unique.
  std::string prefix;
  if (!unit.isSuite) {
    std::string stem = llvm::sys::path::stem(unit.path).str();
    prefix = stem;
    for (int n = 2;; ++n) {
      bool taken = false;
      for (const auto& s : program_.symbols)
        if (s->unit != &unit && s->unit && !s->unit->isSuite &&
            llvm::StringRef(s->qualifiedName).startswith(prefix + "."))
          taken = true;
      if (!taken) break;
      prefix = stem + std::to_string(n);
    }
  }

  auto add = [&](SymbolKind kind, const std::string& name, SourceRange range,
                 SourceRange nameRange) -> Symbol* {
    auto sym = std::make_unique<Symbol>();
    sym->kind = kind;
    sym->name = name;
    sym->qualifiedName = prefix.empty() ? name : prefix + "." + name;
    sym->unit = &unit;
    sym->range = range;
    sym->nameRange = nameRange;
    Symbol* raw = sym.get();
    program_.symbols.push_back(std::move(sym));
    auto [it, inserted] = unit.scope.try_emplace(name, raw);
    if (!inserted) {
      emit(nameRange, diag::Kind::DuplicateDeclaration, name)
          .note(it->second->nameRange,
                fmt::format("first declared here, as a {}",
                            kindWord(it->second->kind)));
    }
    return raw;
  };

  for (const ast::Let& l : unit.ast.lets)
    add(SymbolKind::Let, l.name, l.range, l.nameRange)->let = &l;
  for (const ast::Fn& f : unit.ast.fns)
    add(SymbolKind::Fn, f.name, f.range, f.nameRange)->fn = &f;
  for (const ast::Module& m : unit.ast.modules)
    add(SymbolKind::Module, m.name, m.range, m.nameRange)->module = &m;
  if (unit.isSuite)
    for (const ast::Node& n : unit.ast.nodes)
      add(SymbolKind::Node, n.name, n.range, n.nameRange)->node = &n;
  for (size_t i = 0; i < unit.ast.imports.size(); ++i) {
    const ast::Import& imp = unit.ast.imports[i];
    if (imp.alias.empty()) continue;
    Symbol* s = add(SymbolKind::Import, imp.alias, imp.range, imp.aliasRange);
    s->import = &imp;
    s->imported = unit.imports[i];
  }

  if (unit.isSuite) {
    std::map<std::string, const ast::Test*> tests;
    for (const ast::Test& t : unit.ast.tests) {
      auto [it, inserted] = tests.emplace(t.name, &t);
      if (!inserted)
        emit(t.nameRange, diag::Kind::DuplicateTest, t.name)
            .note(it->second->nameRange, "first declared here");
    }
  }
}

// Imports without `as` bring the imported file's own lets, fns and modules
// into this file's scope (not what that file imports in turn).
void Checker::importNames(SourceUnit& unit) {
  for (size_t i = 0; i < unit.ast.imports.size(); ++i) {
    const ast::Import& imp = unit.ast.imports[i];
    const SourceUnit* from = unit.imports[i];
    if (!imp.alias.empty() || !from) continue;
    for (const auto& sym : program_.symbols) {
      if (sym->unit != from || sym->kind == SymbolKind::Import ||
          sym->kind == SymbolKind::Node)
        continue;
      auto [it, inserted] = unit.scope.try_emplace(sym->name, sym.get());
      if (!inserted && it->second != sym.get()) {
        emit(imp.range, diag::Kind::DuplicateDeclaration, sym->name)
            .note(it->second->nameRange, "first declared here")
            .note(sym->nameRange, "also declared here, in the imported file");
      }
    }
  }
}

Symbol* Checker::lookupTop(const SourceUnit& unit, llvm::StringRef name) {
  auto it = unit.scope.find(name);
  return it == unit.scope.end() ? nullptr : it->second;
}

std::string suggest(llvm::StringRef word,
                    const std::vector<std::string>& names) {
  std::vector<llvm::StringRef> refs(names.begin(), names.end());
  return diag::closestMatch(word, refs);
}

}  // namespace rig::sema
