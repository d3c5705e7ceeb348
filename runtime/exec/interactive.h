// rig_exec for `rig repl`: one suite's machines kept alive between inputs.
//
//   rig::exec::InteractiveSuite suite(plan, machines, options, reporter,
//                                     clock, interaction);
//   suite.evalGlobals();                    // the suite's runtime lets
//   auto outcome = suite.execute(stmts);    // lowered input, see lower.h
//   suite.runTests({"a test"});             // `:run NAME`; {} = every test
//   suite.stopAll();                        // `:quit`
//
// Statements run in one scope that lasts the whole session (a `let` stays),
// with the suite's globals, fns and nodes in scope, as in a test body.
// Nothing throws: a failure comes back as events::Failure, rendered the way
// `rig run` shows it.
#ifndef RIG_RUNTIME_EXEC_INTERACTIVE_H
#define RIG_RUNTIME_EXEC_INTERACTIVE_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/exec/run.h"

namespace rig::exec {

// What only an interactive front end gives.
struct Interaction {
  // `m.shell()`: attach the user's terminal to `machine`'s shell (started
  // already) until the user detaches. Unset: `m.shell()` fails as in
  // `rig run`.
  std::function<llvm::Error(machine::Machine& machine)> shell;
  // Polled before every statement, between the attempts of a wait or an
  // `eventually`, and after a sleep: true ends the running input with the
  // failure "interrupted". The front end resets it.
  std::function<bool()> interrupted;
};

class InteractiveSuite {
 public:
  InteractiveSuite(const plan::Plan& plan, SuiteMachines& machines,
                   const RunOptions& options, events::Sink& reporter,
                   Clock& clock, Interaction interaction);
  ~InteractiveSuite();

  // Evaluates the suite's globals (the `let`s that need the runtime), as
  // `rig run` does before the first test.
  std::optional<events::Failure> evalGlobals();

  struct Outcome {
    // The value of the last statement when it is an expression.
    std::optional<Value> value;
    std::optional<events::Failure> failure;
  };
  // Runs lowered input statements. `plan` (the one given to the
  // constructor) may have grown sources since: failures show them.
  Outcome execute(const std::vector<plan::Stmt>& statements);

  // Runs the tests named (every test of the plan when empty), in the plan's
  // order, against the live machines: the reporter gets suiteStarted,
  // the tests' events and suiteFinished as in `rig run`, and the machines
  // keep running. Unknown names are the caller's to reject.
  events::SuiteResult runTests(const std::vector<std::string>& names);

  // Ends every machine (SuiteMachines::stopAll).
  void stopAll();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rig::exec

#endif
