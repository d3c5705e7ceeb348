// Machine control for the operations (nodes.h): lazy start,
// start_all/join_all, commands with the suite deadline, polling with
// timeouts, node phases, and what a failing machine call becomes.
#include "runtime/exec/nodes.h"

#include <thread>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

// The last `n` lines of `text`, for command output in messages.
std::string lastLines(llvm::StringRef text, size_t n) {
  text = text.rtrim("\n");
  size_t pos = text.size();
  for (size_t i = 0; i < n; ++i) {
    size_t nl = text.rfind('\n', pos);
    if (nl == llvm::StringRef::npos || pos == 0) return text.str();
    pos = nl;
    if (i + 1 == n) return "...\n" + text.drop_front(nl + 1).str();
  }
  return text.str();
}

std::string commandText(llvm::StringRef command) {
  llvm::StringRef first = command.trim();
  if (first.size() > 200 || first.contains('\n')) {
    size_t nl = first.find('\n');
    return first.take_front(std::min<size_t>(nl, 200)).str() + " ...";
  }
  return first.str();
}

// `line` without its ANSI escape sequences (colours and cursor moves: ESC [
// params final; a title: ESC ] ... BEL; a reset: ESC c), which a terminal
// acts on rather than shows. An unfinished one stays as it is.
static std::string withoutControlSequences(llvm::StringRef line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    size_t end = 0;  // one past the sequence at i, 0 for none
    if (line[i] == '\x1b' && i + 1 < line.size()) {
      char kind = line[i + 1];
      if (kind == '[') {
        size_t j = i + 2;
        while (j < line.size() && line[j] >= 0x20 && line[j] <= 0x3f) ++j;
        if (j < line.size() && line[j] >= 0x40 && line[j] <= 0x7e) end = j + 1;
      } else if (kind == ']') {
        size_t bel = line.find('\a', i + 2), st = line.find("\x1b\\", i + 2);
        if (bel != llvm::StringRef::npos && bel < st)
          end = bel + 1;
        else if (st != llvm::StringRef::npos)
          end = st + 2;
      } else if (kind >= 0x40 && kind <= 0x7e) {
        end = i + 2;
      }
    }
    if (end) {
      i = end - 1;
    } else {
      out += line[i];
    }
  }
  return out;
}

std::string terminalText(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    bool newline = line.size() < text.size();
    llvm::StringRef shown = line.rtrim('\r');
    size_t cr = shown.rfind('\r');
    if (cr != llvm::StringRef::npos) shown = shown.drop_front(cr + 1);
    out +=
        shown.contains('\x1b') ? withoutControlSequences(shown) : shown.str();
    if (newline) out += '\n';
    text = rest;
  }
  return out;
}

std::string outputDetails(const machine::ExecResult& r) {
  std::string out;
  if (!r.stdoutText.empty())
    out += "stdout:\n" + lastLines(r.stdoutText, 20) + "\n";
  if (!r.stderrText.empty())
    out += "stderr:\n" + lastLines(r.stderrText, 20) + "\n";
  if (out.empty()) out = "(no output)\n";
  out.pop_back();
  return out;
}

// `systemctl show` output: KEY=VALUE lines.
Value parseProperties(llvm::StringRef text) {
  ValueObject fields;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  text.split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    auto [key, value] = line.split('=');
    if (key.empty() || key.size() == line.size()) continue;
    fields.emplace_back(key.str(), Value::string(value.str()));
  }
  return Value::object(std::move(fields));
}

Nodes::Nodes(const plan::Plan& plan, SuiteMachines& machines,
             const RunOptions& options, Clock& clock, Hooks hooks)
    : plan_(plan), options_(options), clock_(clock), hooks_(std::move(hooks)) {
  waitTimeoutMs_ = options.waitTimeoutMs.value_or(plan.settings.waitTimeoutMs);
  if (waitTimeoutMs_ <= 0) waitTimeoutMs_ = 900'000;
  for (const plan::Node& node : plan.nodes) {
    Slot slot;
    slot.machine = machines.machine(node.name);
    if (node.testShell == "sh") slot.testShell = machine::Shell::Sh;
    slot.testEnv.insert(node.testEnv.begin(), node.testEnv.end());
    slot.backend = node.backend;
    slots_[node.name] = slot;
  }
}

