// Boots real VMs under QEMU (label e2e): two nodes on one vlan.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/process.h"
#include "runtime/vm/cluster.h"
#include "runtime/vm/e2e_node.h"

namespace rig::vm {
namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

// The processes whose command line mentions `needle` (pgrep -f).
std::string processesMentioning(const std::string& needle) {
  auto r = host::run({"pgrep", "-a", "-f", needle});
  return r ? r->output : "";
}

std::string run(Machine& m, const std::string& cmd, int* status = nullptr) {
  ExecRequest req;
  req.command = cmd;
  req.timeoutMs = 60'000;
  auto r = m.execute(req);
  if (!r) {
    ADD_FAILURE() << cmd << ": " << llvm::toString(r.takeError());
    return "";
  }
  if (status) *status = r->status;
  return r->stdoutText;
}

// Polls `cmd` until its stdout (trimmed) is `want`.
bool waitFor(Machine& m, const std::string& cmd, const std::string& want,
             double seconds) {
  auto start = std::chrono::steady_clock::now();
  while (secondsSince(start) < seconds) {
    if (llvm::StringRef(run(m, cmd)).trim() == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

TEST(QemuMachineE2E, TwoNodesBootServeAndLoseTheirLink) {
  std::vector<std::pair<std::string, int>> all = {{"alpha", 1}, {"beta", 2}};
  std::vector<plan::Node> nodes = {testing::webNode("alpha", 1, all),
                                   testing::webNode("beta", 2, all)};
  ClusterOptions o;
  o.suiteName = "vm-e2e";
  auto cluster = Cluster::create(nodes, o);
  ASSERT_TRUE(bool(cluster)) << llvm::toString(cluster.takeError());
  Cluster& c = **cluster;
  std::string runDir = c.runDir();
  printf("run dir %s\naccel: %s\ninitrd %s\n", runDir.c_str(),
         c.accelReason().c_str(), c.initrd().c_str());
  NodeMachine& alpha = *c.machine("alpha");
  NodeMachine& beta = *c.machine("beta");
  EXPECT_EQ(alpha.state(), MachineState::Off);
  auto notYet = alpha.execute({"true", 0, {}});
  ASSERT_FALSE(bool(notYet));
  EXPECT_NE(llvm::toString(notYet.takeError()).find("is not running"),
            std::string::npos);

  auto start = std::chrono::steady_clock::now();
  llvm::Error booted = c.startAll(600'000);
  ASSERT_FALSE(bool(booted)) << llvm::toString(std::move(booted));
  printf(
      "both booted in %.1f s (spawn to agent / to systemd up: alpha %.1f / "
      "%.1f s, "
      "beta %.1f / %.1f s)\n",
      secondsSince(start), alpha.lastAgentMs() / 1000,
      alpha.lastBootMs() / 1000, beta.lastAgentMs() / 1000,
      beta.lastBootMs() / 1000);
  EXPECT_EQ(alpha.state(), MachineState::Running);

  EXPECT_EQ(run(alpha, "hostname"), "alpha\n");
  EXPECT_EQ(run(beta, "hostname"), "beta\n");
  EXPECT_TRUE(waitFor(alpha, "systemctl is-active web.service", "active", 180))
      << alpha.consoleTail(40);
  EXPECT_EQ(llvm::StringRef(run(alpha,
                                "systemctl is-active postgresql.service "
                                "redis-server.service nginx.service | sort -u"))
                .trim(),
            "inactive");
  // A new normal user: the first uid from 1000 that the host does not use.
  int uid = 0;
  EXPECT_FALSE(
      llvm::StringRef(run(alpha, "id -u alice")).trim().getAsInteger(10, uid));
  EXPECT_GE(uid, 1000);
  EXPECT_EQ(
      llvm::StringRef(run(alpha, "cut -d: -f2 /etc/shadow | sort -u")).trim(),
      "!");

  // Ports, natively from the agent.
  bool open = false;
  for (int i = 0; i < 60 && !open; ++i) {
    auto r = alpha.isPortOpen("127.0.0.1", 8080);
    ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
    open = *r;
    if (!open) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_TRUE(open);
  auto closed = alpha.isPortOpen("127.0.0.1", 8081);
  ASSERT_TRUE(bool(closed));
  EXPECT_FALSE(*closed);

  // Across the vde switch, by name: curl, the agent's HTTP and port check.
  EXPECT_TRUE(waitFor(beta, "curl -s -m 10 http://alpha:8080/index.html",
                      "hello from alpha", 60))
      << beta.consoleTail(20);
  HttpRequest get;
  get.url = "http://alpha:8080/index.html";
  get.timeoutMs = 10'000;
  auto response = beta.http(get);
  ASSERT_TRUE(bool(response)) << llvm::toString(response.takeError());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello from alpha\n");
  auto fromBeta = beta.isPortOpen("alpha", 8080);
  ASSERT_TRUE(bool(fromBeta));
  EXPECT_TRUE(*fromBeta);

  // Cut alpha's link: the guest sees no carrier and beta cannot reach it.
  ASSERT_FALSE(bool(alpha.setLinksUp(false)));
  const std::string carrier =
      "for i in /sys/class/net/*; do [ \"$(cat $i/address)\" = "
      "52:54:00:01:01:01 ] && "
      "cat $i/carrier; done";
  EXPECT_TRUE(waitFor(alpha, carrier, "0", 10));
  int status = 0;
  run(beta, "curl -s -m 3 http://alpha:8080/index.html", &status);
  EXPECT_NE(status, 0);
  ASSERT_FALSE(bool(alpha.setLinksUp(true)));
  EXPECT_TRUE(waitFor(alpha, carrier, "1", 10));
  EXPECT_TRUE(waitFor(beta, "curl -s -m 10 http://alpha:8080/index.html",
                      "hello from alpha", 60));

  auto monitor = alpha.monitorCommand("info status");
  ASSERT_TRUE(bool(monitor)) << llvm::toString(monitor.takeError());
  EXPECT_NE(monitor->find("running"), std::string::npos);
  EXPECT_NE(alpha.consoleText().find("rig-guest"), std::string::npos)
      << alpha.consoleText();
  // journald forwards service logs to the serial console (the node's log).
  run(alpha, "echo rig-console-check | systemd-cat -t rigtest");
  bool logged = false;
  for (int i = 0; i < 100 && !logged; ++i) {
    logged = alpha.consoleText().find("rig-console-check") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(logged) << alpha.consoleTail(20);

  // A crash makes QEMU go; the machine is Off and says so.
  ASSERT_FALSE(bool(beta.crash()));
  EXPECT_EQ(beta.state(), MachineState::Off);

  // The end of a suite: stop() everything; nothing of this run remains.
  EXPECT_NE(processesMentioning(runDir), "");
  auto stopStart = std::chrono::steady_clock::now();
  c.stopAll();
  printf("stopAll took %.2f s\n", secondsSince(stopStart));
  EXPECT_EQ(alpha.state(), MachineState::Off);
  auto after = alpha.execute({"true", 0, {}});
  ASSERT_FALSE(bool(after));
  llvm::consumeError(after.takeError());
  EXPECT_EQ(processesMentioning(runDir + "/alpha"), "");
  cluster->reset();
  EXPECT_EQ(processesMentioning(runDir), "");
  EXPECT_FALSE(llvm::sys::fs::exists(runDir));
  EXPECT_EQ(host::liveChildCount(), 0u);
}

TEST(ClusterTest, MissingHostPackagesStopEverythingEarly) {
  std::vector<plan::Node> nodes = {testing::webNode("eps", 5, {{"eps", 5}})};
  nodes[0].packages = {"dpkg", "rig-no-such-package"};
  auto cluster = Cluster::create(nodes, ClusterOptions{});
  ASSERT_FALSE(bool(cluster));
  EXPECT_EQ(llvm::toString(cluster.takeError()),
            "host packages missing: rig-no-such-package (the guests see the "
            "host's /usr); "
            "install them with `apt-get install rig-no-such-package`");
}

TEST(QemuMachineE2E, ShutdownDeathAndRestart) {
  std::vector<plan::Node> nodes = {
      testing::webNode("gamma", 3, {{"gamma", 3}})};
  ClusterOptions o;
  o.suiteName = "vm-e2e-power";
  auto cluster = Cluster::create(nodes, o);
  ASSERT_TRUE(bool(cluster)) << llvm::toString(cluster.takeError());
  NodeMachine& m = *(*cluster)->machine("gamma");
  llvm::Error err = m.start(600'000);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  printf("gamma: spawn to agent %.1f s, to systemd up %.1f s\n",
         m.lastAgentMs() / 1000, m.lastBootMs() / 1000);

  // QEMU killed behind rig's back: Dead, and calls carry the console tail.
  pid_t pid = m.processPid();
  ASSERT_GT(pid, 0);
  kill(pid, SIGKILL);
  auto dead = m.execute({"hostname", 0, {}});
  ASSERT_FALSE(bool(dead));
  std::string why = llvm::toString(dead.takeError());
  EXPECT_NE(why.find("is dead"), std::string::npos) << why;
  EXPECT_NE(why.find("--- console of gamma"), std::string::npos) << why;
  EXPECT_EQ(m.state(), MachineState::Dead);

  // start() again boots it afresh; a graceful shutdown then powers it off.
  err = m.start(600'000);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(run(m, "hostname"), "gamma\n");
  EXPECT_EQ(run(m, "systemctl is-system-running --wait"), "running\n")
      << m.consoleTail(30);
  ASSERT_FALSE(bool(m.writeFile("/var/tmp/marker", "before reboot", 0644)));

  // reboot() = graceful shutdown + a fresh boot from the node's state disk:
  // what the guest wrote is still there, as on a machine with a disk.
  auto t = std::chrono::steady_clock::now();
  err = m.reboot(600'000);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  printf("reboot took %.1f s\n", secondsSince(t));
  EXPECT_EQ(run(m, "hostname"), "gamma\n");
  int status = 0;
  run(m, "test -e /var/tmp/marker", &status);
  EXPECT_EQ(status, 0);

  // A power-off the guest starts itself, awaited with waitForShutdown().
  run(m, "systemctl poweroff --no-block");
  t = std::chrono::steady_clock::now();
  err = m.waitForShutdown(120'000);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  printf("guest poweroff took %.1f s\n", secondsSince(t));
  EXPECT_EQ(m.state(), MachineState::Off);
  EXPECT_EQ(m.processPid(), -1);
  EXPECT_FALSE(bool(m.shutdown(1'000)));  // already off: nothing to do
}

}  // namespace
}  // namespace rig::vm
