#include "runtime/plan/url.h"

#include <gtest/gtest.h>

namespace rig::plan {
namespace {

TEST(Url, EncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(urlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(urlEncode("a b&c=d/e?f#g+h%"), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
  EXPECT_EQ(urlEncode("\xc3\xa9"), "%C3%A9");  // UTF-8 bytes, upper-case hex
  EXPECT_EQ(urlEncode(""), "");
}

TEST(Url, QueryIsAppendedEncoded) {
  EXPECT_EQ(withQuery("http://h/p", {}), "http://h/p");
  EXPECT_EQ(withQuery("http://h/p", {{"q", "a b"}, {"n", "1"}}),
            "http://h/p?q=a%20b&n=1");
  EXPECT_EQ(withQuery("http://h/p?x=1", {{"k&", "="}}),
            "http://h/p?x=1&k%26=%3D");
  EXPECT_EQ(withQuery("http://h/p?", {{"a", "b"}}), "http://h/p?a=b");
  EXPECT_EQ(withQuery("http://h/p#top", {{"a", "b"}}), "http://h/p?a=b#top");
}

}  // namespace
}  // namespace rig::plan
