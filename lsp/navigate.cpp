#include "lsp/navigate.h"

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"
#include "runtime/plan/regex.h"

namespace rig::lsp {

namespace {

bool contains(SourceRange r, uint32_t offset) {
  return r.valid() && r.begin <= offset && offset <= r.end;
}

void walkExpr(const ast::Expr* e,
              const std::function<void(const ast::Expr&)>& f) {
  if (!e) return;
  f(*e);
  for (const ast::ExprPtr& op : e->operands) walkExpr(op.get(), f);
  for (const ast::ObjectEntry& entry : e->entries)
    walkExpr(entry.value.get(), f);
  for (const ast::Arg& arg : e->args) walkExpr(arg.value.get(), f);
  for (const ast::StringPart& part : e->parts) walkExpr(part.expr.get(), f);
}

void walkItems(const std::vector<ast::Item>& items,
               const std::function<void(const ast::Expr&)>& f) {
  for (const ast::Item& item : items) {
    walkExpr(item.label.get(), f);
    walkExpr(item.value.get(), f);
    walkItems(item.body, f);
  }
}

void forEachItem(
    const std::vector<ast::Item>& items,
    const std::function<void(const ast::Item&, const ast::Item*)>& f,
    const ast::Item* parent = nullptr) {
  for (const ast::Item& item : items) {
    f(item, parent);
    forEachItem(item.body, f, &item);
  }
}

void forEachBodyItem(
    const ast::File& file,
    const std::function<void(const ast::Item&, const ast::Item*)>& f) {
  for (const ast::Module& m : file.modules) forEachItem(m.body, f);
  for (const ast::Node& n : file.nodes) forEachItem(n.body, f);
}

const sema::Symbol* lookup(const Analysis& a, llvm::StringRef name) {
  if (a.program.units.empty()) return nullptr;
  auto it = a.program.suite().scope.find(name);
  return it == a.program.suite().scope.end() ? nullptr : it->second;
}

const ast::Item* paramOf(const sema::Symbol* module, llvm::StringRef name) {
  if (!module || !module->module) return nullptr;
  for (const ast::Item& item : module->module->body)
    if (item.kind == ast::ItemKind::Param && item.name == name) return &item;
  return nullptr;
}

std::string code(llvm::StringRef text) {
  return "```rig\n" + text.str() + "\n```\n";
}

}  // namespace

// `#` lines right above `offset`'s line, and a comment at the end of it.
std::string commentsAround(llvm::StringRef text, uint32_t offset) {
  size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  size_t lineEnd = text.find('\n', offset);
  if (lineEnd == llvm::StringRef::npos) lineEnd = text.size();
  std::vector<std::string> above;
  size_t end = lineStart;
  while (end > 0) {
    size_t start = text.rfind('\n', end - 2 < end ? end - 2 : 0);
    start = start == llvm::StringRef::npos || end < 2 ? 0 : start + 1;
    llvm::StringRef line = text.slice(start, end).trim();
    if (!line.startswith("#")) break;
    above.insert(above.begin(), line.drop_front(1).trim().str());
    if (start == 0) break;
    end = start;
  }
  std::string out;
  for (const std::string& l : above) out += l + "\n";
  llvm::StringRef line = text.slice(lineStart, lineEnd);
  // A trailing comment: a `#` outside strings (good enough for a hover).
  size_t hash = line.rfind(" #");
  if (hash != llvm::StringRef::npos && line.count('"') % 2 == 0 &&
      line.substr(hash).count('"') == 0)
    out += line.substr(hash + 2).trim().str() + "\n";
  return out;
}

void forEachStmt(const std::vector<ast::StmtPtr>& body,
                 const std::function<void(const ast::Stmt&)>& f) {
  for (const ast::StmtPtr& s : body) {
    if (!s) continue;
    f(*s);
    forEachStmt(s->body, f);
    forEachStmt(s->elseBody, f);
  }
}

void forEachExpr(const ast::File& file,
                 const std::function<void(const ast::Expr&)>& f) {
  for (const ast::Let& l : file.lets) walkExpr(l.value.get(), f);
  auto stmts = [&](const std::vector<ast::StmtPtr>& body) {
    forEachStmt(body, [&](const ast::Stmt& s) {
      walkExpr(s.expr.get(), f);
      walkExpr(s.message.get(), f);
      walkExpr(s.timeout.get(), f);
    });
  };
  for (const ast::Fn& fn : file.fns) {
    for (const ast::FnParam& p : fn.params) walkExpr(p.defaultValue.get(), f);
    stmts(fn.body);
  }
  for (const ast::Test& t : file.tests) stmts(t.body);
  for (const ast::Module& m : file.modules) walkItems(m.body, f);
  for (const ast::Node& n : file.nodes) walkItems(n.body, f);
  for (const ast::Meta& m : file.metas) walkItems(m.body, f);
  walkItems(file.prepares, f);
}

namespace {

// The table entry of a builtin or machine operation called at `offset`
// (the callee's name under the cursor): sema's resolution of the call, or
// the name alone when sema did not get to it.
const plan::Signature* calledAt(const Analysis& a, uint32_t offset,
                                SourceRange& word) {
  const plan::Signature* found = nullptr;
  forEachExpr(a.program.suite().ast, [&](const ast::Expr& e) {
    if (found || e.kind != ast::ExprKind::Call || e.operands.empty()) return;
    const ast::Expr& callee = *e.operands[0];
    bool member = callee.kind == ast::ExprKind::Member;
    if (!member && callee.kind != ast::ExprKind::Ident) return;
    SourceRange w = member ? callee.nameRange : callee.range;
    if (!contains(w, offset)) return;
    if (const sema::Call* c = a.program.call(e)) {
      if (c->kind != sema::CallKind::Fn) found = c->entry;
    } else if (!member && !a.program.ref(callee)) {
      found = plan::findBuiltin(callee.name);
    } else if (member && !callee.operands.empty()) {
      const sema::Ref* receiver = a.program.ref(*callee.operands[0]);
      bool import = receiver && receiver->symbol &&
                    receiver->symbol->kind == sema::SymbolKind::Import;
      if (!import) found = plan::findOperation(callee.name);
    }
    if (found) word = w;
  });
  return found;
}

}  // namespace

Target targetAt(const Analysis& a, uint32_t offset) {
  Target t;
  if (a.program.units.empty()) return t;
  const sema::SourceUnit& suite = a.program.suite();
  const ast::File& file = suite.ast;
  if (const plan::Signature* s = calledAt(a, offset, t.at)) {
    t.callable = s;
    return t;
  }
  // A name used in code: the innermost resolved identifier.
  const ast::Expr* best = nullptr;
  forEachExpr(file, [&](const ast::Expr& e) {
    SourceRange word = e.kind == ast::ExprKind::Member ? e.nameRange : e.range;
    if ((e.kind == ast::ExprKind::Ident || e.kind == ast::ExprKind::Member) &&
        contains(word, offset) && a.program.ref(e))
      if (!best || word.end - word.begin <= best->range.end - best->range.begin)
        best = &e;
  });
  if (best) {
    const sema::Ref* ref = a.program.ref(*best);
    t.at = best->kind == ast::ExprKind::Member ? best->nameRange : best->range;
    t.symbol = ref->symbol;
    t.local = ref->local;
    t.param = ref->param;
    if (t.symbol) t.declaration = t.symbol->nameRange;
    if (t.local) t.declaration = t.local->nameRange;
    if (t.param) t.declaration = t.param->nameRange;
    return t;
  }
  // A name in a node or module body (sema resolves those by value, so they
  // are not in refs): a parameter of the enclosing module, else the scope.
  const ast::Expr* ident = nullptr;
  forEachExpr(file, [&](const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Ident && contains(e.range, offset)) ident = &e;
  });
  if (ident) {
    t.at = ident->range;
    for (const ast::Module& m : file.modules)
      if (contains(m.range, offset))
        for (const ast::Item& item : m.body)
          if (item.kind == ast::ItemKind::Param && item.name == ident->name)
            t.moduleParam = &item;
    if (t.moduleParam) {
      t.declaration = t.moduleParam->nameRange;
      return t;
    }
    t.symbol = lookup(a, ident->name);
    if (t.symbol) {
      t.declaration = t.symbol->nameRange;
      return t;
    }
    t.at = {};
  }
  // A declaration's own name.
  for (const std::unique_ptr<sema::Symbol>& s : a.program.symbols) {
    if (s->unit != &suite || !contains(s->nameRange, offset)) continue;
    t.at = t.declaration = s->nameRange;
    t.symbol = s.get();
    return t;
  }
  for (size_t i = 0; i < file.imports.size() && i < suite.imports.size(); ++i) {
    if (!contains(file.imports[i].pathRange, offset) || !suite.imports[i])
      continue;
    t.at = file.imports[i].pathRange;
    t.file = suite.imports[i];
    t.declaration = {t.file->file, 0, 0};
    return t;
  }
  // `use M` and the parameters set in `use M { ... }`; the attributes and
  // blocks of node (and module) bodies.
  bool found = false;
  forEachBodyItem(file, [&](const ast::Item& item, const ast::Item* parent) {
    if (found || !contains(item.nameRange, offset)) return;
    if (item.kind == ast::ItemKind::Use) {
      t.symbol = lookup(a, item.name);
    } else if (parent && parent->kind == ast::ItemKind::Use) {
      t.moduleParam = paramOf(lookup(a, parent->name), item.name);
      if (t.moduleParam) t.declaration = t.moduleParam->nameRange;
    } else if (item.kind == ast::ItemKind::Param) {
      t.moduleParam = &item;
      t.declaration = item.nameRange;
    } else {
      t.nodeItem = sema::findNodeItem(
          parent ? llvm::StringRef(parent->name) : "", item.name);
    }
    if (t.symbol) t.declaration = t.symbol->nameRange;
    if (t.symbol || t.moduleParam || t.nodeItem) {
      t.at = item.nameRange;
      found = true;
    }
  });
  if (found) return t;
  // Local lets, `for` variables and fn parameters at their declaration.
  auto locals = [&](const std::vector<ast::StmtPtr>& body) {
    forEachStmt(body, [&](const ast::Stmt& s) {
      if ((s.kind == ast::StmtKind::Let || s.kind == ast::StmtKind::For) &&
          contains(s.nameRange, offset)) {
        t.local = &s;
        t.at = t.declaration = s.nameRange;
      }
    });
  };
  for (const ast::Fn& fn : file.fns) {
    for (const ast::FnParam& p : fn.params)
      if (contains(p.nameRange, offset)) {
        t.param = &p;
        t.at = t.declaration = p.nameRange;
      }
    locals(fn.body);
  }
  for (const ast::Test& test : file.tests) locals(test.body);
  return t;
}

