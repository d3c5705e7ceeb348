#include "runtime/plan/regex.h"

#include <string>

#include <gtest/gtest.h>

namespace rig {
namespace {

TEST(Regex, EcmaScriptSyntax) {
  EXPECT_TRUE(regexSearch("^a.c$", "abc").found);
  EXPECT_FALSE(regexSearch("^a.c$", "abc\n").found);  // `$` only at the end
  EXPECT_TRUE(regexSearch("\\d+\\s\\w", "42 x").found);
  EXPECT_TRUE(regexSearch("\\u00e9", "caf\xc3\xa9").found);
  EXPECT_TRUE(regexSearch("^caf.$", "caf\xc3\xa9").found);  // `.` is a char
  EXPECT_TRUE(regexSearch("a(?=b)", "ab").found);
  EXPECT_FALSE(regexSearch("a(?!b)", "ab").found);
  EXPECT_FALSE(regexSearch("[]", "a").found);   // matches nothing
  EXPECT_TRUE(regexSearch("[^]", "\n").found);  // matches anything
  EXPECT_TRUE(regexSearch("(a)?\\1b", "b").found);
  EXPECT_TRUE(regexSearch("(?i)READY", "ready").found);
}

TEST(Regex, CapturesGroups) {
  RegexCaptures c =
      regexCaptures("(?:(\\w+)\\.)?wait\\((\\d+)", "x = m.wait(42)");
  ASSERT_TRUE(c.found) << c.error;
  ASSERT_EQ(c.groups.size(), 3u);
  EXPECT_EQ(c.groups[0], "m.wait(42");
  EXPECT_EQ(c.groups[1], "m");
  EXPECT_EQ(c.groups[2], "42");
  EXPECT_EQ(c.offsets[2], 11u);
  c = regexCaptures("(?:(\\w+)\\.)?wait\\((\\d+)", "wait(7)");
  ASSERT_TRUE(c.found);
  EXPECT_EQ(c.groups[1], "");
  EXPECT_EQ(c.offsets[1], size_t(llvm::StringRef::npos));
  EXPECT_FALSE(regexCaptures("^z", "az").found);
  EXPECT_NE(regexCaptures("(", "x").error, "");
}

TEST(Regex, BadPatternIsAMessage) {
  ASSERT_TRUE(regexError("(a"));
  EXPECT_NE(regexError("(a")->find("offset 2"), std::string::npos);
  EXPECT_TRUE(regexError("[a"));
  EXPECT_TRUE(regexError("a**"));
  EXPECT_FALSE(regexError("[a]"));
  RegexSearch s = regexSearch("(", "x");
  EXPECT_FALSE(s.found);
  EXPECT_EQ(s.error.rfind("invalid regular expression \"(\": ", 0), 0u)
      << s.error;
}

TEST(Regex, InvalidUtf8TextStillSearches) {
  EXPECT_TRUE(regexSearch("login:", "\xff\xfe login: ").found);
  EXPECT_FALSE(regexSearch("^.$", "\xff").found);
}

// The classic catastrophic pattern: without a limit it backtracks 2^100000
// times. The limit turns it into a clear error, quickly (no time asserted:
// a hang would be the ctest timeout).
TEST(Regex, RunawayPatternIsAClearError) {
  std::string text(100000, 'a');
  text += 'b';
  RegexSearch s = regexSearch("(a+)+$", text);
  EXPECT_FALSE(s.found);
  EXPECT_NE(s.error.find("could not be matched"), std::string::npos) << s.error;
  EXPECT_NE(s.error.find("backtracked more than"), std::string::npos)
      << s.error;
}

// A recursive matcher (the C++ standard library's) overflowed the stack here.
TEST(Regex, LongInputDoesNotOverflowTheStack) {
  std::string text;
  for (int i = 0; i < 1'000'000; ++i) text += (i % 2) ? 'a' : 'b';
  text += 'c';
  RegexSearch s = regexSearch("^(a|b)*c$", text);
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.found);
  s = regexSearch("(x|y)*z", std::string(2'000'000, 'x') + "z");
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.found);
}

}  // namespace
}  // namespace rig