machine::Machine* Nodes::find(const std::string& name) const {
  auto it = slots_.find(name);
  return it == slots_.end() ? nullptr : it->second.machine;
}

void Nodes::setDeadline(std::optional<double> deadlineMs,
                        double suiteTimeoutMs) {
  deadlineMs_ = deadlineMs;
  suiteTimeoutMs_ = suiteTimeoutMs;
}

bool Nodes::deadlinePassed() {
  return deadlineMs_ && clock_.nowMs() >= *deadlineMs_;
}

void Nodes::checkInterrupt() {
  if (cancelled_ && cancelled_->load()) {
    Failure f;
    f.fatal = true;  // no `eventually` retries it; parallel drops it
    f.message = kCancelled;
    throw f;
  }
  if (!hooks_.interrupted || !hooks_.interrupted()) return;
  Failure f;
  f.kind = FailureKind::Error;
  f.fatal = true;
  f.message = "interrupted";
  throw f;
}

void Nodes::nodePhase(const std::string& name, events::NodePhase phase,
                      std::string detail) {
  auto it = slots_.find(name);
  if (it == slots_.end() || it->second.phase == phase) return;
  // A node that never booted has nothing to stop.
  if (!it->second.phase && phase == events::NodePhase::Stopped) return;
  it->second.phase = phase;
  if (!hooks_.nodeChanged) return;
  events::NodeEvent event;
  event.node = name;
  event.phase = phase;
  event.atMs = eventMs();
  // One line: the first of the machine's error (the rest is a console tail
  // that the failure shows anyway).
  event.detail = llvm::StringRef(detail)
                     .take_until([](char c) { return c == '\n'; })
                     .str();
  if (phase == events::NodePhase::Booting) event.backend = it->second.backend;
  hooks_.nodeChanged(event);
}

void Nodes::stopped() {
  for (auto& [name, slot] : slots_)
    if (slot.phase == events::NodePhase::Booting ||
        slot.phase == events::NodePhase::Ready)
      nodePhase(name, events::NodePhase::Stopped);
}

Nodes::Slot& Nodes::slot(const std::string& name) {
  auto it = slots_.find(name);
  if (it == slots_.end() || !it->second.machine)
    failf("no machine `{}` in this suite", name);
  touched_.insert(name);
  return it->second;
}

[[noreturn]] static void suiteTimeout(double suiteTimeoutMs) {
  Failure f;
  f.fatal = true;
  f.message = fmt::format("suite timeout of {} reached",
                          formatDuration(suiteTimeoutMs));
  throw f;
}

void Nodes::machineFailed(const std::string& name, llvm::Error error,
                          llvm::StringRef doing) {
  std::string text = llvm::toString(std::move(error));
  if (deadlinePassed()) suiteTimeout(suiteTimeoutMs_);
  checkInterrupt();  // the interrupt killed the machines: not their failure
  Failure f;
  f.machines = {name};
  machine::Machine* m = slots_[name].machine;
  if (text.find(machine::kAgentRestartedText.str()) != std::string::npos) {
    // The guest's agent died and a new one serves: only this step fails.
    f.kind = FailureKind::Error;
    f.message = fmt::format("machine `{}`: {}: {}", name, doing.str(),
                            llvm::StringRef(text).split('\n').first.str());
    f.details = text;
    f.consoleIncluded = text.find("console") != std::string::npos;
    throw f;
  }
  // The agent's socket can close a moment before QEMU's exit is noticed:
  // give the machine a few seconds to show that it died.
  for (int i = 0; i < 30 && m->state() == machine::MachineState::Running; ++i)
    clock_.sleepMs(100);
  if (m->state() == machine::MachineState::Dead) {
    // The VM is gone: nothing later in the suite can work.
    nodePhase(name, events::NodePhase::Failed, "died unexpectedly");
    f.fatal = true;
    f.message =
        fmt::format("machine `{}` died unexpectedly ({})", name, doing.str());
    f.details = text;
    f.consoleIncluded = text.find("console") != std::string::npos;
    throw f;
  }
  f.kind = FailureKind::Error;
  f.fatal = true;
  f.message = fmt::format("machine `{}`: {}: {}", name, doing.str(), text);
  throw f;
}

