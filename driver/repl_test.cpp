// `rig repl` in-process: the real front end and interpreter on fake
// machines, input from a list of lines.
#include "driver/repl.h"

#include <gtest/gtest.h>

#include "driver/args.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "runtime/exec/testing/fakes.h"

namespace rig::driver {
namespace {

using exec::testing::FakeClock;
using exec::testing::FakeFactory;
using exec::testing::FakeMachine;
using exec::testing::FakeSuiteMachines;

constexpr const char* kSuite = R"(node server {}

let greeting = "hello"

fn twice(x) { return x * 2 }

test "uname works" {
  expect server.succeed("uname") == "Linux\n"
}

test "two is two" {
  expect twice(1) == 2
}
)";

// The fake machines stay with the test after the REPL has destroyed what
// it was given (a view of them), so that the test can look at them.
class BorrowedMachines : public exec::SuiteMachines {
 public:
  explicit BorrowedMachines(exec::SuiteMachines& owner) : owner_(owner) {}
  machine::Machine* machine(llvm::StringRef name) override {
    return owner_.machine(name);
  }
  void stopAll() override { owner_.stopAll(); }

 private:
  exec::SuiteMachines& owner_;
};

// Hands out views of the machines the test's factory scripts.
class ForwardingFactory : public exec::MachineFactory {
 public:
  ForwardingFactory(FakeFactory& inner,
                    std::vector<std::unique_ptr<exec::SuiteMachines>>& kept)
      : inner_(inner), kept_(kept) {}
  llvm::Expected<std::unique_ptr<exec::SuiteMachines>> create(
      const plan::Plan& plan) override {
    auto made = inner_.create(plan);
    if (!made) return made.takeError();
    kept_.push_back(std::move(*made));
    return std::make_unique<BorrowedMachines>(*kept_.back());
  }

 private:
  FakeFactory& inner_;
  std::vector<std::unique_ptr<exec::SuiteMachines>>& kept_;
};

class ReplTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-repl-test", dir));
    root_ = std::string(dir);
    factory_.setup = [this](const plan::Plan&, FakeSuiteMachines& machines) {
      machines_ = &machines;
      machines["server"].on("uname", {FakeMachine::ok("Linux\n")});
      machines["server"].on("hostname", {FakeMachine::ok("server\n")});
    };
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root_); }

  std::string write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<256> path(root_);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << text;
    return std::string(path);
  }

  // Runs `rig repl` on `source` with `lines` typed; returns the exit code.
  int repl(const std::string& source, std::deque<std::string> lines) {
    std::string path = write("suite.rig", source);
    ParsedArgs parsed = parseArgs({"repl", path});
    EXPECT_TRUE(parsed.ok()) << parsed.error;
    llvm::raw_string_ostream out(out_), err(err_);
    Host host;
    host.out = &out;
    host.err = &err;
    host.env = [](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "RIG_STDLIB") return RIG_SOURCE_DIR "/stdlib";
      return std::nullopt;
    };
    host.executable = "/nonexistent/bin/rig";
    Session session(host, parsed.invocation);
    reader_ = std::make_unique<ListLineReader>(std::move(lines));
    ReplEnvironment env;
    env.reader = reader_.get();
    env.clock = &clock_;
    env.makeFactory = [this](const RunSettings&) {
      return std::make_unique<ForwardingFactory>(factory_, made_);
    };
    env.interaction = interaction_;
    int code = runReplLoop(session, env);
    out.flush();
    err.flush();
    return code;
  }

  std::string root_;
  std::string out_, err_;
  FakeClock clock_;
  FakeFactory factory_{&clock_};
  std::vector<std::unique_ptr<exec::SuiteMachines>> made_;
  FakeSuiteMachines* machines_ = nullptr;  // the last made, in made_
  std::unique_ptr<ListLineReader> reader_;
  exec::Interaction interaction_;
};

