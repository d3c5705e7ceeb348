#include "runtime/host/memory.h"

#include "gtest/gtest.h"

namespace rig::host {
namespace {

plan::Node node(const char* name, int64_t memoryBytes) {
  plan::Node n;
  n.name = name;
  n.memoryBytes = memoryBytes;
  return n;
}

TEST(Memory, ReadsMemAvailable) {
  EXPECT_EQ(parseMemAvailable("MemTotal:       24567890 kB\n"
                              "MemFree:         1000000 kB\n"
                              "MemAvailable:   20000000 kB\n"),
            20000000ll * 1024);
  EXPECT_EQ(parseMemAvailable("MemTotal: 1 kB\n"), std::nullopt);
  EXPECT_EQ(parseMemAvailable("MemAvailable: lots\n"), std::nullopt);
}

TEST(Memory, FitsWithTheOverheadCounted) {
  std::vector<plan::Node> nodes = {node("a", 1ll << 30), node("b", 1ll << 30)};
  int64_t needed = 2 * ((1ll << 30) + kNodeOverheadBytes);
  EXPECT_FALSE(bool(checkMemory("s", nodes, needed)));
  llvm::Error error = checkMemory("s", nodes, needed - 1);
  ASSERT_TRUE(bool(error));
  std::string text = llvm::toString(std::move(error));
  // The numbers: what each node asks, the total and what the host has.
  EXPECT_NE(text.find("suite `s` needs 2.1GiB"), std::string::npos) << text;
  EXPECT_NE(text.find("a 1GiB, b 1GiB"), std::string::npos) << text;
  EXPECT_NE(text.find("the host has 2.1GiB available"), std::string::npos)
      << text;
}

TEST(Memory, SmallHostsInMiB) {
  std::vector<plan::Node> nodes = {node("big", 4ll << 30)};
  std::string text = llvm::toString(checkMemory("s", nodes, 300ll << 20));
  EXPECT_NE(text.find("the host has 300MiB available"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace rig::host
