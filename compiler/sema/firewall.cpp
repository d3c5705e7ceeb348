// The `firewall` block (docs/language.md, "Firewall"): ports and port
// ranges, IP protocols, rules per interface, reject, logging and raw
// nftables lines. Lists from modules and the node concatenate; `enable`,
// `reject` and `log_refused` are scalars.
#include <fmt/format.h>

#include "compiler/sema/node.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::sema {

using diag::Kind;

namespace {

// IP protocols by the names of /etc/protocols (netbase), which nft knows
// too; the rules use the numbers, so the guest's /etc/protocols does not
// matter.
struct ProtocolName {
  const char* name;
  int64_t number;
};
const ProtocolName kProtocols[] = {
    {"icmp", 1},   {"igmp", 2},       {"ipencap", 4}, {"tcp", 6},
    {"udp", 17},   {"ipv6", 41},      {"gre", 47},    {"esp", 50},
    {"ah", 51},    {"ipv6-icmp", 58}, {"ospf", 89},   {"pim", 103},
    {"vrrp", 112}, {"l2tp", 115},     {"sctp", 132},  {"udplite", 136},
};

// The attributes of `interface "ethN"` (node_items.def has the firewall's).
const char* const kInterfaceAttrs[] = {"allow_tcp", "allow_udp",
                                       "allow_tcp_ranges", "allow_udp_ranges",
                                       "allow_protocols"};

}  // namespace

void NodeBuilder::applyFirewall(const ast::Item& item, ItemContext& ctx) {
  if (item.label) c_.emit(item.label->range, Kind::UnexpectedLabel, "firewall");
  applyFirewallRules(item.body, "", ctx);
}

