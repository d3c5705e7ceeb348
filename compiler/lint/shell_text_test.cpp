#include "compiler/lint/shell_text.h"

#include <gtest/gtest.h>

namespace rig::lint {
namespace {

bool nodeOrLoopback(llvm::StringRef h) {
  return h == "server" || h == "client" || h == "localhost" || h == "127.0.0.1";
}

TEST(FindEndpoints, UrlsAndHostPort) {
  auto found = findEndpoints(
      "curl http://server:3000/x && nc -z client:22; wget https://server/",
      nodeOrLoopback);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].host, "server");
  EXPECT_EQ(found[0].port, 3000);
  EXPECT_EQ(found[0].begin, 12u);
  EXPECT_EQ(found[0].length, 11u);  // server:3000
  EXPECT_EQ(found[1].host, "client");
  EXPECT_EQ(found[1].port, 22);
  EXPECT_EQ(found[2].port, 443);  // the scheme's port
}

TEST(FindEndpoints, NotInsideLongerNames) {
  EXPECT_TRUE(findEndpoints("http://observer:80 http://server.example:80",
                            nodeOrLoopback)
                  .empty());
  EXPECT_TRUE(findEndpoints("scp f server:/tmp", nodeOrLoopback).empty());
  EXPECT_TRUE(findEndpoints("server:123456", nodeOrLoopback).empty());
}

TEST(FindEndpoints, Loopback) {
  auto found = findEndpoints("curl localhost:8080 127.0.0.1:9", nodeOrLoopback);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].host, "localhost");
  EXPECT_EQ(found[1].port, 9);
}

CurlCommand onlyCurl(llvm::StringRef command) {
  auto found = findCurlCommands(command);
  EXPECT_EQ(found.size(), 1u) << command.str();
  return found.empty() ? CurlCommand() : found[0];
}

TEST(ProgramAt, TheCommandAWordBelongsTo) {
  llvm::StringRef c =
      "ss -tln | grep -q 127.0.0.1:80 && sudo curl localhost:80";
  EXPECT_EQ(programAt(c, c.find("-tln")), "ss");
  EXPECT_EQ(programAt(c, c.find("127.0.0.1")), "grep");
  EXPECT_EQ(programAt(c, c.find("localhost")), "curl");
  EXPECT_EQ(programAt("/usr/bin/netstat -tln", 10), "netstat");
  EXPECT_EQ(programAt("a | b", 2), "");  // the `|`
}

TEST(FindCurlCommands, HttpUrls) {
  EXPECT_TRUE(onlyCurl("curl -s http://x").http);
  EXPECT_TRUE(onlyCurl("curl -s HTTPS://x/a").http);
  EXPECT_FALSE(onlyCurl("curl -s file:///etc/hostname").http);
  EXPECT_FALSE(onlyCurl("curl -s ftp://x/file").http);
}

TEST(FindCurlCommands, FailFlags) {
  EXPECT_FALSE(onlyCurl("curl -s http://x").fails);
  EXPECT_TRUE(onlyCurl("curl --fail -s http://x").fails);
  EXPECT_TRUE(onlyCurl("curl --fail-with-body http://x").fails);
  EXPECT_TRUE(onlyCurl("curl -f http://x").fails);
  EXPECT_TRUE(onlyCurl("curl -sSfL http://x").fails);
  // `-o f`: the f is the value of -o, not --fail.
  EXPECT_FALSE(onlyCurl("curl -of http://x").fails);
}

TEST(FindCurlCommands, StatusInspectedOrHandled) {
  EXPECT_TRUE(onlyCurl("curl -s -o /dev/null -w '%{http_code}' http://x")
                  .inspectsStatus);
  EXPECT_TRUE(onlyCurl("curl -sI http://x").inspectsStatus);
  EXPECT_TRUE(onlyCurl("curl http://x || true").failureHandled);
  EXPECT_FALSE(onlyCurl("curl http://x | jq .").failureHandled);
}

TEST(FindCurlCommands, CommandPositionOnly) {
  EXPECT_TRUE(findCurlCommands("echo curl; which curl").empty());
  EXPECT_TRUE(findCurlCommands("apt-get install curl").empty());
  EXPECT_EQ(findCurlCommands("x=$(curl -s a) && timeout 5 curl b; "
                             "sudo -u me /usr/bin/curl c; FOO=1 curl d")
                .size(),
            4u);
  // Quotes keep separators inside a word.
  auto found = findCurlCommands("curl -d '{\"a\": 1; \"b\": 2}' http://x");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].begin, 0u);
  EXPECT_EQ(found[0].length, 4u);
}

TEST(FindPrivateAddresses, Quads) {
  auto found = findPrivateAddresses("ping 192.168.1.2; x 10.192.168.1.1");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].begin, 5u);
  EXPECT_EQ(found[0].length, 11u);
  EXPECT_EQ(found[0].vlan, 1);
  EXPECT_EQ(found[0].host, 2);

  auto partial = findPrivateAddresses("http://192.168.\x1f");
  ASSERT_EQ(partial.size(), 1u);
  EXPECT_EQ(partial[0].vlan, -1);
}

}  // namespace
}  // namespace rig::lint
