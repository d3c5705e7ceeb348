// Program -> Plan: nodes (addresses, units, files, firewall, ...), settings,
// sources, globals, functions and tests.
#include "compiler/lower/lower.h"

#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "compiler/lower/lower_internal.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace rig::lower {

namespace {

// The PATH a guest's commands get (the agent's, runtime/guest/exec.cpp),
// after a node's `path`.
constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The guest boots into the rig target, which pulls in multi-user.target
// (and so basic, sockets, timers and paths targets) but none of the host's
// enabled units: a unit wanted by those targets starts as on Debian.
// default.target and graphical.target, which a guest never reaches, stand
// for the boot target.
std::string wantedByTarget(llvm::StringRef target, llvm::StringRef boot) {
  if (target == "default.target" || target == "graphical.target")
    return boot.str();
  return target.str();
}

// `WantedBy=` of a raw unit's [Install] section: systemctl enable is not run
// in the guest, so the links are made from these.
std::vector<std::string> installWantedBy(llvm::StringRef content,
                                         llvm::StringRef boot) {
  std::vector<std::string> out;
  bool install = false;
  llvm::SmallVector<llvm::StringRef, 32> lines;
  content.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    line = line.trim();
    if (line.startswith("[")) {
      install = line == "[Install]";
      continue;
    }
    if (!install || !line.consume_front("WantedBy=")) continue;
    llvm::SmallVector<llvm::StringRef, 4> targets;
    line.split(targets, ' ', -1, false);
    for (llvm::StringRef t : targets) {
      std::string target = wantedByTarget(t.trim(), boot);
      if (std::find(out.begin(), out.end(), target) == out.end())
        out.push_back(target);
    }
  }
  return out;
}

plan::Node lowerNode(const sema::NodeConfig& cfg, int64_t position,
                     const CodeLowering& code) {
  plan::Node node;
  node.name = cfg.name;
  node.loc = code.loc(cfg.symbol ? cfg.symbol->nameRange : cfg.range);
  node.memoryBytes = cfg.memoryBytes;
  node.cpus = cfg.cpus;
  node.testShell = cfg.testShell;
  for (const sema::Attachment& a : cfg.attachments)
    node.vlans.push_back({a.vlan, a.address, a.prefixLength,
                          macAddress(a.vlan, position), a.address6,
                          a.prefixLength6, a.extra});
  node.nameservers = cfg.nameservers;
  node.packages = cfg.packages;
  node.enable = cfg.enable;
  node.kernelParams = cfg.kernelParams;
  node.backend = cfg.backend;
  node.sysctl = cfg.sysctl;
  node.testEnv = cfg.testEnv;
  // `path`: before the default PATH of test commands and of every service
  // (systemd's DefaultEnvironment).
  if (!cfg.path.empty()) {
    std::string path = llvm::join(cfg.path, ":") + ":" + kDefaultPath;
    node.testEnv.emplace_back("PATH", path);
    node.files.push_back({"/etc/systemd/system.conf.d/50-rig-path.conf",
                          "# Written by rig: the node's `path`.\n[Manager]\n"
                          "DefaultEnvironment=PATH=" +
                              path + "\n",
                          "0644", "root", "root"});
  }

  for (const sema::Service& s : cfg.services) {
    std::vector<std::string> wantedBy;
    for (const std::string& t :
         s.wantedBy ? *s.wantedBy : std::vector<std::string>{node.bootTarget})
      if (std::string target = wantedByTarget(t, node.bootTarget);
          std::find(wantedBy.begin(), wantedBy.end(), target) == wantedBy.end())
        wantedBy.push_back(target);
    node.units.push_back({s.name + ".service", serviceUnit(s), wantedBy});
  }
  for (const sema::RawUnit& u : cfg.units)
    node.units.push_back(
        {u.name, u.content, installWantedBy(u.content, node.bootTarget)});

  node.firewall.enable = cfg.firewallEnable;
  for (const sema::Port& p : cfg.allowTcp)
    if (p.iface.empty() && p.last <= p.port &&
        std::find(node.firewall.allowTcp.begin(), node.firewall.allowTcp.end(),
                  p.port) == node.firewall.allowTcp.end())
      node.firewall.allowTcp.push_back(p.port);
  for (const sema::Port& p : cfg.allowUdp)
    if (p.iface.empty() && p.last <= p.port &&
        std::find(node.firewall.allowUdp.begin(), node.firewall.allowUdp.end(),
                  p.port) == node.firewall.allowUdp.end())
      node.firewall.allowUdp.push_back(p.port);
  if (cfg.firewallEnable) {
    node.firewall.rules = firewallRules(cfg);
    node.files.push_back(
        {"/etc/rig/firewall.nft", node.firewall.rules, "0644", "root", "root"});
    node.units.push_back(
        {"rig-firewall.service", firewallUnit(), {node.bootTarget}});
  }

  for (const sema::FileEntry& f : cfg.files)
    node.files.push_back({f.path, f.content, f.mode, f.owner, f.group});
  for (const sema::UserEntry& u : cfg.users) {
    plan::User user;
    user.name = u.name;
    user.uid = u.uid;
    user.system = u.system;
    user.home = u.home;
    user.shell = u.shell;
    user.groups = u.groups;
    user.group = u.group;
    user.createHome = u.createHome;
    user.password = u.password;
    node.users.push_back(std::move(user));
  }
  for (const sema::GroupEntry& g : cfg.groups)
    node.groups.push_back({g.name, g.gid});
  for (const sema::DiskEntry& d : cfg.disks)
    node.disks.push_back({d.path, d.sizeBytes, d.fs});
  for (const sema::MountEntry& m : cfg.mounts)
    node.units.push_back({m.unit, mountUnit(m), {node.bootTarget}});
  for (const sema::PrepareEntry& p : cfg.prepares) {
    plan::Prepare step;
    step.name = p.name;
    step.user = p.user;
    step.run = p.run;
    step.mountAt = p.mountAt;
    // A top-level step is keyed by its own packages, the same on every node
    // that mounts it: one cache entry.
    step.cacheKey = prepareCacheKey(p, p.shared ? p.packages : cfg.packages);
    if (p.shared) step.packages = p.packages;
    step.loc = code.loc(p.origin.range);
    node.prepares.push_back(std::move(step));
  }
  return node;
}

