// A QMP client (QEMU Machine Protocol: JSON lines over a unix socket).
//
// Synchronous: execute() writes one command with an id and reads until the
// answer with that id; events read on the way are kept for takeEvents().
// Thread-safe (one command at a time). When QEMU exits the socket closes and
// every call fails with "QMP connection closed".
#ifndef RIG_RUNTIME_VM_QMP_H
#define RIG_RUNTIME_VM_QMP_H

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace rig::vm {

class QmpClient {
 public:
  // Connects (retrying while the socket does not exist yet), reads the
  // greeting and negotiates capabilities, all within `timeoutMs`.
  static llvm::Expected<std::unique_ptr<QmpClient>> connect(
      llvm::StringRef socketPath, double timeoutMs);
  // The same over an already connected descriptor (tests: a socketpair).
  // Takes ownership of `fd`.
  static llvm::Expected<std::unique_ptr<QmpClient>> fromFd(int fd,
                                                           double timeoutMs);
  ~QmpClient();

  // The `return` value, or an error with QEMU's `desc`.
  llvm::Expected<llvm::json::Value> execute(llvm::StringRef command,
                                            llvm::json::Object arguments = {},
                                            double timeoutMs = 10'000);
  // human-monitor-command: the monitor's text output.
  llvm::Expected<std::string> humanMonitorCommand(llvm::StringRef commandLine,
                                                  double timeoutMs = 30'000);
  // Events received so far ({"event": ..., "data": ...}), oldest first.
  std::vector<llvm::json::Value> takeEvents();
  // The greeting's QEMU version ("7.2.22").
  const std::string& qemuVersion() const { return version_; }

 private:
  explicit QmpClient(int fd) : fd_(fd) {}
  llvm::Expected<llvm::json::Value> readMessage(double deadlineMs);
  llvm::Error writeLine(const std::string& line);
  llvm::Error handshake(double timeoutMs);

  int fd_;
  std::mutex mutex_;
  std::string buffer_;
  std::vector<llvm::json::Value> events_;
  std::string version_;
  int64_t nextId_ = 1;
  bool closed_ = false;
};

}  // namespace rig::vm

#endif
