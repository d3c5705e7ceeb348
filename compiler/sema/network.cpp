// Addresses as values (docs/language.md, "Networking"): the `addresses` and
// `nameservers` attributes, `server.address`, `server.address(vlan = 2)`,
// `server.address6`, `vlan(2).subnet`, and every node's final addresses.
//
// A node's address on a vlan is rig's default (192.168.VLAN.N and
// fd00:VLAN::N, N its position among the nodes by name) unless its
// `addresses` replace it. Other nodes' addresses are known at compile time:
// before a node body that mentions `server.address` is checked, server's
// `vlans` and `addresses` (with its modules') are evaluated on their own,
// quietly, so two nodes may name each other's addresses.
#include <arpa/inet.h>

#include <algorithm>

#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/node.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::sema {

using diag::Kind;

namespace {

// "ADDRESS" or "ADDRESS/PREFIX", either family; the address normalized.
bool parseAddress(llvm::StringRef text, AddressEntry& out) {
  auto [addr, prefix] = text.split('/');
  std::string a = addr.str();
  unsigned char bytes[16];
  char shown[INET6_ADDRSTRLEN];
  if (::inet_pton(AF_INET, a.c_str(), bytes) == 1) {
    out.v6 = false;
    ::inet_ntop(AF_INET, bytes, shown, sizeof shown);
  } else if (::inet_pton(AF_INET6, a.c_str(), bytes) == 1) {
    out.v6 = true;
    ::inet_ntop(AF_INET6, bytes, shown, sizeof shown);
  } else {
    return false;
  }
  out.address = shown;
  int64_t max = out.v6 ? 128 : 32;
  out.prefixLength = out.v6 ? 64 : 24;
  if (text.contains('/')) {
    unsigned long long p = 0;
    if (prefix.empty() || llvm::getAsUnsignedInteger(prefix, 10, p) ||
        int64_t(p) > max || p == 0)
      return false;
    out.prefixLength = int64_t(p);
  }
  return true;
}

// The vlan whose subnet (192.168.V.0/24, fd00:V::/64) holds `e`, or 0.
int64_t vlanOf(const AddressEntry& e) {
  unsigned char b[16];
  if (!e.v6) {
    if (::inet_pton(AF_INET, e.address.c_str(), b) != 1) return 0;
    if (b[0] != 192 || b[1] != 168 || b[2] < 1 || b[2] > 254) return 0;
    return b[2];
  }
  if (::inet_pton(AF_INET6, e.address.c_str(), b) != 1) return 0;
  if (b[0] != 0xfd || b[1] != 0 || b[4] || b[5] || b[6] || b[7]) return 0;
  // The group is the vlan's decimal digits read as hex: fd00:12::/64 is
  // vlan 12.
  std::string group = fmt::format("{:x}", (b[2] << 8) | b[3]);
  unsigned long long v = 0;
  if (group.find_first_not_of("0123456789") != std::string::npos ||
      llvm::getAsUnsignedInteger(group, 10, v) || v < 1 || v > 254)
    return 0;
  return int64_t(v);
}

std::string vlanSubnets(const std::vector<int64_t>& vlans) {
  std::vector<std::string> out;
  for (int64_t v : vlans) {
    out.push_back(fmt::format("192.168.{}.0/24", v));
    out.push_back(fmt::format("fd00:{}::/64", v));
  }
  return llvm::join(out, ", ");
}

}  // namespace

