// Traversal helpers over the AST for lint rules: visit every expression
// under a statement list, a node body or an expression, in source order.
#ifndef RIG_COMPILER_LINT_WALK_H
#define RIG_COMPILER_LINT_WALK_H

#include <vector>

#include "compiler/ast/ast.h"

namespace rig::lint {

// Calls f(expr) for `e` and every expression below it, parents first.
template <typename F>
void forEachExpr(const ast::Expr& e, F&& f) {
  f(e);
  for (const ast::StringPart& part : e.parts)
    if (part.expr) forEachExpr(*part.expr, f);
  for (const ast::ExprPtr& op : e.operands)
    if (op) forEachExpr(*op, f);
  for (const ast::ObjectEntry& entry : e.entries)
    if (entry.value) forEachExpr(*entry.value, f);
  for (const ast::Arg& arg : e.args)
    if (arg.value) forEachExpr(*arg.value, f);
}

template <typename F>
void forEachExpr(const std::vector<ast::StmtPtr>& body, F&& f);

template <typename F>
void forEachExpr(const ast::Stmt& s, F&& f) {
  if (s.expr) forEachExpr(*s.expr, f);
  if (s.message) forEachExpr(*s.message, f);
  if (s.timeout) forEachExpr(*s.timeout, f);
  forEachExpr(s.body, f);
  forEachExpr(s.elseBody, f);
}

template <typename F>
void forEachExpr(const std::vector<ast::StmtPtr>& body, F&& f) {
  for (const ast::StmtPtr& s : body)
    if (s) forEachExpr(*s, f);
}

// Node, module and `use` bodies: labels, values, parameter defaults.
template <typename F>
void forEachExpr(const std::vector<ast::Item>& items, F&& f) {
  for (const ast::Item& item : items) {
    if (item.label) forEachExpr(*item.label, f);
    if (item.value) forEachExpr(*item.value, f);
    forEachExpr(item.body, f);
  }
}

// Every expression of a file, in declaration order.
template <typename F>
void forEachExprInFile(const ast::File& file, F&& f) {
  for (const ast::Let& let : file.lets)
    if (let.value) forEachExpr(*let.value, f);
  for (const ast::Fn& fn : file.fns) {
    for (const ast::FnParam& p : fn.params)
      if (p.defaultValue) forEachExpr(*p.defaultValue, f);
    forEachExpr(fn.body, f);
  }
  for (const ast::Module& m : file.modules) forEachExpr(m.body, f);
  for (const ast::Node& n : file.nodes) forEachExpr(n.body, f);
  for (const ast::Test& t : file.tests) forEachExpr(t.body, f);
  for (const ast::Meta& m : file.metas) forEachExpr(m.body, f);
  forEachExpr(file.prepares, f);
}

// Calls f(stmt) for every statement in `body`, nested ones included.
template <typename F>
void forEachStmt(const std::vector<ast::StmtPtr>& body, F&& f) {
  for (const ast::StmtPtr& s : body) {
    if (!s) continue;
    f(*s);
    forEachStmt(s->body, f);
    forEachStmt(s->elseBody, f);
  }
}

// `m.op(...)`: the receiver and the operation name of a method call, or
// null when `call` is not a call of a member.
inline const ast::Expr* methodReceiver(const ast::Expr& call) {
  if (call.kind != ast::ExprKind::Call || call.operands.empty()) return nullptr;
  const ast::Expr* callee = call.operands[0].get();
  if (!callee || callee->kind != ast::ExprKind::Member ||
      callee->operands.empty())
    return nullptr;
  return callee->operands[0].get();
}
inline llvm::StringRef methodName(const ast::Expr& call) {
  return methodReceiver(call) ? llvm::StringRef(call.operands[0]->name)
                              : llvm::StringRef();
}
// `f(...)`: the called name when the callee is a plain identifier.
inline llvm::StringRef calleeName(const ast::Expr& call) {
  if (call.kind != ast::ExprKind::Call || call.operands.empty() ||
      !call.operands[0] || call.operands[0]->kind != ast::ExprKind::Ident)
    return {};
  return call.operands[0]->name;
}

// The argument named `name`, else the positional argument at `index`, else
// null.
inline const ast::Expr* argument(const ast::Expr& call, unsigned index,
                                 llvm::StringRef name) {
  unsigned positional = 0;
  const ast::Expr* byIndex = nullptr;
  for (const ast::Arg& arg : call.args) {
    if (!arg.name.empty()) {
      if (arg.name == name) return arg.value.get();
      continue;
    }
    if (positional++ == index) byIndex = arg.value.get();
  }
  return byIndex;
}

}  // namespace rig::lint

#endif
