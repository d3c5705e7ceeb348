// Test code -> plan Expr/Stmt trees (docs/plan.md, "Test programs").
// Expressions whose value sema knows are folded to literals, except names
// of nodes, which stay variables so failures name them.
#include "compiler/lower/lower_internal.h"

namespace rig::lower {

plan::SourceLoc CodeLowering::loc(SourceRange range) const {
  plan::SourceLoc out;
  if (!range.valid()) return out;
  auto it = fileIndex_.find(range.file);
  if (it == fileIndex_.end()) return out;
  LineCol b = program_.sources->begin(range);
  LineCol e = program_.sources->end(range);
  out.file = it->second;
  out.line = b.line;
  out.col = b.col;
  out.endLine = e.line;
  out.endCol = e.col;
  return out;
}

plan::Expr CodeLowering::literal(const Value& v, SourceRange range) const {
  plan::Expr out;
  out.kind = plan::ExprKind::Literal;
  out.loc = loc(range);
  out.literal = v;
  return out;
}

plan::Expr CodeLowering::expr(const ast::Expr& e) const {
  const sema::Ref* ref = program_.ref(e);
  bool isNode = ref && ref->kind == sema::RefKind::Node;
  if (!isNode)
    if (const Value* v = program_.constant(e)) return literal(*v, e.range);

  plan::Expr out;
  out.loc = loc(e.range);
  auto add = [&](const ast::Expr& operand) {
    out.args.push_back(expr(operand));
  };
  switch (e.kind) {
    case ast::ExprKind::Null: return literal(Value(), e.range);
    case ast::ExprKind::Bool:
      return literal(Value::boolean(e.boolValue), e.range);
    case ast::ExprKind::Int:
      return literal(Value::integer(e.intValue), e.range);
    case ast::ExprKind::Float:
      return literal(Value::floating(e.floatValue), e.range);
    case ast::ExprKind::Duration:
      return literal(Value::duration(e.floatValue), e.range);
    case ast::ExprKind::Size: return literal(Value::size(e.intValue), e.range);
    case ast::ExprKind::String:
      out.kind = plan::ExprKind::Interpolate;
      for (const ast::StringPart& part : e.parts) {
        if (part.expr)
          add(*part.expr);
        else
          out.args.push_back(literal(Value::string(part.text), part.range));
      }
      return out;
    case ast::ExprKind::Ident:
      out.kind = plan::ExprKind::Var;
      out.name = e.name;
      if (ref && ref->symbol && ref->kind == sema::RefKind::Global)
        out.name = ref->symbol->qualifiedName;
      return out;
    case ast::ExprKind::List:
      out.kind = plan::ExprKind::List;
      for (const ast::ExprPtr& item : e.operands) add(*item);
      return out;
    case ast::ExprKind::Object:
      out.kind = plan::ExprKind::Object;
      for (const ast::ObjectEntry& entry : e.entries) {
        out.keys.push_back(entry.key);
        add(*entry.value);
      }
      return out;
    case ast::ExprKind::Unary:
      out.kind = plan::ExprKind::Unary;
      out.name = e.name;
      add(*e.operands[0]);
      return out;
    case ast::ExprKind::Binary:
      out.kind = plan::ExprKind::Binary;
      out.name = e.name;
      add(*e.operands[0]);
      add(*e.operands[1]);
      return out;
    case ast::ExprKind::If:
      out.kind = plan::ExprKind::If;
      for (const ast::ExprPtr& o : e.operands) add(*o);
      return out;
    case ast::ExprKind::Member:
      // `alias.name` of an import: the global's resolved name.
      if (ref && ref->symbol && ref->kind == sema::RefKind::Global) {
        out.kind = plan::ExprKind::Var;
        out.name = ref->symbol->qualifiedName;
        return out;
      }
      out.kind = plan::ExprKind::Member;
      out.name = e.name;
      add(*e.operands[0]);
      return out;
    case ast::ExprKind::ListFor:
      out.kind = plan::ExprKind::ListFor;
      out.name = e.name;
      for (const ast::ExprPtr& o : e.operands) add(*o);
      return out;
    case ast::ExprKind::Index:
      out.kind = plan::ExprKind::Index;
      add(*e.operands[0]);
      add(*e.operands[1]);
      return out;
    case ast::ExprKind::Call: {
      const sema::Call* call = program_.call(e);
      const ast::Expr& callee = *e.operands[0];
      if (call && call->kind == sema::CallKind::Method) {
        out.kind = plan::ExprKind::Method;
        out.name = call->name;
        add(*callee.operands[0]);
      } else {
        out.kind = plan::ExprKind::Call;
        out.name = call ? call->name : callee.name;
      }
      if (call && call->entry) {
        // A builtin or an operation: one argument per parameter, in order
        // (a default, or `absent`), then a variadic one's extras.
        out.callee = call->entry;
        for (size_t i = 0; i < call->entry->params.size(); ++i) {
          const ast::Expr* arg =
              i < call->args.size() ? call->args[i] : nullptr;
          if (arg) {
            add(*arg);
          } else if (std::optional<Value> v =
                         plan::defaultValue(call->entry->params[i])) {
            out.args.push_back(literal(*v, SourceRange()));
          } else {
            plan::Expr absent;
            absent.kind = plan::ExprKind::Absent;
            out.args.push_back(std::move(absent));
          }
        }
        for (const ast::Expr* arg : call->rest) add(*arg);
        return out;
      }
      for (const ast::Arg& arg : e.args) {
        if (arg.name.empty()) {
          add(*arg.value);
        } else {
          plan::NamedArg named;
          named.name = arg.name;
          named.value.push_back(expr(*arg.value));
          out.named.push_back(std::move(named));
        }
      }
      return out;
    }
  }
  return out;
}

plan::Stmt CodeLowering::stmt(const ast::Stmt& s) const {
  plan::Stmt out;
  out.loc = loc(s.range);
  out.name = s.name;
  if (s.expr) out.expr = expr(*s.expr);
  switch (s.kind) {
    case ast::StmtKind::Let: out.kind = plan::StmtKind::Let; break;
    case ast::StmtKind::Expect:
      out.kind = plan::StmtKind::Expect;
      if (s.message) out.message = expr(*s.message);
      break;
    case ast::StmtKind::Expr: out.kind = plan::StmtKind::Eval; break;
    case ast::StmtKind::If: out.kind = plan::StmtKind::If; break;
    case ast::StmtKind::For: out.kind = plan::StmtKind::For; break;
    case ast::StmtKind::Subtest: out.kind = plan::StmtKind::Subtest; break;
    case ast::StmtKind::Eventually:
      out.kind = plan::StmtKind::Eventually;
      if (s.timeout) out.timeout = expr(*s.timeout);
      break;
    case ast::StmtKind::Return: out.kind = plan::StmtKind::Return; break;
    case ast::StmtKind::Parallel: out.kind = plan::StmtKind::Parallel; break;
    case ast::StmtKind::Branch: out.kind = plan::StmtKind::Branch; break;
  }
  out.body = block(s.body);
  out.elseBody = block(s.elseBody);
  return out;
}

std::vector<plan::Stmt> CodeLowering::block(
    const std::vector<ast::StmtPtr>& body) const {
  std::vector<plan::Stmt> out;
  for (const ast::StmtPtr& s : body) out.push_back(stmt(*s));
  return out;
}

}  // namespace rig::lower
