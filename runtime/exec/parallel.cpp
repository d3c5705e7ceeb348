// `parallel { branch { ... } branch { ... } }` (docs/language.md): each
// branch runs on its own thread, in a copy of the interpreter that sees the
// enclosing locals; the statement waits for every branch and fails with
// every branch's failure, each named by its branch.
//
// Machines: the nodes the branches name are started before the branches
// run; an operation of one branch may run while another branch's operation
// on the same node is in flight (machine::Machine is safe for that; the
// guest agent runs both). Starting a machine is serialized over all
// branches.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

using plan::Stmt;

namespace {

std::string branchName(const Stmt& branch, size_t index) {
  if (!branch.name.empty()) return fmt::format("branch \"{}\"", branch.name);
  return fmt::format("branch {}", index + 1);
}

// Wraps a hook so that calls from several branches never overlap.
template <typename... Args>
std::function<void(Args...)> serialized(std::function<void(Args...)> hook,
                                        std::shared_ptr<std::mutex> lock) {
  if (!hook) return hook;
  return [hook = std::move(hook), lock](Args... args) {
    std::lock_guard<std::mutex> held(*lock);
    hook(args...);
  };
}

}  // namespace

void Nodes::prepareBranches() {
  if (!startLock_) startLock_ = std::make_shared<std::mutex>();
}

void Nodes::enterBranch(std::shared_ptr<std::atomic<bool>> cancelled,
                        std::shared_ptr<std::mutex> hookLock) {
  cancelled_ = std::move(cancelled);
  hooks_.log = serialized(std::move(hooks_.log), hookLock);
  hooks_.nodeChanged = serialized(std::move(hooks_.nodeChanged), hookLock);
}

void Nodes::joinBranch(const Nodes& branch) {
  for (const std::string& name : branch.touched_) {
    touched_.insert(name);
    Slot& mine = slots_[name];
    const Slot& theirs = branch.slots_.at(name);
    mine.consoleOffset = std::max(mine.consoleOffset, theirs.consoleOffset);
    mine.exitExpected = theirs.exitExpected;
    if (theirs.phase) mine.phase = theirs.phase;
  }
}

Interpreter::Flow Interpreter::execParallel(const Stmt& stmt) {
  std::set<std::string> named;
  collectMachines(stmt.body, named);
  for (const std::string& machine : named) nodes_.ensureStarted(machine);

  // A failing branch cancels the others at their next statement or poll:
  // the block does not wait out a peer's long timeout.
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto hookLock = std::make_shared<std::mutex>();
  nodes_.prepareBranches();
  std::vector<std::unique_ptr<Interpreter>> forks;
  for (size_t i = 0; i < stmt.body.size(); ++i) {
    auto fork = std::unique_ptr<Interpreter>(new Interpreter(*this));
    Hooks& h = fork->hooks_;
    h.subtestFinished = serialized(std::move(h.subtestFinished), hookLock);
    h.log = serialized(std::move(h.log), hookLock);
    // Steps of branches are not reported one by one (their events would
    // interleave); the `parallel` step spans them.
    ++fork->quietSteps_;
    fork->nodes_.enterBranch(cancelled, hookLock);
    if (fork->frames_.empty()) fork->frames_.emplace_back();
    fork->frames_.back().emplace_back();
    forks.push_back(std::move(fork));
  }

  std::vector<std::optional<Failure>> failures(forks.size());
  std::vector<bool> wasCancelled(forks.size(), false);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < forks.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        forks[i]->execBlock(stmt.body[i].body);
      } catch (Failure& f) {
        wasCancelled[i] =
            cancelled->load() &&
            f.message.find(Nodes::kCancelled) != std::string::npos;
        failures[i] = std::move(f);
        cancelled->store(true);
      } catch (const std::exception& e) {
        Failure f;
        f.kind = FailureKind::Error;
        f.message = fmt::format("internal error: {}", e.what());
        failures[i] = std::move(f);
        cancelled->store(true);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  // What the branches did to the machines is what this interpreter knows.
  for (const auto& fork : forks) nodes_.joinBranch(fork->nodes_);

  std::vector<size_t> failed;
  for (size_t i = 0; i < failures.size(); ++i)
    if (failures[i] && !wasCancelled[i]) failed.push_back(i);
  if (failed.empty()) return Flow::Next;
  if (failed.size() == 1) {
    Failure f = std::move(*failures[failed[0]]);
    f.message = fmt::format(
        "{}: {}", branchName(stmt.body[failed[0]], failed[0]), f.message);
    throw f;
  }
  // Several: one failure that lists each, with its place in the source.
  Failure out;
  out.message =
      fmt::format("{} of {} branches failed", failed.size(), forks.size());
  for (size_t i : failed) {
    Failure& f = *failures[i];
    if (f.kind == FailureKind::Error) out.kind = FailureKind::Error;
    out.fatal |= f.fatal;
    if (!out.located && f.located) {
      out.located = true;
      out.loc = f.loc;
    }
    for (const std::string& m : f.machines) out.machines.push_back(m);
    std::string where = f.located ? locationText(f.loc) : "";
    out.details +=
        fmt::format("{}: {}{}\n", branchName(stmt.body[i], i), f.message,
                    where.empty() ? "" : " (" + where + ")");
    if (!f.details.empty()) out.details += "  " + f.details + "\n";
  }
  if (!out.details.empty()) out.details.pop_back();
  throw out;
}

}  // namespace rig::exec
