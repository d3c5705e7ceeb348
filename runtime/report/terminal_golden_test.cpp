// Golden tests of the terminal output of `rig run`: one recorded stream of
// a suite (two nodes booting, steps, console lines, a passing test with a
// subtest, a failure with a diff, a skipped test) replayed into the
// terminal reporter in plain mode (a CI log), with -q, with -v, and in TTY
// mode with a fixed size and a fake clock. The TTY golden shows the escape
// sequences (`\e`, `\r`); a small screen model then plays them back and the
// final screen must hold the permanent lines and nothing of the live block.
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/report/golden_testing.h"
#include "runtime/report/live_status.h"
#include "runtime/report/plain_text.h"
#include "runtime/report/terminal.h"

namespace rig::report {
namespace {

// The fake clock of the TTY run, in milliseconds.
struct FakeClock {
  double now = 0;
};

// The events of one suite as the executor sends them. `tick` advances the
// clock to `atMs` and redraws, as the ticker thread would.
void replay(TerminalReporter& r, FakeClock& clock) {
  auto tick = [&](double atMs) {
    clock.now = atMs;
    r.tick();
  };
  SuiteInfo todos{"todos",
                  "specs/todos.rig",
                  {"served", "lists todos", "deletes"},
                  {"server", "client"}};
  r.runStarted(1, 1);
  r.note("  preparing pgdata on server: cached (0.0s)\n");
  r.suiteStarted(todos);

  r.testStarted(todos, "served");
  StepInfo wait{
      "served",         "",       "server.wait_for_unit(\"todo-server\")",
      "todos.rig:10:3", "server", 0};
  r.stepStarted(todos, wait);
  r.nodeChanged(todos, {"server", NodePhase::Booting, 0, "", ""});
  r.consoleLine(todos, "server", "[    0.000000] Linux version 6.1.0-13-amd64",
                100);
  tick(3100);
  r.consoleLine(todos, "server",
                "[\x1b[0;32m  OK  \x1b[0m] Reached target rig.target.", 14100);
  clock.now = 14200;
  r.nodeChanged(todos, {"server", NodePhase::Ready, 14200, "", ""});
  r.stepFinished(todos, {wait, Status::Passed, 14200});
  StepInfo sub{"served",         "", "subtest \"GET /\" {",
               "todos.rig:11:3", "", 14200};
  r.stepStarted(todos, sub);
  StepInfo get{"served",
               "GET /",
               "expect server.succeed(\"curl -s localhost:8080/\") != \"\"",
               "todos.rig:12:5",
               "server",
               14200};
  r.stepStarted(todos, get);
  tick(14500);
  r.stepFinished(todos, {get, Status::Passed, 300});
  SubtestResult getResult{"GET /", Status::Passed, 300, std::nullopt};
  r.subtestFinished(todos, "served", getResult);
  r.stepFinished(todos, {sub, Status::Passed, 300});
  r.log(todos, "served", "port 8080 open");
  clock.now = 15000;
  r.testFinished(todos, {"served",
                         Status::Passed,
                         15000,
                         std::nullopt,
                         {getResult},
                         {"port 8080 open"}});

  r.testStarted(todos, "lists todos");
  StepInfo curl{"lists todos",
                "",
                "expect client.succeed(\"curl -s server/todos\") == want",
                "todos.rig:25:3",
                "client",
                15000};
  r.stepStarted(todos, curl);
  r.nodeChanged(todos, {"client", NodePhase::Booting, 15000, "", ""});
  tick(18100);
  clock.now = 27000;
  r.nodeChanged(todos, {"client", NodePhase::Ready, 27000, "", ""});
  r.consoleLine(todos, "client", "curl: (7) retrying", 27100);
  tick(27500);
  r.stepFinished(todos, {curl, Status::Failed, 12500});
  Failure diff{
      "expect failed: output differs",
      "todos.rig:25:3",
      "  25 |   expect client.succeed(\"curl -s server/todos\") == want\n"
      "     |   ^",
      "--- want\n+++ got\n@@ -1,2 +1,2 @@\n buy milk\n-walk dog\n+walk cat",
      {},
      {{"server", "todo-server: GET /todos 200\ntodo-server: 2 items"}}};
  r.testFinished(todos, {"lists todos", Status::Failed, 12500, diff, {}, {}});
  TestResult deletes{"deletes", Status::Skipped, 0, std::nullopt, {}, {}};
  r.testFinished(todos, deletes);
  clock.now = 28000;
  r.nodeChanged(todos, {"server", NodePhase::Stopped, 28000, "", ""});
  r.nodeChanged(todos, {"client", NodePhase::Stopped, 28000, "", ""});

  SuiteResult result{"todos", "specs/todos.rig", Status::Failed, 28000, {}, {}};
  result.tests = {{"served",
                   Status::Passed,
                   15000,
                   std::nullopt,
                   {getResult},
                   {"port 8080 open"}},
                  {"lists todos", Status::Failed, 12500, diff, {}, {}},
                  deletes};
  r.suiteFinished(result);
  RunSummary run{{result}, 28100};
  r.runFinished(run);
}

std::string run(TerminalOptions options) {
  std::string out;
  llvm::raw_string_ostream os(out);
  FakeClock clock;
  options.nowMs = [&clock] { return clock.now; };
  auto terminal = makeTerminalReporter(os, std::move(options));
  replay(*terminal, clock);
  return os.str();
}

TerminalOptions verbosity(int level) {
  TerminalOptions options;
  options.verbosity = level;
  return options;
}

TerminalOptions tty() {
  TerminalOptions options;
  options.live = true;
  options.color = true;
  options.size = [] { return TerminalSize{60, 24}; };
  return options;
}

// The escape sequences as text: ESC as `\e`, CR as `\r`.
std::string visible(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\x1b')
      out += "\\e";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out;
}

// A terminal as far as the reporter drives it: text, CR, LF (as CR LF, like
// a tty's onlcr), CSI n A (up), CSI J (erase below), CSI K (erase to the end
// of the line) and SGR (ignored). Anything else is a test failure.
std::vector<std::string> playBack(const std::string& text) {
  std::vector<std::string> screen(1);
  size_t row = 0, col = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      col = 0;
    } else if (c == '\n') {
      col = 0;
      if (++row == screen.size()) screen.emplace_back();
    } else if (c == '\x1b') {
      EXPECT_EQ(text[i + 1], '[');
      size_t end = text.find_first_of("ABCDJKmH", i + 2);
      std::string arg = text.substr(i + 2, end - i - 2);
      switch (text[end]) {
        case 'A': {
          size_t n = arg.empty() ? 1 : std::stoul(arg);
          EXPECT_LE(n, row) << "cursor moved above the screen";
          row -= std::min(n, row);
          break;
        }
        case 'J':
          screen[row].resize(std::min(col, screen[row].size()));
          screen.resize(row + 1);
          break;
        case 'K': screen[row].resize(std::min(col, screen[row].size())); break;
        case 'm': break;
        default:
          ADD_FAILURE() << "unexpected sequence "
                        << visible(text.substr(i, end - i + 1));
      }
      i = end;
    } else {
      std::string& line = screen[row];
      if (line.size() < col) line.resize(col, ' ');
      if (col < line.size())
        line[col] = c;
      else
        line += c;
      ++col;
    }
  }
  while (!screen.empty() && screen.back().empty()) screen.pop_back();
  return screen;
}

