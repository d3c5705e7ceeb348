// Imports: finding, loading and parsing the files a suite imports
// (language.md section 3), with cycle detection.
#include <fmt/format.h>

#include "compiler/parse/parse.h"
#include "compiler/sema/checker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace rig::sema {

namespace {

std::string canonical(llvm::StringRef path) {
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(path, real)) return std::string(real);
  llvm::SmallString<256> abs(path);
  llvm::sys::fs::make_absolute(abs);
  llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  return std::string(abs);
}

bool isFile(llvm::StringRef path) {
  return llvm::sys::fs::is_regular_file(path);
}

}  // namespace

SourceUnit* Checker::loadSuite(FileId file) {
  auto unit = std::make_unique<SourceUnit>();
  unit->file = file;
  unit->path = sources_.path(file).str();
  unit->isSuite = true;
  unit->ast = parse::parseFile(file, sources_, out_);
  program_.units.push_back(std::move(unit));
  return program_.units.back().get();
}

// Candidates for an import path, in the order they are tried.
static std::vector<std::string> candidates(const SourceUnit& from,
                                           llvm::StringRef path,
                                           const Options& options) {
  std::vector<std::string> out;
  auto withExt = [&](std::string p) {
    out.push_back(p);
    if (!llvm::StringRef(p).endswith(".rig")) out.push_back(p + ".rig");
  };
  if (path.startswith("std/")) {
    llvm::StringRef name = path.drop_front(4);
    std::vector<std::string> dirs;
    if (!options.stdlibDir.empty()) dirs.push_back(options.stdlibDir);
    dirs.insert(dirs.end(), options.searchPath.begin(),
                options.searchPath.end());
    for (const std::string& dir : dirs) {
      llvm::SmallString<256> p(dir);
      llvm::sys::path::append(p, name);
      withExt(std::string(p));
    }
    return out;
  }
  if (llvm::sys::path::is_absolute(path)) {
    withExt(path.str());
    return out;
  }
  llvm::SmallString<256> p(llvm::sys::path::parent_path(from.path));
  llvm::sys::path::append(p, path);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  withExt(std::string(p));
  return out;
}

static std::string displayPath(llvm::StringRef path) {
  return llvm::sys::path::filename(path).str();
}

// Loads the imports of `unit` depth first. `stack` holds the files being
// loaded, for cycle reports. Each file is parsed once, however often it is
// imported.
void Checker::loadImports(SourceUnit& unit, std::vector<SourceUnit*>& stack) {
  stack.push_back(&unit);
  unit.imports.assign(unit.ast.imports.size(), nullptr);
  for (size_t i = 0; i < unit.ast.imports.size(); ++i) {
    const ast::Import& import = unit.ast.imports[i];
    std::vector<std::string> tried = candidates(unit, import.path, options_);
    std::string found;
    for (const std::string& c : tried)
      if (isFile(c)) {
        found = c;
        break;
      }
    if (found.empty()) {
      std::string where;
      if (tried.empty())
        where = "no stdlib directory is configured";
      else
        where = "tried " + fmt::format("`{}`", fmt::join(tried, "`, `"));
      emit(import.pathRange, diag::Kind::ImportNotFound, import.path, where);
      continue;
    }
    std::string key = canonical(found);
    // A cycle: the file is being loaded further up the stack.
    auto onStack = std::find_if(stack.begin(), stack.end(), [&](SourceUnit* u) {
      return canonical(u->path) == key;
    });
    if (onStack != stack.end()) {
      std::string chain;
      for (auto it = onStack; it != stack.end(); ++it)
        chain += displayPath((*it)->path) + " -> ";
      chain += displayPath(found);
      emit(import.pathRange, diag::Kind::ImportCycle, chain);
      continue;
    }
    SourceUnit* loaded = nullptr;
    for (auto& u : program_.units)
      if (!u->isSuite && canonical(u->path) == key) loaded = u.get();
    if (!loaded) {
      auto file = sources_.load(found, import.range);
      if (!file) {
        emit(import.pathRange, diag::Kind::ImportNotFound, import.path,
             llvm::toString(file.takeError()));
        continue;
      }
      auto u = std::make_unique<SourceUnit>();
      u->file = *file;
      u->path = found;
      u->ast = parse::parseFile(*file, sources_, out_);
      loaded = u.get();
      program_.units.push_back(std::move(u));
      // Only import, let, fn and module may appear in an imported file.
      auto reject = [&](SourceRange range, const char* what) {
        emit(range, diag::Kind::ImportedFileDeclares, displayPath(found), what)
            .note(import.range, "imported here");
      };
      for (const ast::Node& n : loaded->ast.nodes) reject(n.nameRange, "node");
      for (const ast::Test& t : loaded->ast.tests) reject(t.nameRange, "test");
      for (const ast::Meta& m : loaded->ast.metas)
        reject(m.range, "meta block");
      for (const ast::Item& p : loaded->ast.prepares)
        reject(p.nameRange, "top-level prepare step");
      loadImports(*loaded, stack);
    }
    unit.imports[i] = loaded;
  }
  stack.pop_back();
}

}  // namespace rig::sema