std::vector<SourceRange> usesOf(const Analysis& a, const Target& t) {
  std::vector<SourceRange> out;
  if (a.program.units.empty()) return out;
  const ast::File& file = a.program.suite().ast;
  forEachExpr(file, [&](const ast::Expr& e) {
    const sema::Ref* ref = a.program.ref(e);
    if (!ref) {
      // Body expressions: by name (a module's own params shadow the scope).
      if (e.kind != ast::ExprKind::Ident) return;
      const ast::Item* param = nullptr;
      for (const ast::Module& m : file.modules)
        if (contains(m.range, e.range.begin))
          for (const ast::Item& item : m.body)
            if (item.kind == ast::ItemKind::Param && item.name == e.name)
              param = &item;
      if ((t.moduleParam && param == t.moduleParam) ||
          (t.symbol && !param && lookup(a, e.name) == t.symbol))
        out.push_back(e.range);
      return;
    }
    bool same = (t.symbol && ref->symbol == t.symbol) ||
                (t.local && ref->local == t.local) ||
                (t.param && ref->param == t.param);
    if (same)
      out.push_back(e.kind == ast::ExprKind::Member ? e.nameRange : e.range);
  });
  forEachBodyItem(file, [&](const ast::Item& item, const ast::Item* parent) {
    if (t.symbol && item.kind == ast::ItemKind::Use &&
        lookup(a, item.name) == t.symbol)
      out.push_back(item.nameRange);
    if (t.moduleParam && parent && parent->kind == ast::ItemKind::Use &&
        paramOf(lookup(a, parent->name), item.name) == t.moduleParam)
      out.push_back(item.nameRange);
  });
  return out;
}

