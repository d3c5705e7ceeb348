// The interpreter of one suite's test programs (language.md sections 6-8).
// Internal to rig_exec: the suite runner (suite.cpp) drives it test by test.
//
// Scoping: a test or a fn body is a frame; blocks (if, for, subtest,
// eventually) open scopes inside it. A name is looked up in the current
// frame's scopes (innermost first), then in the globals, then among the
// nodes. fn bodies do not see their caller's locals.
#ifndef RIG_RUNTIME_EXEC_INTERPRETER_H
#define RIG_RUNTIME_EXEC_INTERPRETER_H

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "llvm/ADT/StringMap.h"
#include "runtime/exec/clock.h"
#include "runtime/exec/failure.h"
#include "runtime/exec/run.h"
#include "runtime/plan/plan.h"
#include "runtime/events/events.h"

namespace rig::exec {

// Arguments of a fn call after evaluation.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> named;
};

// Arguments of a builtin or machine operation after evaluation: params[i]
// is the signature's parameter i (nullopt: absent), `rest` the extra
// positional arguments of a variadic one (lowering put them in order).
struct BoundArgs {
  std::vector<std::optional<Value>> params;
  std::vector<Value> rest;
  const Value* get(size_t i) const {
    return i < params.size() && params[i] ? &*params[i] : nullptr;
  }
};

class Interpreter {
 public:
  struct Hooks {
    std::function<void(const events::SubtestResult&)> subtestFinished;
    std::function<void(const std::string&)> log;
    // Node phases and steps (docs/reports.md, the event stream). nodeChanged
    // may be called from start_all's boot threads at once.
    std::function<void(const events::NodeEvent&)> nodeChanged;
    std::function<void(const events::StepInfo&)> stepStarted;
    std::function<void(const events::StepResult&)> stepFinished;
    double originMs = 0;  // event times are clock ms since this
    // `m.shell()`: attaches the user's terminal to the machine's shell.
    // Unset outside `rig repl`, where `m.shell()` fails.
    std::function<llvm::Error(machine::Machine&)> shell;
    // True once the user asked to interrupt (Ctrl-C in `rig repl`): checked
    // before every statement, poll and after every sleep.
    std::function<bool()> interrupted;
  };

  Interpreter(const plan::Plan& plan, SuiteMachines& machines,
              const RunOptions& options, Clock& clock, Hooks hooks);

  // Evaluates the globals in order. Throws Failure.
  void evalGlobals();
  // Runs one test's body. Throws Failure.
  void runTest(const plan::Test& test);
  // Runs statements typed at `rig repl` in one scope that lives from one
  // call to the next (their `let`s stay). Returns the value of the last
  // statement when it is an expression. Throws Failure.
  std::optional<Value> runInteractive(const std::vector<plan::Stmt>& body);

  // The suite deadline (absolute, clock ms), checked before every statement
  // and poll; nullopt = none.
  void setDeadline(std::optional<double> deadlineMs, double suiteTimeoutMs);
  bool deadlinePassed();

  // Turns a Failure into what reporters show (location, snippet, console
  // tails of the machines involved).
  events::Failure render(const Failure& failure);

  // The suite ended and stopAll() ran: every node still up is reported
  // stopped.
  void machinesStopped();

  // Machines the current test touched; reset by runTest.
  const std::set<std::string>& touchedMachines() const { return touched_; }

 private:
  enum class Flow { Next, Return };
  struct Slot {
    machine::Machine* machine = nullptr;
    size_t consoleOffset = 0;  // wait_for_console_text resumes here
    // The test stopped the VM itself (shutdown, crash, wait_for_shutdown):
    // a machine that reports Dead then may be started again.
    bool exitExpected = false;
    // The last phase reported (nodeChanged is sent on changes only).
    std::optional<events::NodePhase> phase;
    // The shell of the test's commands on this node (plan::Node::testShell).
    machine::Shell testShell = machine::Shell::Bash;
    std::map<std::string, std::string> testEnv;  // plan::Node::testEnv
  };

  // Statements (interpreter.cpp).
  Flow execBlock(const std::vector<plan::Stmt>& body);
  Flow exec(const plan::Stmt& stmt);  // one step: the events around it
  Flow execStatement(const plan::Stmt& stmt);
  // The suite deadline and the interrupt, before a statement.
  void checkContinue(const plan::Stmt& stmt);
  // Throws when the user interrupted.
  void checkInterrupt();
  void execExpect(const plan::Stmt& stmt);
  Flow execEventually(const plan::Stmt& stmt);
  Flow execSubtest(const plan::Stmt& stmt);
  Flow execParallel(const plan::Stmt& stmt);  // parallel.cpp

  // Expressions (interpreter.cpp).
  Value eval(const plan::Expr& expr);
  Value evalUnchecked(const plan::Expr& expr);
  Value evalAccess(const plan::Expr& expr);
  CallArgs evalArgs(const plan::Expr& call, size_t firstArg);
  BoundArgs evalBound(const plan::Expr& call, size_t firstArg);
  Value evalCall(const plan::Expr& call);
  Value callFunction(const plan::Function& fn, CallArgs args,
                     const plan::Expr& call);
  Value lookup(const std::string& name);
  // `for` and `[for ...]` (iteration.cpp): a list's elements or an
  // object's keys; anything else fails at `collection`'s location.
  ValueList iterationItems(const plan::Expr& collection);
  Value evalListFor(const plan::Expr& expr);