std::vector<Attachment> nodeAttachments(const NodeConfig& cfg,
                                        int64_t position) {
  std::vector<Attachment> out;
  for (int64_t vlan : cfg.vlans) {
    Attachment a;
    a.vlan = vlan;
    a.address = fmt::format("192.168.{}.{}", vlan, position);
    a.address6 = fmt::format("fd00:{}::{}", vlan, position);
    bool fixed4 = false, fixed6 = false;
    for (const AddressEntry& e : cfg.addresses) {
      if (e.vlan != vlan) continue;
      bool& fixed = e.v6 ? fixed6 : fixed4;
      if (!fixed) {
        fixed = true;
        (e.v6 ? a.address6 : a.address) = e.address;
        (e.v6 ? a.prefixLength6 : a.prefixLength) = e.prefixLength;
      } else {
        a.extra.push_back(fmt::format("{}/{}", e.address, e.prefixLength));
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

// ---- Attributes --------------------------------------------------------------------

void NodeBuilder::applyAddresses(const ast::Expr& e, ItemContext& ctx) {
  auto v = strings(e, "addresses", ctx);
  if (!v) return;
  for (const std::string& text : *v) {
    AddressEntry entry;
    if (!parseAddress(text, entry)) {
      c_.emit(e.range, Kind::BadAddress, text);
      return;
    }
    entry.origin = ctx.origin(e.range);
    bool dup = std::any_of(
        cfg_.addresses.begin(), cfg_.addresses.end(),
        [&](const AddressEntry& o) { return o.address == entry.address; });
    if (!dup) cfg_.addresses.push_back(std::move(entry));
  }
}

void NodeBuilder::applyNameservers(const ast::Expr& e, ItemContext& ctx) {
  auto v = strings(e, "nameservers", ctx);
  if (!v) return;
  for (const std::string& text : *v) {
    AddressEntry entry;
    if (text.find('/') != std::string::npos || !parseAddress(text, entry)) {
      c_.emit(e.range, Kind::BadAddress, text)
          .withHelp("a nameserver is an IP address without a prefix");
      return;
    }
    if (std::find(cfg_.nameservers.begin(), cfg_.nameservers.end(),
                  entry.address) == cfg_.nameservers.end())
      cfg_.nameservers.push_back(entry.address);
  }
}

// Every address in the subnet of one of the node's vlans.
void NodeBuilder::resolveAddresses() {
  for (AddressEntry& e : cfg_.addresses) {
    int64_t vlan = vlanOf(e);
    if (std::find(cfg_.vlans.begin(), cfg_.vlans.end(), vlan) ==
        cfg_.vlans.end()) {
      c_.emit(e.origin.range, Kind::AddressOutsideVlans, e.address, cfg_.name,
              vlanSubnets(cfg_.vlans));
      continue;
    }
    e.vlan = vlan;
  }
}

// ---- Other nodes' addresses --------------------------------------------------------

int64_t Checker::nodePosition(llvm::StringRef name) {
  std::vector<std::string> names;
  for (const auto& s : program_.symbols)
    if (s->kind == SymbolKind::Node && s->unit && s->unit->isSuite)
      names.push_back(s->name);
  std::sort(names.begin(), names.end());
  auto it = std::find(names.begin(), names.end(), name.str());
  return it == names.end() ? 0 : int64_t(it - names.begin()) + 1;
}

const NodeConfig* Checker::nodeNetwork(const Symbol& node, SourceRange at) {
  int& state = networkState_[&node];
  if (state == 2) return &networks_[&node];
  if (state == 1) {
    emit(at, Kind::AddressCycle, node.name);
    // Every node on the cycle has unknown addresses: no follow-on errors.
    for (const auto& [sym, s] : networkState_)
      if (s == 1) cyclic_.insert(sym->name);
    return nullptr;
  }
  state = 1;
  bool saved = recording_;
  recording_ = false;
  NodeConfig cfg = buildNode(node, true);
  recording_ = saved;
  cfg.position = nodePosition(node.name);
  cfg.attachments = nodeAttachments(cfg, cfg.position);
  networks_[&node] = std::move(cfg);
  networkState_[&node] = 2;
  return &networks_[&node];
}

static Info knownString(std::string s) {
  Info info;
  info.type = Type::String;
  info.value = Value::string(std::move(s));
  return info;
}

static Info failedInfo() {
  Info info;
  info.error = true;
  return info;
}

// `m.address`, `m.address6`, `m.address(vlan = V)`: `m` must name a node.
Info Checker::machineAddress(const Info& machine, llvm::StringRef member,
                             std::optional<int64_t> vlan, SourceRange at) {
  if ((!machine.value || machine.value->kind() != ValueKind::Machine) &&
      !vlan) {
    // `m.address` of a machine known at run time only (a fn's parameter):
    // the interpreter reads it from the plan.
    Info info;
    info.type = Type::String;
    return info;
  }
  if (!machine.value || machine.value->kind() != ValueKind::Machine) {
    emit(at, Kind::AddressNeedsNode, member.str())
        .withHelp(
            "name the node (`server.address(vlan = 2)`), or pass the "
            "address instead of the machine; `m.address` (its first "
            "vlan) works on any machine");
    return failedInfo();
  }
  const std::string& name = machine.value->asString();
  const Symbol* sym = nullptr;
  for (const auto& s : program_.symbols)
    if (s->kind == SymbolKind::Node && s->name == name) sym = s.get();
  if (!sym) return failedInfo();
  const NodeConfig* net = nodeNetwork(*sym, at);
  if (!net) return failedInfo();
  if (member == "name") return knownString(name);
  bool v6 = member == "address6";
  for (const Attachment& a : net->attachments)
    if (!vlan || a.vlan == *vlan)
      return knownString(v6 ? a.address6 : a.address);
  std::vector<std::string> vlans;
  for (const Attachment& a : net->attachments)
    vlans.push_back(std::to_string(a.vlan));
  emit(at, Kind::NotOnVlan, name, *vlan, llvm::join(vlans, ", "));
  return failedInfo();
}

// `address(vlan = V)` / `address6(vlan = V)` on a machine.
Info Checker::analyzeAddressCall(const ast::Expr& e, const Info& receiver,
                                 const std::string& member, Scope& scope) {
  static const ParamSig kParams[] = {{"vlan", plan::kInt, plan::kRequired}};
  Signature sig;
  sig.name = member.c_str();
  sig.params = kParams;
  Call c;
  Info args = checkArgs(e, sig, member, scope, 0, &c);
  if (args.error || receiver.error) return failedInfo();
  Info vlan = analyze(*c.args[0], scope);
  if (!vlan.value || vlan.value->kind() != ValueKind::Int) {
    emit(c.args[0]->range, Kind::NotConstant,
         fmt::format("the vlan of `{}`", member));
    return failedInfo();
  }
  return machineAddress(receiver, member, vlan.value->asInt(), e.range);
}

// `vlan(V)`: the vlan's subnets, an object known at compile time.
Info Checker::analyzeVlanCall(const ast::Expr& e, Scope& scope) {
  static const ParamSig kParams[] = {{"vlan", plan::kInt, plan::kRequired}};
  Signature sig;
  sig.name = "vlan";
  sig.params = kParams;
  Call c;
  Info args = checkArgs(e, sig, "vlan", scope, 0, &c);
  if (args.error) return failedInfo();
  Info v = analyze(*c.args[0], scope);
  if (!v.value || v.value->kind() != ValueKind::Int) {
    emit(c.args[0]->range, Kind::NotConstant, "the argument of `vlan`");
    return failedInfo();
  }
  int64_t n = v.value->asInt();
  if (n < 1 || n > 254) {
    emit(c.args[0]->range, Kind::BadVlan, n);
    return failedInfo();
  }
  Info info;
  info.type = Type::Object;
  info.value = Value::object({
      {"id", Value::integer(n)},
      {"subnet", Value::string(fmt::format("192.168.{}.0/24", n))},
      {"network", Value::string(fmt::format("192.168.{}.0", n))},
      {"netmask", Value::string("255.255.255.0")},
      {"prefix_length", Value::integer(24)},
      {"subnet6", Value::string(fmt::format("fd00:{}::/64", n))},
      {"network6", Value::string(fmt::format("fd00:{}::", n))},
      {"prefix_length6", Value::integer(64)},
  });
  return info;
}

// After every node: final addresses, and no address used twice on a vlan.
void Checker::finishNetworks() {
  std::map<std::pair<int64_t, std::string>, const NodeConfig*> taken;
  for (NodeConfig& n : program_.nodes) {
    n.position = nodePosition(n.name);
    n.attachments = nodeAttachments(n, n.position);
    if (cyclic_.count(n.name)) continue;
    for (const Attachment& a : n.attachments) {
      std::vector<std::string> mine = {a.address, a.address6};
      for (const std::string& x : a.extra)
        mine.push_back(llvm::StringRef(x).split('/').first.str());
      for (const std::string& addr : mine) {
        auto [it, inserted] = taken.emplace(std::make_pair(a.vlan, addr), &n);
        if (inserted || it->second == &n) continue;
        SourceRange at = n.symbol ? n.symbol->nameRange : n.range;
        for (const AddressEntry& e : n.addresses)
          if (e.address == addr) at = e.origin.range;
        emit(at, Kind::AddressTaken, addr, n.name, a.vlan, it->second->name)
            .withHelp("give one of them another address with `addresses`");
      }
    }
  }
}

}  // namespace rig::sema