std::string describeCallable(const plan::Signature& s) {
  return code(s.display()) + "\n" + s.documentation() + "\n";
}

std::string describeNodeItem(const sema::NodeItem& item) {
  std::string where =
      *item.block ? fmt::format("\n\nAn attribute of `{}` blocks.", item.block)
                  : "";
  std::string head =
      item.isBlock ? item.type : fmt::format("{}: {}", item.name, item.type);
  return code(head) + "\n" + item.doc + where + "\n";
}

std::string describeModuleParam(const SourceFiles& sources,
                                const ast::Item& p) {
  std::string type = p.typeName;
  if (type.empty() && p.value) {
    switch (p.value->kind) {
      case ast::ExprKind::Bool: type = "bool"; break;
      case ast::ExprKind::Int: type = "int"; break;
      case ast::ExprKind::Float: type = "float"; break;
      case ast::ExprKind::Duration: type = "duration"; break;
      case ast::ExprKind::Size: type = "size"; break;
      case ast::ExprKind::String: type = "string"; break;
      case ast::ExprKind::List: type = "list"; break;
      case ast::ExprKind::Object: type = "object"; break;
      default: break;
    }
  }
  std::string out = "param " + p.name;
  if (!type.empty()) out += ": " + type;
  if (p.value)
    out += " = " + sources.slice(p.value->range).str();
  else
    out += "  # required: every `use` sets it";
  return out;
}

