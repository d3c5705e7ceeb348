#include <sys/stat.h>

#include <unistd.h>
#include <chrono>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/accel.h"
#include "runtime/host/doctor.h"
#include "runtime/host/kernel.h"
#include "runtime/host/packages.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

std::string tempDir() {
  llvm::SmallString<128> dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-host-test", dir));
  return std::string(dir);
}

void touch(const std::string& path) {
  ASSERT_FALSE(bool(writeFileAtomically(path, "x")));
}

TEST(Kernel, PicksTheNewestWithModules) {
  std::string d = tempDir();
  mkdir((d + "/boot").c_str(), 0755);
  mkdir((d + "/modules").c_str(), 0755);
  touch(d + "/boot/vmlinuz-6.1.0-9-amd64");
  touch(d + "/boot/vmlinuz-6.1.0-10-amd64");
  touch(d + "/boot/vmlinuz-6.5.0-1-amd64");  // no modules: skipped
  mkdir((d + "/modules/6.1.0-9-amd64").c_str(), 0755);
  mkdir((d + "/modules/6.1.0-10-amd64").c_str(), 0755);
  KernelSearch s;
  s.bootDir = d + "/boot";
  s.modulesRoot = d + "/modules";
  auto k = findKernel(s);
  ASSERT_TRUE(bool(k)) << llvm::toString(k.takeError());
  EXPECT_EQ(k->version, "6.1.0-10-amd64");
  EXPECT_EQ(k->image, d + "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(k->modulesDir, d + "/modules/6.1.0-10-amd64");
  llvm::sys::fs::remove_directories(d);
}

TEST(Kernel, NoneSaysWhatToInstall) {
  std::string d = tempDir();
  KernelSearch s;
  s.bootDir = d;
  s.modulesRoot = d;
  auto k = findKernel(s);
  ASSERT_FALSE(bool(k));
  EXPECT_NE(
      llvm::toString(k.takeError()).find("apt-get install linux-image-amd64"),
      std::string::npos);
  llvm::sys::fs::remove_directories(d);
}

TEST(Kernel, ConfiguredImage) {
  KernelSearch s;
  s.image = "/nonexistent/vmlinuz-1.2.3";
  auto k = findKernel(s);
  ASSERT_FALSE(bool(k));
  EXPECT_NE(llvm::toString(k.takeError())
                .find("`/nonexistent/vmlinuz-1.2.3` does not exist"),
            std::string::npos);
}

TEST(Kernel, ThisHostHasOne) {
  auto k = findKernel();
  if (!k) GTEST_FAIL() << llvm::toString(k.takeError());
  EXPECT_TRUE(llvm::sys::fs::exists(k->image));
}

TEST(Packages, ParsesDpkgOutput) {
  auto missing =
      missingFromDpkgOutput({"curl", "postgresql", "nosuchpkg", "libc6:amd64"},
                            "curl install ok installed\n"
                            "postgresql deinstall ok config-files\n"
                            "dpkg-query: no packages found matching nosuchpkg\n"
                            "libc6 install ok installed\n");
  EXPECT_EQ(missing, (std::vector<std::string>{"postgresql", "nosuchpkg"}));
  EXPECT_EQ(aptGetLine(missing), "apt-get install postgresql nosuchpkg");
}

TEST(Packages, AsksDpkg) {
  if (access("/usr/bin/dpkg-query", X_OK) != 0)
    GTEST_FAIL() << "this test needs dpkg-query (a Debian host)";
  auto missing = missingPackages({"dpkg", "rig-surely-not-a-package"});
  ASSERT_TRUE(bool(missing)) << llvm::toString(missing.takeError());
  EXPECT_EQ(*missing, std::vector<std::string>{"rig-surely-not-a-package"});
}

TEST(RunDir, PrivateAndRemoved) {
  std::string base = tempDir();
  std::string path;
  {
    auto r = RunDir::create("my suite/with:odd chars and a long name", base);
    ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
    path = (*r)->path();
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(path.find(' '), std::string::npos);
    EXPECT_TRUE(
        llvm::StringRef(path).startswith(base + "/my_suite_with_odd_ch-"));
    touch(path + "/file");
  }
  EXPECT_FALSE(llvm::sys::fs::exists(path));
  {
    auto r = RunDir::create("kept", base);
    ASSERT_TRUE(bool(r));
    (*r)->keep();
    path = (*r)->path();
  }
  EXPECT_TRUE(llvm::sys::fs::exists(path));
  EXPECT_FALSE(llvm::sys::fs::exists(path + "/rig.pid"));

  // A run directory whose rig died (its pid is gone) goes at the next create.
  std::string stale = base + "/stale-abcdef";
  ASSERT_EQ(mkdir(stale.c_str(), 0700), 0);
  touch(stale + "/console.log");
  ASSERT_FALSE(bool(writeFileAtomically(stale + "/rig.pid", "999999999\n")));
  std::string live = base + "/live-abcdef";
  ASSERT_EQ(mkdir(live.c_str(), 0700), 0);
  ASSERT_FALSE(
      bool(writeFileAtomically(live + "/rig.pid", std::to_string(getpid()))));
  {
    auto r = RunDir::create("next", base);
    ASSERT_TRUE(bool(r));
    EXPECT_TRUE(llvm::sys::fs::exists((*r)->path() + "/rig.pid"));
  }
  EXPECT_FALSE(llvm::sys::fs::exists(stale));
  EXPECT_TRUE(llvm::sys::fs::exists(live));
  EXPECT_TRUE(llvm::sys::fs::exists(path)) << "kept";
  llvm::sys::fs::remove_directories(base);
}

TEST(Accel, ForcedAndFlagless) {
  AccelOptions o;
  o.forced = "tcg";
  auto c = chooseAccel(o);
  ASSERT_TRUE(bool(c));
  EXPECT_EQ(c->accel, Accel::Tcg);
  o.forced = "fast";
  auto bad = chooseAccel(o);
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "accel must be \"kvm\" or \"tcg\", not \"fast\"");

  std::string d = tempDir();
  ASSERT_FALSE(bool(writeFileAtomically(
      d + "/cpuinfo", "processor\t: 0\nflags\t\t: fpu sse2 hypervisor\n")));
  AccelOptions f;
  f.cpuinfoPath = d + "/cpuinfo";
  f.kvmDevice = "/dev/null";  // exists and opens
  f.useCache = false;
  auto noflag = chooseAccel(f);
  ASSERT_TRUE(bool(noflag));
  EXPECT_EQ(noflag->accel, Accel::Tcg);
  EXPECT_EQ(
      noflag->reason,
      "kvm: /dev/null present but the CPU has no vmx/svm flag; using tcg");
  f.kvmDevice = d + "/kvm";
  auto nodev = chooseAccel(f);
  ASSERT_TRUE(bool(nodev));
  EXPECT_EQ(nodev->reason, "kvm: " + d + "/kvm is missing; using tcg (slow)");
  llvm::sys::fs::remove_directories(d);
}