  // Expect explanations (expect.cpp).
  Value evalExplained(const plan::Expr& expr, std::vector<std::string>& notes,
                      std::string& diff);
  void note(const plan::Expr& expr, const Value& value,
            std::vector<std::string>& notes);

  // Builtins (builtins.cpp).
  Value callBuiltin(const std::string& name, BoundArgs args);

  // Machine operations (machine_ops.cpp).
  Value callMethod(const std::string& machine, const std::string& method,
                   BoundArgs args);
  Slot& slot(const std::string& name);
  void ensureStarted(const std::string& name);
  void startAll();
  void joinAll();
  [[noreturn]] void machineFailed(const std::string& name, llvm::Error error,
                                  llvm::StringRef doing);
  [[noreturn]] void outputOverflow(const std::string& machine,
                                   const std::string& command,
                                   const machine::ExecResult& result);
  double timeoutArg(const BoundArgs& args, size_t index);
  double eventuallyTimeout(const plan::Stmt& stmt);
  machine::ExecResult run(const std::string& machine, const std::string& command,
                     double timeoutMs, machine::Shell shell = machine::Shell::Sh,
                     const std::map<std::string, std::string>& env = {});
  // A test's command (succeed, fail, execute, wait_until_*): with the node's
  // test shell and test_env; rig's own commands use run() and sh.
  machine::ExecResult runTestCommand(const std::string& machine,
                                     const std::string& command,
                                     double timeoutMs);
  // Polls `attempt` every `intervalMs` (pollIntervalMs when negative) until
  // it returns a value or `timeoutMs` has passed; `lastState` describes what
  // was seen last. An attempt that already waited in the guest sets
  // pollAgainNow_: the next attempt then follows without a pause.
  Value poll(const std::string& machine, const std::string& what,
             double timeoutMs,
             const std::function<std::optional<Value>(std::string& lastState)>&
                 attempt,
             double intervalMs = -1);
  bool pollAgainNow_ = false;
  Value unitInfo(const std::string& machine, const std::string& unit);

  // Steps and node phases (steps.cpp).
  bool reportsSteps() const;
  events::StepInfo stepInfo(const plan::Stmt& stmt);
  void collectMachines(const plan::Expr& expr, std::set<std::string>& out);
  void collectMachines(const std::vector<plan::Stmt>& body,
                       std::set<std::string>& out);
  void nodePhase(const std::string& name, events::NodePhase phase,
                 std::string detail = "");
  double eventMs() { return clock_.nowMs() - hooks_.originMs; }

  // Source text (failure.cpp).
  std::string sourceText(const plan::SourceLoc& loc) const;
  std::string locationText(const plan::SourceLoc& loc) const;
  std::string snippet(const plan::SourceLoc& loc) const;

  const plan::Plan& plan_;
  SuiteMachines& machines_;
  const RunOptions& options_;
  Clock& clock_;
  Hooks hooks_;
  double waitTimeoutMs_;
  double eventuallyTimeoutMs_;
  std::optional<double> deadlineMs_;
  double suiteTimeoutMs_ = 0;

  llvm::StringMap<Value> globals_;
  llvm::StringMap<const plan::Function*> functions_;
  std::map<std::string, Slot> slots_;
  std::set<std::string> touched_;
  std::string currentTest_;             // "" outside runTest: no steps
  std::vector<std::string> subtests_;   // the subtests being run, outermost first
  size_t quietSteps_ = 0;               // > 0: steps are not reported

  using Scope = llvm::StringMap<Value>;
  std::vector<std::vector<Scope>> frames_;
  Scope interactive_;  // the `let`s of runInteractive, between calls
  Value returnValue_;
  size_t callDepth_ = 0;

  // `parallel` (parallel.cpp): a branch runs in a copy of the interpreter.
  // Set in the copies: true once a branch failed; the others stop at their
  // next statement or poll with kCancelled.
  std::shared_ptr<std::atomic<bool>> cancelled_;
  static constexpr const char* kCancelled = "cancelled: another branch failed";
  // Starting a machine, over every copy (set by the first `parallel`).
  std::shared_ptr<std::mutex> startLock_;
};

// Helpers shared by the interpreter's parts.
const std::string& wantString(llvm::StringRef callee, llvm::StringRef param,
                              const Value& value);
int64_t wantInt(llvm::StringRef callee, llvm::StringRef param,
                const Value& value);
// A duration, or a number of seconds.
double wantDurationMs(llvm::StringRef callee, llvm::StringRef param,
                      const Value& value);
std::string shortRepr(const Value& value, size_t limit = 2000);
// Command text and output for messages (machine_control.cpp).
std::string lastLines(llvm::StringRef text, size_t n);
std::string commandText(llvm::StringRef command);
std::string outputDetails(const machine::ExecResult& result);
// Command output as a terminal shows it: in each line only what follows its
// last carriage return (progress meters of curl or apt redraw one line).
std::string terminalText(llvm::StringRef text);
// `systemctl show` output (KEY=VALUE lines) as an object of strings.
Value parseProperties(llvm::StringRef text);
std::string shellQuote(llvm::StringRef text);
// Operators (operators.cpp): runtime/plan/operators.h's, throwing Failure
// where an operator does not apply or cannot be evaluated.
Value evalUnary(llvm::StringRef op, const Value& operand);
Value evalBinary(llvm::StringRef op, const Value& left, const Value& right);
// `contains(haystack, needle)`: `needle in haystack`, failing as `callee`.
bool valueContains(const Value& haystack, const Value& needle,
                   llvm::StringRef callee);

}  // namespace rig::exec

#endif