TEST_F(ReplTest, ExpressionsPrintTheirValues) {
  ASSERT_EQ(repl(kSuite, {"1 + 2", "greeting", "[1, \"a\"]",
                          "server.succeed(\"uname\")", "start_all()"}),
            0);
  // Strings as their text, other values as rig source, null not at all.
  EXPECT_EQ(out_.find("rig repl: suite suite (2 tests; nodes: server)"), 0u)
      << out_;
  // The machine's boot is reported as in rig run, between the input that
  // started it and its value.
  EXPECT_NE(out_.find("\n3\nhello\n[1, \"a\"]\n  node server booted in "
                      "0.0s\nLinux\n"),
            std::string::npos)
      << out_;
  EXPECT_EQ(err_, "");
  // The machine started on first use; :quit or the end stops it.
  EXPECT_EQ((*machines_)["server"].starts, 1);
  EXPECT_TRUE(machines_->stopped);
  EXPECT_NE(out_.find("stopping the machines"), std::string::npos);
}

TEST_F(ReplTest, LetsStayAndFnsAreInScope) {
  ASSERT_EQ(repl(kSuite, {"let out = server.succeed(\"hostname\")",
                          "let n = twice(21)", "trim(out)", "n"}),
            0);
  EXPECT_NE(out_.find("server\n42\n"), std::string::npos) << out_;
  // The command ran once: `out` kept its value.
  EXPECT_EQ((*machines_)["server"].commands.size(), 1u);
}

