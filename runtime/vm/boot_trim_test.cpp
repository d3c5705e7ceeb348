// What a guest masks, and how a spec keeps a group by naming it.
#include "runtime/vm/boot_trim.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "runtime/vm/node_config.h"

namespace rig::vm {
namespace {

plan::Node plainNode() {
  plan::Node n;
  n.name = "server";
  plan::Unit web;
  web.name = "web.service";
  web.content = "[Service]\nExecStart=/bin/true\n";
  web.wantedBy = {"rig.target"};
  n.units = {web};
  return n;
}

bool has(const std::vector<std::string>& list, llvm::StringRef item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(BootTrim, EveryGroupIsMaskedByDefault) {
  BootTrim trim = bootTrimFor(plainNode(), "");
  EXPECT_TRUE(trim.keptGroups.empty());
  for (const char* unit :
       {"systemd-udevd.service", "systemd-udev-trigger.service",
        "systemd-udevd-control.socket", "systemd-udevd-kernel.socket",
        "systemd-random-seed.service", "systemd-binfmt.service",
        "sys-kernel-debug.mount", "modprobe@.service",
        "systemd-journal-flush.service", "systemd-update-utmp.service",
        "getty.target", "getty-static.service"})
    EXPECT_TRUE(has(trim.units, unit)) << unit;
  for (const char* generator :
       {"postgresql-generator", "systemd-getty-generator",
        "systemd-fstab-generator", "systemd-gpt-auto-generator"})
    EXPECT_TRUE(has(trim.generators, generator)) << generator;
  // What every service's default dependencies or the spec's tools rely on
  // stays: journald (the console log), tmpfiles, sysctl, dbus, mqueue; the
  // command-line and SysV generators.
  for (const char* unit :
       {"systemd-journald.service", "systemd-tmpfiles-setup.service",
        "systemd-sysctl.service", "dbus.socket", "dev-mqueue.mount",
        "kmod-static-nodes.service"})
    EXPECT_FALSE(has(trim.units, unit)) << unit;
  for (const char* generator :
       {"systemd-debug-generator", "systemd-run-generator",
        "systemd-sysv-generator"})
    EXPECT_FALSE(has(trim.generators, generator)) << generator;
}

TEST(BootTrim, AUnitOfTheNodeThatNamesAGroupKeepsIt) {
  plan::Node n = plainNode();
  n.units[0].content =
      "[Unit]\nRequires=systemd-udevd.service\nAfter=systemd-udevd.service\n"
      "[Service]\nExecStart=/bin/true\n";
  BootTrim trim = bootTrimFor(n, "");
  EXPECT_EQ(trim.keptGroups, std::vector<std::string>{"udev"});
  // The whole group: udevd without its sockets and coldplug is not udev.
  EXPECT_FALSE(has(trim.units, "systemd-udevd.service"));
  EXPECT_FALSE(has(trim.units, "systemd-udev-trigger.service"));
  EXPECT_FALSE(has(trim.units, "systemd-udevd-kernel.socket"));
  EXPECT_TRUE(has(trim.units, "systemd-random-seed.service"));
}

TEST(BootTrim, DeviceUnitsNeedUdev) {
  plan::Node n = plainNode();
  n.units[0].content =
      "[Unit]\nBindsTo=sys-subsystem-net-devices-eth0.device\n";
  EXPECT_EQ(bootTrimFor(n, "").keptGroups, std::vector<std::string>{"udev"});
}

TEST(BootTrim, TheTestsKeepWhatTheyName) {
  BootTrim trim =
      bootTrimFor(plainNode(), "systemd-random-seed.service\nudevadm settle\n");
  EXPECT_EQ(trim.keptGroups, (std::vector<std::string>{"udev", "random-seed"}));
  EXPECT_FALSE(has(trim.units, "systemd-random-seed.service"));
  EXPECT_FALSE(has(trim.units, "systemd-udevd.service"));
}

TEST(BootTrim, FilesKernelParamsAndOwnUnitsKeepTheirGroups) {
  plan::Node n = plainNode();
  plan::File fstab;
  fstab.path = "/etc/fstab";
  n.files = {fstab};
  n.kernelParams = {"systemd.wants=systemd-binfmt.service"};
  plan::Unit seed;
  seed.name = "systemd-random-seed.service";
  seed.content = "[Service]\nExecStart=/bin/true\n";
  n.units.push_back(seed);
  BootTrim trim = bootTrimFor(n, "");
  EXPECT_EQ(trim.keptGroups, (std::vector<std::string>{"random-seed", "binfmt",
                                                       "fstab-generator"}));
  EXPECT_FALSE(has(trim.generators, "systemd-fstab-generator"));
}

TEST(BootTrim, ProgramStringsCoverTestsFnsAndGlobals) {
  plan::Plan p;
  plan::Expr lit;
  lit.literal = Value::string("systemd-udevd.service");
  plan::Expr call;
  call.kind = plan::ExprKind::Method;
  call.name = "wait_for_unit";
  plan::Expr machine;
  machine.kind = plan::ExprKind::Var;
  machine.name = "server";
  call.args = {machine, lit};
  plan::Stmt eval;
  eval.expr = call;
  plan::Stmt nested;
  nested.kind = plan::StmtKind::If;
  nested.expr = plan::Expr{};
  plan::Expr interp;
  interp.kind = plan::ExprKind::Interpolate;
  plan::Expr part;
  part.literal = Value::string("udevadm trigger ");
  interp.args = {part};
  plan::Stmt inner;
  inner.expr = interp;
  nested.elseBody = {inner};
  plan::Test t;
  t.body = {eval, nested};
  p.tests = {t};
  plan::Function f;
  plan::Param param;
  plan::Expr def;
  def.literal = Value::list({Value::string("binfmt-thing")});
  param.defaultValue = def;
  f.params = {param};
  p.functions = {f};
  plan::Expr g;
  g.literal = Value::string("journal-flush");
  p.globals = {{"x", g}};
  std::string text = programStrings(p);
  for (const char* s : {"systemd-udevd.service", "udevadm trigger ",
                        "binfmt-thing", "journal-flush"})
    EXPECT_NE(text.find(s), std::string::npos) << s << " in " << text;
}

TEST(BootTrim, TheManifestMasksBeforeEnabling) {
  BootTrim trim = bootTrimFor(plainNode(), "");
  auto config = renderNodeConfig(
      plainNode(),
      HostEtc{"root:x:0:0::/root:/bin/sh\n", "root:x:0:\n", {}, {}}, {}, trim);
  ASSERT_TRUE(!!config) << llvm::toString(config.takeError());
  const std::string& m = config->manifest;
  size_t mask = m.find(
      "symlink /dev/null /etc/systemd/system/systemd-udev-trigger.service\n");
  size_t generator = m.find(
      "symlink /dev/null "
      "/etc/systemd/system-generators/systemd-getty-generator\n");
  size_t enable = m.find("symlink /etc/systemd/system/web.service");
  EXPECT_NE(mask, std::string::npos) << m;
  EXPECT_NE(generator, std::string::npos) << m;
  EXPECT_LT(mask, enable);
  // The guest says what was masked.
  auto record = std::find_if(config->files.begin(), config->files.end(),
                             [](const NodeConfig::RootFile& f) {
                               return f.path == "/etc/rig/masked";
                             });
  ASSERT_NE(record, config->files.end());
  EXPECT_NE(record->content.find("\nsystemd-random-seed.service\n"),
            std::string::npos);
  EXPECT_NE(record->content.find("system-generators/postgresql-generator\n"),
            std::string::npos);

  // No trim, no masks (rig-vm-boot-driver, tests of the renderer).
  auto plain = renderNodeConfig(
      plainNode(),
      HostEtc{"root:x:0:0::/root:/bin/sh\n", "root:x:0:\n", {}, {}});
  ASSERT_TRUE(!!plain);
  EXPECT_EQ(plain->manifest.find("/dev/null"), std::string::npos);
}

}  // namespace
}  // namespace rig::vm
