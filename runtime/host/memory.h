// Memory before boot: a suite whose nodes ask for more memory than the host
// has available fails before any machine boots, with the numbers, instead of
// letting the host's OOM killer choose a victim half way through the run.
#ifndef RIG_RUNTIME_HOST_MEMORY_H
#define RIG_RUNTIME_HOST_MEMORY_H

#include <cstdint>
#include <optional>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::host {

// What a node costs the host beyond its guest RAM: QEMU's own heap, its
// translation cache under TCG, the guest agent's buffers on rig's side.
inline constexpr int64_t kNodeOverheadBytes = 64ll << 20;

// MemAvailable of /proc/meminfo's text, in bytes; nullopt when absent.
std::optional<int64_t> parseMemAvailable(llvm::StringRef meminfo);

// Fails, naming every node's memory and the host's available memory, when
// the nodes need more than `availableBytes`.
llvm::Error checkMemory(llvm::StringRef suite, llvm::ArrayRef<plan::Node> nodes,
                        int64_t availableBytes);

// checkMemory() against the host's /proc/meminfo (no check where it cannot
// be read).
llvm::Error checkHostMemory(llvm::StringRef suite,
                            llvm::ArrayRef<plan::Node> nodes);

}  // namespace rig::host

#endif
