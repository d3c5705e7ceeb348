#include "runtime/vm/node_config.h"

#include <crypt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/run_dir.h"
#include "runtime/vm/accounts.h"

namespace rig::vm {
namespace {

const char kPasswd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "postgres:x:105:111:PostgreSQL "
    "administrator,,,:/var/lib/postgresql:/bin/bash\n"
    "redis:x:999:998::/var/lib/redis:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const char kGroup[] =
    "root:x:0:\n"
    "daemon:x:1:\n"
    "shadow:x:42:\n"
    "users:x:100:\n"
    "postgres:x:111:\n"
    "ssl-cert:x:110:postgres\n"
    "redis:x:998:\n"
    "nogroup:x:65534:\n";

HostEtc hostEtc() {
  HostEtc h;
  h.passwd = kPasswd;
  h.group = kGroup;
  h.secrets = {"/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key",
               "/etc/ssl/private"};
  h.enabledWantsDirs = {"/etc/systemd/system/multi-user.target.wants",
                        "/etc/systemd/system/timers.target.wants"};
  return h;
}

plan::Node node() {
  plan::Node n;
  n.name = "server";
  n.vlans = {{1, "192.168.1.2", 24, "52:54:00:01:02:01", "fd00:1::2", 64, {}}};
  n.hosts = {{"192.168.1.1", "client"}, {"192.168.1.2", "server"}};
  n.sysctl = {{"net.ipv4.ip_forward", "1"}};
  plan::Unit web;
  web.name = "web.service";
  web.content = "[Service]\nExecStart=/bin/true\n";
  web.wantedBy = {"rig.target"};
  n.units = {web};
  plan::File f;
  f.path = "/srv/app/run me.sh";
  f.content = "#!/bin/sh\n";
  f.mode = "0750";
  f.owner = "authenticator";
  f.group = "postgres";
  n.files = {f};
  plan::User system;
  system.name = "authenticator";
  system.system = true;
  plan::User alice;
  alice.name = "alice";
  alice.groups = {"users", "ssl-cert"};
  alice.password = "s3cret";
  plan::User pg;
  pg.name = "postgres";
  pg.groups = {"ssl-cert"};
  n.users = {system, alice, pg};
  return n;
}

const PasswdEntry& userOf(const Accounts& a, llvm::StringRef name) {
  auto* u = a.user(name);
  EXPECT_NE(u, nullptr) << name.str();
  static PasswdEntry none;
  return u ? *u : none;
}

TEST(Accounts, HostUsersKeepTheirIds) {
  auto a = mergeAccounts(kPasswd, kGroup, node().users, {});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(userOf(*a, "postgres").uid, 105);
  EXPECT_EQ(userOf(*a, "postgres").gid, 111);
  EXPECT_EQ(userOf(*a, "postgres").home, "/var/lib/postgresql");
  EXPECT_EQ(userOf(*a, "redis").uid, 999);
}

TEST(Accounts, NewUsersGetFreeIdsInTheirRange) {
  auto a = mergeAccounts(kPasswd, kGroup, node().users, {});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  // 999 is redis's uid, 998 redis's gid: the first id free as both is 997.
  EXPECT_EQ(userOf(*a, "authenticator").uid, 997);
  EXPECT_EQ(userOf(*a, "authenticator").gid, 997);
  EXPECT_EQ(userOf(*a, "authenticator").shell, "/usr/sbin/nologin");
  EXPECT_EQ(userOf(*a, "authenticator").home, "/");
  EXPECT_EQ(userOf(*a, "alice").uid, 1000);
  EXPECT_EQ(userOf(*a, "alice").gid, 1000);
  EXPECT_EQ(userOf(*a, "alice").home, "/home/alice");
  EXPECT_EQ(userOf(*a, "alice").shell, "/bin/sh");
  ASSERT_NE(a->group("alice"), nullptr);
  EXPECT_EQ(a->group("alice")->gid, 1000);
}

TEST(Accounts, ExplicitIdsAndGroups) {
  plan::User u;
  u.name = "bob";
  u.uid = 2000;
  plan::Group g;
  g.name = "bob";
  g.gid = 3000;
  plan::Group extra;
  extra.name = "web";
  auto a = mergeAccounts(kPasswd, kGroup, {u}, {g, extra});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(userOf(*a, "bob").uid, 2000);
  EXPECT_EQ(userOf(*a, "bob").gid, 3000);
  EXPECT_EQ(a->group("web")->gid, 1000);
}

TEST(Accounts, SupplementaryGroupsAndUnknownGroup) {
  auto a = mergeAccounts(kPasswd, kGroup, node().users, {});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(renderGroup(*a).find("ssl-cert:x:110:postgres,alice\n") !=
                std::string::npos,
            true)
      << renderGroup(*a);
  EXPECT_NE(renderGroup(*a).find("users:x:100:alice\n"), std::string::npos);

  plan::User u;
  u.name = "carol";
  u.groups = {"wheel"};
  auto bad = mergeAccounts(kPasswd, kGroup, {u}, {});
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(
      llvm::toString(bad.takeError()),
      "user `carol`: group `wheel` exists neither on the host nor in the node");
}

// `group` is the primary group (no group of the user's name is made);
// `create_home = false` and homes such as / or /usr/... are never made.
TEST(Accounts, PrimaryGroupAndHomes) {
  plan::Group wheel;
  wheel.name = "wheel";
  wheel.gid = 4000;
  plan::User dave;
  dave.name = "dave";
  dave.group = "wheel";
  plan::User erin;
  erin.name = "erin";
  erin.createHome = false;
  plan::User pg;
  pg.name = "postgres";
  pg.group = "ssl-cert";
  plan::User svc;
  svc.name = "svc";
  svc.home = "/usr/lib/svc";
  auto a = mergeAccounts(kPasswd, kGroup, {dave, erin, pg, svc}, {wheel});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(userOf(*a, "dave").gid, 4000);
  EXPECT_EQ(a->group("dave"), nullptr);
  EXPECT_EQ(userOf(*a, "postgres").gid, 110);
  EXPECT_EQ(userOf(*a, "erin").home, "/home/erin");
  std::vector<std::string> homes;
  for (const HomeDir& h : a->homes) homes.push_back(h.path);
  EXPECT_EQ(homes,
            (std::vector<std::string>{"/home/dave", "/var/lib/postgresql"}));
  EXPECT_EQ(a->homes[0].gid, 4000);

  plan::User carol;
  carol.name = "carol";
  carol.group = "wheel";
  auto bad = mergeAccounts(kPasswd, kGroup, {carol}, {});
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "user `carol`: its group `wheel` exists neither on the host nor "
            "in the node");
}

TEST(Accounts, PasswordsAreLockedUnlessSet) {
  auto a = mergeAccounts(kPasswd, kGroup, node().users, {});
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  std::string shadow = renderShadow(*a);
  EXPECT_NE(shadow.find("root:!:::::::\n"), std::string::npos) << shadow;
  EXPECT_NE(shadow.find("postgres:!:::::::\n"), std::string::npos);
  const std::string& hash = userOf(*a, "alice").hash;
  ASSERT_FALSE(hash.empty());
  EXPECT_NE(hash, "!");
  struct crypt_data data {};
  EXPECT_EQ(std::string(crypt_r("s3cret", hash.c_str(), &data)), hash);
  EXPECT_NE(shadow.find("alice:" + hash + ":::::::\n"), std::string::npos);
  EXPECT_NE(renderGshadow(*a).find("shadow:!::\n"), std::string::npos);
}

TEST(Accounts, PasswdLinesAreWellFormed) {
  auto a = mergeAccounts(kPasswd, kGroup, {}, {});
  ASSERT_TRUE(bool(a));
  EXPECT_EQ(renderPasswd(*a), kPasswd);
  EXPECT_EQ(renderGroup(*a), kGroup);
}

TEST(NodeConfig, Manifest) {
  auto c = renderNodeConfig(node(), hostEtc(),
                            {{"prep0", "/cache/p", "/var/lib/postgresql"}});
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(c->manifest,
            "version 1\n"
            "hostname server\n"
            "mask /etc/ssh/ssh_host_ed25519_key\n"
            "mask /etc/ssh/ssh_host_rsa_key\n"
            "mask /etc/ssl/private\n"
            "mask /etc/systemd/system/multi-user.target.wants\n"
            "mask /etc/systemd/system/timers.target.wants\n"
            "attr /etc/shadow 0640 0 42\n"
            "attr /etc/gshadow 0640 0 42\n"
            "dir /tmp 1777 0 0\n"
            "dir /var/tmp 1777 0 0\n"
            "dir /home/alice 0700 1000 1000\n"
            "dir /var/lib/postgresql 0755 105 111\n"
            "attr /srv/app/run%20me.sh 0750 997 111\n"
            "symlink /etc/systemd/system/rig.target "
            "/etc/systemd/system/default.target\n"
            "symlink /etc/systemd/system/web.service "
            "/etc/systemd/system/rig.target.wants/web.service\n"
            "iface 52:54:00:01:02:01 192.168.1.2/24\n"
            "iface 52:54:00:01:02:01 fd00:1::2/64\n"
            "sysctl net.ipv4.ip_forward 1\n"
            "overlay prep0 /var/lib/postgresql\n");
}

TEST(NodeConfig, PackageVarDirectoriesComeBeforeHomesAndFiles) {
  std::vector<host::HostDir> dirs = {{"/var/lib/nginx", 0755, 0, 0},
                                     {"/var/log/nginx", 02750, 0, 4},
                                     {"/var/lib/postgresql", 0755, 0, 0}};
  auto c = renderNodeConfig(node(), hostEtc(), {}, {}, dirs);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  size_t nginx = c->manifest.find("dir /var/lib/nginx 0755 0 0\n");
  size_t log = c->manifest.find("dir /var/log/nginx 2750 0 4\n");
  // A home under /var (postgres's) is chowned to its user afterwards.
  size_t pg = c->manifest.find("dir /var/lib/postgresql 0755 0 0\n");
  size_t home = c->manifest.find("dir /var/lib/postgresql 0755 105 111\n");
  ASSERT_NE(nginx, std::string::npos);
  ASSERT_NE(log, std::string::npos);
  ASSERT_NE(pg, std::string::npos);
  ASSERT_NE(home, std::string::npos);
  EXPECT_LT(pg, home);
  EXPECT_LT(log, c->manifest.find("attr /srv/app/run%20me.sh"));
}

TEST(NodeConfig, EnabledUnitsAreWantedByTheBootTarget) {
  plan::Node n = node();
  n.enable = {"systemd-networkd.service", "getty@tty1.service", "web.service"};
  auto c = renderNodeConfig(n, hostEtc());
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  const std::string wants = "/etc/systemd/system/rig.target.wants/";
  EXPECT_NE(c->manifest.find(
                "symlink /usr/lib/systemd/system/systemd-networkd.service " +
                wants + "systemd-networkd.service\n"),
            std::string::npos);
  // An instance links to its template; the node's own unit to its file.
  EXPECT_NE(c->manifest.find("symlink /usr/lib/systemd/system/getty@.service " +
                             wants + "getty@tty1.service\n"),
            std::string::npos);
  EXPECT_NE(c->manifest.find("symlink /etc/systemd/system/web.service " +
                             wants + "web.service\n"),
            std::string::npos);
}

TEST(NodeConfig, PackageUnitTextSaysWhatToInstall) {
  EXPECT_EQ(unitFileName("getty@tty1.service"), "getty@.service");
  EXPECT_EQ(unitFileName("ssh.socket"), "ssh.socket");
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-units", dir));
  std::string d(dir);
  ASSERT_FALSE(bool(host::writeFileAtomically(d + "/serial@.service",
                                              "[Unit]\nAfter=udev\n")));
  auto text = packageUnitText("serial@ttyS1.service", d);
  ASSERT_TRUE(bool(text)) << llvm::toString(text.takeError());
  EXPECT_EQ(*text, "[Unit]\nAfter=udev\n");
  auto missing = packageUnitText("nfs-server.service", d);
  ASSERT_FALSE(bool(missing));
  std::string message = llvm::toString(missing.takeError());
  EXPECT_NE(message.find("`enable` names `nfs-server.service`"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("install the Debian package"), std::string::npos)
      << message;
  llvm::sys::fs::remove_directories(d);
}

const NodeConfig::RootFile* fileOf(const NodeConfig& c, llvm::StringRef path) {
  for (auto& f : c.files)
    if (f.path == path) return &f;
  return nullptr;
}

TEST(NodeConfig, RootFiles) {
  auto c = renderNodeConfig(node(), hostEtc());
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  ASSERT_NE(fileOf(*c, "/etc/hostname"), nullptr);
  EXPECT_EQ(fileOf(*c, "/etc/hostname")->content, "server\n");
  EXPECT_EQ(fileOf(*c, "/etc/hosts")->content,
            "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n"
            "192.168.1.1 client\n192.168.1.2 server\n");
  EXPECT_EQ(fileOf(*c, "/etc/machine-id")->content,
            machineIdFor("server") + "\n");
  EXPECT_EQ(machineIdFor("server").size(), 32u);
  EXPECT_NE(machineIdFor("server"), machineIdFor("client"));
  EXPECT_EQ(fileOf(*c, "/etc/shadow")->mode, 0640u);
  EXPECT_EQ(fileOf(*c, "/srv/app/run me.sh")->mode, 0750u);
  EXPECT_EQ(fileOf(*c, "/etc/systemd/system/web.service")->content,
            "[Service]\nExecStart=/bin/true\n");
  auto* target = fileOf(*c, "/etc/systemd/system/rig.target");
  ASSERT_NE(target, nullptr);
  EXPECT_NE(target->content.find("Description=rig node target"),
            std::string::npos);
  // The standard targets come with it (the host's wants dirs are masked).
  EXPECT_NE(target->content.find(
                "Wants=multi-user.target network.target network-online.target"),
            std::string::npos);
  EXPECT_NE(target->content.find(
                "After=basic.target multi-user.target network-online.target"),
            std::string::npos);
  auto* journald = fileOf(*c, "/etc/systemd/journald.conf.d/rig.conf");
  ASSERT_NE(journald, nullptr);
  EXPECT_NE(journald->content.find("ForwardToConsole=yes"), std::string::npos);
  EXPECT_NE(journald->content.find("MaxLevelConsole=info"), std::string::npos);
}

// Directories the config creates become directories in the guest with the
// same modes: a service running as its own user must be able to enter them,
// whatever rig's umask is.
TEST(NodeConfig, WrittenDirectoriesAreWorldReadable) {
  auto c = renderNodeConfig(node(), hostEtc());
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  char pattern[] = "/tmp/rig-node-config-XXXXXX";
  std::string dir = ::mkdtemp(pattern);
  mode_t old = ::umask(077);
  llvm::Error written = writeNodeConfig(*c, dir);
  ::umask(old);
  ASSERT_FALSE(bool(written)) << llvm::toString(std::move(written));
  for (const char* sub : {"/root", "/root/srv", "/root/srv/app", "/root/etc"}) {
    struct stat st;
    ASSERT_EQ(::stat((dir + sub).c_str(), &st), 0) << sub;
    EXPECT_EQ(st.st_mode & 07777, 0755u) << sub;
  }
  struct stat st;
  ASSERT_EQ(::stat((dir + "/root/srv/app/run me.sh").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  llvm::sys::fs::remove_directories(dir);
}

TEST(NodeConfig, SpecTargetIsNotReplaced) {
  plan::Node n = node();
  plan::Unit t;
  t.name = "rig.target";
  t.content = "[Unit]\nDescription=custom\n";
  n.units.push_back(t);
  auto c = renderNodeConfig(n, hostEtc());
  ASSERT_TRUE(bool(c));
  EXPECT_EQ(fileOf(*c, "/etc/systemd/system/rig.target")->content, t.content);
  int count = 0;
  for (auto& f : c->files) count += f.path == "/etc/systemd/system/rig.target";
  EXPECT_EQ(count, 1);
}

TEST(NodeConfig, UnknownFileOwnerIsAnError) {
  plan::Node n = node();
  n.files[0].owner = "mallory";
  auto c = renderNodeConfig(n, hostEtc());
  ASSERT_FALSE(bool(c));
  EXPECT_EQ(llvm::toString(c.takeError()),
            "file `/srv/app/run me.sh`: unknown user `mallory`: neither the "
            "host nor the "
            "node defines it");
}

TEST(NodeConfig, FieldEncoding) {
  EXPECT_EQ(encodeManifestField("a b%c\nd"), "a%20b%25c%0Ad");
}

TEST(NodeConfig, ReadsTheHostsEtc) {
  auto h = readHostEtc("/etc");
  ASSERT_TRUE(bool(h)) << llvm::toString(h.takeError());
  EXPECT_NE(h->passwd.find("root:x:0:0:"), std::string::npos);
  for (auto& s : h->secrets)
    EXPECT_TRUE(llvm::StringRef(s).startswith("/etc/")) << s;
}

}  // namespace
}  // namespace rig::vm
