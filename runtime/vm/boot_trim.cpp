#include "runtime/vm/boot_trim.h"

#include <functional>

namespace rig::vm {

llvm::ArrayRef<TrimGroup> trimGroups() {
  // Each group says why no rig node needs it. Keys are matched as plain
  // substrings, so they err on the side of keeping a group.
  static const TrimGroup kGroups[] = {
      // Device coldplug and events: stage 1 loads the modules it needs,
      // devtmpfs makes the device nodes, interfaces are configured by MAC.
      // `.device` units only become plugged through udev.
      {"udev",
       {"systemd-udevd.service", "systemd-udevd-control.socket",
        "systemd-udevd-kernel.socket", "systemd-udev-trigger.service",
        "systemd-udev-settle.service"},
       {},
       {"udev", ".device"}},
      // The root is a fresh tmpfs: there is no seed to load or keep.
      {"random-seed", {"systemd-random-seed.service"}, {}, {"random-seed"}},
      {"binfmt",
       {"systemd-binfmt.service", "proc-sys-fs-binfmt_misc.automount",
        "proc-sys-fs-binfmt_misc.mount"},
       {},
       {"binfmt"}},
      // Debugging and special kernel file systems; /dev/shm, /dev/mqueue and
      // /dev/pts stay.
      {"kernel-fs",
       {"sys-kernel-debug.mount", "sys-kernel-tracing.mount",
        "sys-kernel-config.mount", "sys-fs-fuse-connections.mount",
        "dev-hugepages.mount"},
       {},
       {"sys-kernel-", "/sys/kernel/debug", "/sys/kernel/tracing",
        "/sys/kernel/config", "debugfs", "tracefs", "configfs", "fuse",
        "hugepage", "hugetlb"}},
      // The host's /etc/modules-load.d list and systemd's on-demand module
      // loads; a spec that needs a module runs modprobe.
      {"modules",
       {"systemd-modules-load.service", "modprobe@.service"},
       {},
       {"modules-load", "modprobe@"}},
      // /etc/fstab is empty in a guest, the root a tmpfs.
      {"remount-fs", {"systemd-remount-fs.service"}, {}, {"remount-fs"}},
      // /etc/passwd and /etc/group are the host's (which sysusers already
      // completed) plus the spec's users.
      {"sysusers", {"systemd-sysusers.service"}, {}, {"sysusers"}},
      // rig's journald.conf says Storage=volatile: nothing to flush.
      {"journal-flush",
       {"systemd-journal-flush.service"},
       {},
       {"journal-flush", "/var/log/journal"}},
      {"utmp",
       {"systemd-update-utmp.service", "systemd-update-utmp-runlevel.service"},
       {},
       {"utmp", "wtmp", "runlevel"}},
      // Generators, each a process at every boot before the first unit.
      // Debian's adds the host's clusters (/etc/postgresql) to
      // postgresql.service; std/postgresql runs its own server (its no-op
      // postgresql@.service does not count: a cluster is postgresql@15-main).
      {"postgresql-generator",
       {},
       {"postgresql-generator"},
       {"postgresql@1", "postgresql@9", "pg_ctlcluster"}},
      // Serial and virtual consoles: the console is the node's log and the
      // agent its shell; multi-user.target would start five gettys.
      {"getty",
       {"getty.target", "getty-static.service"},
       {"systemd-getty-generator"},
       {"getty"}},
      {"gpt-auto-generator", {}, {"systemd-gpt-auto-generator"}, {"gpt-auto"}},
      // /etc/fstab and /etc/crypttab are emptied in every guest.
      {"fstab-generator", {}, {"systemd-fstab-generator"}, {"fstab"}},
      {"cryptsetup-generator",
       {},
       {"systemd-cryptsetup-generator"},
       {"crypttab", "cryptsetup"}},
      {"integritysetup-generator",
       {},
       {"systemd-integritysetup-generator"},
       {"integritytab", "integritysetup"}},
      {"veritysetup-generator",
       {},
       {"systemd-veritysetup-generator"},
       {"veritytab", "veritysetup"}},
      {"hibernate-resume-generator",
       {},
       {"systemd-hibernate-resume-generator"},
       {"hibernate", "resume"}},
      {"rc-local-generator",
       {},
       {"systemd-rc-local-generator"},
       {"rc.local", "rc-local"}},
  };
  return kGroups;
}

BootTrim bootTrimFor(const plan::Node& node, llvm::StringRef programText) {
  // What the node's own configuration says: unit files (Requires=, After=,
  // ExecStart=...), the kernel command line (systemd.wants=...), and the
  // paths of its files (a spec's own /etc/fstab or /etc/rc.local).
  std::string nodeText;
  for (const plan::Unit& u : node.units)
    nodeText += u.name + "\n" + u.content + "\n";
  for (const std::string& p : node.kernelParams) nodeText += p + "\n";
  for (const plan::File& f : node.files) nodeText += f.path + "\n";
  auto mentioned = [&](llvm::StringRef key) {
    return llvm::StringRef(nodeText).contains(key) || programText.contains(key);
  };
  BootTrim trim;
  for (const TrimGroup& g : trimGroups()) {
    bool keep = false;
    for (const char* key : g.keys) keep = keep || mentioned(key);
    // A spec that defines a unit of the group itself keeps the group.
    for (const char* unit : g.units)
      for (const plan::Unit& u : node.units) keep = keep || u.name == unit;
    if (keep) {
      trim.keptGroups.push_back(g.name);
      continue;
    }
    trim.units.insert(trim.units.end(), g.units.begin(), g.units.end());
    trim.generators.insert(trim.generators.end(), g.generators.begin(),
                           g.generators.end());
  }
  return trim;
}

namespace {

void literalStrings(const Value& v, std::string& out) {
  switch (v.kind()) {
    case ValueKind::String: out += v.asString() + "\n"; break;
    case ValueKind::List:
      for (const Value& e : v.asList()) literalStrings(e, out);
      break;
    case ValueKind::Object:
      for (const auto& [key, e] : v.asObject()) literalStrings(e, out);
      break;
    default: break;
  }
}

void exprStrings(const plan::Expr& e, std::string& out) {
  if (e.kind == plan::ExprKind::Literal) literalStrings(e.literal, out);
  for (const plan::Expr& a : e.args) exprStrings(a, out);
  for (const plan::NamedArg& n : e.named)
    for (const plan::Expr& a : n.value) exprStrings(a, out);
}

void stmtStrings(const std::vector<plan::Stmt>& body, std::string& out) {
  for (const plan::Stmt& s : body) {
    for (const auto* e : {&s.expr, &s.message, &s.timeout})
      if (*e) exprStrings(**e, out);
    stmtStrings(s.body, out);
    stmtStrings(s.elseBody, out);
  }
}

}  // namespace

std::string programStrings(const plan::Plan& plan) {
  std::string out;
  for (const plan::Global& g : plan.globals) exprStrings(g.value, out);
  for (const plan::Function& f : plan.functions) {
    for (const plan::Param& p : f.params)
      if (p.defaultValue) exprStrings(*p.defaultValue, out);
    stmtStrings(f.body, out);
  }
  for (const plan::Test& t : plan.tests) stmtStrings(t.body, out);
  return out;
}

}  // namespace rig::vm
