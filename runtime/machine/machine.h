// The executor's view of one node: the primitive operations every machine
// operation of language.md section 8 is built from. runtime/vm implements it
// with QEMU and the guest agent; tests implement it with fakes.
#ifndef RIG_RUNTIME_MACHINE_MACHINE_H
#define RIG_RUNTIME_MACHINE_MACHINE_H

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::machine {

// In the error of a call whose guest agent died while it ran: the guest
// restarted the agent and the machine still works, so only that step fails.
inline constexpr llvm::StringLiteral kAgentRestartedText =
    "a restarted agent answers now";

// The shell a command runs in. Test commands (succeed, fail, execute,
// wait_until_*) use Bash as the NixOS driver does; rig's own commands sh.
enum class Shell : uint8_t {
  Sh,    // /bin/sh -c (dash on Debian)
  Bash,  // /bin/bash -euo pipefail -c
};

struct ExecRequest {
  std::string command;   // run as root with `shell`
  double timeoutMs = 0;  // 0 = no limit inside the guest
  std::map<std::string, std::string> env;
  // Per stream; past it the guest kills the command (ExecResult::overflow).
  // 0 = the protocol's default (64 MiB).
  uint64_t maxOutputBytes = 0;
  Shell shell = Shell::Sh;
};

struct ExecResult {
  int status = 0;  // exit status; 128+N for a signal
  bool timedOut = false;
  std::string stdoutText;  // binary-safe
  std::string stderrText;
  // "stdout"/"stderr" when that stream passed ExecRequest::maxOutputBytes:
  // the command was killed, and both texts keep only their first and last
  // 4 KiB.
  std::string overflow;
  uint64_t outputLimit = 0;    // the limit it passed
  uint64_t overflowBytes = 0;  // what that stream had carried by then
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http://host:port/path (no TLS)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double timeoutMs = 30'000;
  uint64_t maxBodyBytes = 0;  // 0 = the protocol's default (64 MiB)
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>>
      headers;  // names lower-cased
  std::string body;
};

enum class MachineState : uint8_t {
  Off,      // never started, or shut down cleanly
  Booting,  // QEMU runs, the agent has not answered yet
  Running,  // the agent answers
  Dead,     // QEMU exited when nobody asked it to (crash, panic, killed)
};

// Every call is synchronous and may be made from any thread, one call per
// machine at a time. Calls on a machine that is not Running fail with an
// error that says so (and, when Dead, includes the console tail).
class Machine {
 public:
  virtual ~Machine() = default;

  virtual llvm::StringRef name() const = 0;
  virtual MachineState state() = 0;

  // Boots and returns once the agent answers, or fails (with the console
  // tail) after `timeoutMs`. Starting a Running machine does nothing.
  virtual llvm::Error start(double timeoutMs) = 0;
  // Graceful power-off through the guest; waits until QEMU has exited.
  virtual llvm::Error shutdown(double timeoutMs) = 0;
  // Hard stop: QEMU is killed at once.
  virtual llvm::Error crash() = 0;
  // Waits until QEMU has exited (for a shutdown the guest started itself).
  virtual llvm::Error waitForShutdown(double timeoutMs) = 0;
  // Ends the VM as fast as possible at the end of a suite (QMP quit).
  virtual void stop() = 0;

  virtual llvm::Expected<ExecResult> execute(const ExecRequest& request) = 0;
  // TCP connect from inside the guest.
  virtual llvm::Expected<bool> isPortOpen(llvm::StringRef address,
                                          int port) = 0;
  virtual llvm::Expected<bool> isUnixSocketOpen(llvm::StringRef path) = 0;
  virtual llvm::Expected<std::string> readFile(llvm::StringRef path) = 0;
  virtual llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data,
                                uint32_t mode) = 0;
  virtual llvm::Expected<HttpResponse> http(const HttpRequest& request) = 0;

  // The serial console so far (the node's log), and its last lines.
  virtual std::string consoleText() = 0;
  virtual std::string consoleTail(size_t lines) = 0;
  // Up to `maxBytes` of consoleText() from byte `offset`, without reading
  // the whole log (a guest can write gigabytes to its console).
  virtual std::string consoleRead(uint64_t offset, size_t maxBytes) {
    std::string text = consoleText();
    return offset >= text.size() ? std::string()
                                 : text.substr(offset, maxBytes);
  }
  virtual std::string consoleLogPath() = 0;
  // Receives each line of the serial console as it arrives (without its
  // line end), from a thread of the machine, also while start() boots.
  // Takes effect at the next start(); the sink must be thread-safe and must
  // not call back into the machine. When the VM ends, the lines it wrote
  // last are delivered before the call that ended it returns.
  using ConsoleSink = std::function<void(llvm::StringRef line)>;
  virtual void setConsoleSink(ConsoleSink sink) = 0;
  // The socket of the guest's interactive root shell (org.rig.shell, raw
  // terminal bytes: protocol::attachShell), or "" when the machine has none.
  virtual std::string shellSocketPath() { return ""; }

  // Cut or restore every network link of the node (QMP set_link).
  virtual llvm::Error setLinksUp(bool up) = 0;
  // human-monitor-command over QMP.
  virtual llvm::Expected<std::string> monitorCommand(
      llvm::StringRef command) = 0;
};

}  // namespace rig::machine

#endif
