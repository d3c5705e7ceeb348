// The builtins that drive the run (language.md section 7): the time,
// sleeping, logging, failing, starting and joining every node.
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

// The run's clock (the reports' times), as a duration.
Value builtin_now(Call& c) { return Value::duration(c.nodes.eventMs()); }

Value builtin_sleep(Call& c) {
  Nodes& nodes = c.nodes;
  double ms = wantDurationMs(c.callee, "d", c.required(0));
  std::optional<double> deadline = nodes.deadlineMs();
  double now = nodes.clock().nowMs();
  if (deadline && now + ms > *deadline) ms = std::max(0.0, *deadline - now);
  nodes.clock().sleepMs(ms);
  nodes.checkInterrupt();
  return Value();
}

Value builtin_log(Call& c) {
  if (c.nodes.hooks().log) c.nodes.hooks().log(c.required(0).str());
  return Value();
}

Value builtin_fail(Call& c) {
  const Value* message = c.get(0);
  fail(message ? message->str() : "fail() called");
}

Value builtin_start_all(Call& c) {
  c.nodes.startAll();
  return Value();
}

Value builtin_join_all(Call& c) {
  c.nodes.joinAll();
  return Value();
}

}  // namespace rig::exec
