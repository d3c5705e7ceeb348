// The console, the monitor, the network links and the interactive shell
// (language.md section 8): wait_for_console_text, send_monitor_command,
// block, unblock, shell.
#include "fmt/format.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/regex.h"

namespace rig::exec {

Value operation_wait_for_console_text(Call& c) {
  const std::string& m = c.machine;
  const std::string& pattern = c.string(0);
  regexSearch(pattern, "");  // a bad pattern fails now, not at the timeout
  c.nodes.ensureStarted(m);
  return c.nodes.poll(
      m, fmt::format("console text matching \"{}\" on `{}`", pattern, m),
      c.timeoutMs(1),
      [&](std::string& last) -> std::optional<Value> {
        Nodes::Slot& s = c.nodes.slot(m);
        if (s.machine->state() == machine::MachineState::Dead) {
          Failure f;
          f.fatal = true;
          f.message = fmt::format("machine `{}` died unexpectedly", m);
          f.machines = {m};
          throw f;
        }
        // Read from where the last wait stopped, a window at a time: a
        // guest can write gigabytes to its console.
        constexpr size_t kWindow = 1 << 20;
        std::string text = s.machine->consoleRead(s.consoleOffset, kWindow);
        // Each line is matched once: the next wait starts after the match.
        size_t pos = 0;
        while (pos < text.size()) {
          size_t nl = text.find('\n', pos);
          // A line longer than the window is matched by its start.
          bool complete = nl != std::string::npos || text.size() == kWindow;
          size_t end = nl != std::string::npos ? nl : text.size();
          llvm::StringRef line =
              llvm::StringRef(text).slice(pos, end).rtrim("\r");
          if (regexSearch(pattern, line)) {
            s.consoleOffset += std::min(end + 1, text.size());
            return Value::string(line.str());
          }
          if (!complete) break;
          pos = end + 1;
        }
        s.consoleOffset += std::min(pos, text.size());
        llvm::StringRef seen = llvm::StringRef(text).rtrim("\n");
        llvm::StringRef lastLine =
            seen.contains('\n') ? seen.rsplit('\n').second : seen;
        if (!seen.empty())
          last = "last console line: " + terminalText(lastLine.take_back(2000));
        return std::nullopt;
      },
      c.nodes.options().fastPollIntervalMs);
}

Value operation_send_monitor_command(Call& c) {
  const std::string& command = c.string(0);
  c.nodes.ensureStarted(c.machine);
  llvm::Expected<std::string> out =
      c.nodes.machine(c.machine).monitorCommand(command);
  if (!out)
    c.nodes.machineFailed(c.machine, out.takeError(), "send_monitor_command");
  return Value::string(*out);
}

static Value setLinks(Call& c, bool up) {
  c.nodes.ensureStarted(c.machine);
  if (llvm::Error e = c.nodes.machine(c.machine).setLinksUp(up))
    c.nodes.machineFailed(c.machine, std::move(e), c.sig.name);
  return Value();
}

Value operation_block(Call& c) { return setLinks(c, false); }
Value operation_unblock(Call& c) { return setLinks(c, true); }

Value operation_shell(Call& c) {
  // `rig run` has no terminal to attach: the hook is only set by
  // `rig repl`.
  if (!c.nodes.hooks().shell)
    failf("`{}()` is interactive: use it in `rig repl`", c.callee);
  c.nodes.ensureStarted(c.machine);
  if (llvm::Error e = c.nodes.hooks().shell(c.nodes.machine(c.machine)))
    failf("`{}()`: {}", c.callee, llvm::toString(std::move(e)));
  return Value();
}

}  // namespace rig::exec
