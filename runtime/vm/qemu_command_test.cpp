#include "runtime/vm/qemu_command.h"

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::vm {
namespace {

QemuConfig sample() {
  QemuConfig c;
  c.name = "server";
  c.memoryBytes = 1ll << 30;
  c.cpus = 2;
  c.kernel = "/boot/vmlinuz-6.1.0-56-amd64";
  c.initrd = "/cache/initramfs-abc.cpio";
  c.kernelParams = {"loglevel=4"};
  c.consoleLog = "/run/r/server/console.log";
  c.qmpSocket = "/run/r/server/qmp.sock";
  c.agentSocket = "/run/r/server/agent.sock";
  c.shellSocket = "/run/r/server/shell.sock";
  c.configDir = "/run/r/server/config";
  c.nics = {{1, "52:54:00:01:01:01", "/run/r/vlan1.ctl"},
            {2, "52:54:00:02:01:01", "/run/r/vlan2.ctl"}};
  return c;
}

TEST(QemuCommand, KernelCommandLine) {
  EXPECT_EQ(kernelCommandLine(sample()),
            "console=ttyS0 quiet systemd.unit=rig.target "
            "systemd.journald.forward_to_console=1 panic=-1 no_timer_check "
            "loglevel=4");
  QemuConfig c = sample();
  c.quiet = false;
  c.bootTarget = "other.target";
  c.kernelParams.clear();
  EXPECT_EQ(kernelCommandLine(c),
            "console=ttyS0 systemd.unit=other.target "
            "systemd.journald.forward_to_console=1 panic=-1 no_timer_check");
}

TEST(QemuCommand, StateDiskIsTheFirstDisk) {
  QemuConfig c = sample();
  c.stateDisk = "/run/r/server/state.img";
  EXPECT_NE(kernelCommandLine(c).find(" rig.state=/dev/vda "),
            std::string::npos);
  std::string line = llvm::join(qemuCommandLine(c), " ");
  EXPECT_NE(line.find("-drive if=none,id=state,format=raw,cache=unsafe,"
                      "file=/run/r/server/state.img "
                      "-device virtio-blk-pci,drive=state,serial=rig-state "),
            std::string::npos)
      << line;
  EXPECT_EQ(kernelCommandLine(sample()).find("rig.state"), std::string::npos);
}

TEST(QemuCommand, FullLineUnderTcg) {
  std::string line = llvm::join(qemuCommandLine(sample()), " ");
  EXPECT_EQ(
      line,
      "qemu-system-x86_64 -name server -accel tcg -m 1024M -smp 2 -nographic "
      "-nodefaults -no-reboot -kernel /boot/vmlinuz-6.1.0-56-amd64 "
      "-initrd /cache/initramfs-abc.cpio -append console=ttyS0 quiet "
      "systemd.unit=rig.target systemd.journald.forward_to_console=1 panic=-1 "
      "no_timer_check "
      "loglevel=4 -chardev "
      "file,id=con,path=/run/r/server/console.log,append=on "
      "-serial chardev:con -qmp unix:/run/r/server/qmp.sock,server=on,wait=off "
      "-virtfs local,path=/usr,mount_tag=usr,security_model=none,readonly=on,"
      "multidevs=remap "
      "-virtfs local,path=/etc,mount_tag=etc,security_model=none,readonly=on,"
      "multidevs=remap "
      "-virtfs "
      "local,path=/run/r/server/config,mount_tag=rigcfg,security_model=none,"
      "readonly=on "
      "-device virtio-serial-pci "
      "-chardev "
      "socket,id=agent,path=/run/r/server/agent.sock,server=on,wait=off "
      "-device virtserialport,chardev=agent,name=org.rig.agent "
      "-chardev "
      "socket,id=shell,path=/run/r/server/shell.sock,server=on,wait=off "
      "-device virtserialport,chardev=shell,name=org.rig.shell "
      "-netdev vde,id=vlan1,sock=/run/r/vlan1.ctl "
      "-device virtio-net-pci,netdev=vlan1,mac=52:54:00:01:01:01 "
      "-netdev vde,id=vlan2,sock=/run/r/vlan2.ctl "
      "-device virtio-net-pci,netdev=vlan2,mac=52:54:00:02:01:01");
}

TEST(QemuCommand, KvmUsesTheHostCpu) {
  QemuConfig c = sample();
  c.accel = host::Accel::Kvm;
  auto argv = qemuCommandLine(c);
  std::string line = llvm::join(argv, " ");
  EXPECT_NE(line.find("-accel kvm -cpu host"), std::string::npos);
}

TEST(QemuCommand, NoUserModeNetworkEver) {
  std::string line = llvm::join(qemuCommandLine(sample()), " ");
  EXPECT_EQ(line.find("user"), std::string::npos);
  EXPECT_EQ(line.find("-nic"), std::string::npos);
  EXPECT_NE(line.find("-nodefaults"), std::string::npos);
}

TEST(QemuCommand, PreparedSharesAndCommasInPaths) {
  QemuConfig c = sample();
  c.shares = {{"prep0", "/cache/prepare/a,b"}};
  std::string line = llvm::join(qemuCommandLine(c), " ");
  EXPECT_NE(line.find("-virtfs local,path=/cache/prepare/a,,b,mount_tag=prep0,"
                      "security_model=none,readonly=on,multidevs=remap"),
            std::string::npos);
}

TEST(QemuCommand, MemoryRoundsUpToMebibytes) {
  QemuConfig c = sample();
  c.memoryBytes = (512ll << 20) + 1;
  auto argv = qemuCommandLine(c);
  auto it = std::find(argv.begin(), argv.end(), "-m");
  ASSERT_NE(it, argv.end());
  EXPECT_EQ(*(it + 1), "513M");
}

}  // namespace
}  // namespace rig::vm
