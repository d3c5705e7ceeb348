// The AST dump used by golden tests. One line per node: `Kind details
// @line:col-line:col`, children indented by two spaces, a `role:` prefix
// where a child's place is not obvious. Stable: tests compare it verbatim.
#include <cmath>

#include "compiler/ast/ast.h"
#include "llvm/Support/Format.h"

namespace rig::ast {

namespace {

class Dumper {
 public:
  Dumper(const SourceFiles& sources, llvm::raw_ostream& os, bool ranges)
      : sources_(sources), os_(os), ranges_(ranges) {}

  void file(const File& f) {
    os_ << "File";
    if (f.file != 0) os_ << " " << sources_.path(f.file);
    os_ << "\n";
    for (const Import& i : f.imports) {
      line(1) << "Import ";
      quote(i.path);
      if (!i.alias.empty()) os_ << " as " << i.alias;
      at(i.range);
    }
    for (const Let& l : f.lets) {
      line(1) << "Let " << l.name;
      at(l.range);
      expr(l.value.get(), 2, "");
    }
    for (const Fn& fn : f.fns) {
      line(1) << "Fn " << fn.name;
      at(fn.range);
      for (const FnParam& p : fn.params) {
        line(2) << "Param " << p.name;
        at(p.range);
        if (p.defaultValue) expr(p.defaultValue.get(), 3, "default: ");
      }
      stmts(fn.body, 2);
    }
    for (const Module& m : f.modules) {
      line(1) << "Module " << m.name;
      at(m.range);
      items(m.body, 2);
    }
    for (const Node& n : f.nodes) {
      line(1) << "Node " << n.name;
      at(n.range);
      items(n.body, 2);
    }
    for (const Test& t : f.tests) {
      line(1) << "Test ";
      quote(t.name);
      at(t.range);
      stmts(t.body, 2);
    }
    for (const Meta& m : f.metas) {
      line(1) << "Meta";
      at(m.range);
      items(m.body, 2);
    }
    if (!f.prepares.empty()) {
      line(1) << "Prepares";
      at(f.prepares.front().range);
      items(f.prepares, 2);
    }
  }

 private:
  llvm::raw_ostream& line(unsigned depth) {
    os_.indent(depth * 2);
    return os_;
  }

  void at(SourceRange r) {
    if (!ranges_) {
      os_ << "\n";
      return;
    }
    if (!r.valid()) {
      os_ << " @?\n";
      return;
    }
    LineCol b = sources_.begin(r);
    LineCol e = sources_.end(r);
    os_ << " @" << b.line << ":" << b.col << "-" << e.line << ":" << e.col
        << "\n";
  }

  void quote(llvm::StringRef s) {
    os_ << '"';
    for (unsigned char c : s) {
      switch (c) {
        case '\n': os_ << "\\n"; break;
        case '\t': os_ << "\\t"; break;
        case '\r': os_ << "\\r"; break;
        case '"': os_ << "\\\""; break;
        case '\\': os_ << "\\\\"; break;
        default:
          if (c < 0x20 || c == 0x7F)
            os_ << llvm::format("\\u{%X}", c);
          else
            os_ << c;
      }
    }
    os_ << '"';
  }

  void number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
      os_ << static_cast<int64_t>(v);
    else
      os_ << llvm::format("%.17g", v);
  }

  void items(const std::vector<Item>& body, unsigned depth) {
    for (const Item& item : body) {
      switch (item.kind) {
        case ItemKind::Attr:
          line(depth) << "Attr " << item.name << (item.drop ? " -=" : "");
          at(item.range);
          expr(item.value.get(), depth + 1, "");
          break;
        case ItemKind::Block:
          line(depth) << "Block " << item.name;
          at(item.range);
          if (item.label) expr(item.label.get(), depth + 1, "label: ");
          if (item.value) expr(item.value.get(), depth + 1, "value: ");
          items(item.body, depth + 1);
          break;
        case ItemKind::Use:
          line(depth) << "Use " << item.name << (item.hasBody ? " {}" : "");
          at(item.range);
          items(item.body, depth + 1);
          break;
        case ItemKind::Param:
          line(depth) << "Param " << item.name;
          if (!item.typeName.empty()) os_ << " : " << item.typeName;
          at(item.range);
          if (item.value) expr(item.value.get(), depth + 1, "default: ");
          break;
      }
    }
  }

  void stmts(const std::vector<StmtPtr>& body, unsigned depth) {
    for (const StmtPtr& s : body) stmt(*s, depth);
  }

