// Commands (language.md section 8): succeed, fail, execute,
// wait_until_succeeds, wait_until_fails.
#include <algorithm>

#include "fmt/format.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {
namespace {

// The node's test shell and test_env with the call's `shell` (parameter 3)
// and `env` (parameter 2) over them, and its `max_output` (parameter 4).
Nodes::TestShell shellOf(const Call& c) {
  Nodes::TestShell how = c.nodes.testShell(c.machine);
  if (const Value* shell = c.get(3)) {
    const std::string& name = wantString(c.callee, "shell", *shell);
    if (name == "bash")
      how.shell = machine::Shell::Bash;
    else if (name == "sh")
      how.shell = machine::Shell::Sh;
    else
      failf("`{}`: `shell` is \"{}\"; rig runs commands with `bash` or `sh`",
            c.callee, name);
  }
  if (const Value* env = c.get(2)) {
    for (auto& [name, value] : wantStringPairs(c.callee, "env", *env)) {
      if (name.empty() || name.find('=') != std::string::npos)
        failf("`{}`: `{}` is not a valid environment variable name", c.callee,
              name);
      how.env[name] = std::move(value);
    }
  }
  if (const Value* limit = c.get(4)) {
    if (limit->kind() != ValueKind::Size)
      failf("`{}`: `max_output` must be a size, got {}", c.callee,
            limit->repr());
    int64_t bytes = limit->asSizeBytes();
    if (bytes < int64_t(plan::kMinOutputBytes) ||
        bytes > int64_t(plan::kMaxOutputBytes))
      failf("`{}`: `max_output` {} is out of range {}..{}", c.callee,
            limit->repr(), formatSize(int64_t(plan::kMinOutputBytes)),
            formatSize(int64_t(plan::kMaxOutputBytes)));
    how.maxOutputBytes = static_cast<uint64_t>(bytes);
  }
  return how;
}

// succeed and fail: each command in turn; the outputs concatenated.
Value runEach(Call& c, bool wantSuccess) {
  std::vector<const Value*> commands = {&c.required(0)};
  for (const Value& extra : c.args.rest) commands.push_back(&extra);
  double timeout = c.timeoutMs(1);
  Nodes::TestShell how = shellOf(c);
  std::string output;
  for (const Value* value : commands) {
    const std::string& command = wantString(c.callee, "cmd", *value);
    machine::ExecResult r =
        c.nodes.runTestCommand(c.machine, command, timeout, how);
    Failure f;
    f.machines = {c.machine};
    f.details = outputDetails(r);
    // `fail` expects the command to fail: outliving its timeout is that
    // failure (status 124, as timeout(1) and the NixOS driver say).
    if (r.timedOut && !wantSuccess) {
      output += r.stdoutText;
      continue;
    }
    if (r.timedOut) {
      f.message = fmt::format("command timed out after {}: `{}`",
                              formatDuration(timeout), commandText(command));
      throw f;
    }
    if (wantSuccess && r.status != 0) {
      f.message = fmt::format("command failed with exit status {}: `{}`",
                              r.status, commandText(command));
      throw f;
    }
    if (!wantSuccess && r.status == 0) {
      f.message =
          fmt::format("command succeeded but was expected to fail: `{}`",
                      commandText(command));
      throw f;
    }
    output += r.stdoutText;
  }
  return Value::string(std::move(output));
}

Value waitUntil(Call& c, bool wantSuccess) {
  const std::string& command = c.string(0);
  double timeout = c.timeoutMs(1);
  Nodes::TestShell how = shellOf(c);
  Clock& clock = c.nodes.clock();
  double start = clock.nowMs();
  return c.nodes.poll(
      c.machine,
      fmt::format("`{}` to {}", commandText(command),
                  wantSuccess ? "succeed" : "fail"),
      timeout, [&](std::string& last) -> std::optional<Value> {
        double left = std::max(1.0, timeout - (clock.nowMs() - start));
        machine::ExecResult r =
            c.nodes.runTestCommand(c.machine, command, left, how);
        if (!r.timedOut && (r.status == 0) == wantSuccess)
          return Value::string(r.stdoutText);
        last = (r.timedOut ? std::string("timed out")
                           : fmt::format("exit status {}", r.status)) +
               "\n" + outputDetails(r);
        return std::nullopt;
      });
}

}  // namespace

Value resultObject(const machine::ExecResult& r) {
  int status = r.timedOut && r.status == 0 ? 124 : r.status;
  return Value::object({{"status", Value::integer(status)},
                        {"stdout", Value::string(r.stdoutText)},
                        {"stderr", Value::string(r.stderrText)}});
}

Value operation_succeed(Call& c) { return runEach(c, true); }
Value operation_fail(Call& c) { return runEach(c, false); }

Value operation_execute(Call& c) {
  return resultObject(c.nodes.runTestCommand(c.machine, c.string(0),
                                             c.timeoutMs(1), shellOf(c)));
}

Value operation_wait_until_succeeds(Call& c) { return waitUntil(c, true); }
Value operation_wait_until_fails(Call& c) { return waitUntil(c, false); }

}  // namespace rig::exec
