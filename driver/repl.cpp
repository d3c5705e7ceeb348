// `rig repl FILE`: statements typed against the live machines of a suite.
// Input goes through the real front end (parse, sema against the suite's
// scope, lower) and runs on the runtime's interpreter (exec::InteractiveSuite).
#include "driver/repl.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <clocale>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "compiler/lower/lower.h"
#include "compiler/parse/parse.h"
#include "driver/execute.h"
#include "driver/lowering.h"
#include "driver/repl_input.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/host/process.h"
#include "runtime/protocol/shell_client.h"
#include "runtime/report/terminal.h"

namespace rig::driver {

const char* const kReplHelp =
    "Type rig statements or expressions, as in a test body; the suite's "
    "nodes,\n"
    "lets and fns are in scope, and `let`s typed here stay for later lines.\n"
    "An open `{`, `(` or `[` continues the input on the next line.\n"
    "\n"
    "  start_all()                 boot every machine (else on first use)\n"
    "  server.succeed(\"uname -a\")  a machine operation; its value is "
    "printed\n"
    "  server.shell()              a root shell in the guest (Ctrl-] returns)\n"
    "\n"
    "Commands:\n"
    "  :tests          list the suite's tests\n"
    "  :run [NAME|N]   run one test (by name or number), or all, on these "
    "machines\n"
    "  :shell NODE     a root shell in NODE's guest (Ctrl-] returns here)\n"
    "  :help           this text\n"
    "  :quit           stop every machine and leave (also Ctrl-D)\n"
    "\n"
    "Ctrl-C clears the line, or interrupts the running input at its next\n"
    "statement, wait poll or sleep (the machines keep running).\n";

namespace {

// log() lines of typed input (no test is running) are always shown; the
// terminal reporter shows a test's only with -v, as in `rig run`.
class InputLog : public events::Sink {
 public:
  explicit InputLog(llvm::raw_ostream& out) : out_(out) {}
  void log(const events::SuiteInfo&, llvm::StringRef test,
           llvm::StringRef message) override {
    if (!test.empty()) return;
    out_ << "log: " << message << "\n";
    out_.flush();
  }

 private:
  llvm::raw_ostream& out_;
};

class Repl {
 public:
  Repl(Session& session, CheckedSpec& spec, plan::Plan& plan,
       exec::InteractiveSuite& suite, LineReader& reader,
       std::atomic<bool>* interrupt)
      : session_(session),
        spec_(spec),
        plan_(plan),
        suite_(suite),
        reader_(reader),
        interrupt_(interrupt),
        out_(session.out()) {
    semaOptions_.stdlibDir = stdlibDir(session.host());
  }

  void loop() {
    for (;;) {
      out_.flush();
      LineReader::Result read = reader_.read("rig> ");
      if (read.status == LineReader::Status::Interrupted) {
        out_ << "\n";
        continue;
      }
      if (read.status == LineReader::Status::End) {
        out_ << "\n";
        return;
      }
      ReplCommand command = parseReplCommand(read.line);
      using Kind = ReplCommand::Kind;
      if (command.kind == Kind::Empty) continue;
      if (command.kind != Kind::Code) {
        reader_.remember(llvm::StringRef(read.line).trim().str());
        if (command.kind == Kind::Quit) return;
        runCommand(command);
        continue;
      }
      std::optional<std::string> text = completeInput(read.line);
      if (!text) continue;
      reader_.remember(*text);
      runCode(*text);
    }
  }

 private:
  // More lines while brackets or a """ string are open; nullopt on Ctrl-C.
  std::optional<std::string> completeInput(std::string text) {
    while (!inputComplete(text)) {
      out_.flush();
      LineReader::Result more = reader_.read("...> ");
      if (more.status == LineReader::Status::Interrupted) {
        out_ << "\n";
        return std::nullopt;
      }
      if (more.status == LineReader::Status::End)
        break;  // the parser says what is open
      text += "\n" + more.line;
    }
    return text;
  }

  void runCode(const std::string& text) {
    FileId file = session_.sources().add("<repl>", text);
    diag::Emitter emitter;
    spec_.config.applyTo(emitter);
    inputs_.push_back(
        parse::parseStatements(file, session_.sources(), emitter));
    // The ASTs stay: sema's tables and the scope point into them.
    const std::vector<ast::StmtPtr>& statements = inputs_.back();
    if (!emitter.hasErrors())
      sema::checkStatements(spec_.program, session_.sources(), semaOptions_,
                            statements, scope_, emitter);
    session_.addDiagnostics(emitter);
    session_.printDiagnostics();
    session_.err().flush();
    if (emitter.hasErrors()) return;
    std::vector<plan::Stmt> lowered =
        lower::lowerStatements(spec_.program, statements, file, plan_);
    if (interrupt_) *interrupt_ = false;  // a Ctrl-C from before
    exec::InteractiveSuite::Outcome outcome = suite_.execute(lowered);
    if (outcome.failure) {
      out_ << "FAIL\n" << report::renderFailure(*outcome.failure, "  ");
      return;
    }
    if (outcome.value) printValue(*outcome.value);
  }