TEST(TerminalGolden, Plain) {
  checkGoldenText("terminal_plain.txt", run(verbosity(0)));
}

TEST(TerminalGolden, Quiet) {
  checkGoldenText("terminal_quiet.txt", run(verbosity(-1)));
}

TEST(TerminalGolden, Verbose) {
  checkGoldenText("terminal_verbose.txt", run(verbosity(1)));
}

// `rig run --console NODE`: that node's console lines without the rest of -v.
TEST(TerminalGolden, ConsoleOfOneNode) {
  TerminalOptions options = verbosity(0);
  std::string all = run(verbosity(1));
  std::string none = run(options);
  EXPECT_EQ(none.find(" # "), std::string::npos) << none;
  std::string shownNode;
  for (llvm::StringRef line : llvm::split(all, '\n'))
    if (line.contains(" # ")) {
      shownNode = line.ltrim().split(' ').first.str();
      break;
    }
  ASSERT_FALSE(shownNode.empty()) << "the recorded stream has console lines";
  options.consoleNodes = {shownNode};
  std::string one = run(options);
  size_t lines = 0;
  for (llvm::StringRef line : llvm::split(one, '\n')) {
    if (!line.contains(" # ")) continue;
    ++lines;
    EXPECT_TRUE(line.ltrim().startswith(shownNode + " # ")) << line.str();
  }
  EXPECT_GT(lines, 0u) << one;
}