// /etc/hosts: every node that shares a vlan with `node` (itself included),
// by its name at its addresses (IPv4, IPv6) on the first vlan (in its own
// order) that they share, and by NAME-vlanV at its addresses on each shared
// vlan V.
void addHosts(std::vector<plan::Node>& nodes) {
  for (plan::Node& node : nodes) {
    std::vector<plan::HostEntry> perVlan;
    for (const plan::Node& other : nodes) {
      bool first = true;
      for (const plan::VlanAttachment& a : other.vlans) {
        bool shared = std::any_of(
            node.vlans.begin(), node.vlans.end(),
            [&](const plan::VlanAttachment& b) { return b.vlan == a.vlan; });
        if (!shared) continue;
        if (first) {
          node.hosts.push_back({a.address, other.name});
          node.hosts.push_back({a.address6, other.name});
          first = false;
        }
        std::string name = fmt::format("{}-vlan{}", other.name, a.vlan);
        perVlan.push_back({a.address, name});
        perVlan.push_back({a.address6, name});
      }
    }
    node.hosts.insert(node.hosts.end(), perVlan.begin(), perVlan.end());
  }
}

// Non-constant top-level lets, each after the globals it reads.
std::vector<const sema::Symbol*> globalOrder(const sema::Program& program) {
  std::vector<const sema::Symbol*> order;
  std::set<const sema::Symbol*> done;
  std::function<void(const sema::Symbol*)> visit =
      [&](const sema::Symbol* sym) {
        if (!done.insert(sym).second) return;
        std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& e) {
          if (program.constant(e)) return;
          if (const sema::Ref* ref = program.ref(e))
            if (ref->kind == sema::RefKind::Global && ref->symbol &&
                !ref->symbol->constant)
              visit(ref->symbol);
          for (const ast::StringPart& p : e.parts)
            if (p.expr) walk(*p.expr);
          for (const ast::ExprPtr& o : e.operands) walk(*o);
          for (const ast::ObjectEntry& o : e.entries) walk(*o.value);
          for (const ast::Arg& a : e.args) walk(*a.value);
        };
        walk(*sym->let->value);
        order.push_back(sym);
      };
  for (const auto& sym : program.symbols)
    if (sym->kind == sema::SymbolKind::Let && !sym->constant) visit(sym.get());
  return order;
}

}  // namespace

