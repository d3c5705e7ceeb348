// hardcoded-address (L0010): a `192.168.` address written in a string. The
// addresses follow from the alphabetical order of the nodes, so adding a
// node moves them; every node is reachable by its name.
#include "compiler/lint/context.h"
#include "compiler/lint/shell_text.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

void checkHardcodedAddress(Context& ctx) {
  forEachExprInFile(ctx.suite(), [&](const ast::Expr& e) {
    if (e.kind != ast::ExprKind::String) return;
    for (const ast::StringPart& part : e.parts) {
      if (part.expr) continue;
      bool exact = part.range.valid() &&
                   ctx.sources().slice(part.range) == part.text;
      for (const PrivateAddress& a : findPrivateAddresses(part.text)) {
        SourceRange range = exact ? SourceRange{part.range.file,
                                                part.range.begin + a.begin,
                                                part.range.begin + a.begin +
                                                    a.length}
                                  : part.range;
        std::string text = part.text.substr(a.begin, a.length);
        diag::Diagnostic& d =
            ctx.emit(range, diag::Kind::HardcodedAddress, text);
        const NodeFacts* node =
            a.vlan >= 0 ? ctx.nodeAt(a.vlan, a.host) : nullptr;
        if (node)
          d.withHelp(fmt::format("write the node name `{}` instead: {} is its "
                                 "address today, but adding a node can "
                                 "change it",
                                 node->name, text));
        else
          d.withHelp("use the node's name: every node reaches every other "
                     "node on a shared vlan by its name");
      }
    }
  });
}

}  // namespace rig::lint
