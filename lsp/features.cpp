// Requests answered from the AST and the checked program. Positions in the
// document are byte offsets here; server.cpp converts.
#include "lsp/features.h"

#include <fmt/format.h>

#include <map>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "lsp/navigate.h"
#include "lsp/position.h"
#include "lsp/uri.h"

namespace rig::lsp {

namespace json = llvm::json;

namespace {

std::string absolute(llvm::StringRef path) {
  llvm::SmallString<256> p(path);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, true);
  return std::string(p);
}

// Locations in any file of the analysis; one line table per file (a
// document's diagnostics or references can be thousands).
class Locator {
 public:
  explicit Locator(const Analysis& a) : a_(a) {}
  json::Value operator()(SourceRange r) {
    auto it = tables_.find(r.file);
    if (it == tables_.end())
      it = tables_.emplace(r.file, LineTable(a_.sources->text(r.file))).first;
    return json::Object{{"uri", pathToUri(absolute(a_.sources->path(r.file)))},
                        {"range", it->second.range(r.begin, r.end)}};
  }

 private:
  const Analysis& a_;
  std::map<FileId, LineTable> tables_;
};

}  // namespace

json::Array diagnosticsOf(const Analysis& a, llvm::StringRef uri) {
  LineTable lines(a.text());
  Locator location(a);
  json::Array out;
  for (const diag::Diagnostic& d : a.diagnostics) {
    if (d.severity == diag::Severity::Ignored) continue;
    SourceRange at = d.range;
    std::string message = d.message;
    // A problem in an imported file is shown on the import that brought it.
    if (at.valid() && at.file != a.file) {
      SourceRange from = a.sources->includedFrom(at.file);
      while (from.valid() && from.file != a.file)
        from = a.sources->includedFrom(from.file);
      message =
          fmt::format("in {}: {}", a.sources->path(at.file).str(), message);
      at = from;
    }
    if (!at.valid()) at = {a.file, 0, 0};
    const diag::KindInfo& info = diag::info(d.kind);
    int severity = d.severity == diag::Severity::Error     ? 1
                   : d.severity == diag::Severity::Warning ? 2
                                                           : 3;
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    json::Object o{
        {"range", lines.range(at.begin, at.end)},
        {"severity", severity},
        {"code", info.isLint() ? info.lintName.str() : info.code.str()},
        {"source", "rig"},
        {"message", message}};
    json::Array related;
    for (const diag::Note& n : d.notes)
      if (n.range.valid())
        related.push_back(json::Object{{"location", location(n.range)},
                                       {"message", n.message}});
    if (!related.empty()) o["relatedInformation"] = std::move(related);
    (void)uri;
    out.push_back(std::move(o));
  }
  return out;
}

json::Array documentSymbols(const Analysis& a) {
  LineTable lines(a.text());
  const ast::File& f = a.program.suite().ast;
  auto symbol = [&](std::string name, int kind, SourceRange range,
                    SourceRange nameRange) {
    if (!nameRange.valid() || nameRange.begin < range.begin ||
        nameRange.end > range.end)
      nameRange = {range.file, range.begin, range.begin};
    return json::Object{
        {"name", name.empty() ? std::string("?") : name},
        {"kind", kind},
        {"range", lines.range(range.begin, range.end)},
        {"selectionRange", lines.range(nameRange.begin, nameRange.end)}};
  };
  json::Array out;
  for (const ast::Let& l : f.lets)
    out.push_back(symbol(l.name, 14, l.range, l.nameRange));
  for (const ast::Fn& fn : f.fns)
    out.push_back(symbol(fn.name, 12, fn.range, fn.nameRange));
  for (const ast::Module& m : f.modules)
    out.push_back(symbol(m.name, 2, m.range, m.nameRange));
  for (const ast::Node& n : f.nodes)
    out.push_back(symbol(n.name, 5, n.range, n.nameRange));
  for (const ast::Test& t : f.tests) {
    json::Object o = symbol(t.name, 24, t.range, t.nameRange);
    json::Array children;
    forEachStmt(t.body, [&](const ast::Stmt& s) {
      if (s.kind == ast::StmtKind::Subtest)
        children.push_back(symbol(s.name, 24, s.range, s.nameRange));
    });
    if (!children.empty()) o["children"] = std::move(children);
    out.push_back(std::move(o));
  }
  return out;
}

json::Value definition(const Analysis& a, uint32_t offset) {
  Target t = targetAt(a, offset);
  if (!t.declaration.valid()) return nullptr;
  return Locator(a)(t.declaration);
}

json::Array references(const Analysis& a, uint32_t offset,
                       bool includeDeclaration) {
  Target t = targetAt(a, offset);
  json::Array out;
  if (!t.declaration.valid()) return out;
  Locator location(a);
  if (includeDeclaration) out.push_back(location(t.declaration));
  for (SourceRange r : usesOf(a, t)) out.push_back(location(r));
  return out;
}

json::Value hover(const Analysis& a, uint32_t offset) {
  Target t = targetAt(a, offset);
  std::string text = describe(a, t);
  if (text.empty()) return nullptr;
  LineTable lines(a.text());
  json::Object o{
      {"contents", json::Object{{"kind", "markdown"}, {"value", text}}}};
  if (t.at.valid() && t.at.file == a.file)
    o["range"] = lines.range(t.at.begin, t.at.end);
  return o;
}

json::Array codeActions(const Analysis& a, llvm::StringRef uri, uint32_t begin,
                        uint32_t end) {
  LineTable lines(a.text());
  json::Array out;
  for (const diag::Diagnostic& d : a.diagnostics) {
    if (d.range.file != a.file || d.range.end < begin || d.range.begin > end)
      continue;
    std::optional<Fix> fix = fixFor(a, d);
    if (!fix) continue;
    json::Array edits;
    for (const Edit& e : fix->edits)
      edits.push_back(json::Object{{"range", lines.range(e.begin, e.end)},
                                   {"newText", e.text}});
    json::Object changes;
    changes[uri.str()] = std::move(edits);
    LineTable l(a.text());
    out.push_back(json::Object{
        {"title", fix->title},
        {"kind", "quickfix"},
        {"isPreferred", true},
        {"diagnostics", json::Array{json::Object{
                            {"range", l.range(d.range.begin, d.range.end)},
                            {"message", d.message}}}},
        {"edit", json::Object{{"changes", std::move(changes)}}}});
  }
  return out;
}

}  // namespace rig::lsp