// The firewall block's items (`iface` "") or an `interface "ethN"` block's.
void NodeBuilder::applyFirewallRules(const std::vector<ast::Item>& body,
                                     const std::string& iface,
                                     ItemContext& ctx) {
  bool top = iface.empty();
  std::string where =
      top ? "`firewall`" : fmt::format("`interface \"{}\"`", iface);
  std::map<std::string, SourceRange> seen;
  for (const ast::Item& attr : body) {
    if (top && attr.kind == ast::ItemKind::Block && attr.name == "interface") {
      if (!attr.label) {
        c_.emit(attr.nameRange, Kind::MissingLabel, "interface");
        continue;
      }
      auto name = string(*attr.label, "interface name", ctx);
      if (!name) continue;
      llvm::StringRef n(*name);
      unsigned index = 0;
      if (!n.consume_front("eth") || n.empty() || n.getAsInteger(10, index) ||
          index > 253) {
        c_.emit(attr.label->range, Kind::BadInterface, *name, cfg_.name)
            .withHelp(
                "a node's interfaces are eth0, eth1, ... in the order "
                "of its `vlans`");
        continue;
      }
      interfaces_.push_back({*name, index, attr.label->range});
      applyFirewallRules(attr.body, *name, ctx);
      continue;
    }
    if (attr.kind != ast::ItemKind::Attr || !attr.value) {
      auto& d = c_.emit(attr.nameRange, Kind::UnknownBlock, attr.name, where);
      if (top)
        d.withHelp("the firewall's one block is `interface \"ethN\" { ... }`");
      continue;
    }
    if (attr.drop) {
      recordDrop(attr, "firewall." + attr.name, iface, ctx);
      continue;
    }
    auto [it, inserted] = seen.emplace(attr.name, attr.nameRange);
    if (!inserted) {
      c_.emit(attr.nameRange, Kind::DuplicateAttribute, attr.name)
          .note(it->second, "first set here");
      continue;
    }
    const std::string& name = attr.name;
    const ast::Expr& e = *attr.value;
    if (name == "allow_tcp" || name == "allow_udp") {
      auto v = integers(e, name, ctx);
      if (!v) continue;
      auto& ports = name == "allow_tcp" ? cfg_.allowTcp : cfg_.allowUdp;
      for (int64_t port : *v) {
        if (port < 1 || port > 65535) {
          c_.emit(e.range, Kind::BadPort, port);
          continue;
        }
        ports.push_back({port, ctx.origin(attr.range), port, iface});
      }
    } else if (name == "allow_tcp_ranges" || name == "allow_udp_ranges") {
      auto v = value(e, name, ctx);
      if (!v) continue;
      auto& ports = name == "allow_tcp_ranges" ? cfg_.allowTcp : cfg_.allowUdp;
      bool ok = v->kind() == ValueKind::List;
      if (ok)
        for (const Value& r : v->asList()) {
          const Value* from =
              r.kind() == ValueKind::Object ? r.field("from") : nullptr;
          const Value* to =
              r.kind() == ValueKind::Object ? r.field("to") : nullptr;
          if (!from || !to || from->kind() != ValueKind::Int ||
              to->kind() != ValueKind::Int || r.asObject().size() != 2) {
            ok = false;
            break;
          }
          for (int64_t port : {from->asInt(), to->asInt()})
            if (port < 1 || port > 65535) c_.emit(e.range, Kind::BadPort, port);
          if (from->asInt() < 1 || to->asInt() > 65535) continue;
          if (from->asInt() > to->asInt()) {
            c_.emit(e.range, Kind::BadPortRange, from->asInt(), to->asInt());
            continue;
          }
          ports.push_back(
              {from->asInt(), ctx.origin(attr.range), to->asInt(), iface});
        }
      if (!ok) typeError(e, name, "a list of `{from: PORT, to: PORT}`", *v);
    } else if (name == "allow_protocols") {
      auto v = strings(e, name, ctx);
      if (!v) continue;
      for (const std::string& p : *v) {
        const ProtocolName* found = nullptr;
        for (const ProtocolName& known : kProtocols)
          if (p == known.name) found = &known;
        if (!found) {
          std::vector<std::string> names;
          for (const ProtocolName& known : kProtocols)
            names.push_back(known.name);
          auto& d = c_.emit(e.range, Kind::UnknownProtocol, p);
          if (std::string best = suggest(p, names); !best.empty())
            d.withHelp(fmt::format("did you mean `{}`?", best));
          else
            d.withHelp("known: " + llvm::join(names, ", "));
          continue;
        }
        cfg_.allowProtocols.push_back(
            {found->name, found->number, iface, ctx.origin(attr.range)});
      }
    } else if (top && (name == "enable" || name == "reject" ||
                       name == "log_refused")) {
      if (auto v = boolean(e, name, ctx))
        setScalar("firewall." + name, Value::boolean(*v), attr, ctx);
    } else if (top && name == "extra_rules") {
      if (auto v = string(e, name, ctx)) cfg_.firewallExtraRules.push_back(*v);
    } else {
      auto& d = c_.emit(attr.nameRange, Kind::UnknownAttribute, name, where);
      std::vector<std::string> names;
      if (top)
        names = nodeAttributeNames("firewall");
      else
        names.assign(std::begin(kInterfaceAttrs), std::end(kInterfaceAttrs));
      std::string best = suggest(name, names);
      if (!best.empty())
        d.withHelp(fmt::format("did you mean `{}`?", best));
      else if (!top)
        d.withHelp(
            fmt::format("`{}` applies to every interface: set it in "
                        "`firewall` itself",
                        name));
    }
  }
}

// After every item: each `interface "ethN"` names one of the node's vlans.
void NodeBuilder::checkInterfaces() {
  std::vector<std::string> names;
  for (size_t i = 0; i < cfg_.vlans.size(); ++i)
    names.push_back(fmt::format("eth{} (vlan {})", i, cfg_.vlans[i]));
  for (const auto& i : interfaces_)
    if (i.index >= cfg_.vlans.size())
      c_.emit(i.range, Kind::NoSuchInterface, i.name, cfg_.name,
              llvm::join(names, ", "));
}

}  // namespace rig::sema
