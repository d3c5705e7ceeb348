// rig-agent-cli: talk to a rig-guest agent by hand (a developer tool).
//   rig-agent-cli SOCKET hello
//   rig-agent-cli SOCKET exec 'CMD' [TIMEOUT_MS]
//   rig-agent-cli SOCKET port ADDR PORT
//   rig-agent-cli SOCKET unix PATH
//   rig-agent-cli SOCKET read PATH
//   rig-agent-cli SOCKET write PATH DATA|- [MODE_OCTAL]     (- = stdin)
//   rig-agent-cli SOCKET http METHOD URL [BODY]
//   rig-agent-cli SOCKET poweroff|reboot
//   rig-agent-cli SHELL_SOCKET shell      (the org.rig.shell port; Ctrl-] detaches)
// Exit status: exec -> the command's status; port/unix -> 0 open, 1 closed;
// 2 usage, 3 agent errors.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/protocol/agent_client.h"
#include "runtime/protocol/shell_client.h"

using rig::protocol::AgentClient;

static int usage() {
  std::fprintf(
      stderr,
      "usage: rig-agent-cli SOCKET hello|exec CMD [TIMEOUT_MS]|port ADDR PORT|"
      "unix PATH|read PATH|write PATH DATA [MODE]|http METHOD URL [BODY]|"
      "poweroff|reboot\n"
      "       rig-agent-cli SHELL_SOCKET shell   (Ctrl-] detaches)\n");
  return 2;
}

static int report(llvm::Error error) {
  if (!error) return 0;
  std::fprintf(stderr, "rig-agent-cli: %s\n",
               llvm::toString(std::move(error)).c_str());
  return 3;
}

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string op = argv[2];
  double connectMs = 60'000;
  if (const char* t = std::getenv("RIG_AGENT_CONNECT_MS"))
    connectMs = std::atof(t);
  if (op == "shell")
    return report(rig::protocol::attachShell(argv[1], 0, 1, connectMs));
  auto client = AgentClient::connect(argv[1], connectMs);
  if (!client) return report(client.takeError());
  AgentClient& c = **client;
  auto arg = [&](int i) {
    return i < argc ? std::string(argv[i]) : std::string();
  };
  if (op == "hello") {
    const auto& info = c.info();
    std::printf(
        "version %lld\nagent %s\nhostname %s\nsystemd %d\nboot_id %s\nuptime "
        "%.3f\n",
        static_cast<long long>(info.version), info.agent.c_str(),
        info.hostname.c_str(), info.systemdRunning ? 1 : 0, info.bootId.c_str(),
        info.uptimeSeconds);
    return 0;
  }
  if (op == "exec" && argc >= 4) {
    rig::machine::ExecRequest req;
    req.command = argv[3];
    req.timeoutMs = argc >= 5 ? std::atof(argv[4]) : 0;
    auto r = c.execute(req);
    if (!r) return report(r.takeError());
    std::fwrite(r->stdoutText.data(), 1, r->stdoutText.size(), stdout);
    std::fwrite(r->stderrText.data(), 1, r->stderrText.size(), stderr);
    if (r->timedOut) std::fprintf(stderr, "rig-agent-cli: timed out\n");
    return r->status;
  }
  if (op == "port" && argc >= 5) {
    auto r = c.isPortOpen(argv[3], std::atoi(argv[4]));
    if (!r) return report(r.takeError());
    std::printf("%s\n", *r ? "open" : "closed");
    return *r ? 0 : 1;
  }
  if (op == "unix" && argc >= 4) {
    auto r = c.isUnixSocketOpen(argv[3]);
    if (!r) return report(r.takeError());
    std::printf("%s\n", *r ? "open" : "closed");
    return *r ? 0 : 1;
  }
  if (op == "read" && argc >= 4) {
    auto r = c.readFile(argv[3]);
    if (!r) return report(r.takeError());
    std::fwrite(r->data(), 1, r->size(), stdout);
    return 0;
  }
  if (op == "write" && argc >= 5) {
    uint32_t mode =
        argc >= 6 ? static_cast<uint32_t>(std::strtoul(argv[5], nullptr, 8))
                  : 0644;
    std::string data = argv[4];
    if (data == "-") {  // from stdin
      data.clear();
      char buf[65536];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0)
        data.append(buf, n);
    }
    return report(c.writeFile(argv[3], data, mode));
  }
  if (op == "http" && argc >= 5) {
    rig::machine::HttpRequest req;
    req.method = argv[3];
    req.url = argv[4];
    req.body = arg(5);
    auto r = c.http(req);
    if (!r) return report(r.takeError());
    std::printf("%d\n", r->status);
    for (const auto& [k, v] : r->headers)
      std::printf("%s: %s\n", k.c_str(), v.c_str());
    std::printf("\n");
    std::fwrite(r->body.data(), 1, r->body.size(), stdout);
    return 0;
  }
  if (op == "poweroff" || op == "reboot")
    return report(c.shutdown(op == "reboot"
                                 ? rig::protocol::PowerAction::Reboot
                                 : rig::protocol::PowerAction::PowerOff));
  return usage();
}
