// resolveCalls: every builtin call and machine operation of a plan points at
// its signature, so the interpreter dispatches without looking names up and
// a plan whose arguments do not fit the table is refused when it is loaded.
#include <set>

#include "fmt/format.h"
#include "runtime/plan/plan.h"
#include "runtime/plan/signatures.h"

namespace rig::plan {
namespace {

class Resolver {
 public:
  explicit Resolver(const Plan& plan) {
    for (const Function& fn : plan.functions) functions_.insert(fn.name);
  }

  llvm::Error block(std::vector<Stmt>& body, const std::string& path) {
    for (size_t i = 0; i < body.size(); ++i)
      if (llvm::Error e = stmt(body[i], fmt::format("{}[{}]", path, i)))
        return e;
    return llvm::Error::success();
  }

  llvm::Error expr(Expr& e, const std::string& path) {
    for (size_t i = 0; i < e.args.size(); ++i)
      if (llvm::Error err =
              expr(e.args[i], fmt::format("{}.args[{}]", path, i)))
        return err;
    for (size_t i = 0; i < e.named.size(); ++i)
      for (Expr& value : e.named[i].value)
        if (llvm::Error err =
                expr(value, fmt::format("{}.named[{}].value", path, i)))
          return err;
    if (e.kind == ExprKind::Call && !functions_.count(e.name)) {
      e.callee = findBuiltin(e.name);
      if (!e.callee) return fail(path, "unknown function `" + e.name + "`");
      return arguments(e, 0, path);
    }
    if (e.kind == ExprKind::Method) {
      e.callee = findOperation(e.name);
      if (!e.callee)
        return fail(path, "unknown machine operation `" + e.name + "`");
      if (e.args.empty())
        return fail(path, "a machine operation needs args[0]");
      return arguments(e, 1, path);
    }
    return llvm::Error::success();
  }

 private:
  llvm::Error stmt(Stmt& s, const std::string& path) {
    if (s.expr)
      if (llvm::Error e = expr(*s.expr, path + ".expr")) return e;
    if (s.message)
      if (llvm::Error e = expr(*s.message, path + ".message")) return e;
    if (s.timeout)
      if (llvm::Error e = expr(*s.timeout, path + ".timeout")) return e;
    if (llvm::Error e = block(s.body, path + ".body")) return e;
    return block(s.elseBody, path + ".else");
  }

  // args[first..] must be one per parameter (absent only where optional),
  // then, for a variadic callee, more of the first parameter.
  llvm::Error arguments(const Expr& e, size_t first, const std::string& path) {
    const Signature& sig = *e.callee;
    if (!e.named.empty())
      return fail(path, fmt::format("`{}` takes its arguments by position "
                                    "(lowering resolves names)",
                                    sig.name));
    size_t given = e.args.size() - first;
    if (given < sig.params.size() ||
        (given > sig.params.size() && !sig.variadic))
      return fail(path, fmt::format("`{}` needs {} argument{}, one per "
                                    "parameter; the plan gives {}",
                                    sig.name, sig.params.size(),
                                    sig.params.size() == 1 ? "" : "s", given));
    for (size_t i = 0; i < given; ++i) {
      bool absent = e.args[first + i].kind == ExprKind::Absent;
      bool optional = i < sig.params.size() && !sig.params[i].required();
      if (absent && !optional)
        return fail(path, fmt::format("`{}`: argument {} cannot be absent",
                                      sig.name, i + 1));
    }
    return llvm::Error::success();
  }

  static llvm::Error fail(const std::string& path, const std::string& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   path.c_str(), message.c_str());
  }

  std::set<std::string> functions_;
};

}  // namespace

llvm::Error resolveCalls(Plan& plan) {
  Resolver r(plan);
  for (size_t i = 0; i < plan.globals.size(); ++i)
    if (llvm::Error e = r.expr(plan.globals[i].value,
                               fmt::format("plan.globals[{}].value", i)))
      return e;
  for (size_t i = 0; i < plan.functions.size(); ++i) {
    Function& fn = plan.functions[i];
    std::string path = fmt::format("plan.functions[{}]", i);
    for (size_t j = 0; j < fn.params.size(); ++j)
      if (fn.params[j].defaultValue)
        if (llvm::Error e =
                r.expr(*fn.params[j].defaultValue,
                       fmt::format("{}.params[{}].default", path, j)))
          return e;
    if (llvm::Error e = r.block(fn.body, path + ".body")) return e;
  }
  for (size_t i = 0; i < plan.tests.size(); ++i)
    if (llvm::Error e =
            r.block(plan.tests[i].body, fmt::format("plan.tests[{}].body", i)))
      return e;
  return llvm::Error::success();
}

llvm::Error resolveCalls(const Plan& plan, std::vector<Stmt>& body) {
  return Resolver(plan).block(body, "input");
}

}  // namespace rig::plan
