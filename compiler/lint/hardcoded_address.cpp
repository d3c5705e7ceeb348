// hardcoded-address (L0010): a node's `192.168.` address written in a
// string. The addresses follow from the alphabetical order of the nodes, so
// adding a node moves them; every node is reachable by its name.
//
// Only an address that a node of this suite has on one of its vlans is
// reported: another 192.168 address (a virtual IP a service manages, a
// network outside the suite) and a subnet (`192.168.1.0/24`, an interface
// address with its prefix) are what the test means to write.
#include "compiler/lint/context.h"
#include "compiler/lint/shell_text.h"
#include "compiler/lint/walk.h"

namespace rig::lint {

namespace {

// The source range of the address `a` of a literal part. A """ string's
// text is dedented, so its offsets are not the source's: the address is
// found in the source by counting equal addresses before it.
SourceRange addressRange(Context& ctx, const ast::StringPart& part,
                         const PrivateAddress& a) {
  if (!part.range.valid()) return part.range;
  llvm::StringRef source = ctx.sources().slice(part.range);
  llvm::StringRef text = part.text;
  llvm::StringRef address = text.substr(a.begin, a.length);
  if (source == text)
    return {part.range.file, part.range.begin + a.begin,
            part.range.begin + a.begin + a.length};
  size_t before = 0;
  for (size_t at = text.find(address); at < a.begin;
       at = text.find(address, at + 1))
    ++before;
  size_t at = source.find(address);
  while (at != llvm::StringRef::npos && before-- > 0)
    at = source.find(address, at + 1);
  if (at == llvm::StringRef::npos) return part.range;
  return {part.range.file, part.range.begin + static_cast<uint32_t>(at),
          part.range.begin + static_cast<uint32_t>(at + a.length)};
}

bool isSubnet(llvm::StringRef text, const PrivateAddress& a) {
  size_t end = a.begin + a.length;
  return end + 1 < text.size() && text[end] == '/' &&
         llvm::isDigit(text[end + 1]);
}

// What `from` reaches `target`'s address on `vlan` by: its name, when
// /etc/hosts on `from` maps the name to that address (the first vlan of
// `target`'s that they share, docs/language.md "Networking").
std::string nameHelp(const NodeFacts& target, int64_t vlan,
                     const NodeFacts* from, llvm::StringRef text) {
  if (from == nullptr)
    return fmt::format(
        "write the node name `{}` (or `${{{}.address}}`) "
        "instead: {} is its address today, but adding a node "
        "can change it",
        target.name, target.name, text);
  for (int64_t v : target.vlans) {
    bool shared = std::find(from->vlans.begin(), from->vlans.end(), v) !=
                  from->vlans.end();
    if (!shared) continue;
    if (v == vlan)
      return fmt::format(
          "write the node name `{}` instead: from `{}` it "
          "resolves to {}, which adding a node can change",
          target.name, from->name, text);
    return fmt::format(
        "{} is `{}`'s address on vlan {}; from `{}` its name "
        "resolves to its vlan {} address: write "
        "`${{{}.address(vlan = {})}}` or `{}-vlan{}` instead",
        text, target.name, vlan, from->name, v, target.name, vlan, target.name,
        vlan);
  }
  return fmt::format(
      "{} is `{}`'s address on vlan {}, which `{}` is not on: "
      "it cannot reach it",
      text, target.name, vlan, from->name);
}

}  // namespace

void checkHardcodedAddress(Context& ctx) {
  // The node that runs each command string (a machine operation's argument).
  llvm::DenseMap<const ast::Expr*, std::string> runBy;
  ctx.forEachMachineCall([&](const MachineCall& call) {
    if (call.node.empty()) return;
    for (const ast::Arg& arg : call.call->args)
      if (arg.value)
        forEachExpr(*arg.value, [&](const ast::Expr& e) {
          if (e.kind == ast::ExprKind::String) runBy[&e] = call.node;
        });
  });
  forEachExprInFile(ctx.suite(), [&](const ast::Expr& e) {
    if (e.kind != ast::ExprKind::String) return;
    auto user = runBy.find(&e);
    const NodeFacts* from =
        user == runBy.end() ? nullptr : ctx.node(user->second);
    for (const ast::StringPart& part : e.parts) {
      if (part.expr) continue;
      for (const PrivateAddress& a : findPrivateAddresses(part.text)) {
        if (a.vlan < 0 || isSubnet(part.text, a)) continue;
        const NodeFacts* node = ctx.nodeAt(a.vlan, a.host);
        if (node == nullptr) continue;  // not a node's: a VIP, another net
        std::string text = part.text.substr(a.begin, a.length);
        ctx.emit(addressRange(ctx, part, a), diag::Kind::HardcodedAddress, text)
            .withHelp(nameHelp(*node, a.vlan, from, text));
      }
    }
  });
}

}  // namespace rig::lint
