#include "driver/args.h"

#include <gtest/gtest.h>

namespace rig::driver {
namespace {

ParsedArgs parse(std::vector<std::string> args) { return parseArgs(args); }

TEST(Args, Commands) {
  ParsedArgs p = parse({"lint", "a.rig", "b.rig", "--format=sarif"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.command, Command::Lint);
  EXPECT_EQ(p.invocation.files, (std::vector<std::string>{"a.rig", "b.rig"}));
  EXPECT_EQ(p.invocation.format, Format::Sarif);

  p = parse({"compile", "a.rig", "-o", "plan.json"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.output, "plan.json");
  p = parse({"compile", "-oplan.json", "a.rig"});
  EXPECT_EQ(p.invocation.output, "plan.json");

  p = parse({"run", "dir", "-j2", "--keep-going", "--junit", "r.xml", "-vv"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(*p.invocation.jobs, 2u);
  EXPECT_TRUE(p.invocation.keepGoing);
  EXPECT_EQ(p.invocation.junitPath, "r.xml");
  EXPECT_EQ(p.invocation.verbosity, 2);
  p = parse({"run", "dir", "--tap", "--github", "--json", "r.json",
             "--events=e.ndjson"});
  EXPECT_TRUE(p.invocation.tap);
  EXPECT_TRUE(p.invocation.github);
  EXPECT_EQ(p.invocation.jsonPath, "r.json");
  EXPECT_EQ(p.invocation.eventsPath, "e.ndjson");

  p = parse({"run", "a.rig", "-q", "--color=always"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_TRUE(p.invocation.quiet);
  EXPECT_EQ(p.invocation.color, ColorMode::Always);
  p = parse({"run", "a.rig", "--quiet", "--color", "never"});
  EXPECT_TRUE(p.invocation.quiet);
  EXPECT_EQ(p.invocation.color, ColorMode::Never);
  EXPECT_EQ(parse({"run", "a.rig", "--color=auto"}).invocation.color,
            ColorMode::Auto);

  p = parse({"check", "--", "-odd-name.rig"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.files, (std::vector<std::string>{"-odd-name.rig"}));
}

TEST(Args, Errors) {
  EXPECT_EQ(parse({"--x"}).error, "unknown option --x (see rig --help)");
  EXPECT_EQ(parse({"lint", "a.rig", "--x"}).error,
            "unknown option --x (see rig --help)");
  EXPECT_EQ(parse({"lint", "-z"}).error, "unknown option -z (see rig --help)");
  EXPECT_EQ(parse({"frob"}).error, "unknown command frob (see rig --help)");
  EXPECT_EQ(parse({"chek", "a.rig"}).error,
            "unknown command chek; did you mean check? (see rig --help)");
  EXPECT_EQ(parse({"check", "a.rig", "-j", "2"}).error,
            "rig check does not take -j (see rig check --help)");
  EXPECT_EQ(parse({"lint", "a.rig", "--format=xml"}).error,
            "--format must be text, json, sarif or github, not `xml`");
  EXPECT_EQ(parse({"lint", "a.rig", "--format"}).error,
            "--format needs a value: --format=FORMAT");
  EXPECT_EQ(parse({"run", "a.rig", "-j", "0"}).error,
            "-j needs a positive number, not `0`");
  EXPECT_EQ(parse({"run", "a.rig", "--keep-going=yes"}).error,
            "--keep-going takes no value");
  EXPECT_EQ(parse({"lint"}).error,
            "rig lint needs at least one FILE (see rig lint --help)");
  EXPECT_EQ(parse({"compile"}).error,
            "rig compile needs a FILE (see rig compile --help)");
  EXPECT_EQ(parse({"compile", "a.rig", "b.rig"}).error,
            "rig compile takes one FILE, not 2 (see rig compile --help)");
  EXPECT_EQ(parse({"run", "a.rig", "-q", "-v"}).error,
            "-q and -v exclude each other");
  EXPECT_EQ(parse({"check", "a.rig", "-q"}).error,
            "rig check does not take -q (see rig check --help)");
  EXPECT_EQ(parse({"run", "a.rig", "--color=sometimes"}).error,
            "--color must be auto, always or never, not `sometimes`");
  EXPECT_EQ(parse({"help", "nope"}).error,
            "unknown command nope (see rig --help)");
}

TEST(Args, HelpAndVersion) {
  EXPECT_EQ(parse({}).invocation.command, Command::None);
  EXPECT_EQ(parse({"--version"}).invocation.command, Command::Version);
  ParsedArgs p = parse({"lint", "--help"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.invocation.help);  // no FILE needed with --help
  EXPECT_EQ(parse({"help", "run"}).invocation.helpTopic, "run");
  std::string help = helpText(Command::None);
  for (const char* command :
       {"check", "lint", "compile", "run", "repl", "doctor"})
    EXPECT_NE(help.find(command), std::string::npos) << command;
  EXPECT_NE(helpText(Command::Run).find("--keep-going"), std::string::npos);
  EXPECT_EQ(helpText(Command::Check).find("--keep-going"), std::string::npos);
}

}  // namespace
TEST(Args, RunConsoleNodes) {
  ParsedArgs p =
      parse({"run", "--console", "server", "--console=client", "a.rig"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.consoleNodes,
            (std::vector<std::string>{"server", "client"}));
  EXPECT_TRUE(p.invocation.consoleNode.empty());
  p = parse({"check", "--console", "server", "a.rig"});
  EXPECT_FALSE(p.ok());
  EXPECT_NE(p.error.find("rig check does not take --console"),
            std::string::npos)
      << p.error;
}

TEST(Args, AttachForms) {
  ParsedArgs p = parse({"attach", "/run/rig/x-1", "box"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.command, Command::Attach);
  EXPECT_EQ(p.invocation.files,
            (std::vector<std::string>{"/run/rig/x-1", "box"}));
  p = parse({"attach", "/run/rig/x-1", "--console", "box"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.invocation.consoleNode, "box");
  p = parse({"attach", "--stop", "/run/rig/x-1"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_TRUE(p.invocation.stop);
  p = parse({"attach", "--list"});
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_TRUE(p.invocation.listRuns);
  EXPECT_TRUE(p.invocation.files.empty());
}

TEST(Args, AttachErrors) {
  auto error = [](std::vector<std::string> args) { return parse(args).error; };
  EXPECT_EQ(
      error({"attach"}),
      "rig attach needs a RUN_DIR (`rig attach --list` shows the kept runs) "
      "(see rig attach --help)");
  EXPECT_EQ(error({"attach", "/r"}),
            "rig attach /r needs a NODE (or --console NODE, or --stop) (see "
            "rig attach --help)");
  EXPECT_EQ(error({"attach", "/r", "a", "b"}),
            "rig attach takes RUN_DIR and NODE, not 3 arguments (see rig "
            "attach --help)");
  EXPECT_EQ(
      error({"attach", "/r", "a", "--stop"}),
      "rig attach RUN_DIR --stop takes nothing else (see rig attach --help)");
  EXPECT_EQ(
      error({"attach", "/r", "--stop", "--console", "a"}),
      "rig attach RUN_DIR --stop takes nothing else (see rig attach --help)");
  EXPECT_EQ(error({"attach", "/r", "a", "--console", "b"}),
            "rig attach RUN_DIR --console NODE takes no second node `a` (see "
            "rig attach --help)");
  EXPECT_EQ(error({"attach", "--list", "/r"}),
            "rig attach --list takes nothing else (see rig attach --help)");
  EXPECT_EQ(error({"attach", "/r", "--console"}),
            "--console needs a value: --console=NODE");
  EXPECT_EQ(error({"run", "x.rig", "--stop"}),
            "rig run does not take --stop (see rig run --help)");
}

}  // namespace rig::driver