  void stmt(const Stmt& s, unsigned depth) {
    switch (s.kind) {
      case StmtKind::Let:
        line(depth) << "Let " << s.name;
        at(s.range);
        expr(s.expr.get(), depth + 1, "");
        return;
      case StmtKind::Expect:
        line(depth) << "Expect";
        at(s.range);
        expr(s.expr.get(), depth + 1, "");
        if (s.message) expr(s.message.get(), depth + 1, "message: ");
        return;
      case StmtKind::Expr:
        line(depth) << "ExprStmt";
        at(s.range);
        expr(s.expr.get(), depth + 1, "");
        return;
      case StmtKind::If:
        line(depth) << "If";
        at(s.range);
        expr(s.expr.get(), depth + 1, "cond: ");
        line(depth + 1) << "then:\n";
        stmts(s.body, depth + 2);
        if (!s.elseBody.empty()) {
          line(depth + 1) << "else:\n";
          stmts(s.elseBody, depth + 2);
        }
        return;
      case StmtKind::For:
        line(depth) << "For " << s.name;
        at(s.range);
        expr(s.expr.get(), depth + 1, "in: ");
        stmts(s.body, depth + 1);
        return;
      case StmtKind::Subtest:
        line(depth) << "Subtest";
        if (!s.expr) {
          os_ << " ";
          quote(s.name);
        }
        at(s.range);
        if (s.expr) expr(s.expr.get(), depth + 1, "name: ");
        stmts(s.body, depth + 1);
        return;
      case StmtKind::Eventually:
        line(depth) << "Eventually";
        at(s.range);
        if (s.timeout) expr(s.timeout.get(), depth + 1, "timeout: ");
        stmts(s.body, depth + 1);
        return;
      case StmtKind::Parallel:
        line(depth) << "Parallel";
        at(s.range);
        stmts(s.body, depth + 1);
        return;
      case StmtKind::Branch:
        line(depth) << "Branch ";
        quote(s.name);
        at(s.range);
        stmts(s.body, depth + 1);
        return;
      case StmtKind::Return:
        line(depth) << "Return";
        at(s.range);
        if (s.expr) expr(s.expr.get(), depth + 1, "");
        return;
    }
  }

  void expr(const Expr* e, unsigned depth, llvm::StringRef role) {
    line(depth) << role;
    if (e == nullptr) {
      os_ << "<missing>\n";
      return;
    }
    switch (e->kind) {
      case ExprKind::Null: os_ << "Null"; break;
      case ExprKind::Bool:
        os_ << "Bool " << (e->boolValue ? "true" : "false");
        break;
      case ExprKind::Int: os_ << "Int " << e->intValue; break;
      case ExprKind::Float:
        os_ << "Float ";
        number(e->floatValue);
        break;
      case ExprKind::Duration:
        os_ << "Duration ";
        number(e->floatValue);
        os_ << "ms";
        break;
      case ExprKind::Size: os_ << "Size " << e->intValue << "B"; break;
      case ExprKind::String:
        os_ << (e->tripleQuoted ? "String\"\"\"" : "String");
        // A string without interpolation prints on one line.
        if (e->parts.size() <= 1 && (e->parts.empty() || !e->parts[0].expr)) {
          os_ << " ";
          quote(e->parts.empty() ? "" : e->parts[0].text);
          at(e->range);
          return;
        }
        at(e->range);
        for (const StringPart& p : e->parts) {
          if (p.expr) {
            expr(p.expr.get(), depth + 1, "${}: ");
          } else {
            line(depth + 1) << "Text ";
            quote(p.text);
            at(p.range);
          }
        }
        return;
      case ExprKind::Ident: os_ << "Ident " << e->name; break;
      case ExprKind::List: os_ << "List"; break;
      case ExprKind::Object: os_ << "Object"; break;
      case ExprKind::Unary: os_ << "Unary " << e->name; break;
      case ExprKind::Binary: os_ << "Binary " << e->name; break;
      case ExprKind::If: os_ << "IfExpr"; break;
      case ExprKind::Member: os_ << "Member " << e->name; break;
      case ExprKind::Index: os_ << "Index"; break;
      case ExprKind::Call: os_ << "Call"; break;
      case ExprKind::ListFor: os_ << "ListFor " << e->name; break;
    }
    at(e->range);
    static const char* const kIfRoles[] = {"cond: ", "then: ", "else: "};
    static const char* const kForRoles[] = {"in: ", "element: ", "if: "};
    for (size_t i = 0; i < e->operands.size(); ++i) {
      llvm::StringRef childRole;
      if (e->kind == ExprKind::If && i < 3) childRole = kIfRoles[i];
      if (e->kind == ExprKind::Call) childRole = "callee: ";
      if (e->kind == ExprKind::ListFor && i < 3) childRole = kForRoles[i];
      expr(e->operands[i].get(), depth + 1, childRole);
    }
    for (const ObjectEntry& entry : e->entries) {
      line(depth + 1) << "Key ";
      quote(entry.key);
      at(entry.keyRange);
      expr(entry.value.get(), depth + 2, "");
    }
    for (const Arg& arg : e->args) {
      line(depth + 1) << "Arg";
      if (!arg.name.empty()) os_ << " " << arg.name << "=";
      at(arg.range);
      expr(arg.value.get(), depth + 2, "");
    }
  }

  const SourceFiles& sources_;
  llvm::raw_ostream& os_;
  bool ranges_;
};

}  // namespace

void dump(const File& file, const SourceFiles& sources, llvm::raw_ostream& os) {
  Dumper(sources, os, true).file(file);
}

void dumpWithoutRanges(const File& file, const SourceFiles& sources,
                       llvm::raw_ostream& os) {
  Dumper(sources, os, false).file(file);
}

}  // namespace rig::ast
