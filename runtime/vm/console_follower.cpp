#include "runtime/vm/console_follower.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace rig::vm {

// How often the file is looked at: fast enough for a person watching `-v`,
// cheap enough to run beside a TCG guest (one pread per node per period).
static constexpr auto kPollPeriod = std::chrono::milliseconds(50);

ConsoleFollower::ConsoleFollower(std::string path, uint64_t offset,
                                 machine::Machine::ConsoleSink sink)
    : path_(std::move(path)), offset_(offset), sink_(std::move(sink)) {
  thread_ = std::thread([this] { follow(); });
}

ConsoleFollower::~ConsoleFollower() { stop(); }

uint64_t ConsoleFollower::fileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void ConsoleFollower::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConsoleFollower::follow() {
  int fd = -1;
  for (;;) {
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      stopping = stopping_;
    }
    // Drain everything before deciding to wait or to end.
    while (readMore(fd)) deliver(false);
    if (stopping) break;
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, kPollPeriod, [this] { return stopping_; });
  }
  deliver(true);
  if (fd >= 0) ::close(fd);
}

bool ConsoleFollower::readMore(int& fd) {
  if (fd < 0) {
    fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
  }
  char buffer[16384];
  ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(offset_));
  if (n <= 0) return false;
  offset_ += static_cast<uint64_t>(n);
  pending_.append(buffer, static_cast<size_t>(n));
  return true;
}

void ConsoleFollower::deliver(bool flushPartial) {
  size_t start = 0;
  if (cutting_) {
    // The rest of a line already cut: dropped up to its end.
    size_t nl = pending_.find('\n');
    if (nl == std::string::npos) {
      pending_.clear();
      return;
    }
    cutting_ = false;
    start = nl + 1;
  }
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos;
       start = nl + 1) {
    llvm::StringRef line(pending_.data() + start, nl - start);
    if (line.size() > kMaxLineBytes)
      line =
          line.take_front(kMaxLineBytes);  // cut below, as a long partial line
    if (sink_) sink_(line.rtrim('\r'));
  }
  pending_.erase(0, start);
  if (pending_.size() > kMaxLineBytes) {
    // A line without an end (a guest printing 1 GiB at once): its start is
    // shown, the rest dropped, so memory stays bounded.
    std::string cut = pending_.substr(0, kMaxLineBytes) + " [line cut at " +
                      std::to_string(kMaxLineBytes / 1024) + " KiB]";
    if (sink_) sink_(cut);
    pending_.clear();
    cutting_ = true;
    return;
  }
  if (flushPartial && !pending_.empty()) {
    if (sink_) sink_(llvm::StringRef(pending_).rtrim('\r'));
    pending_.clear();
  }
}

}  // namespace rig::vm
