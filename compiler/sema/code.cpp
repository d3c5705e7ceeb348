// Statements of tests and functions (language.md section 6).
#include <fmt/format.h>

#include "compiler/sema/checker.h"

namespace rig::sema {

using diag::Kind;

void Checker::checkBlock(const std::vector<ast::StmtPtr>& body, Scope& scope) {
  for (const ast::StmtPtr& stmt : body) checkStmt(*stmt, scope);
}

static void checkCondition(Checker& c, const ast::Expr& e, const Info& info,
                           const char* what) {
  if (!info.error && info.type != Type::Unknown && info.type != Type::Bool)
    c.emit(e.range, Kind::ConditionType, what, typeName(info.type));
}

void Checker::checkStmt(const ast::Stmt& stmt, Scope& scope) {
  switch (stmt.kind) {
    case ast::StmtKind::Let: {
      Info info = stmt.expr ? analyze(*stmt.expr, scope) : Info();
      Binding b;
      b.kind = RefKind::Local;
      b.local = &stmt;
      b.info = info;
      // A later `let` of the same name shadows the earlier one.
      scope.names[stmt.name] = b;
      return;
    }
    case ast::StmtKind::Expect: {
      if (stmt.expr) {
        Info info = analyze(*stmt.expr, scope);
        checkCondition(*this, *stmt.expr, info, "the expression of `expect`");
      }
      if (stmt.message) analyze(*stmt.message, scope);
      return;
    }
    case ast::StmtKind::Expr:
      if (stmt.expr) analyze(*stmt.expr, scope);
      return;
    case ast::StmtKind::If: {
      if (stmt.expr) {
        Info info = analyze(*stmt.expr, scope);
        checkCondition(*this, *stmt.expr, info, "the condition of `if`");
      }
      Scope then{&scope, nullptr, scope.inFn, {}};
      checkBlock(stmt.body, then);
      Scope otherwise{&scope, nullptr, scope.inFn, {}};
      checkBlock(stmt.elseBody, otherwise);
      return;
    }
    case ast::StmtKind::For: {
      if (stmt.expr) {
        Info info = analyze(*stmt.expr, scope);
        if (!info.error && info.type != Type::Unknown &&
            info.type != Type::List && info.type != Type::Object)
          emit(stmt.expr->range, Kind::NotIterable, typeName(info.type));
      }
      Scope body{&scope, nullptr, scope.inFn, {}};
      Binding b;
      b.kind = RefKind::Local;
      b.local = &stmt;
      body.names[stmt.name] = b;
      checkBlock(stmt.body, body);
      return;
    }
    case ast::StmtKind::Subtest: {
      if (stmt.expr) analyze(*stmt.expr, scope);  // an interpolated name
      Scope body{&scope, nullptr, scope.inFn, {}};
      checkBlock(stmt.body, body);
      return;
    }
    case ast::StmtKind::Parallel: {
      // Each branch in its own scope: a `let` in one is not seen by another.
      for (const ast::StmtPtr& branch : stmt.body) {
        Scope body{&scope, nullptr, scope.inFn, {}};
        body.inBranch = true;
        checkBlock(branch->body, body);
      }
      return;
    }
    case ast::StmtKind::Branch: {  // only inside Parallel (the grammar's)
      Scope body{&scope, nullptr, scope.inFn, {}};
      checkBlock(stmt.body, body);
      return;
    }
    case ast::StmtKind::Eventually: {
      if (stmt.timeout) {
        Info t = analyze(*stmt.timeout, scope);
        if (!t.error && t.type != Type::Unknown && t.type != Type::Duration &&
            t.type != Type::Int && t.type != Type::Float)
          emit(stmt.timeout->range, Kind::ArgType, "timeout", "eventually",
               "a duration", typeName(t.type));
        else if (t.value &&
                 (t.value->kind() == ValueKind::Duration
                      ? t.value->asDurationMs() <= 0
                      : t.value->isNumber() && t.value->asNumber() <= 0))
          emit(stmt.timeout->range, Kind::BadDuration, t.value->repr());
      }
      Scope body{&scope, nullptr, scope.inFn, {}};
      checkBlock(stmt.body, body);
      return;
    }
    case ast::StmtKind::Return: {
      bool inFn = false, inBranch = false;
      for (Scope* s = &scope; s; s = s->parent) {
        inFn |= s->inFn;
        inBranch |= s->inBranch;
      }
      if (!inFn)
        emit(stmt.range, Kind::ReturnOutsideFn);
      else if (inBranch)
        emit(stmt.range, Kind::ReturnInBranch);
      if (stmt.expr) analyze(*stmt.expr, scope);
      return;
    }
  }
}

void Checker::checkFn(Symbol& fn) {
  Scope file;
  file.unit = fn.unit;
  Scope params{&file, nullptr, true, {}};
  for (const ast::FnParam& p : fn.fn->params) {
    if (p.defaultValue) analyze(*p.defaultValue, file);
    Binding b;
    b.kind = RefKind::Param;
    b.param = &p;
    auto [it, inserted] = params.names.try_emplace(p.name, b);
    if (!inserted)
      emit(p.range, Kind::DuplicateParam, p.name)
          .note(it->second.param->range, "first declared here");
  }
  Scope body{&params, nullptr, true, {}};
  checkBlock(fn.fn->body, body);
}

void Checker::checkTest(const ast::Test& test, const SourceUnit& unit) {
  Scope file;
  file.unit = &unit;
  Scope body{&file, nullptr, false, {}};
  checkBlock(test.body, body);
}

}  // namespace rig::sema
