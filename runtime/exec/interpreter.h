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
#include "runtime/events/events.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/clock.h"
#include "runtime/exec/failure.h"
#include "runtime/exec/run.h"
#include "runtime/plan/plan.h"

namespace rig::exec {

// Arguments of a fn call after evaluation.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> named;
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
  void setDeadline(std::optional<double> deadlineMs, double suiteTimeoutMs) {
    nodes_.setDeadline(deadlineMs, suiteTimeoutMs);
  }
  bool deadlinePassed() { return nodes_.deadlinePassed(); }

  // Turns a Failure into what reporters show (location, snippet, console
  // tails of the machines involved).
  events::Failure render(const Failure& failure);

  // The suite ended and stopAll() ran: every node still up is reported
  // stopped.
  void machinesStopped() { nodes_.stopped(); }

  // Machines the current test touched; reset by runTest.
  const std::set<std::string>& touchedMachines() { return nodes_.touched(); }

 private:
  enum class Flow { Next, Return };

  // Statements (interpreter.cpp).
  Flow execBlock(const std::vector<plan::Stmt>& body);
  Flow exec(const plan::Stmt& stmt);  // one step: the events around it
  Flow execStatement(const plan::Stmt& stmt);
  // The suite deadline and the interrupt, before a statement.
  void checkContinue(const plan::Stmt& stmt);
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

  // A builtin or machine operation (callables.h).
  Value callTable(const plan::Expr& call, std::string machine);
  double eventuallyTimeout(const plan::Stmt& stmt);

  // Steps (steps.cpp).
  bool reportsSteps() const;
  events::StepInfo stepInfo(const plan::Stmt& stmt);
  void collectMachines(const plan::Expr& expr, std::set<std::string>& out);
  void collectMachines(const std::vector<plan::Stmt>& body,
                       std::set<std::string>& out);
  double eventMs() { return nodes_.eventMs(); }

  // Source text (failure.cpp).
  std::string sourceText(const plan::SourceLoc& loc) const;
  std::string locationText(const plan::SourceLoc& loc) const;
  std::string snippet(const plan::SourceLoc& loc) const;

  const plan::Plan& plan_;
  const RunOptions& options_;
  Clock& clock_;
  Hooks hooks_;
  Nodes nodes_;
  double eventuallyTimeoutMs_;

  llvm::StringMap<Value> globals_;
  llvm::StringMap<const plan::Function*> functions_;
  std::string currentTest_;  // "" outside runTest: no steps
  std::vector<std::string>
      subtests_;           // the subtests being run, outermost first
  size_t quietSteps_ = 0;  // > 0: steps are not reported

  using Scope = llvm::StringMap<Value>;
  std::vector<std::vector<Scope>> frames_;
  Scope interactive_;  // the `let`s of runInteractive, between calls
  Value returnValue_;
  size_t callDepth_ = 0;
  // `parallel` (parallel.cpp) runs each branch in a copy of the interpreter.
};

// Helpers shared by the interpreter's parts and the operations.
const std::string& wantString(llvm::StringRef callee, llvm::StringRef param,
                              const Value& value);
int64_t wantInt(llvm::StringRef callee, llvm::StringRef param,
                const Value& value);
// A duration, or a number of seconds.
double wantDurationMs(llvm::StringRef callee, llvm::StringRef param,
                      const Value& value);
std::string shortRepr(const Value& value, size_t limit = 2000);
// An object whose values `str` converts (`env`, `query`): its pairs in order;
// a list, object or null value fails the test.
std::vector<std::pair<std::string, std::string>> wantStringPairs(
    llvm::StringRef callee, llvm::StringRef param, const Value& value);
// Command text and output for messages (nodes.cpp).
std::string lastLines(llvm::StringRef text, size_t n);
std::string commandText(llvm::StringRef command);
std::string outputDetails(const machine::ExecResult& result);
// Command output as a terminal shows it: in each line only what follows its
// last carriage return (progress meters of curl or apt redraw one line),
// without colour and other control sequences (systemd's on a console).
std::string terminalText(llvm::StringRef text);
// `systemctl show` output (KEY=VALUE lines) as an object of strings.
Value parseProperties(llvm::StringRef text);
std::string shellQuote(llvm::StringRef text);
// `{status, stdout, stderr}` (execute, systemctl, start_job, stop_job).
Value resultObject(const machine::ExecResult& result);
// Operators (operators.cpp): runtime/plan/operators.h's, throwing Failure
// where an operator does not apply or cannot be evaluated.
Value evalUnary(llvm::StringRef op, const Value& operand);
Value evalBinary(llvm::StringRef op, const Value& left, const Value& right);
// `contains(haystack, needle)`: `needle in haystack`, failing as `callee`.
bool valueContains(const Value& haystack, const Value& needle,
                   llvm::StringRef callee);

}  // namespace rig::exec

#endif
