#include "compiler/format/structure.h"

namespace rig::format {

namespace {

class Collector {
 public:
  explicit Collector(Structure& s) : s_(s) {}

  void expr(const ast::Expr* e) {
    if (!e) return;
    if (e->kind == ast::ExprKind::Object)
      s_.objectOpeners.insert(e->range.begin);
    for (const ast::ExprPtr& op : e->operands) expr(op.get());
    for (const ast::ObjectEntry& entry : e->entries) expr(entry.value.get());
    for (const ast::Arg& arg : e->args) expr(arg.value.get());
    for (const ast::StringPart& part : e->parts) expr(part.expr.get());
  }

  void stmts(const std::vector<ast::StmtPtr>& list) {
    for (const ast::StmtPtr& st : list) {
      if (!st) continue;
      s_.itemStarts.insert(st->range.begin);
      expr(st->expr.get());
      expr(st->message.get());
      expr(st->timeout.get());
      stmts(st->body);
      stmts(st->elseBody);
    }
  }

  void items(const std::vector<ast::Item>& list) {
    for (const ast::Item& item : list) {
      s_.itemStarts.insert(item.range.begin);
      expr(item.label.get());
      expr(item.value.get());
      items(item.body);
    }
  }

  void top(SourceRange r, TopKind kind) {
    s_.itemStarts.insert(r.begin);
    s_.topLevel[r.begin] = kind;
  }

 private:
  Structure& s_;
};

}  // namespace

Structure structureOf(const ast::File& file) {
  Structure s;
  Collector c(s);
  for (const ast::Import& i : file.imports) c.top(i.range, TopKind::Import);
  for (const ast::Let& l : file.lets) {
    c.top(l.range, TopKind::Let);
    c.expr(l.value.get());
  }
  for (const ast::Fn& fn : file.fns) {
    c.top(fn.range, TopKind::Other);
    for (const ast::FnParam& p : fn.params) c.expr(p.defaultValue.get());
    c.stmts(fn.body);
  }
  for (const ast::Module& m : file.modules) {
    c.top(m.range, TopKind::Other);
    c.items(m.body);
  }
  for (const ast::Node& n : file.nodes) {
    c.top(n.range, TopKind::Other);
    c.items(n.body);
  }
  for (const ast::Test& t : file.tests) {
    c.top(t.range, TopKind::Other);
    c.stmts(t.body);
  }
  for (const ast::Meta& m : file.metas) {
    c.top(m.range, TopKind::Other);
    c.items(m.body);
  }
  for (const ast::Item& p : file.prepares) {
    c.top(p.range, TopKind::Other);
    c.items(p.body);
  }
  return s;
}

}  // namespace rig::format
