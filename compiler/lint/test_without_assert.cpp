// test-without-assert (L0011): a test that checks nothing: no `expect`, no
// `succeed`/`fail`, no wait, no `fail(...)`, also not in the functions it
// calls. Such a test passes whatever the machines do.
#include "compiler/lint/context.h"
#include "compiler/lint/walk.h"
#include "llvm/ADT/DenseMap.h"
#include "runtime/plan/signatures.h"

namespace rig::lint {

namespace {

bool isBuiltin(llvm::StringRef name) {
  return plan::findBuiltin(name) != nullptr;
}

bool isCheckingOperation(llvm::StringRef op) {
  return op == "succeed" || op == "fail" || op == "require_unit_state" ||
         op.startswith("wait_for_") || op.startswith("wait_until_");
}

class Asserts {
 public:
  explicit Asserts(Context& ctx) : ctx_(ctx) {
    for (const ast::Import& i : ctx.suite().imports)
      if (!i.alias.empty()) aliases_.insert(i.alias);
  }

  bool body(const std::vector<ast::StmtPtr>& stmts) {
    bool found = false;
    forEachStmt(stmts, [&](const ast::Stmt& s) {
      if (s.kind == ast::StmtKind::Expect) found = true;
    });
    if (found) return true;
    forEachExpr(stmts, [&](const ast::Expr& e) {
      if (!found && e.kind == ast::ExprKind::Call) found = call(e);
    });
    return found;
  }

 private:
  bool call(const ast::Expr& e) {
    if (const ast::Expr* receiver = methodReceiver(e)) {
      // `common.check(...)`: a function of an import; assume it checks.
      if (receiver->kind == ast::ExprKind::Ident &&
          aliases_.count(receiver->name))
        return true;
      return isCheckingOperation(methodName(e));
    }
    llvm::StringRef name = calleeName(e);
    if (name.empty()) return false;
    if (name == "fail") return true;
    const ast::Fn* fn = ctx_.fn(name);
    if (!fn) return !isBuiltin(name);  // from an import: assume it checks
    auto [it, inserted] = memo_.try_emplace(fn, false);
    if (!inserted) return it->second;  // done, or in progress (recursion)
    bool result = body(fn->body);
    memo_[fn] = result;
    return result;
  }

  Context& ctx_;
  llvm::StringSet<> aliases_;
  llvm::DenseMap<const ast::Fn*, bool> memo_;
};

}  // namespace

void checkTestWithoutAssert(Context& ctx) {
  Asserts asserts(ctx);
  for (const ast::Test& t : ctx.suite().tests) {
    if (asserts.body(t.body)) continue;
    ctx.emit(t.nameRange, diag::Kind::TestWithoutAssert, t.name)
        .withHelp(
            "a test passes when nothing in it fails: add an `expect`, "
            "or run commands with `m.succeed(...)` or a wait such as "
            "`m.wait_for_unit(...)`");
  }
}

}  // namespace rig::lint
