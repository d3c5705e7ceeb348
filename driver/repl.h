// `rig repl FILE`: the loop behind the prompt, with everything it talks to
// (the line reader, the machines, the clock, the terminal for `m.shell()`)
// passed in, so that tests run it in-process on fake machines. Internal to
// driver; docs/debugging.md describes what users see.
#ifndef RIG_DRIVER_REPL_H
#define RIG_DRIVER_REPL_H

#include <atomic>
#include <functional>
#include <memory>

#include "driver/line_reader.h"
#include "driver/session.h"
#include "runtime/exec/interactive.h"

namespace rig::driver {

struct ReplEnvironment {
  LineReader* reader = nullptr;
  // The machines' factory, for the spec's rig.toml [run] settings.
  std::function<std::unique_ptr<exec::MachineFactory>(const RunSettings&)>
      makeFactory;
  exec::Clock* clock = nullptr;
  // m.shell() and Ctrl-C; empty in tests that need neither.
  exec::Interaction interaction;
  // The flag Ctrl-C sets (read by interaction.interrupted), cleared before
  // each input runs; null in tests.
  std::atomic<bool>* interrupt = nullptr;
  // Called once the machines exist (before the first prompt): `rig repl`
  // installs its SIGINT handler there, after the cluster's own.
  std::function<void()> machinesReady;
};

// Checks the session's one file, makes its machines and reads inputs until
// `:quit` or the end of input; then every machine is stopped. Returns 0, 2
// when the spec has errors, 3 when the machines cannot be made.
int runReplLoop(Session& session, ReplEnvironment& env);

// The text of `:help`.
extern const char* const kReplHelp;

}  // namespace rig::driver

#endif
