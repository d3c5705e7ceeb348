// What a line typed at `rig repl` is, and when the input is complete.
#include "driver/repl_input.h"

#include <gtest/gtest.h>

namespace rig::driver {
namespace {

using Kind = ReplCommand::Kind;

TEST(ReplCommand, CodeAndBlankLines) {
  EXPECT_EQ(parseReplCommand("server.succeed(\"true\")").kind, Kind::Code);
  EXPECT_EQ(parseReplCommand("  let x = 1").kind, Kind::Code);
  EXPECT_EQ(parseReplCommand("   ").kind, Kind::Empty);
  EXPECT_EQ(parseReplCommand("").kind, Kind::Empty);
}

TEST(ReplCommand, Commands) {
  EXPECT_EQ(parseReplCommand(":tests").kind, Kind::Tests);
  EXPECT_EQ(parseReplCommand(" :help ").kind, Kind::Help);
  EXPECT_EQ(parseReplCommand(":?").kind, Kind::Help);
  EXPECT_EQ(parseReplCommand(":quit").kind, Kind::Quit);
  EXPECT_EQ(parseReplCommand(":q").kind, Kind::Quit);
  EXPECT_EQ(parseReplCommand(":exit").kind, Kind::Quit);
  ReplCommand shell = parseReplCommand(":shell   server ");
  EXPECT_EQ(shell.kind, Kind::Shell);
  EXPECT_EQ(shell.argument, "server");
  ReplCommand unknown = parseReplCommand(":rn a test");
  EXPECT_EQ(unknown.kind, Kind::Unknown);
  EXPECT_EQ(unknown.word, ":rn");
}

TEST(ReplCommand, RunTakesAQuotedOrPlainName) {
  EXPECT_EQ(parseReplCommand(":run").argument, "");
  EXPECT_EQ(parseReplCommand(":run a value survives").argument,
            "a value survives");
  EXPECT_EQ(parseReplCommand(":run \"a value survives\"").argument,
            "a value survives");
  EXPECT_EQ(parseReplCommand(":run 2").argument, "2");
}

TEST(InputComplete, OpenBracketsAskForMore) {
  EXPECT_TRUE(inputComplete("start_all()"));
  EXPECT_FALSE(inputComplete("for x in [1, 2] {"));
  EXPECT_FALSE(inputComplete("let x = [1,"));
  EXPECT_FALSE(inputComplete("server.succeed("));
  EXPECT_TRUE(inputComplete("for x in [1, 2] {\n  log(x)\n}"));
  EXPECT_FALSE(inputComplete("if true {\n  if false {\n  }"));
}

TEST(InputComplete, BracketsInStringsAndCommentsDoNotCount) {
  EXPECT_TRUE(inputComplete("log(\"{ [ (\")"));
  EXPECT_TRUE(inputComplete("log(1) # {"));
  EXPECT_TRUE(inputComplete("log(\"a \\\" {\")"));
  EXPECT_FALSE(inputComplete("log(\"${ {a: 1}.a }\""));  // `(` still open
  EXPECT_TRUE(inputComplete("log(\"${ {a: 1}.a }\")"));
}

TEST(InputComplete, TripleQuotedStringsSpanLines) {
  EXPECT_FALSE(inputComplete("let s = \"\"\"\n  one"));
  EXPECT_TRUE(inputComplete("let s = \"\"\"\n  one\n  \"\"\""));
  EXPECT_FALSE(inputComplete("let s = \"\"\"\n  ${ [1,\n"));
}

TEST(InputComplete, ALineStringEndsWithItsLine) {
  // The lexer ends "..." at the line break: the parser reports it, the
  // reader does not wait for a closing quote.
  EXPECT_TRUE(inputComplete("log(\"unterminated"));
  EXPECT_TRUE(inputComplete("log(\"${ [1, 2"));
  EXPECT_TRUE(inputComplete("if true {\n log(\"x"));
}

TEST(InputComplete, StrayClosersAreForTheParser) {
  EXPECT_TRUE(inputComplete("}"));
  EXPECT_TRUE(inputComplete("log(1))"));
}

}  // namespace
}  // namespace rig::driver