void Nodes::ensureStarted(const std::string& name) {
  std::unique_lock<std::mutex> starting;
  if (startLock_) starting = std::unique_lock<std::mutex>(*startLock_);
  Slot& s = slot(name);
  machine::MachineState state = s.machine->state();
  if (state == machine::MachineState::Running) return;
  if (state == machine::MachineState::Dead && !s.exitExpected) {
    nodePhase(name, events::NodePhase::Failed, "died unexpectedly");
    Failure f;
    f.fatal = true;
    f.message = fmt::format("machine `{}` died unexpectedly", name);
    f.machines = {name};
    throw f;
  }
  double timeout = waitTimeoutMs_;
  if (deadlineMs_) timeout = std::min(timeout, *deadlineMs_ - clock_.nowMs());
  nodePhase(name, events::NodePhase::Booting);
  if (llvm::Error error = s.machine->start(timeout)) {
    std::string why = llvm::toString(std::move(error));
    nodePhase(name, events::NodePhase::Failed, why);
    if (deadlinePassed()) suiteTimeout(suiteTimeoutMs_);
    checkInterrupt();
    Failure f;
    f.kind = FailureKind::Error;
    f.fatal = true;
    f.message = fmt::format("machine `{}` did not boot", name);
    f.details = std::move(why);
    f.consoleIncluded = f.details.find("console") != std::string::npos;
    f.machines = {name};
    throw f;
  }
  s.exitExpected = false;
  nodePhase(name, events::NodePhase::Ready);
}

