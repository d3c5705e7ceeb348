#include "runtime/exec/testing/fakes.h"

#include <utility>

#include "llvm/ADT/StringExtras.h"

namespace rig::exec::testing {

using machine::MachineState;

static llvm::Error notRunning(const std::string& name, MachineState state) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "machine %s is %s", name.c_str(),
      state == MachineState::Dead ? "dead" : "not running");
}

llvm::Error FakeMachine::start(double) {
  if (state_ == MachineState::Running) return llvm::Error::success();
  log.push_back("start");
  ++starts;
  if (dieOnBoot) {
    state_ = MachineState::Dead;
    printConsole("Kernel panic - not syncing: fake");
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "QEMU exited during boot");
  }
  if (!bootError.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                   bootError.c_str());
  state_ = MachineState::Running;
  printConsole("[    0.000000] Linux version fake");
  printConsole("rig-guest: agent ready");
  return llvm::Error::success();
}

llvm::Error FakeMachine::shutdown(double timeoutMs) {
  log.push_back("shutdown");
  shutdownTimeoutsMs.push_back(timeoutMs);
  state_ = MachineState::Off;
  if (hangOnShutdown) {
    clock_->advance(timeoutMs);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "still running after the timeout; killed");
  }
  return llvm::Error::success();
}

llvm::Error FakeMachine::crash() {
  log.push_back("crash");
  state_ = MachineState::Off;
  return llvm::Error::success();
}

llvm::Error FakeMachine::waitForShutdown(double) {
  log.push_back("wait_for_shutdown");
  if (state_ == MachineState::Running)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "still running");
  return llvm::Error::success();
}

llvm::Expected<machine::ExecResult> FakeMachine::execute(
    const machine::ExecRequest& request) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  commands.push_back(request.command);
  shells.push_back(request.shell);
  envs.push_back(request.env);
  log.push_back("exec " + request.command);
  lastRequest = request;
  if (!failNext.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   std::exchange(failNext, "").c_str());
  if (!dieOnCommand.empty() &&
      llvm::StringRef(request.command).contains(dieOnCommand)) {
    state_ = MachineState::Dead;
    printConsole("Kernel panic - not syncing: Attempted to kill init!");
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "agent connection lost");
  }
  for (const auto& [command, line] : consoleOnCommand)
    if (llvm::StringRef(request.command).contains(command)) printConsole(line);
  if (clock_ && commandMs > 0) clock_->advance(commandMs);
  for (Rule& rule : rules_) {
    if (!llvm::StringRef(request.command).contains(rule.command)) continue;
    machine::ExecResult result = rule.results.front();
    if (rule.results.size() > 1) rule.results.pop_front();
    if (result.timedOut && clock_) clock_->advance(request.timeoutMs);
    return result;
  }
  return ok();
}

llvm::Expected<bool> FakeMachine::isPortOpen(llvm::StringRef address,
                                             int port) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  log.push_back("port " + address.str() + ":" + std::to_string(port));
  return portOpen ? portOpen(address, port) : false;
}

llvm::Expected<bool> FakeMachine::isUnixSocketOpen(llvm::StringRef path) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  return files.count(path.str()) > 0;
}

llvm::Expected<std::string> FakeMachine::readFile(llvm::StringRef path) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  auto it = files.find(path.str());
  if (it == files.end())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: No such file or directory",
                                   path.str().c_str());
  return it->second;
}

llvm::Error FakeMachine::writeFile(llvm::StringRef path, llvm::StringRef data,
                                   uint32_t mode) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  files[path.str()] = data.str();
  log.push_back("write " + path.str());
  return llvm::Error::success();
}

llvm::Expected<machine::HttpResponse> FakeMachine::http(
    const machine::HttpRequest& request) {
  if (state_ != MachineState::Running) return notRunning(name_, state_);
  log.push_back("http " + request.method + " " + request.url);
  if (onHttp) return onHttp(request);
  return machine::HttpResponse{404, {}, "not found"};
}

void FakeMachine::printConsole(const std::string& line) {
  console += line + "\n";
  if (sink_) sink_(line);
}

std::string FakeMachine::consoleTail(size_t lines) {
  llvm::SmallVector<llvm::StringRef, 64> all;
  llvm::StringRef(console).rtrim('\n').split(all, '\n');
  if (console.empty()) return "";
  size_t from = all.size() > lines ? all.size() - lines : 0;
  std::string out;
  for (size_t i = from; i < all.size(); ++i) out += all[i].str() + "\n";
  return out;
}

FakeSuiteMachines::FakeSuiteMachines(const plan::Plan& plan, FakeClock* clock) {
  for (const plan::Node& node : plan.nodes)
    machines_[node.name] = std::make_unique<FakeMachine>(node.name, clock);
}

machine::Machine* FakeSuiteMachines::machine(llvm::StringRef name) {
  auto it = machines_.find(name.str());
  return it == machines_.end() ? nullptr : it->second.get();
}

bool FakeSuiteMachines::keepRunning() {
  ++keepCalls;
  return keepWorks;
}

void FakeSuiteMachines::stopAll() {
  stopped = true;
  for (auto& [name, m] : machines_) m->stop();
}

llvm::Expected<std::unique_ptr<SuiteMachines>> FakeFactory::create(
    const plan::Plan& plan) {
  if (!error.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                   error.c_str());
  auto machines = std::make_unique<FakeSuiteMachines>(plan, clock_);
  if (setup) setup(plan, *machines);
  return std::unique_ptr<SuiteMachines>(std::move(machines));
}

}  // namespace rig::exec::testing