TEST_F(ReplTest, AFailingExpectPrintsAsInATestAndTheSessionGoesOn) {
  ASSERT_EQ(repl(kSuite, {"let x = 1", "expect x == 2", "x + 1"}), 0);
  EXPECT_NE(out_.find("FAIL\n  <repl>:1:8: expect failed\n"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("  1 | expect x == 2\n"), std::string::npos) << out_;
  EXPECT_NE(out_.find("\n2\n"), std::string::npos) << out_;
}

TEST_F(ReplTest, TyposGetTheCompilersDiagnostics) {
  ASSERT_EQ(repl(kSuite, {"servr.succeed(\"true\")", "server.succed(\"true\")",
                          "greeting"}),
            0);
  EXPECT_NE(err_.find("<repl>:1:1: error"), std::string::npos) << err_;
  EXPECT_NE(err_.find("did you mean `server`?"), std::string::npos) << err_;
  EXPECT_NE(err_.find("did you mean `succeed`?"), std::string::npos) << err_;
  EXPECT_NE(err_.find("^"), std::string::npos) << err_;
  EXPECT_NE(out_.find("hello\n"), std::string::npos) << out_;
  EXPECT_EQ((*machines_)["server"].starts, 0);  // nothing ran
}

TEST_F(ReplTest, SyntaxErrorsAndRuntimeErrorsDoNotEndTheSession) {
  ASSERT_EQ(repl(kSuite, {"let = 3", "lines(server.succeed(\"uname\"))[5]",
                          "fail(\"boom\")", "7"}),
            0);
  EXPECT_NE(err_.find("<repl>:1:5: error"), std::string::npos) << err_;
  EXPECT_NE(out_.find("index 5 out of range, length 1"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("boom"), std::string::npos) << out_;
  EXPECT_NE(out_.find("\n7\n"), std::string::npos) << out_;
}

TEST_F(ReplTest, OpenBracesContinueOnTheNextLine) {
  ASSERT_EQ(repl(kSuite, {"for i in [1, 2] {", "  log(\"item ${i}\")", "}",
                          "let o = {", "  a: 1", "}", "o.a"}),
            0);
  EXPECT_NE(out_.find("log: item 1\nlog: item 2\n"), std::string::npos) << out_;
  EXPECT_NE(out_.find("\n1\n"), std::string::npos) << out_;
  EXPECT_EQ(reader_->prompts,
            (std::deque<std::string>{"rig> ", "...> ", "...> ", "rig> ",
                                     "...> ", "...> ", "rig> ", "rig> "}));
  // History keeps a multi-line input as one entry.
  EXPECT_EQ(reader_->remembered[0],
            "for i in [1, 2] {\n  log(\"item ${i}\")\n}");
}

TEST_F(ReplTest, TestsAndRun) {
  ASSERT_EQ(repl(kSuite,
                 {":tests", ":run two is two", ":run 1", ":run", ":run nope"}),
            0);
  EXPECT_NE(out_.find("  1  uname works\n  2  two is two\n"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("PASS two is two"), std::string::npos) << out_;
  EXPECT_NE(out_.find("PASS uname works"), std::string::npos) << out_;
  EXPECT_NE(out_.find("no test \"nope\" in this suite"), std::string::npos)
      << out_;
  // `:run` runs on the live machines: one boot for all of it.
  EXPECT_EQ((*machines_)["server"].starts, 1);
}

TEST_F(ReplTest, RunShowsAFailureAsRigRunDoes) {
  factory_.setup = [this](const plan::Plan&, FakeSuiteMachines& machines) {
    machines_ = &machines;
    machines["server"].on("uname", {FakeMachine::ok("Darwin\n")});
  };
  ASSERT_EQ(repl(kSuite, {":run uname works", "1"}), 0);
  EXPECT_NE(out_.find("FAIL uname works"), std::string::npos) << out_;
  EXPECT_NE(out_.find("expect failed"), std::string::npos) << out_;
  EXPECT_NE(out_.find("\n1\n"), std::string::npos) << out_;
}

TEST_F(ReplTest, ShellAttachesThroughTheInteraction) {
  std::vector<std::string> shells;
  interaction_.shell = [&](machine::Machine& machine) {
    shells.push_back(machine.name().str());
    return llvm::Error::success();
  };
  ASSERT_EQ(
      repl(kSuite, {":shell server", "server.shell()", ":shell", ":shell db"}),
      0);
  EXPECT_EQ(shells, (std::vector<std::string>{"server", "server"}));
  EXPECT_EQ((*machines_)["server"].starts, 1);  // started before attaching
  EXPECT_NE(out_.find("usage: :shell NODE (nodes: server)"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("no node `db` in this suite (nodes: server)"),
            std::string::npos)
      << out_;
}

TEST_F(ReplTest, WithoutATerminalShellFailsClearly) {
  ASSERT_EQ(repl(kSuite, {"server.shell()"}), 0);
  EXPECT_NE(out_.find("`server.shell()` is interactive: use it in `rig repl`"),
            std::string::npos)
      << out_;
}

TEST_F(ReplTest, AnInterruptEndsTheInputNotTheSession) {
  // Ctrl-C sets the flag the interpreter polls before every statement.
  bool interrupt = true;
  interaction_.interrupted = [&] { return interrupt; };
  ASSERT_EQ(repl(kSuite, {"server.succeed(\"uname\")"}), 0);
  EXPECT_NE(out_.find("FAIL\n  <repl>:1:1: interrupted\n"), std::string::npos)
      << out_;
  EXPECT_TRUE((*machines_)["server"].commands.empty());
  EXPECT_NE(out_.find("stopping the machines"), std::string::npos);
}

TEST_F(ReplTest, UnknownCommandsAndHelp) {
  ASSERT_EQ(repl(kSuite, {":rn", ":help", ":quit", "1 + 1"}), 0);
  EXPECT_NE(out_.find("unknown command `:rn` (:help lists them)"),
            std::string::npos);
  EXPECT_NE(out_.find(":run [NAME|N]"), std::string::npos);
  // :quit ends the session: the last line is never read.
  EXPECT_EQ(out_.find("\n2\n"), std::string::npos) << out_;
}

TEST_F(ReplTest, ASpecWithErrorsExitsWith2) {
  EXPECT_EQ(repl("node server {}\ntest \"t\" { servr.start() }\n", {"1"}), 2);
  EXPECT_NE(err_.find("did you mean `server`?"), std::string::npos) << err_;
  EXPECT_EQ(machines_, nullptr);  // no machines were made
}

TEST_F(ReplTest, NoMachinesIsAnInfrastructureError) {
  factory_.error = "qemu-system-x86_64 not found";
  EXPECT_EQ(repl(kSuite, {"1"}), 3);
  EXPECT_NE(err_.find("rig: qemu-system-x86_64 not found"), std::string::npos)
      << err_;
}

}  // namespace
}  // namespace rig::driver