void Nodes::startAll() {
  std::vector<std::string> names;
  for (auto& [name, s] : slots_) {
    touched_.insert(name);
    if (s.machine->state() != machine::MachineState::Running)
      names.push_back(name);
  }
  double timeout = waitTimeoutMs_;
  if (deadlineMs_) timeout = std::min(timeout, *deadlineMs_ - clock_.nowMs());
  std::vector<std::string> errors(names.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < names.size(); ++i) {
    machine::Machine* m = slots_[names[i]].machine;
    if (m->state() == machine::MachineState::Dead &&
        !slots_[names[i]].exitExpected) {
      errors[i] = "died unexpectedly";
      nodePhase(names[i], events::NodePhase::Failed, errors[i]);
      continue;
    }
    // Each boot thread reports its own node (the hook is thread-safe; each
    // thread touches only its node's slot).
    threads.emplace_back([this, m, timeout, &errors, &names, i] {
      nodePhase(names[i], events::NodePhase::Booting);
      if (llvm::Error error = m->start(timeout))
        errors[i] = llvm::toString(std::move(error));
      nodePhase(names[i],
                errors[i].empty() ? events::NodePhase::Ready
                                  : events::NodePhase::Failed,
                errors[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < names.size(); ++i)
    if (errors[i].empty()) slots_[names[i]].exitExpected = false;
  Failure f;
  for (size_t i = 0; i < names.size(); ++i) {
    if (errors[i].empty()) continue;
    f.machines.push_back(names[i]);
    if (!f.details.empty()) f.details += "\n";
    f.details += names[i] + ": " + errors[i];
  }
  if (f.machines.empty()) return;
  if (deadlinePassed()) suiteTimeout(suiteTimeoutMs_);
  checkInterrupt();
  f.consoleIncluded = f.details.find("console") != std::string::npos;
  f.kind = FailureKind::Error;
  f.fatal = true;
  f.message =
      fmt::format("start_all: {} did not boot", llvm::join(f.machines, ", "));
  throw f;
}

void Nodes::joinAll() {
  for (auto& [name, s] : slots_) {
    if (s.machine->state() == machine::MachineState::Off) continue;
    touched_.insert(name);
    if (llvm::Error error = s.machine->waitForShutdown(waitTimeoutMs_))
      machineFailed(name, std::move(error), "join_all");
    s.exitExpected = true;
    nodePhase(name, events::NodePhase::Stopped);
  }
}

machine::ExecResult Nodes::run(const std::string& machine,
                               const std::string& command, double timeoutMs,
                               machine::Shell shell,
                               const std::map<std::string, std::string>& env,
                               uint64_t maxOutputBytes) {
  ensureStarted(machine);
  machine::ExecRequest request;
  request.command = command;
  request.shell = shell;
  request.env = env;
  request.timeoutMs = timeoutMs;
  request.maxOutputBytes =
      maxOutputBytes ? maxOutputBytes : options_.maxOutputBytes;
  if (deadlineMs_)
    request.timeoutMs = std::max(
        1.0, std::min(request.timeoutMs, *deadlineMs_ - clock_.nowMs()));
  if (options_.verbosity >= 2 && hooks_.log)
    hooks_.log(fmt::format("{}: {}", machine, commandText(command)));
  llvm::Expected<machine::ExecResult> result =
      slots_[machine].machine->execute(request);
  if (!result) machineFailed(machine, result.takeError(), "running a command");
  if (result->timedOut && deadlinePassed()) suiteTimeout(suiteTimeoutMs_);
  if (!result->overflow.empty()) outputOverflow(machine, command, *result);
  return std::move(*result);
}

// The guest killed the command when one of its streams passed the limit:
// the step fails (the node stays usable), showing the first and last of
// what the command wrote.
void Nodes::outputOverflow(const std::string& machine,
                           const std::string& command,
                           const machine::ExecResult& r) {
  Failure f;
  f.machines = {machine};
  f.message = fmt::format(
      "`{}` on `{}`: its {} passed the output limit of {} (max_output on "
      "the call or in rig.toml); the command was killed",
      commandText(command), machine, r.overflow,
      formatSize(static_cast<int64_t>(r.outputLimit)));
  for (const auto& [name, text] : {std::pair{"stdout", &r.stdoutText},
                                   std::pair{"stderr", &r.stderrText}}) {
    if (text->empty()) continue;
    if (!f.details.empty()) f.details += "\n";
    f.details += fmt::format("{} (its first and last 4 KiB):\n{}", name, *text);
  }
  throw f;
}

Value Nodes::poll(
    const std::string& machine, const std::string& what, double timeoutMs,
    const std::function<std::optional<Value>(std::string&)>& attempt,
    double intervalMs) {
  if (intervalMs < 0) intervalMs = options_.pollIntervalMs;
  double start = clock_.nowMs();
  std::string lastState;
  while (true) {
    if (deadlinePassed()) suiteTimeout(suiteTimeoutMs_);
    checkInterrupt();
    pollAgainNow_ = false;
    if (std::optional<Value> done = attempt(lastState)) return *done;
    double elapsed = clock_.nowMs() - start;
    if (elapsed >= timeoutMs) {
      Failure f;
      f.message = fmt::format("timed out after {} waiting for {}",
                              formatDuration(timeoutMs), what);
      if (!lastState.empty()) f.details = "last state: " + lastState;
      f.machines = {machine};
      throw f;
    }
    if (!pollAgainNow_)
      clock_.sleepMs(std::min(intervalMs, timeoutMs - elapsed));
  }
}

Value Nodes::unitInfo(const std::string& machine, const std::string& unit) {
  machine::ExecResult r =
      run(machine, "systemctl --no-pager show -- " + shellQuote(unit),
          waitTimeoutMs_);
  if (r.status != 0) {
    Failure f;
    f.message = fmt::format("cannot read the state of unit `{}`", unit);
    f.details = outputDetails(r);
    f.machines = {machine};
    throw f;
  }
  return parseProperties(r.stdoutText);
}

}  // namespace rig::exec