TEST(Accel, ThisHost) {
  auto k = findKernel();
  if (!k) GTEST_FAIL() << "no host kernel: apt-get install linux-image-amd64";
  AccelOptions o;
  o.kernel = *k;
  o.useCache = false;
  auto c = chooseAccel(o);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_FALSE(c->reason.empty());
  printf("acceleration here: %s\n", c->reason.c_str());
}

// Boots a probe VM under -accel kvm even though the CPU flags say no: here
// it hangs and the probe must give up within its limit (ctest label e2e).
TEST(AccelProbe, GivesUpOnAHangingKvmGuest) {
  auto k = findKernel();
  if (!k) GTEST_FAIL() << "no host kernel: apt-get install linux-image-amd64";
  if (access("/dev/kvm", R_OK | W_OK) != 0) GTEST_SKIP() << "no /dev/kvm";
  AccelOptions o;
  o.kernel = *k;
  o.useCache = false;
  o.probeEvenWithoutCpuFlags = true;
  o.probeTimeoutMs = 4'000;
  auto start = std::chrono::steady_clock::now();
  auto c = chooseAccel(o);
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  printf("probe: %s (%.1f s)\n", c->reason.c_str(), s);
  EXPECT_LT(s, 10);
  if (c->accel == Accel::Tcg) {
    EXPECT_NE(c->reason.find("using tcg"), std::string::npos);
  }
}

TEST(Doctor, ListsEveryRequirement) {
  DoctorOptions o;
  o.probeAccel = false;
  o.guestBinary = "/nonexistent/rig-guest";
  o.kernelModules = {"virtio_console", "9p", "rig_no_such_module"};
  auto checks = doctor(o);
  std::vector<std::string> names;
  for (auto& c : checks) names.push_back(c.name);
  for (const char* n : {"kernel", "qemu-system-x86_64", "vde_switch",
                        "modprobe", "systemd", "ip", "nft", "bwrap",
                        "systemd-nspawn", "nsenter", "rig-guest", "/dev/kvm"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  std::string text = renderDoctor(checks);
  EXPECT_NE(text.find("MISSING rig-guest"), std::string::npos) << text;
  auto kernel = findKernel();
  if (kernel) {
    EXPECT_NE(text.find("MISSING kernel modules      problems: "
                        "rig_no_such_module (missing)"),
              std::string::npos)
        << text;
  } else {
    llvm::consumeError(kernel.takeError());
  }
  EXPECT_FALSE(doctorPassed(checks));
  // Container nodes are optional: a missing systemd-nspawn never fails rig doctor.
  for (auto& c : checks)
    if (c.name == "systemd-nspawn") {
      EXPECT_FALSE(c.required);
    }
  printf("%s", text.c_str());
}

TEST(Doctor, RendersFixes) {
  std::vector<DoctorCheck> checks = {
      {"qemu-system-x86_64", false, true, "not found (runs the VMs)",
       "apt-get install qemu-system-x86"},
      {"vde_switch", false, true, "not found", "apt-get install vde2"},
      {"/dev/kvm", false, false, "missing; VMs run under tcg (slow)", ""},
      {"nft", true, true, "/usr/sbin/nft", ""},
  };
  EXPECT_EQ(
      renderDoctor(checks),
      "MISSING qemu-system-x86_64  not found (runs the VMs)\n"
      "        fix: apt-get install qemu-system-x86\n"
      "MISSING vde_switch          not found\n"
      "        fix: apt-get install vde2\n"
      "note    /dev/kvm            missing; VMs run under tcg (slow)\n"
      "ok      nft                 /usr/sbin/nft\n"
      "to install everything missing: apt-get install qemu-system-x86 vde2\n");
}

}  // namespace
}  // namespace rig::host
