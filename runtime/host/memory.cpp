#include "runtime/host/memory.h"

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/plan/value.h"

namespace rig::host {

namespace {

// Sizes for people: "23.4GiB", "576MiB".
std::string humanSize(int64_t bytes) {
  if (bytes >= (1ll << 30))
    return fmt::format("{:.1f}GiB", double(bytes) / double(1ll << 30));
  return fmt::format("{}MiB", bytes >> 20);
}

}  // namespace

std::optional<int64_t> parseMemAvailable(llvm::StringRef meminfo) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  meminfo.split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    if (!line.consume_front("MemAvailable:")) continue;
    line = line.trim();
    int64_t kib = 0;
    if (!line.consume_back("kB")) return std::nullopt;
    if (line.trim().getAsInteger(10, kib) || kib < 0) return std::nullopt;
    return kib * 1024;
  }
  return std::nullopt;
}

llvm::Error checkMemory(llvm::StringRef suite, llvm::ArrayRef<plan::Node> nodes,
                        int64_t availableBytes) {
  int64_t needed = 0;
  std::vector<std::string> each;
  for (const plan::Node& node : nodes) {
    needed += node.memoryBytes + kNodeOverheadBytes;
    each.push_back(
        fmt::format("{} {}", node.name, formatSize(node.memoryBytes)));
  }
  if (needed <= availableBytes) return llvm::Error::success();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "%s",
      fmt::format("suite `{}` needs {} of memory ({}, plus {} per node for "
                  "its machine), but the host has {} available; lower the "
                  "nodes' `memory`, or run fewer suites at once (-j)",
                  suite, humanSize(needed), llvm::join(each, ", "),
                  formatSize(kNodeOverheadBytes), humanSize(availableBytes))
          .c_str());
}

llvm::Error checkHostMemory(llvm::StringRef suite,
                            llvm::ArrayRef<plan::Node> nodes) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/meminfo");
  if (!buffer) return llvm::Error::success();
  std::optional<int64_t> available = parseMemAvailable((*buffer)->getBuffer());
  if (!available) return llvm::Error::success();
  return checkMemory(suite, nodes, *available);
}

}  // namespace rig::host
