// Containers booted for real (label e2e): two nodes on one vlan, the machine
// operations, and the cleanup when rig dies of SIGKILL mid-boot.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/container/container_backend.h"
#include "runtime/host/process.h"
#include "runtime/vm/cluster.h"
#include "runtime/vm/e2e_node.h"

namespace rig::container {
namespace {

using machine::MachineState;

std::string sh(vm::NodeMachine& m, const std::string& command) {
  machine::ExecRequest r;
  r.command = command;
  r.timeoutMs = 30'000;
  auto out = m.execute(r);
  if (!out) return "error: " + llvm::toString(out.takeError());
  return out->stdoutText + out->stderrText;
}

std::unique_ptr<vm::Cluster> twoNodes(const std::string& base) {
  std::vector<std::pair<std::string, int>> all = {{"alpha", 21}, {"beta", 22}};
  std::vector<plan::Node> nodes;
  for (auto& [name, n] : all) {
    nodes.push_back(vm::testing::webNode(name, n, all));
    nodes.back().backend = "container";
  }
  vm::ClusterOptions o;
  o.suiteName = "ct";
  o.runDirBase = base;
  o.containers = containerBackend("");  // rig-guest next to this test
  auto c = vm::Cluster::create(nodes, o);
  EXPECT_TRUE(bool(c)) << (c ? "" : llvm::toString(c.takeError()));
  return c ? std::move(*c) : nullptr;
}

TEST(ContainerE2E, TwoNodesBootTalkAndObeyPowerOperations) {
  std::string why = containersUnavailable();
  ASSERT_EQ(why, "") << "container nodes cannot run here";
  llvm::SmallString<128> base;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-ct", base));
  auto c = twoNodes(std::string(base));
  ASSERT_TRUE(c);
  ASSERT_FALSE(bool(c->startAll(60'000)));
  vm::NodeMachine& alpha = *c->machine("alpha");
  vm::NodeMachine& beta = *c->machine("beta");
  printf("alpha: agent %.0f ms, systemd %.0f ms\n", alpha.lastAgentMs(),
         alpha.lastBootMs());

  EXPECT_EQ(sh(alpha, "hostname"), "alpha\n");
  EXPECT_EQ(sh(beta, "cat /etc/hostname"), "beta\n");
  // start() returns once systemd answers; the spec's units come next.
  EXPECT_EQ(sh(alpha, "systemctl is-system-running --wait"), "running\n");
  EXPECT_EQ(sh(beta, "systemctl is-system-running --wait"), "running\n");
  EXPECT_EQ(sh(alpha, "systemctl is-active web.service"), "active\n");
  // The host's secrets are masked, its /usr is read-only.
  EXPECT_EQ(sh(alpha, "cut -d: -f2 /etc/shadow | sort -u"), "!\n");
  EXPECT_NE(sh(alpha, "touch /usr/rig-x 2>&1; echo $?"), "0\n");
  // The host's kernel is out of reach: no sysrq.
  EXPECT_EQ(
      sh(alpha,
         "test -w /proc/sysrq-trigger && echo writable || echo read-only"),
      "read-only\n");
  // The node config applied: a user, a file, the address on the vlan.
  EXPECT_EQ(sh(alpha, "id -un alice"), "alice\n");
  EXPECT_EQ(sh(alpha, "cat /srv/www/index.html"), "hello from alpha\n");

  // alpha reaches beta by name across the run's bridge.
  machine::HttpRequest get;
  get.url = "http://beta:8080/";
  get.timeoutMs = 10'000;
  auto r = alpha.http(get);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->body, "hello from beta\n");
  // No route out of the run.
  EXPECT_EQ(
      sh(alpha,
         "ip route get 1.1.1.1 >/dev/null 2>&1 && echo routed || echo none"),
      "none\n");

  // block: beta is unreachable, unblock: back.
  ASSERT_FALSE(bool(beta.setLinksUp(false)));
  auto open = alpha.isPortOpen("192.168.1.22", 8080);
  ASSERT_TRUE(bool(open));
  EXPECT_FALSE(*open);
  ASSERT_FALSE(bool(beta.setLinksUp(true)));
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    auto again = alpha.isPortOpen("192.168.1.22", 8080);
    back = again && *again;
    if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(back);

  // The console: systemd's and journald's lines.
  EXPECT_NE(alpha.consoleText().find("rig-guest: agent ready"),
            std::string::npos);

  // crash: killed at once; start boots it again.
  ASSERT_FALSE(bool(beta.crash()));
  EXPECT_EQ(beta.state(), MachineState::Off);
  ASSERT_FALSE(bool(beta.start(60'000)));
  EXPECT_EQ(
      sh(beta,
         "systemctl is-system-running --wait; systemctl is-active web.service"),
      "running\nactive\n");
  // A guest-side poweroff, then waitForShutdown.
  sh(beta, "systemctl poweroff --no-block");
  ASSERT_FALSE(bool(beta.waitForShutdown(30'000)));
  EXPECT_EQ(beta.state(), MachineState::Off);
  // shutdown through the agent.
  ASSERT_FALSE(bool(alpha.shutdown(30'000)));
  EXPECT_EQ(alpha.state(), MachineState::Off);
  // reboot = shutdown + start: the node keeps its root and /etc, as a VM
  // keeps its state disk.
  ASSERT_FALSE(bool(alpha.start(60'000)));
  sh(alpha, "echo x > /etc/rig-mark");
  ASSERT_FALSE(bool(alpha.reboot(60'000)));
  EXPECT_EQ(sh(alpha, "test -e /etc/rig-mark && echo kept || echo fresh"),
            "kept\n");
  c.reset();
  host::RunResult left = *host::run({"pgrep", "-a", "-f", std::string(base)});
  EXPECT_EQ(left.output, "");
}

std::vector<pid_t> descendants(pid_t pid) {
  std::vector<pid_t> out;
  for (pid_t c : host::childProcesses(pid)) {
    out.push_back(c);
    for (pid_t d : descendants(c)) out.push_back(d);
  }
  return out;
}

std::string comm(pid_t pid) {
  auto buf = llvm::MemoryBuffer::getFileAsStream("/proc/" +
                                                 std::to_string(pid) + "/comm");
  return buf ? llvm::StringRef((*buf)->getBuffer()).trim().str() : "";
}

std::string pidNamespace(pid_t pid) {
  char buf[64];
  std::string path = "/proc/" + std::to_string(pid) + "/ns/pid";
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

pid_t parentOf(pid_t pid) {
  auto buf = llvm::MemoryBuffer::getFileAsStream("/proc/" +
                                                 std::to_string(pid) + "/stat");
  if (!buf) return 0;
  // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
  llvm::StringRef rest =
      llvm::StringRef((*buf)->getBuffer()).rsplit(')').second.ltrim();
  long long ppid = 0;
  rest.split(' ').second.split(' ').first.getAsInteger(10, ppid);
  return static_cast<pid_t>(ppid);
}

// A container's PID 1: in a PID namespace of its own, its parent (the
// systemd-nspawn that cloned it) in the driver's. systemd-nspawn forks
// twice on the way (an outer child that sets up the mounts, then the
// container): counting systemd-nspawn processes with children counts that
// outer child too while it lives.
int containersUnder(const std::vector<pid_t>& processes,
                    const std::string& hostNamespace) {
  int n = 0;
  for (pid_t p : processes) {
    std::string ns = pidNamespace(p);
    if (!ns.empty() && ns != hostNamespace &&
        pidNamespace(parentOf(p)) == hostNamespace)
      ++n;
  }
  return n;
}

TEST(ContainerE2E, SigkillOfRigMidBootLeavesNothing) {
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  std::string driver =
      (llvm::sys::path::parent_path(exe) + "/rig-vm-boot-driver").str();
  ASSERT_TRUE(llvm::sys::fs::exists(driver)) << driver;
  llvm::SmallString<128> base;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-ct-cleanup", base));
  std::string runBase(base);
  host::SpawnOptions o;
  o.argv = {driver, "--containers", runBase};
  o.outputPath = runBase + "/driver.log";
  auto child = host::spawn(o);
  ASSERT_TRUE(bool(child)) << llvm::toString(child.takeError());

  // While the containers boot: every process of the run descends from the
  // driver (the namespace holder, systemd-nspawn, the containers' PID 1).
  std::string hostNamespace = pidNamespace(::getpid());
  std::vector<pid_t> watched;
  int containers = 0;
  for (int i = 0; i < 300 && containers < 2; ++i) {
    watched = descendants((*child)->pid());
    containers = containersUnder(watched, hostNamespace);
    if (containers < 2)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(containers, 2) << "the containers never started; log in "
                           << runBase;
  bool holder = false;
  for (pid_t p : watched) holder |= comm(p) == "sleep";
  EXPECT_TRUE(holder)
      << "no network namespace holder among the driver's processes";

  ::kill((*child)->pid(), SIGKILL);
  EXPECT_EQ((*child)->wait(10'000), 128 + SIGKILL);
  std::vector<pid_t> left;
  for (int i = 0; i < 100; ++i) {
    left.clear();
    for (pid_t p : watched)
      if (::kill(p, 0) == 0) left.push_back(p);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The holder gone, the run's namespace, bridges and veths are gone with
  // it: nothing else holds them.
  std::string names;
  for (pid_t p : left) names += " " + std::to_string(p) + ":" + comm(p);
  EXPECT_TRUE(left.empty()) << "survived:" << names;
  EXPECT_EQ(host::run({"pgrep", "-a", "-f", runBase})->output, "");
}

}  // namespace
}  // namespace rig::container
