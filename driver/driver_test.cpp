// `rig` end to end, in-process: exit codes, output formats, rig.toml search
// and severity overrides, usage errors.
#include "driver/driver.h"
#include "driver/driver_testing.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/plan/plan.h"

namespace rig::driver {
namespace {

using DriverTest = RigTest;  // driver_testing.h

// One unused let (L0001) and a sleep (L0005).
const char* kWarnings =
    "let unused = 1\n"
    "node box { }\n"
    "test \"t\" {\n"
    "  sleep(1s)\n"
    "  box.succeed(\"true\")\n"
    "}\n";

TEST_F(DriverTest, UsageErrors) {
  Result r = rig({"frob"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "rig: unknown command frob (see rig --help)\n");
  r = rig({"lint", "a.rig", "--x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "rig: unknown option --x (see rig --help)\n");
  r = rig({});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("usage: rig COMMAND"), std::string::npos);
  EXPECT_EQ(rig({"--help"}).code, 0);
  EXPECT_EQ(rig({"help", "lint"}).code, 0);
  r = rig({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("rig ", 0), 0u);
}

TEST_F(DriverTest, MissingFileIsAUsageError) {
  Result r = rig({"check", root_ + "/nope.rig"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("rig: cannot read"), std::string::npos) << r.err;
}

TEST_F(DriverTest, CheckAndLint) {
  std::string spec = write("a/suite.rig", kWarnings);
  Result r = rig({"check", spec});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // check reports no lints

  r = rig({"lint", spec});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(
      r.err.find("suite.rig:1:5: warning: `unused` is never used [L0001]"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("[L0005]"), std::string::npos);
  EXPECT_EQ(r.err.find("\x1b["), std::string::npos);  // no colour: no terminal

  EXPECT_EQ(rig({"lint", "--warnings-as-errors", spec}).code, 2);
}

TEST_F(DriverTest, LintADirectory) {
  write("specs/a.rig", kWarnings);
  write("specs/sub/b.rig", kWarnings);
  write("specs/lib/common.rig", "let shared = 1\n");  // a library: no lints
  Result r = rig({"lint", "--format=json", root_ + "/specs"});
  EXPECT_EQ(r.code, 0) << r.err;
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(v));
  EXPECT_EQ(v->getAsArray()->size(), 4u);
  r = rig({"lint", root_ + "/specs/lib/nothing-here"});
  EXPECT_EQ(r.code, 2);
  llvm::sys::fs::create_directories(root_ + "/empty");
  r = rig({"lint", root_ + "/empty"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no .rig file under"), std::string::npos);
}

TEST_F(DriverTest, CompileErrorsExitWith2) {
  std::string spec = write("bad.rig", "node box {\n");
  Result r = rig({"check", spec});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.rig:"), std::string::npos);
  EXPECT_NE(r.err.find("error:"), std::string::npos);
  EXPECT_EQ(rig({"lint", spec}).code, 2);
}

TEST_F(DriverTest, Colours) {
  std::string spec = write("suite.rig", kWarnings);
  EXPECT_NE(rig({"lint", spec}, /*terminal=*/true).err.find("\x1b["),
            std::string::npos);
  env_["NO_COLOR"] = "1";
  EXPECT_EQ(rig({"lint", spec}, true).err.find("\x1b["), std::string::npos);
  EXPECT_NE(rig({"lint", "--color=always", spec}).err.find("\x1b["),
            std::string::npos);
}

TEST_F(DriverTest, JsonFormat) {
  std::string spec = write("suite.rig", kWarnings);
  Result r = rig({"lint", "--format=json", spec});
  EXPECT_EQ(r.code, 0);
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError()) << r.out;
  const llvm::json::Array* all = v->getAsArray();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const llvm::json::Object* first = (*all)[0].getAsObject();
  EXPECT_EQ(first->getString("code"), llvm::Optional<llvm::StringRef>("L0001"));
  EXPECT_EQ(first->getString("severity"),
            llvm::Optional<llvm::StringRef>("warning"));
}

TEST_F(DriverTest, SarifFormat) {
  std::string spec = write("suite.rig", kWarnings);
  Result r = rig({"lint", "--format", "sarif", spec});
  EXPECT_EQ(r.code, 0);
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Object* log = v->getAsObject();
  ASSERT_TRUE(log);
  EXPECT_EQ(log->getString("version"),
            llvm::Optional<llvm::StringRef>("2.1.0"));
  const llvm::json::Array* runs = log->getArray("runs");
  ASSERT_TRUE(runs && runs->size() == 1);
  const llvm::json::Array* results =
      (*runs)[0].getAsObject()->getArray("results");
  ASSERT_TRUE(results);
  EXPECT_EQ(results->size(), 2u);
}

TEST_F(DriverTest, GithubFormat) {
  std::string spec = write("suite.rig", kWarnings);
  Result r = rig({"lint", "--format=github", spec});
  EXPECT_EQ(r.code, 0);
  llvm::SmallVector<llvm::StringRef, 4> lines;
  llvm::StringRef(r.out).trim().split(lines, '\n');
  ASSERT_EQ(lines.size(), 2u) << r.out;
  for (llvm::StringRef line : lines) {
    EXPECT_TRUE(line.startswith("::warning file=")) << line.str();
    EXPECT_TRUE(line.contains(",line="));
  }
}

TEST_F(DriverTest, RigTomlIsFoundAboveTheSpec) {
  write("project/rig.toml",
        "[lint]\nunused-let = \"off\"\nsleep-in-test = \"error\"\n");
  std::string spec = write("project/specs/deep/suite.rig", kWarnings);
  Result r = rig({"lint", spec});
  EXPECT_EQ(r.code, 2) << r.err;  // sleep-in-test is an error here
  EXPECT_EQ(r.err.find("[L0001]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: `sleep` makes a test slow"), std::string::npos)
      << r.err;
  // --no-config and --config
  EXPECT_EQ(rig({"lint", "--no-config", spec}).code, 0);
  std::string other = write("other.toml", "[lint]\nL0005 = \"off\"\n");
  r = rig({"lint", "--config", other, spec});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find("[L0001]"), std::string::npos);
  EXPECT_EQ(r.err.find("[L0005]"), std::string::npos);
}

TEST_F(DriverTest, BadRigTomlIsAUsageError) {
  write("p/rig.toml", "[lint]\nunused-lett = \"off\"\n");
  std::string spec = write("p/suite.rig", kWarnings);
  Result r = rig({"lint", spec});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(
      r.err.find("rig.toml:2:1: error: [lint] unknown rule `unused-lett`; "
                 "did you mean `unused-let`?"),
      std::string::npos)
      << r.err;
}

// `rig run` draws its live status block (cursor movement) only on a
// terminal with a usable TERM, without NO_COLOR, --color=never, --github
// or -q. The suite cannot start here (no rig-guest next to the binary), but
// its events still reach the terminal.
TEST_F(DriverTest, RunDrawsTheLiveBlockOnlyOnATerminal) {
  std::string spec = write("s.rig",
                           "node box { }\n"
                           "test \"t\" { box.succeed(\"true\") }\n");
  const std::string erase = "\x1b[J";
  env_["TERM"] = "xterm";
  Result r = rig({"run", spec}, /*terminal=*/true);
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find(erase), std::string::npos) << r.out;
  // Erased for good: the output ends with the summary line.
  EXPECT_NE(r.out.rfind("s: 0 passed, 0 failed, 1 skipped in "),
            std::string::npos);
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.find(erase, r.out.rfind("failed:")), std::string::npos)
      << r.out;

  auto plain = [&](std::vector<std::string> args, bool terminal,
                   const char* why) {
    args.insert(args.begin(), {"run", spec});
    Result p = rig(args, terminal);
    EXPECT_EQ(p.code, 3) << why;
    EXPECT_EQ(p.out.find(erase), std::string::npos) << why << ": " << p.out;
    return p;
  };
  plain({}, false, "not a terminal");
  plain({"--color=never"}, true, "--color=never");
  plain({"--github"}, true, "--github");
  Result quiet = plain({"-q"}, true, "-q");
  EXPECT_EQ(quiet.out.find("SKIP"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("cannot set up the machines"), std::string::npos)
      << quiet.out;
  env_["NO_COLOR"] = "1";
  plain({}, true, "NO_COLOR");
  env_.erase("NO_COLOR");
  env_["TERM"] = "dumb";
  plain({}, true, "TERM=dumb");
  // --color=always colours plain lines, still without the block.
  Result always = plain({"--color=always"}, false, "--color=always");
  EXPECT_NE(always.out.find("\x1b[33mSKIP\x1b[0m"), std::string::npos)
      << always.out;
}

TEST_F(DriverTest, CompileWritesAPlan) {
  std::string spec = write("suite.rig",
                           "node box { }\n"
                           "test \"t\" { box.succeed(\"true\") }\n");
  write("rig.toml", "[run]\nwait_timeout = \"42s\"\n");
  std::string planPath = root_ + "/out/plan.json";
  llvm::sys::fs::create_directories(root_ + "/out");
  Result r = rig({"compile", spec, "-o", planPath});
  ASSERT_EQ(r.code, 0) << r.err;
  auto buffer = llvm::MemoryBuffer::getFile(planPath);
  ASSERT_TRUE(bool(buffer));
  llvm::Expected<plan::Plan> plan = plan::parsePlan((*buffer)->getBuffer());
  ASSERT_TRUE(bool(plan)) << llvm::toString(plan.takeError());
  EXPECT_EQ(plan->nodes.size(), 1u);
  EXPECT_EQ(plan->settings.waitTimeoutMs, 42'000);  // from rig.toml

  // Without -o: standard output.
  r = rig({"compile", spec});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(bool(plan::parsePlan(r.out)));

  // A spec with errors writes nothing.
  std::string bad =
      write("bad.rig", "node box { memory = 1 }\ntest \"t\" { nope() }\n");
  EXPECT_EQ(rig({"compile", bad, "-o", root_ + "/out/bad.json"}).code, 2);
  EXPECT_FALSE(llvm::sys::fs::exists(root_ + "/out/bad.json"));
}

TEST_F(DriverTest, RunRejectsBrokenInputsBeforeBooting) {
  std::string bad = write("bad.rig", "test \"t\" { nope() }\n");
  EXPECT_EQ(rig({"run", bad}).code, 2);
  std::string plan = write("plan.json", "{\"rig_plan\": 99}");
  Result r = rig({"run", plan});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("plan.json"), std::string::npos);
  std::string lib = write("lib/only.rig", "let x = 1\n");
  r = rig({"run", root_ + "/lib"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no suite to run"), std::string::npos) << r.err;
  (void)lib;
}

// A run directory whose machine was kept and has since died: its record
// names a pid that has exited.
TEST_F(DriverTest, AttachToAKeptRunWhoseMachineIsGone) {
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  std::string dir = root_ + "/xdg/rig/keep-abc123";
  write("xdg/rig/keep-abc123/machines.json",
        "{\"suite\": \"keep\", \"path\": \"keep.rig\", \"rig_pid\": " +
            std::to_string(dead) + ", \"kept_at\": \"2026-11-30T08:40:12Z\", " +
            "\"nodes\": [{\"name\": \"box\", \"pid\": " + std::to_string(dead) +
            "}], \"switches\": [{\"vlan\": 1, \"pid\": " +
            std::to_string(dead) + "}]}\n");
  write("xdg/rig/keep-abc123/box/console.log", "booting\nlast words\n");

  Result r = rig({"attach", dir, "box"});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err, "rig: the VM of node `box` is gone (its console log: " +
                       dir + "/box/console.log)\n");

  r = rig({"attach", dir + "/", "nope"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "rig: no node `nope` in " + dir + " (its nodes: box)\n");

  // The console shows what the log holds, then ends: nothing writes it.
  r = rig({"attach", dir, "--console", "box"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "booting\nlast words\n");
  EXPECT_NE(r.err.find("the VM of node `box` is gone"), std::string::npos)
      << r.err;

  ASSERT_EQ(setenv("XDG_RUNTIME_DIR", (root_ + "/xdg").c_str(), 1), 0);
  r = rig({"attach", "--list"});
  unsetenv("XDG_RUNTIME_DIR");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            dir +
                "\n  suite keep (keep.rig); nodes: box\n"
                "  kept 2026-11-30T08:40:12Z, all gone (--stop removes it)\n");

  r = rig({"attach", dir, "--stop"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "  box: was not running\nremoved " + dir + "\n");
  EXPECT_FALSE(llvm::sys::fs::exists(dir));
}

TEST_F(DriverTest, AttachRefusesWhatIsNotAKeptRun) {
  Result r = rig({"attach", root_, "box"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "rig: " + root_ +
                " is not a run directory of rig (it has no machines.json; "
                "`rig attach --list` shows the kept ones)\n");
  // A run whose rig still runs (this test): --stop is that rig's business.
  write("live/machines.json",
        "{\"suite\": \"s\", \"rig_pid\": " + std::to_string(getpid()) +
            ", \"nodes\": [{\"name\": \"box\", \"pid\": 0}], "
            "\"switches\": []}\n");
  r = rig({"attach", root_ + "/live", "--stop"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("belongs to a rig that still runs (pid " +
                       std::to_string(getpid())),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(llvm::sys::fs::exists(root_ + "/live/machines.json"));
  r = rig({"attach", root_ + "/live"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.err,
      "rig: rig attach " + root_ +
          "/live needs a NODE (or --console NODE, or --stop) (see rig attach "
          "--help)\n");
}

// rig fmt: in place, --check, --diff, and files with syntax errors.
TEST_F(DriverTest, Fmt) {
  auto read = [](const std::string& path) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    return buffer ? (*buffer)->getBuffer().str() : std::string("<unreadable>");
  };
  std::string messy = write("specs/a.rig", "let  x=1\n");
  std::string clean = write("specs/b.rig", "let y = 2\n");
  std::string broken = write("broken.rig", "let z =\n");

  Result r = rig({"fmt", "--check", root_ + "/specs"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, messy + "\n");
  EXPECT_EQ(read(messy), "let  x=1\n");  // --check writes nothing

  r = rig({"fmt", "--diff", messy});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "--- a/" + messy + "\n+++ b/" + messy +
                       "\n@@ -1,1 +1,1 @@\n-let  x=1\n+let x = 1\n");

  r = rig({"fmt", root_ + "/specs"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read(messy), "let x = 1\n");
  EXPECT_EQ(read(clean), "let y = 2\n");
  EXPECT_EQ(rig({"fmt", "--check", root_ + "/specs"}).code, 0);

  r = rig({"fmt", broken});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("broken.rig:2:1: error"), std::string::npos) << r.err;
  EXPECT_EQ(read(broken), "let z =\n");
}

}  // namespace
}  // namespace rig::driver
