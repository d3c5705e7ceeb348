#include "runtime/container/nspawn_command.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace rig::container {
namespace {

bool has(const std::vector<std::string>& argv, const std::string& arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

NspawnConfig sample() {
  NspawnConfig c;
  c.netnsPath = "/proc/42/ns/net";
  c.machineName = "rig-web-abc-alpha";
  c.guestBinary = "/b/rig-guest";
  c.rootDir = "/r/alpha/root";
  c.etcUpper = "/r/alpha/etc.upper";
  c.configDir = "/r/alpha/config";
  c.hostDir = "/r/alpha/host";
  c.shares = {{"prep0", "/cache/prep/x"}};
  c.bootTarget = "web.target";
  return c;
}

TEST(NspawnCommand, JoinsTheRunNamespaceAndBuildsTheVmRoot) {
  auto argv = nspawnCommandLine(sample());
  ASSERT_GE(argv.size(), 4u);
  EXPECT_EQ(argv[0], "nsenter");
  EXPECT_EQ(argv[1], "--net=/proc/42/ns/net");
  EXPECT_EQ(argv[3], "systemd-nspawn");
  // The node's root in the run directory with the host's /usr read-only,
  // /etc over the host's.
  EXPECT_TRUE(has(argv, "--directory=/r/alpha/root"));
  EXPECT_TRUE(has(argv, "--bind-ro=/usr"));
  EXPECT_FALSE(has(argv, "--volatile=yes"));
  EXPECT_TRUE(has(argv, "--overlay=/etc:/r/alpha/etc.upper:/etc"));
  EXPECT_TRUE(has(argv, "--private-network"));
  EXPECT_TRUE(has(argv, "--bind-ro=/r/alpha/config:/.rig/config"));
  EXPECT_TRUE(has(argv, "--bind=/r/alpha/host:/.rig/host"));
  EXPECT_TRUE(has(argv, "--bind-ro=/cache/prep/x:/.rig/shares/prep0"));
  EXPECT_TRUE(has(argv, "--machine=rig-web-abc-alpha"));
  EXPECT_TRUE(has(argv, "--console=read-only"));
}

TEST(NspawnCommand, RigGuestIsPidOneAndStartsTheNodesTarget) {
  auto argv = nspawnCommandLine(sample());
  auto it = std::find(argv.begin(), argv.end(), "/.rig/rig-guest");
  ASSERT_NE(it, argv.end());
  ASSERT_NE(it + 1, argv.end());
  EXPECT_EQ(*(it + 1), "container-init");
  EXPECT_TRUE(std::find(it, argv.end(), "systemd.unit=web.target") !=
              argv.end());
  EXPECT_TRUE(has(argv, "systemd.journald.forward_to_console=1"));
}

TEST(NspawnCommand, WithoutARunNamespaceNspawnRunsDirectly) {
  NspawnConfig c = sample();
  c.netnsPath.clear();
  auto argv = nspawnCommandLine(c);
  EXPECT_EQ(argv[0], "systemd-nspawn");
  EXPECT_TRUE(has(argv, "--private-network"));
}

TEST(NspawnCommand, MachineNames) {
  EXPECT_EQ(machineNameFor("rig-todos_app-Xy12-web"), "rig-todos-app-Xy12-web");
  EXPECT_EQ(machineNameFor("__"), "rig");
  EXPECT_EQ(machineNameFor(std::string(80, 'a')).size(), 64u);
}

}  // namespace
}  // namespace rig::container
