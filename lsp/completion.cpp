// Completion and signature help. While the user types, the file rarely
// parses: the context comes from the text before the cursor, the names from
// the latest analysis that parsed.
#include <set>

#include "llvm/ADT/StringExtras.h"

#include "lsp/features.h"
#include "lsp/navigate.h"
#include "runtime/plan/regex.h"
#include "runtime/plan/signatures.h"

namespace rig::lsp {

namespace json = llvm::json;

namespace {

enum ItemKind {
  kMethod = 2,
  kFunction = 3,
  kField = 5,
  kVariable = 6,
  kClass = 7,
  kModule = 9,
  kProperty = 10,
  kKeyword = 14,
  kValue = 12,
  kConstant = 21
};

const char* const kKeywords[] = {
    "import", "as",    "let",  "fn",      "node",   "module",
    "param",  "use",   "test", "subtest", "expect", "eventually",
    "if",     "then",  "else", "for",     "in",     "return",
    "true",   "false", "null", "and",     "or",     "not"};

struct Items {
  json::Array array;
  std::set<std::string> seen;
  void add(llvm::StringRef label, int kind, llvm::StringRef detail = "",
           const std::string& documentation = "") {
    if (label.empty() || !seen.insert(label.str()).second) return;
    json::Object o{{"label", label.str()}, {"kind", kind}};
    if (!detail.empty()) o["detail"] = detail.str();
    if (!documentation.empty())
      o["documentation"] =
          json::Object{{"kind", "markdown"}, {"value", documentation}};
    array.push_back(std::move(o));
  }
  void add(const plan::Signature& s) {
    add(s.name, s.kind == plan::CallableKind::Operation ? kMethod : kFunction,
        s.display(), describeCallable(s));
  }
  // The attributes of a node body's block ("" for the body itself, with
  // its blocks).
  void addNodeItems(llvm::StringRef block) {
    for (const sema::NodeItem& item : sema::nodeItems())
      if (block == item.block)
        add(item.name, item.isBlock ? kField : kProperty, item.type,
            describeNodeItem(item));
  }
};

// The innermost `{` still open before `offset` and the text before it, back
// to the start of its line or an enclosing brace (strings and comments
// skipped roughly: enough for a context).
llvm::StringRef openBlockHeader(llvm::StringRef text, uint32_t offset) {
  int depth = 0;
  for (size_t i = offset; i-- > 0;) {
    char c = text[i];
    if (c == '}') ++depth;
    if (c == '{') {
      if (depth == 0) {
        size_t start = text.find_last_of("\n{}", i == 0 ? 0 : i - 1);
        start = start == llvm::StringRef::npos || i == 0 ? 0 : start + 1;
        return text.slice(start, i).trim();
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

json::Array completion(const Analysis& a, const Analysis* good,
                       uint32_t offset) {
  llvm::StringRef text = a.text();
  offset = std::min<uint32_t>(offset, text.size());
  size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  lineStart =
      lineStart == llvm::StringRef::npos || offset == 0 ? 0 : lineStart + 1;
  // The end of the line is enough context: a hostile line of megabytes is
  // not searched whole.
  lineStart = std::max<size_t>(lineStart, offset > 256 ? offset - 256 : 0);
  std::string before = text.slice(lineStart, offset).str();
  const Analysis* names = good ? good : &a;
  Items items;

  // wait_for_unit("...: the units the spec's nodes declare.
  if (RegexCaptures m = regexCaptures(
          "(?:([A-Za-z_][A-Za-z0-9_]*)\\.)?wait_for_unit\\(\\s*\"[^\"]*$",
          before);
      m.found) {
    std::string node = m.groups[1];
    for (const sema::NodeConfig& n : names->program.nodes)
      if (node.empty() || n.name == node || !names->program.node(node))
        for (const std::string& u : n.unitNames())
          items.add(u, kValue, "unit of " + n.name);
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
      for (const plan::Signature& op : plan::operations()) items.add(op);
    }
    return std::move(items.array);
  }
  // `use ` in a body: the modules in scope.
  if (regexSearch("^\\s*use\\s+[A-Za-z0-9_]*$", before).found) {
    if (!names->program.units.empty())
      for (const auto& entry : names->program.suite().scope)
        if (entry.getValue()->kind == sema::SymbolKind::Module)
          items.add(entry.getKey(), kModule, "module");
    return std::move(items.array);
  }
  // Inside `use M { ... }`: M's parameters; inside a node body: attributes;
  // after `NAME =` there: a value, from the names in scope.
  llvm::StringRef header = openBlockHeader(text, offset);
  std::string h = header.take_back(256).str();
  llvm::StringRef item = before;
  if (size_t brace = item.find_last_of("{;"); brace != llvm::StringRef::npos)
    item = item.drop_front(brace + 1);
  if (regexSearch("^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=(?!=)", item).found)
    h.clear();
  if (RegexCaptures m =
          regexCaptures("(?:^|\\s)use\\s+([A-Za-z_][A-Za-z0-9_]*)$", h);
      m.found) {
    const sema::Symbol* s = lookup(names, m.groups[1]);
    if (s && s->module)
      for (const ast::Item& param : s->module->body)
        if (param.kind == ast::ItemKind::Param)
          items.add(param.name, kProperty,
                    describeModuleParam(*names->sources, param),
                    commentsAround(names->sources->text(param.range.file),
                                   param.range.begin));
    return std::move(items.array);
  }
  // A node or module body: its attributes and blocks (and `param` in a
  // module); a block of one (`service "api" {`): that block's attributes.
  if (RegexCaptures m =
          regexCaptures("^(node|module)\\s+[A-Za-z_][A-Za-z0-9_]*$", h);
      m.found) {
    items.addNodeItems("");
    if (m.groups[1] == "module")
      items.add("param", kKeyword, "param NAME[: TYPE] = DEFAULT");
    return std::move(items.array);
  }
  if (RegexCaptures m =
          regexCaptures("^([a-z_]+)(\\s+\"[^\"]*\")?(\\s*=.*)?$", h);
      m.found) {
    const sema::NodeItem* block = sema::findNodeItem("", m.groups[1]);
    if (block && block->isBlock) {
      items.addNodeItems(block->name);
      return std::move(items.array);
    }
  }
  // Names in scope, builtins and keywords.
  if (!names->program.units.empty()) {
    for (const auto& entry : names->program.suite().scope) {
      const sema::Symbol* s = entry.getValue();
      int kind = s->kind == sema::SymbolKind::Fn       ? kFunction
                 : s->kind == sema::SymbolKind::Node   ? kClass
                 : s->kind == sema::SymbolKind::Module ? kModule
                 : s->kind == sema::SymbolKind::Import ? kModule
                 : s->constant                         ? kConstant
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
    for (const ast::Test& t : names->program.suite().ast.tests)
      locals(t.body, t.range);
    for (const ast::Fn& fn : names->program.suite().ast.fns) {
      locals(fn.body, fn.range);
      if (fn.range.begin <= offset && offset <= fn.range.end)
        for (const ast::FnParam& p : fn.params) items.add(p.name, kVariable);
    }
  }
  for (const plan::Signature& b : plan::builtins()) items.add(b);
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
    if (c == ')' || c == ']' || c == '}')
      ++depth;
    else if ((c == '[' || c == '{') && depth > 0)
      --depth;
    else if (c == ',' && depth == 0)
      ++commas;
    else if (c == '(') {
      if (depth > 0) {
        --depth;
        continue;
      }
      size_t end = i;
      size_t begin = end;
      while (begin > 0 &&
             (llvm::isAlnum(text[begin - 1]) || text[begin - 1] == '_'))
        --begin;
      llvm::StringRef name = text.slice(begin, end);
      // The callee: `alias.f` of an import, `m.op` of a machine, `f` or a
      // builtin.
      const sema::Symbol* fn = nullptr;
      const plan::Signature* sig = nullptr;
      if (begin > 0 && text[begin - 1] == '.') {
        size_t r = begin - 1;
        while (r > 0 && (llvm::isAlnum(text[r - 1]) || text[r - 1] == '_')) --r;
        const sema::Symbol* receiver = lookup(&a, text.slice(r, begin - 1));
        if (receiver && receiver->kind == sema::SymbolKind::Import) {
          if (receiver->imported) {
            auto it = receiver->imported->scope.find(name);
            if (it != receiver->imported->scope.end()) fn = it->second;
          }
        } else {
          sig = plan::findOperation(name);
        }
      } else if (const sema::Symbol* s = lookup(&a, name)) {
        fn = s;
      } else {
        sig = plan::findBuiltin(name);
      }
      if (fn && !fn->fn) fn = nullptr;
      if (!fn && !sig) return nullptr;
      std::string label, doc;
      std::vector<std::string> names, labels;
      if (sig) {
        label = sig->display();
        doc = sig->documentation();
        for (const plan::ParamSig& p : sig->params) {
          names.push_back(p.name);
          labels.push_back(plan::paramDisplay(p));
        }
      } else {
        for (const ast::FnParam& p : fn->fn->params) {
          names.push_back(p.name);
          labels.push_back(a.sources->slice(p.range).str());
        }
        label = "fn " + name.str() + "(" + llvm::join(labels, ", ") + ")";
        doc = commentsAround(a.sources->text(fn->range.file), fn->range.begin);
      }
      // The argument being typed: by name (`timeout = `), else by position
      // (every positional argument of a variadic operation is its first
      // parameter's).
      int64_t active = sig && sig->variadic ? 0 : commas;
      llvm::StringRef current = text.slice(i + 1, offset);
      if (size_t comma = current.rfind(','); comma != llvm::StringRef::npos)
        current = current.drop_front(comma + 1);
      if (RegexCaptures named = regexCaptures(
              "^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=(?!=)", current.str());
          named.found)
        for (size_t k = 0; k < names.size(); ++k)
          if (names[k] == named.groups[1]) active = static_cast<int64_t>(k);
      json::Array params;
      for (const std::string& l : labels)
        params.push_back(json::Object{{"label", l}});
      json::Object signature{{"label", label},
                             {"parameters", std::move(params)}};
      if (!doc.empty())
        signature["documentation"] =
            json::Object{{"kind", "markdown"}, {"value", doc}};
      return json::Object{{"signatures", json::Array{std::move(signature)}},
                          {"activeSignature", 0},
                          {"activeParameter", active}};
    }
  }
  return nullptr;
}

}  // namespace rig::lsp
