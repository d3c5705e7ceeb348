#include "compiler/lint/units.h"

#include <gtest/gtest.h>

#include "compiler/lint/lint.h"

namespace rig::lint {
namespace {

TEST(Units, ServiceNames) {
  EXPECT_EQ(serviceUnitName("todo-api"), "todo-api.service");
  EXPECT_EQ(serviceUnitName("nginx.service"), "nginx.service");
  EXPECT_EQ(fullUnitName("multi-user.target"), "multi-user.target");
  EXPECT_EQ(fullUnitName(".service"), ".service.service");
}

TEST(Units, Templates) {
  EXPECT_EQ(templateOf("getty@tty1.service"), "getty@.service");
  EXPECT_EQ(templateOf("nginx.service"), "");
  EXPECT_EQ(templateOf("x@.service"), "");
}

TEST(Units, ListedHostUnits) {
  std::string units[] = {"ssh.service", "getty@.service"};
  ListedHostUnits host(units);
  EXPECT_TRUE(host.ships("ssh.service"));
  EXPECT_TRUE(host.ships("getty@tty1.service"));
  EXPECT_FALSE(host.ships("nginx.service"));
}

TEST(Units, SystemHostUnitsReadsTheHost) {
  // Every Debian host with systemd ships journald; skip elsewhere.
  std::unique_ptr<HostUnits> host = systemHostUnits();
  if (!host->ships("systemd-journald.service"))
    GTEST_FAIL() << "no systemd units on this host: apt-get install systemd";
  EXPECT_FALSE(host->ships("rig-no-such-unit.service"));
}

}  // namespace
}  // namespace rig::lint
