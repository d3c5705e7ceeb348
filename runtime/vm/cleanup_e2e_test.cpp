// SIGKILL, SIGTERM or SIGINT of rig mid-boot leaves no QEMU or vde_switch
// behind (label e2e).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"

namespace rig::vm {
namespace {

std::string processesMentioning(const std::string& needle) {
  auto r = host::run({"pgrep", "-a", "-f", needle});
  return r ? r->output : "";
}

// Starts the driver, waits until its QEMU and vde_switch run, sends `sig` to
// the driver alone, and checks that nothing of its run remains.
void killDriverMidBoot(int sig) {
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  std::string driver =
      (llvm::sys::path::parent_path(exe) + "/rig-vm-boot-driver").str();
  ASSERT_TRUE(llvm::sys::fs::exists(driver)) << driver;
  llvm::SmallString<128> base;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-cleanup", base));
  std::string runBase(base);

  host::SpawnOptions o;
  o.argv = {driver, runBase};
  o.outputPath = runBase + "/driver.log";
  auto child = host::spawn(o);
  ASSERT_TRUE(bool(child)) << llvm::toString(child.takeError());

  // Mid-boot: QEMU and the switch run, the agent has not answered yet.
  bool seen = false;
  for (int i = 0; i < 600 && !seen; ++i) {
    std::string ps = processesMentioning(runBase);
    seen = ps.find("qemu-system") != std::string::npos &&
           ps.find("vde_switch") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(seen) << "QEMU never started; driver log in " << runBase;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  printf("before: %s", processesMentioning(runBase).c_str());

  ::kill((*child)->pid(), sig);  // the driver only, not its group
  EXPECT_EQ((*child)->wait(10'000), 128 + sig);

  std::string left = "?";
  for (int i = 0; i < 100; ++i) {
    left = processesMentioning(runBase);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(left, "") << "still running after the driver got signal " << sig;
  llvm::sys::fs::remove_directories(runBase);
}

// PR_SET_PDEATHSIG (and vde_switch's stdin EOF): no handler runs.
TEST(CleanupE2E, SigkillOfTheDriverMidBootKillsQemuAndSwitches) {
  killDriverMidBoot(SIGKILL);
}

// The signal handlers kill the registered process groups, then re-raise; the
// driver's death then also fires PR_SET_PDEATHSIG, so this checks the outcome,
// not which of the two did it (rig_host_tests tests killAllChildren alone).
TEST(CleanupE2E, SigtermOfTheDriverMidBootKillsQemuAndSwitches) {
  killDriverMidBoot(SIGTERM);
}

// Ctrl-C.
TEST(CleanupE2E, SigintOfTheDriverMidBootKillsQemuAndSwitches) {
  killDriverMidBoot(SIGINT);
}

}  // namespace
}  // namespace rig::vm
