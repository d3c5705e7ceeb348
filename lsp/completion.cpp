// Completion and signature help. While the user types, the file rarely
// parses: the context comes from the text before the cursor, the names from
// the latest analysis that parsed.
#include <set>

#include "lsp/features.h"
#include "lsp/navigate.h"
#include "runtime/plan/regex.h"
#include "runtime/plan/signatures.h"

namespace rig::lsp {

namespace json = llvm::json;

namespace {

enum ItemKind { kMethod = 2, kFunction = 3, kField = 5, kVariable = 6,
                kClass = 7, kModule = 9, kProperty = 10, kKeyword = 14,
                kValue = 12, kConstant = 21 };

const char* const kKeywords[] = {
    "import", "as", "let", "fn", "node", "module", "param", "use", "test",
    "subtest", "expect", "eventually", "if", "then", "else", "for", "in",
    "return", "true", "false", "null", "and", "or", "not"};

struct Items {
  json::Array array;
  std::set<std::string> seen;
  void add(llvm::StringRef label, int kind, llvm::StringRef detail = "") {
    if (label.empty() || !seen.insert(label.str()).second) return;
    json::Object o{{"label", label.str()}, {"kind", kind}};
    if (!detail.empty()) o["detail"] = detail.str();
    array.push_back(std::move(o));
  }
};

// The innermost `{` still open before `offset` and the text before it on
// its line (strings and comments skipped roughly: enough for a context).
llvm::StringRef openBlockHeader(llvm::StringRef text, uint32_t offset) {
  int depth = 0;
  for (size_t i = offset; i-- > 0;) {
    char c = text[i];
    if (c == '}') ++depth;
    if (c == '{') {
      if (depth == 0) {
        size_t lineStart = text.rfind('\n', i);
        lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
        return text.slice(lineStart, i).trim();
      }
      --depth;
    }
  }
  return "";
}

const sema::Symbol* lookup(const Analysis* a, llvm::StringRef name) {
  if (!a || a->program.units.empty()) return nullptr;
  auto it = a->program.suite().scope.find(name);
  return it == a->program.suite().scope.end() ? nullptr : it->second;
}

}  // namespace

json::Array completion(const Analysis& a, const Analysis* good, uint32_t offset) {
  llvm::StringRef text = a.text();
  offset = std::min<uint32_t>(offset, text.size());
  size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  lineStart = lineStart == llvm::StringRef::npos || offset == 0 ? 0 : lineStart + 1;
  // The end of the line is enough context: a hostile line of megabytes is
  // not searched whole.
  lineStart = std::max<size_t>(lineStart, offset > 256 ? offset - 256 : 0);
  std::string before = text.slice(lineStart, offset).str();
  const Analysis* names = good ? good : &a;
  Items items;

  // wait_for_unit("...: the units the spec's nodes declare.
  if (RegexCaptures m = regexCaptures(
          "(?:([A-Za-z_][A-Za-z0-9_]*)\\.)?wait_for_unit\\(\\s*\"[^\"]*$", before);
      m.found) {
    std::string node = m.groups[1];
    for (const sema::NodeConfig& n : names->program.nodes)
      if (node.empty() || n.name == node || !names->program.node(node))
        for (const std::string& u : n.unitNames()) items.add(u, kValue, "unit of " + n.name);
    return std::move(items.array);
  }
  // NAME. : machine operations, or what an import alias declares.
  if (RegexCaptures m =
          regexCaptures("([A-Za-z_][A-Za-z0-9_]*)\\.[A-Za-z0-9_]*$", before);
      m.found) {
    const sema::Symbol* s = lookup(names, m.groups[1]);
    if (s && s->kind == sema::SymbolKind::Import && s->imported) {
      for (const auto& entry : s->imported->scope)
        items.add(entry.getKey(), kFunction);
    } else {
      for (const plan::Signature& op : plan::operations())
        items.add(op.name, kMethod, op.display());
    }
    return std::move(items.array);
  }
  // Inside `use M { ... }`: M's parameters; inside a node body: attributes.
  llvm::StringRef header = openBlockHeader(text, offset);
  std::string h = header.take_back(256).str();
  if (RegexCaptures m =
          regexCaptures("(?:^|\\s)use\\s+([A-Za-z_][A-Za-z0-9_]*)$", h);
      m.found) {
    const sema::Symbol* s = lookup(names, m.groups[1]);
    if (s && s->module)
      for (const ast::Item& item : s->module->body)
        if (item.kind == ast::ItemKind::Param)
          items.add(item.name, kProperty,
                    names->sources->slice(item.range).str());
    return std::move(items.array);
  }
  if (regexSearch("^node\\s+[A-Za-z_][A-Za-z0-9_]*$", h).found) {
    for (llvm::StringRef attr : sema::nodeAttributes()) items.add(attr, kProperty, "attribute");
    for (llvm::StringRef block : sema::nodeBlocks()) items.add(block, kField, "block");
    return std::move(items.array);
  }
  // Names in scope, builtins and keywords.
  if (!names->program.units.empty()) {
    for (const auto& entry : names->program.suite().scope) {
      const sema::Symbol* s = entry.getValue();
      int kind = s->kind == sema::SymbolKind::Fn       ? kFunction
                 : s->kind == sema::SymbolKind::Node   ? kClass
                 : s->kind == sema::SymbolKind::Module ? kModule
                 : s->kind == sema::SymbolKind::Import ? kModule
                 : s->constant                          ? kConstant
                                                        : kVariable;
      items.add(entry.getKey(), kind);
    }
    auto locals = [&](const std::vector<ast::StmtPtr>& body, SourceRange in) {
      if (in.begin > offset || offset > in.end) return;
      forEachStmt(body, [&](const ast::Stmt& s) {
        if ((s.kind == ast::StmtKind::Let || s.kind == ast::StmtKind::For) &&
            s.range.begin < offset)
          items.add(s.name, kVariable);
      });
    };
    for (const ast::Test& t : names->program.suite().ast.tests) locals(t.body, t.range);
    for (const ast::Fn& fn : names->program.suite().ast.fns) {
      locals(fn.body, fn.range);
      if (fn.range.begin <= offset && offset <= fn.range.end)
        for (const ast::FnParam& p : fn.params) items.add(p.name, kVariable);
    }
  }
  for (const plan::Signature& b : plan::builtins())
    items.add(b.name, kFunction, b.display());
  for (const char* k : kKeywords) items.add(k, kKeyword);
  return std::move(items.array);
}

json::Value signatureHelp(const Analysis& a, uint32_t offset) {
  // The call around the cursor: the innermost unclosed `(` before it on
  // the text, preceded by the callee's name.
  llvm::StringRef text = a.text();
  offset = std::min<uint32_t>(offset, text.size());
  int depth = 0;
  unsigned commas = 0;
  for (size_t i = offset; i-- > 0;) {
    char c = text[i];
    if (c == '\n' && depth == 0 && i + 1 < offset && text[i + 1] == '\n') break;
    if (c == ')' || c == ']' || c == '}') ++depth;
    else if ((c == '[' || c == '{') && depth > 0) --depth;
    else if (c == ',' && depth == 0) ++commas;
    else if (c == '(') {
      if (depth > 0) {
        --depth;
        continue;
      }
      size_t end = i;
      size_t begin = end;
      while (begin > 0 && (llvm::isAlnum(text[begin - 1]) || text[begin - 1] == '_'))
        --begin;
      llvm::StringRef name = text.slice(begin, end);
      const sema::Symbol* s = lookup(&a, name);
      if (!s || !s->fn) return nullptr;
      std::string label = "fn " + name.str() + "(";
      json::Array params;
      for (size_t k = 0; k < s->fn->params.size(); ++k) {
        if (k) label += ", ";
        std::string p = a.sources->slice(s->fn->params[k].range).str();
        params.push_back(json::Object{{"label", p}});
        label += p;
      }
      label += ")";
      return json::Object{
          {"signatures", json::Array{json::Object{{"label", label},
                                                  {"parameters", std::move(params)}}}},
          {"activeSignature", 0},
          {"activeParameter", static_cast<int64_t>(commas)}};
    }
  }
  return nullptr;
}

}  // namespace rig::lsp
