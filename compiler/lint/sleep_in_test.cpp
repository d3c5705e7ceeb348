// sleep-in-test (L0005): `sleep(d)` in a test or a function. A fixed sleep is
// too long on a fast machine and too short on a slow one (TCG is ~10x slower
// than KVM); wait for the condition instead.
#include "compiler/lint/context.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

static void check(Context& ctx, const std::vector<ast::StmtPtr>& body) {
  forEachExpr(body, [&](const ast::Expr& e) {
    if (calleeName(e) != "sleep") return;
    ctx.emit(e.range, diag::Kind::SleepInTest)
        .withHelp(
            "wait for what you need instead: `m.wait_for_unit(...)`, "
            "`m.wait_for_open_port(...)`, `m.wait_until_succeeds(...)` "
            "or an `eventually { ... }` block");
  });
}

void checkSleepInTest(Context& ctx) {
  // A local `fn sleep` would be the user's own; it is rare enough to ignore.
  if (ctx.fn("sleep")) return;
  for (const ast::Fn& fn : ctx.suite().fns) check(ctx, fn.body);
  for (const ast::Test& t : ctx.suite().tests) check(ctx, t.body);
}

}  // namespace rig::lint
