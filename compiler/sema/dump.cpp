// Program dump for golden tests: one fact per line, in a stable order.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "compiler/sema/sema.h"
#include "llvm/Support/Path.h"

namespace rig::sema {

static std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + Value::string(items[i]).repr();
  return out + "]";
}

static std::string origin(const Origin& o) {
  return o.module.empty() ? "" : fmt::format("  (from {})", o.module);
}

static std::string pos(const Program& p, SourceRange r) {
  if (!r.valid()) return "?";
  LineCol lc = p.sources->begin(r);
  return fmt::format("{}:{}:{}",
                     llvm::sys::path::filename(p.sources->path(r.file)).str(),
                     lc.line, lc.col);
}

void dump(const Program& p, llvm::raw_ostream& os) {
  for (const auto& s : p.symbols) {
    if (s->kind != SymbolKind::Let) continue;
    os << "let " << s->qualifiedName << " = "
       << (s->constant ? s->constant->repr() : std::string("(run time)"))
       << "  uses=" << s->uses << "\n";
  }
  for (const auto& s : p.symbols)
    if (s->kind == SymbolKind::Fn || s->kind == SymbolKind::Import ||
        s->kind == SymbolKind::Module)
      os << (s->kind == SymbolKind::Fn       ? "fn "
             : s->kind == SymbolKind::Import ? "import "
                                             : "module ")
         << s->qualifiedName << "  uses=" << s->uses << "\n";
  for (const ast::Item* param : p.unusedParams)
    os << "unused param " << param->name << " at " << pos(p, param->nameRange)
       << "\n";
  if (p.timeoutMs)
    os << "meta timeout " << formatDuration(*p.timeoutMs) << "\n";
  if (!p.tags.empty()) os << "meta tags " << list(p.tags) << "\n";
  for (const NodeConfig& n : p.nodes) {
    os << "node " << n.name << "\n";
    os << "  memory " << formatSize(n.memoryBytes) << ", cpus " << n.cpus
       << ", vlans [";
    for (size_t i = 0; i < n.vlans.size(); ++i)
      os << (i ? ", " : "") << n.vlans[i];
    os << "]\n";
    for (const Attachment& a : n.attachments) {
      os << "  vlan " << a.vlan << " " << a.address << "/" << a.prefixLength
         << " " << a.address6 << "/" << a.prefixLength6;
      for (const std::string& x : a.extra) os << " +" << x;
      os << "\n";
    }
    if (!n.nameservers.empty())
      os << "  nameservers " << list(n.nameservers) << "\n";
    if (!n.path.empty()) os << "  path " << list(n.path) << "\n";
    if (!n.packages.empty()) os << "  packages " << list(n.packages) << "\n";
    if (!n.enable.empty()) os << "  enable " << list(n.enable) << "\n";
    if (!n.kernelParams.empty())
      os << "  kernel_params " << list(n.kernelParams) << "\n";
    for (const auto& [k, v] : n.sysctl)
      os << "  sysctl " << k << " = " << v << "\n";
    os << "  firewall " << (n.firewallEnable ? "on" : "off");
    auto shown = [](const char* proto, const Port& p) {
      std::string out = fmt::format(" {}/{}", proto, p.port);
      if (p.last > p.port) out += fmt::format("-{}", p.last);
      if (!p.iface.empty()) out += "@" + p.iface;
      return out;
    };
    for (const Port& port : n.allowTcp) os << shown("tcp", port);
    for (const Port& port : n.allowUdp) os << shown("udp", port);
    for (const Protocol& p : n.allowProtocols)
      os << " proto/" << p.name << (p.iface.empty() ? "" : "@" + p.iface);
    if (n.firewallReject) os << " reject";
    if (n.firewallLogRefused) os << " log_refused";
    if (!n.firewallExtraRules.empty())
      os << " extra_rules(" << n.firewallExtraRules.size() << ")";
    os << "\n";
    for (const ModuleUse& u : n.uses) {
      os << "  use " << u.module->qualifiedName;
      for (const auto& [k, v] : u.params) {
        std::string shown = v.repr();
        if (shown.size() > 50) shown = shown.substr(0, 47) + "...";
        os << " " << k << "=" << shown;
      }
      os << "\n";
    }
    for (const Service& s : n.services) {
      os << "  service " << s.name << origin(s.origin) << "\n";
      os << "    exec " << Value::string(s.exec).repr() << "\n";
      if (!s.type.empty()) os << "    type " << s.type << "\n";
      if (!s.user.empty()) os << "    user " << s.user << "\n";
      if (!s.after.empty()) os << "    after " << list(s.after) << "\n";
      if (!s.requiredUnits.empty())
        os << "    requires " << list(s.requiredUnits) << "\n";
      for (const auto& [k, v] : s.environment)
        os << "    environment " << k << "=" << Value::string(v).repr() << "\n";
      for (const std::string& e : s.extra) os << "    extra " << e << "\n";
    }
    for (const RawUnit& u : n.units)
      os << "  unit " << u.name << origin(u.origin) << " (" << u.content.size()
         << " bytes)\n";
    for (const FileEntry& f : n.files)
      os << "  file " << f.path << " mode " << f.mode << " " << f.owner << ":"
         << f.group << " (" << f.content.size() << " bytes"
         << (f.sourcePath.empty()
                 ? std::string()
                 : ", from " + llvm::sys::path::filename(f.sourcePath).str())
         << ")" << origin(f.origin) << "\n";
    for (const UserEntry& u : n.users)
      os << "  user " << u.name << (u.system ? " system" : "")
         << (u.uid ? fmt::format(" uid={}", *u.uid) : "")
         << (u.group.empty() ? "" : " group=" + u.group)
         << (u.createHome ? "" : " no-home") << origin(u.origin) << "\n";
    for (const GroupEntry& g : n.groups)
      os << "  group " << g.name
         << (g.gid ? fmt::format(" gid={}", *g.gid) : "") << origin(g.origin)
         << "\n";
    for (const DiskEntry& d : n.disks)
      os << "  disk " << d.path << " " << formatSize(d.sizeBytes) << " " << d.fs
         << origin(d.origin) << "\n";
    for (const MountEntry& m : n.mounts)
      os << "  mount " << m.path << " unit=" << m.unit << " what=" << m.what
         << " type=" << m.type << " options=" << list(m.options)
         << origin(m.origin) << "\n";
    for (const PrepareEntry& s : n.prepares)
      os << "  prepare " << s.name << " user=" << s.user
         << " mount_at=" << s.mountAt << " run=" << Value::string(s.run).repr()
         << (s.shared ? fmt::format(" shared packages=[{}]",
                                    fmt::join(s.packages, ","))
                      : "")
         << origin(s.origin) << "\n";
  }
  // Calls in source order.
  std::vector<std::pair<SourceRange, std::string>> calls;
  for (const auto& [expr, call] : p.calls) {
    std::string text;
    switch (call.kind) {
      case CallKind::Builtin: text = "builtin " + call.name; break;
      case CallKind::Fn: text = "fn " + call.name; break;
      case CallKind::Method:
        text = "method " + call.name + " on " +
               (call.node.empty() ? std::string("(run time)") : call.node);
        break;
    }
    calls.emplace_back(expr->range, text);
  }
  std::sort(calls.begin(), calls.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.file, a.first.begin) <
           std::tie(b.first.file, b.first.begin);
  });
  for (const auto& [range, text] : calls)
    os << "call " << pos(p, range) << " " << text << "\n";
}

}  // namespace rig::sema