TEST(TerminalGolden, Tty) {
  std::string out = run(tty());
  checkGoldenText("terminal_tty.txt", visible(out));
  std::string screen;
  for (const std::string& line : playBack(out)) screen += line + "\n";
  checkGoldenText("terminal_tty_screen.txt", screen);
  // Nothing of the block stays: no node states, no running test.
  EXPECT_EQ(screen.find("booting"), std::string::npos) << screen;
  EXPECT_EQ(screen.find("[2/3]"), std::string::npos) << screen;
  EXPECT_EQ(screen.find("\n  nodes: "), std::string::npos) << screen;
}

// Every line of the block fits in the width (it must never wrap, or its
// height would be wrong), also with a long step on a narrow terminal, and
// the block never has more lines than the terminal has rows.
TEST(TerminalGolden, BlockFitsTheTerminal) {
  LiveStatus status;
  SuiteInfo todos{"todos", "specs/todos.rig", {"served"}, {"server", "client"}};
  status.suiteStarted(todos, 0);
  status.testStarted(todos, "a test with a rather long name indeed", 0);
  status.nodeChanged(todos, {"server", NodePhase::Booting, 0, "", ""}, 0);
  status.nodeChanged(todos, {"client", NodePhase::Ready, 0, "", ""}, 0);
  status.stepStarted(todos, {"served", "", std::string(300, 'x'), "", "", 0},
                     0);
  for (unsigned columns : {2u, 10u, 24u, 80u}) {
    std::vector<std::string> lines =
        status.render(1500, {columns, 24}, /*color=*/false);
    ASSERT_EQ(lines.size(), 3u);
    for (const std::string& line : lines)
      EXPECT_LT(displayWidth(line), columns) << line;
  }
  EXPECT_EQ(status.render(1500, {80, 24}, false)[1],
            "  nodes: server booting 1.5s, client ready");

  for (const char* name : {"b", "c"}) {
    SuiteInfo suite{name, std::string(name) + ".rig", {"t"}, {"m"}};
    status.suiteStarted(suite, 0);
  }
  std::vector<std::string> lines = status.render(0, {80, 5}, false);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "todos [1/1] 0.0s a test with a rather long name indeed",
                       "  nodes: server booting 0.0s, client ready",
                       std::string("  0.0s ") + std::string(72, 'x'),
                       "+2 more suites running"}));
}

// With several suites at once a console line carries its suite and node.
TEST(TerminalGolden, ParallelConsoleLines) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto terminal = makeTerminalReporter(os, verbosity(1));
  terminal->runStarted(2, 2);
  SuiteInfo todos{"todos", "todos.rig", {"served"}, {"server"}};
  terminal->suiteStarted(todos);
  terminal->consoleLine(todos, "server", "hello\x07", 5);
  EXPECT_EQ(os.str(),
            "[todos] suite todos (1 test, nodes: server)\n"
            "[todos] server # hello\n");
}

// A stream the ticker thread and the test may use at once.
class SharedStream : public llvm::raw_ostream {
 public:
  SharedStream() { SetUnbuffered(); }
  std::string text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 private:
  void write_impl(const char* data, size_t size) override {
    std::lock_guard<std::mutex> lock(mutex_);
    text_.append(data, size);
  }
  uint64_t current_pos() const override { return 0; }
  std::mutex mutex_;
  std::string text_;
};

// The ticker redraws on its own (elapsed times move) and stops with the
// run: after runFinished nothing more is written.
TEST(TerminalGolden, TickerStopsWithTheRun) {
  SharedStream os;
  TerminalOptions options = tty();
  std::atomic<int> calls{0};
  options.nowMs = [&] { return 100.0 * calls++; };  // 0.1 s per look
  options.tickMs = 1;
  auto terminal = makeTerminalReporter(os, options);
  terminal->runStarted(1, 1);
  SuiteInfo suite{"todos", "todos.rig", {"served"}, {"server"}};
  terminal->suiteStarted(suite);
  std::string first = os.text();
  while (os.text() == first) std::this_thread::yield();  // a redraw came
  terminal->suiteFinished({"todos", "todos.rig", Status::Passed, 1, {}, {}});
  terminal->runFinished({});
  std::string final = os.text();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(os.text(), final);
  EXPECT_EQ(playBack(final).back(), "todos: 0 passed, 0 failed in 0.0s");
}

}  // namespace
}  // namespace rig::report
