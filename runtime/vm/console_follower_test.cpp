// ConsoleFollower on a plain file standing in for QEMU's console.log.
#include "runtime/vm/console_follower.h"

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

namespace rig::vm {
namespace {

class Lines {
 public:
  machine::Machine::ConsoleSink sink() {
    return [this](llvm::StringRef line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(line.str());
    };
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // Waits (at most 10 s) until `n` lines arrived.
  bool waitFor(size_t n) {
    for (int i = 0; i < 1000; ++i) {
      if (get().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

std::string tempPath() {
  llvm::SmallString<128> path;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("console", "log", path));
  llvm::sys::fs::remove(path);
  return std::string(path);
}

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app | std::ios::binary) << text;
}

TEST(ConsoleFollower, DeliversLinesAsTheyAreWritten) {
  std::string path = tempPath();  // not there yet: QEMU creates it
  Lines lines;
  ConsoleFollower follower(path, 0, lines.sink());
  append(path, "[    0.000000] Linux version\r\nhalf");
  ASSERT_TRUE(lines.waitFor(1));
  EXPECT_EQ(lines.get(),
            std::vector<std::string>{"[    0.000000] Linux version"});
  append(path, " a line\nrig-guest: ready\n");
  ASSERT_TRUE(lines.waitFor(3));
  append(path, "\x1b[0;31mno newline at the end");
  follower.stop();  // drains, and delivers the unterminated last line
  EXPECT_EQ(lines.get(),
            (std::vector<std::string>{"[    0.000000] Linux version",
                                      "half a line", "rig-guest: ready",
                                      "\x1b[0;31mno newline at the end"}));
  follower.stop();  // idempotent
  llvm::sys::fs::remove(path);
}

// The log is appended across boots: a restarted node's follower starts at
// the end of what the previous boot wrote.
TEST(ConsoleFollower, StartsAtTheOffset) {
  std::string path = tempPath();
  append(path, "first boot\n");
  Lines lines;
  {
    ConsoleFollower follower(path, ConsoleFollower::fileSize(path),
                             lines.sink());
    append(path, "second boot\n");
  }
  EXPECT_EQ(lines.get(), std::vector<std::string>{"second boot"});
  llvm::sys::fs::remove(path);
}

// A guest printing a huge line without a newline: the follower's memory
// stays bounded, the sink gets the line's start, then the lines after it.
TEST(ConsoleFollower, CutsALineLongerThanTheLimit) {
  std::string path = tempPath();
  std::string huge(ConsoleFollower::kMaxLineBytes * 5 + 123, 'a');
  append(path, "before\n" + huge + "\nafter\n");
  Lines lines;
  {
    ConsoleFollower follower(path, 0, lines.sink());
    ASSERT_TRUE(lines.waitFor(3));
  }
  std::vector<std::string> got = lines.get();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "before");
  EXPECT_EQ(got[1], std::string(ConsoleFollower::kMaxLineBytes, 'a') +
                        " [line cut at 64 KiB]");
  EXPECT_EQ(got[2], "after");
  llvm::sys::fs::remove(path);
}

}  // namespace
}  // namespace rig::vm
