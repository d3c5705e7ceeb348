// The suite's machines as its test program drives them: lazy start,
// start_all/join_all, commands under the suite deadline, polling with
// timeouts, node phases, and what a failing machine call becomes. The
// interpreter owns one; machine operations and builtins work through it.
// Internal to rig_exec.
#ifndef RIG_RUNTIME_EXEC_NODES_H
#define RIG_RUNTIME_EXEC_NODES_H

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "runtime/events/events.h"
#include "runtime/exec/clock.h"
#include "runtime/exec/failure.h"
#include "runtime/exec/run.h"
#include "runtime/plan/plan.h"

namespace rig::exec {

class Nodes {
 public:
  struct Hooks {
    // Node phases (docs/reports.md); may be called from start_all's boot
    // threads at once.
    std::function<void(const events::NodeEvent&)> nodeChanged;
    std::function<void(const std::string&)> log;
    // `m.shell()`: attaches the user's terminal (set by `rig repl` only).
    std::function<llvm::Error(machine::Machine&)> shell;
    // True once the user asked to interrupt (Ctrl-C in `rig repl`).
    std::function<bool()> interrupted;
    double originMs = 0;  // event times are clock ms since this
  };

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
    std::string backend;                         // plan::Node::backend
  };

  Nodes(const plan::Plan& plan, SuiteMachines& machines,
        const RunOptions& options, Clock& clock, Hooks hooks);

  // The node `name`; fails for an unknown one. Marks it touched.
  Slot& slot(const std::string& name);
  machine::Machine& machine(const std::string& name) {
    return *slot(name).machine;
  }
  bool has(const std::string& name) const { return slots_.count(name) != 0; }
  // The machine of `name`, or nullptr (no failure, not touched).
  machine::Machine* find(const std::string& name) const;

  void ensureStarted(const std::string& name);
  void startAll();
  void joinAll();
  // The VM died or the agent failed: a fatal Failure saying so.
  [[noreturn]] void machineFailed(const std::string& name, llvm::Error error,
                                  llvm::StringRef doing);
  // Runs `command` as root, bounded by `timeoutMs` and the suite deadline.
  // `maxOutputBytes` 0 is the suite's limit (rig.toml's max_output).
  machine::ExecResult run(const std::string& name, const std::string& command,
                          double timeoutMs,
                          machine::Shell shell = machine::Shell::Sh,
                          const std::map<std::string, std::string>& env = {},
                          uint64_t maxOutputBytes = 0);
  // How a test's command (succeed, fail, execute, wait_until_*) runs: the
  // node's test shell and test_env, to which a call's `shell` and `env`
  // apply (ops_commands.cpp); rig's own commands use run() and sh.
  struct TestShell {
    machine::Shell shell = machine::Shell::Bash;
    std::map<std::string, std::string> env;
    uint64_t maxOutputBytes = 0;  // 0: the suite's
  };
  TestShell testShell(const std::string& name) {
    const Slot& s = slot(name);
    return {s.testShell, s.testEnv};
  }
  machine::ExecResult runTestCommand(const std::string& name,
                                     const std::string& command,
                                     double timeoutMs, const TestShell& how) {
    return run(name, command, timeoutMs, how.shell, how.env,
               how.maxOutputBytes);
  }
  // Polls `attempt` every `intervalMs` (pollIntervalMs when negative) until
  // it returns a value or `timeoutMs` has passed; `lastState` describes what
  // was seen last. An attempt that already waited in the guest calls
  // pollAgainNow(): the next attempt then follows without a pause.
  Value poll(const std::string& name, const std::string& what, double timeoutMs,
             const std::function<std::optional<Value>(std::string& lastState)>&
                 attempt,
             double intervalMs = -1);
  void pollAgainNow(bool now) { pollAgainNow_ = now; }
  // `systemctl show UNIT` as an object of strings.
  Value unitInfo(const std::string& name, const std::string& unit);

  void nodePhase(const std::string& name, events::NodePhase phase,
                 std::string detail = "");
  // The suite ended and stopAll() ran: every node still up is stopped.
  void stopped();

  void setDeadline(std::optional<double> deadlineMs, double suiteTimeoutMs);
  std::optional<double> deadlineMs() const { return deadlineMs_; }
  double suiteTimeoutMs() const { return suiteTimeoutMs_; }
  bool deadlinePassed();
  // Throws when the user interrupted, or when another `parallel` branch
  // failed (kCancelled).
  void checkInterrupt();

  // `parallel` (parallel.cpp): each branch runs in a copy of the
  // interpreter, and so of its Nodes. Before copying, prepareBranches()
  // makes the lock over starting machines that all copies share. In a copy,
  // enterBranch() sets `cancelled`, which a failing branch sets (the others
  // stop at their next statement or poll with kCancelled), and serializes
  // the hooks with `hookLock`. joinBranch() takes what a branch's copy did
  // to the machines.
  void prepareBranches();
  void enterBranch(std::shared_ptr<std::atomic<bool>> cancelled,
                   std::shared_ptr<std::mutex> hookLock);
  void joinBranch(const Nodes& branch);
  static constexpr const char* kCancelled = "cancelled: another branch failed";

  std::set<std::string>& touched() { return touched_; }
  double waitTimeoutMs() const { return waitTimeoutMs_; }
  const RunOptions& options() const { return options_; }
  Clock& clock() { return clock_; }
  const Hooks& hooks() const { return hooks_; }
  const plan::Plan& plan() const { return plan_; }
  double eventMs() { return clock_.nowMs() - hooks_.originMs; }

 private:
  const plan::Plan& plan_;
  const RunOptions& options_;
  Clock& clock_;
  Hooks hooks_;
  double waitTimeoutMs_;
  std::optional<double> deadlineMs_;
  double suiteTimeoutMs_ = 0;
  bool pollAgainNow_ = false;
  std::map<std::string, Slot> slots_;
  std::set<std::string> touched_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::shared_ptr<std::mutex> startLock_;

  // The guest killed a command whose output passed the limit.
  [[noreturn]] void outputOverflow(const std::string& name,
                                   const std::string& command,
                                   const machine::ExecResult& result);
};

}  // namespace rig::exec

#endif
