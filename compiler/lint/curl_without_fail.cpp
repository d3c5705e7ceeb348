// curl-without-fail (L0009): `curl` in `succeed` (or `wait_until_succeeds`)
// without `--fail`. curl exits 0 on a 404 or a 500, so the step passes on
// the error page. Not reported when the command looks at the status itself
// (`-w '%{http_code}'`, `-i`, `-I`) or handles the failure (`curl ... || x`),
// nor for a curl without an http:// or https:// URL (`file://`, `ftp://`,
// `telnet://`: --fail is about HTTP status codes).
#include "compiler/lint/context.h"
#include "compiler/lint/shell_text.h"

namespace rig::lint {

void checkCurlWithoutFail(Context& ctx) {
  llvm::DenseSet<const ast::Expr*> seen;  // a fn's body is walked per call
  ctx.forEachMachineCall([&](const MachineCall& call) {
    if (call.method != "succeed" && call.method != "wait_until_succeeds")
      return;
    for (const ast::Arg& arg : call.call->args) {
      if (!arg.name.empty() || !arg.value) continue;
      if (!seen.insert(arg.value.get()).second) continue;
      Const command = ctx.eval(*arg.value, call.scope);
      if (!command.isString()) continue;
      for (const CurlCommand& curl : findCurlCommands(command.text)) {
        if (!curl.http || curl.fails || curl.inspectsStatus ||
            curl.failureHandled)
          continue;
        ctx.emit(command.rangeOf(curl.begin, curl.length, arg.value->range),
                 diag::Kind::CurlWithoutFail)
            .withHelp(
                "write `curl --fail ...` so that an HTTP error fails "
                "the step, or use `m.http(...)` and check `.status`");
      }
    }
  });
}

}  // namespace rig::lint