  // Strings print as their text (command output reads as in a terminal),
  // null (the value of most operations) not at all, everything else as
  // rig source (`{ status: 0, stdout: "..." }`).
  void printValue(const Value& value) {
    if (value.kind() == ValueKind::Null) return;
    if (value.kind() == ValueKind::String) {
      out_ << value.asString();
      if (!llvm::StringRef(value.asString()).endswith("\n")) out_ << "\n";
      return;
    }
    out_ << value.repr() << "\n";
  }

  void runCommand(const ReplCommand& command) {
    using Kind = ReplCommand::Kind;
    switch (command.kind) {
      case Kind::Help: out_ << kReplHelp; return;
      case Kind::Tests:
        if (plan_.tests.empty()) out_ << "this suite has no tests\n";
        for (size_t i = 0; i < plan_.tests.size(); ++i)
          out_ << fmt::format("{:3}  {}\n", i + 1, plan_.tests[i].name);
        return;
      case Kind::Run: runTests(command.argument); return;
      case Kind::Shell: openShell(command.argument); return;
      case Kind::Unknown:
        out_ << fmt::format("unknown command `{}` (:help lists them)\n",
                            command.word);
        return;
      default: return;
    }
  }

  void runTests(const std::string& which) {
    std::vector<std::string> names;
    if (!which.empty()) {
      const plan::Test* found = nullptr;
      for (const plan::Test& test : plan_.tests)
        if (test.name == which) found = &test;
      unsigned index = 0;
      if (!found && llvm::to_integer(which, index, 10) && index >= 1 &&
          index <= plan_.tests.size())
        found = &plan_.tests[index - 1];
      if (!found) {
        out_ << fmt::format(
            "no test \"{}\" in this suite (:tests lists them)\n", which);
        return;
      }
      names.push_back(found->name);
    } else if (plan_.tests.empty()) {
      out_ << "this suite has no tests\n";
      return;
    }
    if (interrupt_) *interrupt_ = false;
    suite_.runTests(names);
  }

  void openShell(const std::string& node) {
    std::vector<std::string> nodes;
    for (const plan::Node& n : plan_.nodes) nodes.push_back(n.name);
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
      out_ << (node.empty() ? std::string("usage: :shell NODE")
                            : fmt::format("no node `{}` in this suite", node))
           << fmt::format(" (nodes: {})\n",
                          nodes.empty() ? "none" : llvm::join(nodes, ", "));
      return;
    }
    runCode(node + ".shell()");
  }

  Session& session_;
  CheckedSpec& spec_;
  plan::Plan& plan_;
  exec::InteractiveSuite& suite_;
  LineReader& reader_;
  std::atomic<bool>* interrupt_;
  llvm::raw_ostream& out_;
  sema::Options semaOptions_;
  sema::ReplScope scope_;
  std::deque<std::vector<ast::StmtPtr>> inputs_;
};

}  // namespace