std::string describe(const Analysis& a, const Target& t) {
  const SourceFiles& src = *a.sources;
  if (t.callable) return describeCallable(*t.callable);
  if (t.nodeItem) return describeNodeItem(*t.nodeItem);
  if (t.file)
    return code(fmt::format("import \"{}\"", src.slice(t.at).trim('"').str())) +
           "`" + t.file->path + "`\n";
  if (t.moduleParam) {
    const ast::Item& p = *t.moduleParam;
    return code(describeModuleParam(src, p)) +
           commentsAround(src.text(p.range.file), p.range.begin);
  }
  if (t.param) return code("fn parameter " + t.param->name);
  if (t.local) {
    const ast::Stmt& s = *t.local;
    if (s.kind == ast::StmtKind::For) return code("for " + s.name + " in ...");
    return code(fmt::format("let {} = {}", s.name,
                            s.expr ? src.slice(s.expr->range).str() : "..."));
  }
  const sema::Symbol* s = t.symbol;
  if (!s) return "";
  llvm::StringRef text = src.text(s->range.file);
  std::string docs = commentsAround(text, s->range.begin);
  switch (s->kind) {
    case sema::SymbolKind::Let: {
      std::string out = code(fmt::format(
          "let {} = {}", s->name,
          s->let && s->let->value ? src.slice(s->let->value->range).str()
                                  : "..."));
      if (s->constant) out += "value: `" + s->constant->repr() + "`\n\n";
      return out + docs;
    }
    case sema::SymbolKind::Fn: {
      std::string params;
      for (const ast::FnParam& p : s->fn->params) {
        if (!params.empty()) params += ", ";
        params += src.slice(p.range).str();
      }
      return code(fmt::format("fn {}({})", s->name, params)) + docs;
    }
    case sema::SymbolKind::Node: {
      std::string out = code("node " + s->name);
      if (const sema::NodeConfig* n = a.program.node(s->name)) {
        out += fmt::format("memory {} MiB, {} cpu(s)", n->memoryBytes >> 20,
                           n->cpus);
        std::vector<std::string> units = n->unitNames();
        if (!units.empty()) {
          out += "; units:";
          for (const std::string& u : units) out += " `" + u + "`";
        }
        out += "\n\n";
      }
      return out + docs;
    }
    case sema::SymbolKind::Module: {
      std::string params;
      for (const ast::Item& item : s->module->body)
        if (item.kind == ast::ItemKind::Param) {
          params += "  " + describeModuleParam(src, item);
          std::string comment = commentsAround(text, item.range.begin);
          if (!comment.empty())
            params += "  # " + llvm::StringRef(comment).trim().str();
          params += "\n";
        }
      return code(fmt::format("module {} {{\n{}}}", s->name, params)) + docs;
    }
    case sema::SymbolKind::Import:
      return code(fmt::format("import ... as {}", s->name)) +
             (s->imported ? "`" + s->imported->path + "`\n" : "");
  }
  return "";
}

