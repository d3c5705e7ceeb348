// Ports, sockets and files in the guest (language.md section 8):
// wait_for_open_port, wait_for_closed_port, wait_for_open_unix_socket,
// wait_for_file.
#include "fmt/format.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {
namespace {

Value waitForPort(Call& c, bool wantOpen) {
  const std::string& m = c.machine;
  int64_t port = c.integer(0);
  if (port < 1 || port > 65535)
    failf("`{}`: port {} out of range", c.callee, port);
  const std::string& addr = c.string(1);
  c.nodes.poll(
      m,
      fmt::format("TCP port {} on {} to {} on `{}`", port, addr,
                  wantOpen ? "open" : "close", m),
      c.timeoutMs(2),
      [&](std::string& last) -> std::optional<Value> {
        c.nodes.ensureStarted(m);
        llvm::Expected<bool> open =
            c.nodes.machine(m).isPortOpen(addr, int(port));
        if (!open)
          c.nodes.machineFailed(m, open.takeError(), "checking a port");
        last = *open ? "open" : "closed";
        if (*open == wantOpen) return Value();
        return std::nullopt;
      },
      c.nodes.options().fastPollIntervalMs);
  return Value();
}

}  // namespace

Value operation_wait_for_open_port(Call& c) { return waitForPort(c, true); }
Value operation_wait_for_closed_port(Call& c) { return waitForPort(c, false); }

Value operation_wait_for_open_unix_socket(Call& c) {
  const std::string& m = c.machine;
  const std::string& path = c.string(0);
  c.nodes.poll(
      m, fmt::format("unix socket {} to accept connections on `{}`", path, m),
      c.timeoutMs(1),
      [&](std::string& last) -> std::optional<Value> {
        c.nodes.ensureStarted(m);
        llvm::Expected<bool> open = c.nodes.machine(m).isUnixSocketOpen(path);
        if (!open)
          c.nodes.machineFailed(m, open.takeError(), "checking a socket");
        last = *open ? "accepting" : "not accepting";
        if (*open) return Value();
        return std::nullopt;
      },
      c.nodes.options().fastPollIntervalMs);
  return Value();
}

Value operation_wait_for_file(Call& c) {
  const std::string& m = c.machine;
  const std::string& path = c.string(0);
  c.nodes.poll(m, fmt::format("file {} to exist on `{}`", path, m),
               c.timeoutMs(1), [&](std::string& last) -> std::optional<Value> {
                 machine::ExecResult r =
                     c.nodes.run(m, "test -e " + shellQuote(path), 30'000);
                 last = r.status == 0 ? "exists" : "does not exist";
                 if (r.status == 0) return Value();
                 return std::nullopt;
               });
  return Value();
}

}  // namespace rig::exec
