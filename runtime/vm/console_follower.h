// Follows a node's console log (RUNDIR/NODE/console.log, which QEMU appends
// the serial port to) and hands each complete line to a sink as it appears.
// QEMU writes the file itself, so a reader thread polling the file is the
// least intrusive way to see lines live: the log stays exactly what QEMU
// wrote, and a restarted node's log continues in the same file.
#ifndef RIG_RUNTIME_VM_CONSOLE_FOLLOWER_H
#define RIG_RUNTIME_VM_CONSOLE_FOLLOWER_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/machine/machine.h"

namespace rig::vm {

class ConsoleFollower {
 public:
  // Longer lines are cut: the sink gets their first kMaxLineBytes.
  static constexpr size_t kMaxLineBytes = 64 * 1024;

  // Starts reading `path` from byte `offset` (the file may not exist yet).
  ConsoleFollower(std::string path, uint64_t offset,
                  machine::Machine::ConsoleSink sink);
  ~ConsoleFollower();  // stop()

  // Reads what is left, delivers a last unterminated line, joins the thread.
  // Idempotent.
  void stop();

  // The size of `path`, or 0 when it does not exist.
  static uint64_t fileSize(const std::string& path);

 private:
  void follow();
  bool readMore(int& fd);  // true when bytes were read
  void deliver(bool flushPartial);

  std::string path_;
  uint64_t offset_;
  machine::Machine::ConsoleSink sink_;
  std::string pending_;  // bytes after the last newline
  bool cutting_ =
      false;  // dropping the rest of a line longer than kMaxLineBytes
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rig::vm

#endif