std::optional<Fix> fixFor(const Analysis& a, const diag::Diagnostic& d) {
  if (d.range.file != a.file) return std::nullopt;
  llvm::StringRef text = a.text();
  llvm::StringRef slice = a.sources->slice(d.range);
  std::string help = d.help;
  if (RegexCaptures m =
          regexCaptures("^did you mean `([A-Za-z_][A-Za-z0-9_]*)`\\?$", help);
      m.found) {
    std::string word = m.groups[1];
    // The misspelt word: the identifier in the range closest to the fix.
    llvm::StringRef s = slice.take_front(512);
    size_t bestAt = 0, bestLen = 0;
    unsigned bestDistance = ~0u;
    auto isHead = [](char c) { return llvm::isAlpha(c) || c == '_'; };
    for (size_t i = 0; i < s.size();) {
      if (!isHead(s[i])) {
        ++i;
        continue;
      }
      size_t end = i + 1;
      while (end < s.size() && (isHead(s[end]) || llvm::isDigit(s[end]))) ++end;
      unsigned distance = s.slice(i, end).edit_distance(word);
      if (distance < bestDistance) {
        bestDistance = distance;
        bestAt = i;
        bestLen = end - i;
      }
      i = end;
    }
    if (bestLen == 0) return std::nullopt;
    uint32_t begin = d.range.begin + bestAt;
    return Fix{"Replace with `" + word + "`",
               {{begin, begin + static_cast<uint32_t>(bestLen), word}}};
  }
  if (d.kind == diag::Kind::CurlWithoutFail) {
    size_t curl = slice.find("curl");
    if (curl == llvm::StringRef::npos) return std::nullopt;
    uint32_t at = d.range.begin + curl + 4;
    return Fix{"Add `--fail` to curl", {{at, at, " --fail"}}};
  }
  if (RegexCaptures m = regexCaptures(
          "^open it in node `([A-Za-z_][A-Za-z0-9_]*)`: `firewall \\{ "
          "allow_tcp = \\[([0-9]+)\\] \\}`$",
          help);
      m.found) {
    std::string node = m.groups[1], port = m.groups[2];
    for (const ast::Node& n : a.program.suite().ast.nodes) {
      if (n.name != node || n.range.file != a.file) continue;
      for (const ast::Item& item : n.body) {
        if (item.kind != ast::ItemKind::Block || item.name != "firewall")
          continue;
        for (const ast::Item& attr : item.body)
          if (attr.name == "allow_tcp" && attr.value &&
              attr.value->kind == ast::ExprKind::List) {
            uint32_t close = attr.value->range.end - 1;  // the `]`
            std::string sep = attr.value->operands.empty() ? "" : ", ";
            return Fix{"Open port " + port + " in node `" + node + "`",
                       {{close, close, sep + port}}};
          }
        return std::nullopt;  // a firewall block without a list: by hand
      }
      size_t brace = text.find('{', n.nameRange.end);
      if (brace == llvm::StringRef::npos || brace >= n.range.end)
        return std::nullopt;
      uint32_t at = static_cast<uint32_t>(brace + 1);
      return Fix{"Open port " + port + " in node `" + node + "`",
                 {{at, at, "\n  firewall { allow_tcp = [" + port + "] }"}}};
    }
  }
  return std::nullopt;
}

}  // namespace rig::lsp
