#include "runtime/vm/node_config.h"

#include <glob.h>
#include <sys/stat.h>
#include <algorithm>

#include <set>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "runtime/host/run_dir.h"
#include "runtime/support/error.h"
#include "runtime/vm/accounts.h"

namespace rig::vm {
namespace {

// Secrets of a Debian host's /etc: files masked by an empty file, directories
// by an empty tmpfs. Globs are expanded against the host.
const char* const kSecretGlobs[] = {
    "/etc/ssh/ssh_host_*_key",
    "/etc/ssl/private",
    "/etc/shadow-",
    "/etc/gshadow-",
    "/etc/security/opasswd",
    "/etc/krb5.keytab",
    "/etc/ppp/chap-secrets",
    "/etc/ppp/pap-secrets",
    "/etc/ipsec.secrets",
    "/etc/wireguard",
    "/etc/letsencrypt",
    "/etc/NetworkManager/system-connections",
    "/etc/credstore",
    "/etc/credstore.encrypted",
    "/etc/libvirt/secrets",
    "/etc/docker/key.json",
    "/etc/ssh/ssh_host_*_key-cert.pub",  // harmless but host-specific
};

std::string octal(uint32_t mode) {
  char buf[16];
  snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

bool parseMode(llvm::StringRef s, uint32_t& out) {
  unsigned v;
  if (s.empty() || s.getAsInteger(8, v) || v > 07777) return false;
  out = v;
  return true;
}

class ManifestWriter {
 public:
  void line(std::initializer_list<llvm::StringRef> fields) {
    bool first = true;
    for (auto f : fields) {
      if (!first) text += ' ';
      first = false;
      text += encodeManifestField(f);
    }
    text += '\n';
  }
  std::string text;
};

const std::string kPackageUnitDir = "/usr/lib/systemd/system/";

}  // namespace

std::string unitFileName(llvm::StringRef unit) {
  // foo@bar.service is an instance of foo@.service.
  size_t at = unit.find('@');
  size_t dot = unit.rfind('.');
  if (at == llvm::StringRef::npos || dot == llvm::StringRef::npos || dot < at)
    return unit.str();
  return (unit.take_front(at + 1) + unit.drop_front(dot)).str();
}

llvm::Expected<std::string> packageUnitText(llvm::StringRef unit,
                                            llvm::StringRef unitDir) {
  std::string path = unitDir.str() + "/" + unitFileName(unit);
  auto buf = llvm::MemoryBuffer::getFile(path);
  if (!buf)
    return failure("`enable` names `" + unit +
                   "`, but no package on this host ships it (" + path + ": " +
                   buf.getError().message() +
                   "); install the Debian package that has it " + "(`dpkg -S " +
                   unitFileName(unit) + "` on a machine that has it)");
  return (*buf)->getBuffer().str();
}

std::string encodeManifestField(llvm::StringRef field) {
  std::string out;
  for (char c : field) {
    if (c == '%')
      out += "%25";
    else if (c == ' ')
      out += "%20";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string machineIdFor(llvm::StringRef nodeName) {
  llvm::SHA256 h;
  h.update("rig machine-id\n");
  h.update(nodeName);
  return llvm::toHex(h.final(), true).substr(0, 32);
}

llvm::Expected<HostEtc> readHostEtc(llvm::StringRef etc) {
  HostEtc host;
  auto read = [&](llvm::StringRef name, std::string& out) -> llvm::Error {
    auto buf = llvm::MemoryBuffer::getFile(etc.str() + "/" + name.str());
    if (!buf)
      return failure("cannot read " + etc + "/" + name + ": " +
                     buf.getError().message());
    out = (*buf)->getBuffer().str();
    return llvm::Error::success();
  };
  if (auto err = read("passwd", host.passwd)) return err;
  if (auto err = read("group", host.group)) return err;
  for (const char* pattern : kSecretGlobs) {
    std::string p = pattern;
    // Patterns name guest paths under /etc; look at the host's `etc`.
    std::string hostPattern = etc.str() + p.substr(4);
    glob_t g{};
    if (glob(hostPattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i)
        host.secrets.push_back("/etc" +
                               std::string(g.gl_pathv[i]).substr(etc.size()));
    }
    globfree(&g);
  }
  std::sort(host.secrets.begin(), host.secrets.end());
  std::error_code ec;
  std::string unitDir = etc.str() + "/systemd/system";
  for (llvm::sys::fs::directory_iterator it(unitDir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.endswith(".wants") && llvm::sys::fs::is_directory(it->path()))
      host.enabledWantsDirs.push_back("/etc/systemd/system/" + name.str());
  }
  std::sort(host.enabledWantsDirs.begin(), host.enabledWantsDirs.end());
  return host;
}

llvm::Expected<NodeConfig> renderNodeConfig(
    const plan::Node& node, const HostEtc& host,
    llvm::ArrayRef<OverlayShare> overlays, const BootTrim& trim,
    llvm::ArrayRef<host::HostDir> varDirs) {
  NodeConfig config;
  ManifestWriter m;
  auto addFile = [&](std::string path, std::string content,
                     uint32_t mode = 0644) {
    config.files.push_back({std::move(path), std::move(content), mode});
  };

  auto accounts =
      mergeAccounts(host.passwd, host.group, node.users, node.groups);
  if (!accounts) return accounts.takeError();

  m.line({"version", "1"});
  m.line({"hostname", node.name});

  // Masks come first: the symlinks below may land in a masked .wants dir.
  for (auto& s : host.secrets) m.line({"mask", s});
  for (auto& d : host.enabledWantsDirs) m.line({"mask", d});
  // What no rig node needs (boot_trim.h), masked as `systemctl mask` would.
  for (auto& u : trim.units)
    m.line({"symlink", "/dev/null", "/etc/systemd/system/" + u});
  for (auto& g : trim.generators)
    m.line({"symlink", "/dev/null", "/etc/systemd/system-generators/" + g});

  const std::string unitDir = "/etc/systemd/system/";

  // Identity and accounts.
  addFile("/etc/hostname", node.name + "\n");
  addFile("/etc/machine-id", machineIdFor(node.name) + "\n", 0444);
  std::string hosts =
      "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n";
  bool selfListed = false;
  for (auto& h : node.hosts) {
    hosts += h.address + " " + h.name + "\n";
    if (h.name == node.name) selfListed = true;
  }
  if (!selfListed) hosts += "127.0.1.1 " + node.name + "\n";
  addFile("/etc/hosts", hosts);
  // A node's name resolves to IPv4 and IPv6 addresses: IPv4 first, so a
  // service that listens on IPv4 only is reached by name as before rig had
  // IPv6 (glibc would prefer the ULA); `-6` or `NODE.address6` for IPv6.
  addFile("/etc/gai.conf",
          "# Written by rig: names resolve to their IPv4 address first.\n"
          "precedence ::1/128 50\nprecedence ::/0 40\nprecedence 2002::/16 30\n"
          "precedence ::/96 20\nprecedence ::ffff:0:0/96 100\n");
  if (!node.nameservers.empty()) {
    std::string resolv = "# Written by rig: the node's `nameservers`.\n";
    for (const std::string& ns : node.nameservers)
      resolv += "nameserver " + ns + "\n";
    addFile("/etc/resolv.conf", resolv);
  }
  addFile("/etc/passwd", renderPasswd(*accounts));
  addFile("/etc/group", renderGroup(*accounts));
  addFile("/etc/shadow", renderShadow(*accounts), 0640);
  addFile("/etc/gshadow", renderGshadow(*accounts), 0640);
  if (auto* shadowGroup = accounts->group("shadow")) {
    std::string gid = std::to_string(shadowGroup->gid);
    m.line({"attr", "/etc/shadow", "0640", "0", gid});
    m.line({"attr", "/etc/gshadow", "0640", "0", gid});
  }

  // Writable scratch directories every service expects.
  m.line({"dir", "/tmp", "1777", "0", "0"});
  m.line({"dir", "/var/tmp", "1777", "0", "0"});
  // What the node's packages shipped under /var, as on the host: a
  // package's service finds its state and log directories.
  for (const host::HostDir& d : varDirs)
    m.line({"dir", d.path, octal(d.mode), std::to_string(d.uid),
            std::to_string(d.gid)});
  for (auto& home : accounts->homes)
    m.line({"dir", home.path, octal(home.mode), std::to_string(home.uid),
            std::to_string(home.gid)});

  // Journald forwards service logs to the serial console (the node's log).
  addFile("/etc/systemd/journald.conf.d/rig.conf",
          "# Written by rig: the serial console is the node's log.\n"
          "[Journal]\nStorage=volatile\nForwardToConsole=yes\nMaxLevelConsole="
          "info\n");

  if (!trim.units.empty() || !trim.generators.empty()) {
    std::string text =
        "# Written by rig: masked in this guest because no rig node needs "
        "them;\n"
        "# a spec that names one gets its group back (docs/running.md).\n";
    for (auto& u : trim.units) text += u + "\n";
    for (auto& g : trim.generators) text += "system-generators/" + g + "\n";
    if (!trim.keptGroups.empty())
      text += "# kept because the spec names them: " +
              llvm::join(trim.keptGroups, ", ") + "\n";
    addFile("/etc/rig/masked", text);
  }

  // wait_for_unit (runtime/exec/ops_units.cpp) starts rig-wait@UNIT to
  // wait in the guest for UNIT's job: ordered after it, never pulling it in.
  addFile(
      unitDir + "rig-wait@.service",
      "# Written by rig: `systemctl start rig-wait@UNIT` returns once UNIT's\n"
      "# job is done, whatever its result; it never starts UNIT.\n"
      "[Unit]\nDescription=rig: waiting for "
      "%i\nDefaultDependencies=no\nAfter=%i\n"
      "[Service]\nType=oneshot\nExecStart=/bin/true\n");

  // The spec's files.
  for (const plan::File& f : node.files) {
    if (!llvm::StringRef(f.path).startswith("/"))
      return failure("file `" + f.path + "`: path is not absolute");
    uint32_t mode;
    if (!parseMode(f.mode, mode))
      return failure("file `" + f.path + "`: bad mode `" + f.mode + "`");
    auto uid = accounts->resolveUid(f.owner);
    if (!uid)
      return failure("file `" + f.path +
                     "`: " + llvm::toString(uid.takeError()));
    auto gid = accounts->resolveGid(f.group);
    if (!gid)
      return failure("file `" + f.path +
                     "`: " + llvm::toString(gid.takeError()));
    addFile(f.path, f.content, mode);
    m.line({"attr", f.path, octal(mode), std::to_string(*uid),
            std::to_string(*gid)});
  }

  // Units, their wants links, and the boot target.
  bool haveTarget = false;
  for (const plan::Unit& u : node.units) {
    if (u.name.empty() || llvm::StringRef(u.name).contains('/'))
      return failure("unit `" + u.name + "`: bad name");
    if (u.name == node.bootTarget) haveTarget = true;
    addFile(unitDir + u.name, u.content);
  }
  if (!haveTarget) {
    // The standard targets, as on Debian, so a unit wanted by one starts
    // and a test can wait for them: the host's enabled units never come
    // with them, because every host `*.wants` directory is masked above.
    // The addresses are up before systemd starts (stage 1), so the network
    // targets have nothing to wait for.
    addFile(unitDir + node.bootTarget,
            "# Written by rig: the node's boot target.\n"
            "[Unit]\nDescription=rig node target\nRequires=basic.target\n"
            "Wants=multi-user.target network.target network-online.target\n"
            "After=basic.target multi-user.target network-online.target\n"
            "AllowIsolate=yes\n");
  }
  m.line({"symlink", unitDir + node.bootTarget, unitDir + "default.target"});
  for (const plan::Unit& u : node.units)
    for (auto& target : u.wantedBy)
      m.line(
          {"symlink", unitDir + u.name, unitDir + target + ".wants/" + u.name});
  // `enable`: wanted by the boot target, whatever its [Install] says.
  for (const std::string& name : node.enable) {
    bool own = std::any_of(node.units.begin(), node.units.end(),
                           [&](const plan::Unit& u) { return u.name == name; });
    std::string file =
        own ? unitDir + name : kPackageUnitDir + unitFileName(name);
    m.line({"symlink", file, unitDir + node.bootTarget + ".wants/" + name});
  }

  // Network and kernel settings.
  for (auto& v : node.vlans) {
    m.line({"iface", v.mac, v.address + "/" + std::to_string(v.prefixLength)});
    if (!v.address6.empty())
      m.line(
          {"iface", v.mac, v.address6 + "/" + std::to_string(v.prefixLength6)});
    for (const std::string& extra : v.extraAddresses)
      m.line({"iface", v.mac, extra});
  }
  for (auto& [key, value] : node.sysctl) m.line({"sysctl", key, value});
  for (auto& o : overlays) m.line({"overlay", o.tag, o.guestPath});
  // `disk` blocks: QEMU gives disk I the serial rig-diskI (qemu_machine.cpp).
  for (size_t i = 0; i < node.disks.size(); ++i)
    m.line({"disk", "rig-disk" + std::to_string(i), node.disks[i].path,
            node.disks[i].fs});

  config.manifest = std::move(m.text);
  return config;
}

llvm::Error writeNodeConfig(const NodeConfig& config, llvm::StringRef dir) {
  namespace fs = llvm::sys::fs;
  std::string root = dir.str() + "/root";
  llvm::sys::fs::remove_directories(root);
  // Directories that stage 1 creates in the guest take these modes: 0755 as
  // on any Debian system (LLVM's default, 0770 less the umask, would make
  // /srv/app unreadable for a service's own user).
  const auto dirMode =
      fs::perms::all_read | fs::perms::all_exe | fs::perms::owner_write;
  if (auto ec = fs::create_directories(root, true, dirMode))
    return failure("mkdir " + root + ": " + ec.message());
  for (auto& f : config.files) {
    std::string path = root + f.path;
    if (auto ec = fs::create_directories(llvm::sys::path::parent_path(path),
                                         true, dirMode))
      return failure("mkdir for " + path + ": " + ec.message());
    if (auto err = host::writeFileAtomically(path, f.content, f.mode))
      return err;
  }
  // mkdir(2) applies rig's umask: set the modes explicitly.
  std::error_code ec;
  fs::setPermissions(root, dirMode);
  for (fs::recursive_directory_iterator it(root, ec, false), end;
       it != end && !ec; it.increment(ec)) {
    if (it->type() == fs::file_type::directory_file)
      fs::setPermissions(it->path(), dirMode);
  }
  return host::writeFileAtomically(dir.str() + "/manifest", config.manifest,
                                   0644);
}

}  // namespace rig::vm
