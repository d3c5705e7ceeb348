#include "runtime/support/utf8.h"

#include <gtest/gtest.h>

namespace rig::utf8 {
namespace {

TEST(Utf8, DecodesValidSequences) {
  uint32_t cp = 0;
  EXPECT_EQ(decode("a", 0, cp), 1u);
  EXPECT_EQ(cp, uint32_t('a'));
  EXPECT_EQ(decode("caf\xC3\xA9", 3, cp), 2u);
  EXPECT_EQ(cp, 0xE9u);
  EXPECT_EQ(decode("\xE2\x82\xAC", 0, cp), 3u);
  EXPECT_EQ(cp, 0x20ACu);
  EXPECT_EQ(decode("\xF0\x9F\x98\x80", 0, cp), 4u);
  EXPECT_EQ(cp, 0x1F600u);
}

TEST(Utf8, RejectsInvalidSequences) {
  uint32_t cp = 0;
  EXPECT_EQ(decode("\x80", 0, cp), 0u);              // continuation byte
  EXPECT_EQ(decode("\xC3", 0, cp), 0u);              // truncated
  EXPECT_EQ(decode("\xC3x", 0, cp), 0u);             // not continued
  EXPECT_EQ(decode("\xC0\xAF", 0, cp), 0u);          // overlong
  EXPECT_EQ(decode("\xED\xA0\x80", 0, cp), 0u);      // surrogate
  EXPECT_EQ(decode("\xF4\x90\x80\x80", 0, cp), 0u);  // past U+10FFFF
  EXPECT_EQ(decode("\xFF", 0, cp), 0u);
  EXPECT_EQ(decode("a", 1, cp), 0u);  // at the end
}

TEST(Utf8, SequenceLengthFromTheLeadByte) {
  EXPECT_EQ(sequenceLength('a'), 1u);
  EXPECT_EQ(sequenceLength(0xC3), 2u);
  EXPECT_EQ(sequenceLength(0xE2), 3u);
  EXPECT_EQ(sequenceLength(0xF0), 4u);
  EXPECT_EQ(sequenceLength(0x80), 0u);
  EXPECT_EQ(sequenceLength(0xF8), 0u);
}

TEST(Utf8, CountsAndCutsCodePoints) {
  EXPECT_EQ(codePointCount("caf\xC3\xA9"), 4u);
  EXPECT_EQ(codePointCount(""), 0u);
  EXPECT_EQ(takeCodePoints("caf\xC3\xA9s", 4), "caf\xC3\xA9");
  EXPECT_EQ(takeCodePoints("caf\xC3\xA9s", 3), "caf");
  EXPECT_EQ(takeCodePoints("abc", 5), "abc");
}

}  // namespace
}  // namespace rig::utf8