int runReplLoop(Session& session, ReplEnvironment& env) {
  const Invocation& inv = session.invocation();
  std::unique_ptr<CheckedSpec> spec = session.check(inv.files[0], false);
  if (!spec || !spec->ok) {
    session.printDiagnostics();
    return kExitUsage;
  }
  std::optional<plan::Plan> plan = lowerSpec(session, *spec);
  session.printDiagnostics();
  if (!plan) return kExitUsage;

  std::unique_ptr<exec::MachineFactory> factory =
      env.makeFactory(spec->config.run);
  llvm::Expected<std::unique_ptr<exec::SuiteMachines>> machines =
      factory->create(*plan);
  if (!machines) {
    session.error(llvm::toString(machines.takeError()));
    return kExitInfrastructure;
  }
  if (env.machinesReady) env.machinesReady();

  exec::RunOptions options = runOptions(session, spec->config.run);
  report::MultiReporter reporters;
  // Plain lines: a live status block redrawn under the prompt would fight
  // the line editor.
  report::TerminalOptions terminal;
  terminal.verbosity = options.verbosity;
  terminal.color = session.colorOut();
  reporters.add(report::makeTerminalReporter(session.out(), terminal));
  reporters.add(std::make_unique<InputLog>(session.out()));
  exec::InteractiveSuite suite(*plan, **machines, options, reporters,
                               *env.clock, env.interaction);

  llvm::raw_ostream& out = session.out();
  std::vector<std::string> nodes;
  for (const plan::Node& n : plan->nodes) nodes.push_back(n.name);
  out << fmt::format(
      "rig repl: suite {} ({} test{}; nodes: {})\n"
      "Machines start on first use or with start_all(). :help for help, "
      ":quit or Ctrl-D to leave.\n",
      plan->suiteName, plan->tests.size(), plan->tests.size() == 1 ? "" : "s",
      nodes.empty() ? "none" : llvm::join(nodes, ", "));
  if (std::optional<events::Failure> failure = suite.evalGlobals())
    out << "FAIL (the suite's lets)\n" << report::renderFailure(*failure, "  ");

  Repl repl(session, *spec, *plan, suite, *env.reader, env.interrupt);
  repl.loop();

  out << "stopping the machines\n";
  out.flush();
  suite.stopAll();
  machines->reset();  // the run directory, the switches
  return kExitOk;
}

// ---- The real terminal -----------------------------------------------------

namespace {

// Set by SIGINT (Ctrl-C): the line reader drops the line, a running input
// stops at its next check (exec::Interaction::interrupted).
std::atomic<bool> gInterrupt{false};

void onInterrupt(int) { gInterrupt = true; }

// The system clock, but a sleep ends early on Ctrl-C.
class InterruptibleClock : public exec::Clock {
 public:
  double nowMs() override { return exec::systemClock().nowMs(); }
  void sleepMs(double ms) override {
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::duration<double, std::milli>(ms);
    while (!gInterrupt && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(
          std::min<std::chrono::duration<double, std::milli>>(
              std::chrono::milliseconds(50),
              until - std::chrono::steady_clock::now()));
  }
};

std::string historyPath(const Host& host) {
  if (std::optional<std::string> path = host.env("RIG_HISTORY")) return *path;
  std::optional<std::string> home = host.env("HOME");
  if (!home || home->empty()) return "";
  return *home + "/.rig_history";
}

}  // namespace

int runRepl(Session& session) {
  bool terminal = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  // libedit edits UTF-8 only under a UTF-8 locale.
  if (terminal) {
    std::setlocale(LC_CTYPE, "");
    if (llvm::StringRef(std::setlocale(LC_CTYPE, nullptr))
            .find_insensitive("utf") == llvm::StringRef::npos)
      std::setlocale(LC_CTYPE, "C.UTF-8");
  }
  std::unique_ptr<LineReader> reader =
      terminal ? makeEditLineReader(historyPath(session.host()), gInterrupt)
               : makePlainLineReader(
                     STDIN_FILENO, ::isatty(STDIN_FILENO) ? STDOUT_FILENO : -1);
  InterruptibleClock clock;

  ReplEnvironment env;
  env.reader = reader.get();
  std::mutex sayMutex;
  env.makeFactory = [&session, &sayMutex](const RunSettings& settings) {
    // The `preparing ...` lines, from the factory's thread.
    return makeClusterFactory(session, settings,
                              [&session, &sayMutex](llvm::StringRef line) {
                                std::lock_guard<std::mutex> lock(sayMutex);
                                session.out() << line;
                                session.out().flush();
                              });
  };
  env.clock = &clock;
  env.interrupt = &gInterrupt;
  env.interaction.interrupted = [] { return gInterrupt.load(); };
  env.interaction.shell = [&session](machine::Machine& machine) -> llvm::Error {
    std::string socket = machine.shellSocketPath();
    if (socket.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "this machine has no shell port");
    session.out() << fmt::format("[root shell on {}: Ctrl-] returns to rig>]\n",
                                 machine.name().str());
    session.out().flush();
    llvm::Error error =
        protocol::attachShell(socket, STDIN_FILENO, STDOUT_FILENO);
    session.out() << "\n[back in rig repl]\n";
    return error;
  };
  struct sigaction previous {};
  bool installed = false;
  env.machinesReady = [&] {
    // SIGTERM, SIGHUP and the rest keep the cluster's handlers (they kill
    // every VM and switch); SIGINT only interrupts.
    host::installSignalHandlers();
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR
    installed = ::sigaction(SIGINT, &action, &previous) == 0;
  };
  int code = runReplLoop(session, env);
  if (installed) ::sigaction(SIGINT, &previous, nullptr);
  return code;
}

}  // namespace rig::driver
