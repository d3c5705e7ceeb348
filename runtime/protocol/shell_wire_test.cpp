// The window-size message of the shell port, split from terminal input.
#include "runtime/protocol/shell_wire.h"

#include <gtest/gtest.h>

namespace rig::protocol {
namespace {

struct Fed {
  std::string input;
  std::vector<WindowSize> sizes;
};

Fed feedAll(ShellInputFilter& filter, const std::vector<std::string>& reads) {
  Fed fed;
  for (const std::string& r : reads)
    filter.feed(r.data(), r.size(), fed.input, fed.sizes);
  return fed;
}

TEST(ShellWire, EncodesAnOscSequence) {
  EXPECT_EQ(encodeWindowSize({40, 120}), "\x1b]rig-winsize;40;120\x07");
}

TEST(ShellWire, SplitsSizesFromInput) {
  ShellInputFilter filter;
  Fed fed = feedAll(filter, {"ls\r" + encodeWindowSize({24, 80}) + "pwd\r"});
  EXPECT_EQ(fed.input, "ls\rpwd\r");
  ASSERT_EQ(fed.sizes.size(), 1u);
  EXPECT_EQ(fed.sizes[0].rows, 24);
  EXPECT_EQ(fed.sizes[0].cols, 80);
  EXPECT_FALSE(filter.holding());
}

TEST(ShellWire, AMessageSplitOverReadsAtEveryByte) {
  std::string message = encodeWindowSize({50, 200});
  for (size_t cut = 1; cut < message.size(); ++cut) {
    ShellInputFilter filter;
    Fed fed = feedAll(
        filter, {"a" + message.substr(0, cut), message.substr(cut) + "b"});
    EXPECT_EQ(fed.input, "ab") << cut;
    ASSERT_EQ(fed.sizes.size(), 1u) << cut;
    EXPECT_EQ(fed.sizes[0].cols, 200);
  }
}

TEST(ShellWire, OtherEscapeSequencesPassThrough) {
  ShellInputFilter filter;
  // Arrow keys, Alt-x, a terminal's answer to an OSC 11 colour query.
  std::string keys = "\x1b[A\x1bx\x1b]11;rgb:0000/0000/0000\x07";
  Fed fed = feedAll(filter, {keys});
  EXPECT_EQ(fed.input, keys);
  EXPECT_TRUE(fed.sizes.empty());
}

TEST(ShellWire, ALoneEscapeIsNotHeld) {
  ShellInputFilter filter;
  Fed fed = feedAll(filter, {"\x1b"});
  // A lone ESC could begin a message: held, and handed out by flush() when
  // nothing follows (the guest flushes after a quiet moment).
  EXPECT_EQ(fed.input, "");
  EXPECT_TRUE(filter.holding());
  EXPECT_EQ(filter.flush(), "\x1b");
  EXPECT_FALSE(filter.holding());
}

TEST(ShellWire, MalformedMessagesAreInput) {
  for (std::string bad :
       {"\x1b]rig-winsize;x;80\x07", "\x1b]rig-winsize;99999;80\x07",
        "\x1b]rig-winsize;24\x07", "\x1b]rig-winsize;123456789012345"}) {
    ShellInputFilter filter;
    Fed fed = feedAll(filter, {bad});
    EXPECT_EQ(fed.input + filter.flush(), bad);
    EXPECT_TRUE(fed.sizes.empty());
  }
}

}  // namespace
}  // namespace rig::protocol
