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

TEST(Units, ListedHostFacts) {
  std::string units[] = {"ssh.service", "getty@.service"};
  ListedHostFacts host(units);
  EXPECT_TRUE(host.ships("ssh.service"));
  EXPECT_TRUE(host.ships("getty@tty1.service"));
  EXPECT_FALSE(host.ships("nginx.service"));
}

TEST(Units, SystemHostFactsReadsTheHost) {
  // Every Debian host with systemd ships journald; skip elsewhere.
  std::unique_ptr<HostFacts> host = systemHostFacts();
  if (!host->ships("systemd-journald.service"))
    GTEST_FAIL() << "no systemd units on this host: apt-get install systemd";
  EXPECT_FALSE(host->ships("rig-no-such-unit.service"));
}

TEST(Units, SystemHostFactsReadsTheAccounts) {
  std::unique_ptr<HostFacts> host = systemHostFacts();
  EXPECT_TRUE(host->hasUser("root"));
  EXPECT_TRUE(host->hasGroup("root"));
  EXPECT_FALSE(host->hasUser("rig-no-such-user"));
  EXPECT_FALSE(host->hasGroup("rig-no-such-group"));
}

TEST(Units, ListedHostFactsAccounts) {
  std::string users[] = {"postgres"}, groups[] = {"staff"};
  ListedHostFacts host({}, {}, users, groups);
  EXPECT_TRUE(host.hasUser("postgres"));
  EXPECT_FALSE(host.hasUser("staff"));
  EXPECT_TRUE(host.hasGroup("staff"));
  EXPECT_FALSE(host.hasGroup("postgres"));
}

}  // namespace
}  // namespace rig::lint
