// Fakes for testing the executor without QEMU: a scripted Machine, the
// machines of a suite, a factory, and a clock that only moves when slept on.
#ifndef RIG_RUNTIME_EXEC_TESTING_FAKES_H
#define RIG_RUNTIME_EXEC_TESTING_FAKES_H

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/exec/run.h"
#include "runtime/machine/machine.h"

namespace rig::exec::testing {

class FakeClock : public Clock {
 public:
  double nowMs() override {
    std::lock_guard<std::mutex> l(m_);
    return now_;
  }
  void sleepMs(double ms) override {
    std::lock_guard<std::mutex> l(m_);
    now_ += ms;
    slept_ += ms;
  }
  void advance(double ms) { sleepMs(ms); }
  double slept() {
    std::lock_guard<std::mutex> l(m_);
    return slept_;
  }

 private:
  std::mutex m_;
  double now_ = 1'000'000;
  double slept_ = 0;
};

// A machine whose commands answer from a script: the first rule whose
// `command` is a substring of the command run answers; each rule gives its
// results in turn and repeats the last one.
class FakeMachine : public machine::Machine {
 public:
  FakeMachine(std::string name, FakeClock* clock)
      : name_(std::move(name)), clock_(clock) {}

  struct Rule {
    std::string command;
    std::deque<machine::ExecResult> results;
  };
  void on(std::string command, std::vector<machine::ExecResult> results) {
    rules_.push_back({std::move(command), {results.begin(), results.end()}});
  }
  static machine::ExecResult ok(std::string out = "") {
    return status(0, std::move(out));
  }
  static machine::ExecResult status(int s, std::string out = "",
                                    std::string err = "") {
    machine::ExecResult r;
    r.status = s;
    r.stdoutText = std::move(out);
    r.stderrText = std::move(err);
    return r;
  }
  static machine::ExecResult timedOut(std::string out = "") {
    machine::ExecResult r = status(0, std::move(out));
    r.timedOut = true;
    return r;
  }

  llvm::StringRef name() const override { return name_; }
  machine::MachineState state() override { return state_; }
  llvm::Error start(double timeoutMs) override;
  llvm::Error shutdown(double timeoutMs) override;
  llvm::Error crash() override;
  llvm::Error waitForShutdown(double timeoutMs) override;
  void stop() override {
    stopped = true;
    state_ = machine::MachineState::Off;
  }
  llvm::Expected<machine::ExecResult> execute(
      const machine::ExecRequest& request) override;
  llvm::Expected<bool> isPortOpen(llvm::StringRef address, int port) override;
  llvm::Expected<bool> isUnixSocketOpen(llvm::StringRef path) override;
  llvm::Expected<std::string> readFile(llvm::StringRef path) override;
  llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data,
                        uint32_t mode) override;
  llvm::Expected<machine::HttpResponse> http(
      const machine::HttpRequest& request) override;
  std::string consoleText() override { return console; }
  std::string consoleTail(size_t lines) override;
  std::string consoleLogPath() override { return "/fake/" + name_ + ".log"; }
  void setConsoleSink(ConsoleSink sink) override { sink_ = std::move(sink); }
  // Appends a line to the console and hands it to the sink, as QEMU's
  // serial port and the reader thread of a real machine would.
  void printConsole(const std::string& line);
  llvm::Error setLinksUp(bool up) override {
    linksUp = up;
    log.push_back(up ? "unblock" : "block");
    return llvm::Error::success();
  }
  llvm::Expected<std::string> monitorCommand(llvm::StringRef command) override {
    log.push_back("monitor " + command.str());
    return std::string("monitor: ") + command.str();
  }

  // Script and observations.
  machine::MachineState state_ = machine::MachineState::Off;
  std::string console;
  std::string bootError;     // start() fails with it
  bool dieOnBoot = false;    // start() leaves the machine Dead
  std::string dieOnCommand;  // a command containing this kills the machine
  std::string failNext;      // the next command fails with this error
  machine::ExecRequest lastRequest;
  // A command containing `first` prints `second` on the console.
  std::vector<std::pair<std::string, std::string>> consoleOnCommand;
  double commandMs = 0;  // each command takes this long on the clock
  std::function<bool(llvm::StringRef addr, int port)> portOpen;
  std::function<llvm::Expected<machine::HttpResponse>(
      const machine::HttpRequest&)>
      onHttp;
  std::map<std::string, std::string> files;
  std::vector<std::string> log;  // "start", "exec CMD", ...
  std::vector<std::string> commands;
  std::vector<machine::Shell> shells;  // the shell of each of `commands`
  // The environment of each of `commands`.
  std::vector<std::map<std::string, std::string>> envs;
  // shutdown() takes its whole timeout on the clock, then kills the guest
  // and fails, as a guest that does not power off in time.
  bool hangOnShutdown = false;
  std::vector<double> shutdownTimeoutsMs;  // of each shutdown()
  int starts = 0;
  bool linksUp = true;
  bool stopped = false;

 private:
  std::string name_;
  FakeClock* clock_;
  std::vector<Rule> rules_;
  ConsoleSink sink_;
};

class FakeSuiteMachines : public SuiteMachines {
 public:
  FakeSuiteMachines(const plan::Plan& plan, FakeClock* clock);
  machine::Machine* machine(llvm::StringRef name) override;
  void stopAll() override;
  bool keepRunning() override;
  FakeMachine& operator[](const std::string& name) {
    return *machines_.at(name);
  }
  bool stopped = false;
  bool keepWorks = true;  // what keepRunning() answers
  int keepCalls = 0;

 private:
  std::map<std::string, std::unique_ptr<FakeMachine>> machines_;
};

// Makes FakeSuiteMachines; `setup` scripts them per suite.
class FakeFactory : public MachineFactory {
 public:
  explicit FakeFactory(FakeClock* clock) : clock_(clock) {}
  llvm::Expected<std::unique_ptr<SuiteMachines>> create(
      const plan::Plan& plan) override;
  std::function<void(const plan::Plan&, FakeSuiteMachines&)> setup;
  std::string error;  // create() fails with it

 private:
  FakeClock* clock_;
};

}  // namespace rig::exec::testing

#endif