std::optional<plan::Plan> lower(const sema::Program& program,
                                const Options& options,
                                diag::Emitter& emitter) {
  plan::Plan plan;
  const SourceFiles& sources = *program.sources;
  const sema::SourceUnit& suite = program.suite();
  plan.suitePath = suite.path;
  plan.suiteName = llvm::sys::path::stem(suite.path).str();

  std::map<FileId, uint32_t> fileIndex;
  for (const auto& unit : program.units) {
    fileIndex[unit->file] = uint32_t(plan.sources.size());
    plan.sources.push_back(
        {sources.path(unit->file).str(), sources.text(unit->file).str()});
  }
  CodeLowering code(program, fileIndex);

  plan.settings.waitTimeoutMs = options.waitTimeoutMs;
  plan.settings.eventuallyTimeoutMs = options.eventuallyTimeoutMs;
  plan.settings.suiteTimeoutMs =
      program.timeoutMs ? program.timeoutMs : options.suiteTimeoutMs;
  plan.settings.tags = program.tags;

  // Nodes by name; the position in that order is the N of 192.168.VLAN.N.
  std::vector<const sema::NodeConfig*> nodes;
  for (const sema::NodeConfig& n : program.nodes) nodes.push_back(&n);
  std::sort(nodes.begin(), nodes.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  if (nodes.size() > 254) {
    emitter.emitMessage(nodes[254]->range, diag::Kind::EvalError,
                        fmt::format("a suite has at most 254 nodes (addresses "
                                    "192.168.VLAN.1-254); this one has {}",
                                    nodes.size()));
    return std::nullopt;
  }
  std::set<std::string> packages;
  for (size_t i = 0; i < nodes.size(); ++i) {
    plan.nodes.push_back(lowerNode(*nodes[i], int64_t(i + 1), code));
    packages.insert(nodes[i]->packages.begin(), nodes[i]->packages.end());
  }
  addHosts(plan.nodes);
  // The generated firewall unit runs the host's nft.
  if (std::any_of(nodes.begin(), nodes.end(),
                  [](const auto* n) { return n->firewallEnable; }))
    packages.insert("nftables");
  plan.hostPackages.assign(packages.begin(), packages.end());

  for (const sema::Symbol* sym : globalOrder(program))
    plan.globals.push_back({sym->qualifiedName, code.expr(*sym->let->value)});
  for (const auto& sym : program.symbols) {
    if (sym->kind != sema::SymbolKind::Fn) continue;
    plan::Function fn;
    fn.name = sym->qualifiedName;
    fn.loc = code.loc(sym->nameRange);
    for (const ast::FnParam& p : sym->fn->params) {
      plan::Param param;
      param.name = p.name;
      if (p.defaultValue) param.defaultValue = code.expr(*p.defaultValue);
      fn.params.push_back(std::move(param));
    }
    fn.body = code.block(sym->fn->body);
    plan.functions.push_back(std::move(fn));
  }
  for (const ast::Test* t : program.tests)
    plan.tests.push_back(
        {t->name, code.loc(t->nameRange), code.block(t->body)});
  // Lowering gives every builtin and operation its arguments by position;
  // the runtime's check of that cannot fail on a plan made here.
  llvm::cantFail(plan::resolveCalls(plan),
                 "lowering made a call the plan refuses");
  plan.hash = plan::computeHash(plan);
  return plan;
}

std::vector<plan::Stmt> lowerStatements(
    const sema::Program& program, const std::vector<ast::StmtPtr>& statements,
    FileId input, plan::Plan& plan) {
  const SourceFiles& sources = *program.sources;
  // The plan's first sources are the program's units, in the same order
  // as lower() put them there.
  std::map<FileId, uint32_t> fileIndex;
  for (size_t i = 0; i < program.units.size() && i < plan.sources.size(); ++i)
    fileIndex[program.units[i]->file] = uint32_t(i);
  fileIndex[input] = uint32_t(plan.sources.size());
  plan.sources.push_back(
      {sources.path(input).str(), sources.text(input).str()});
  CodeLowering code(program, fileIndex);
  std::vector<plan::Stmt> body = code.block(statements);
  llvm::cantFail(plan::resolveCalls(plan, body),
                 "lowering made a call the plan refuses");
  return body;
}

}  // namespace rig::lower
