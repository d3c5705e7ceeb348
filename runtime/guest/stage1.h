// Stage 1: rig-guest as /init (PID 1) of the initramfs. Builds the node's
// root (tmpfs + host /usr and /etc over 9p + the node config), switches to
// it, forks the agent and execs systemd. On failure: a `rig-guest: ...` line
// on the console, then power off, so the host sees QEMU exit.
#ifndef RIG_RUNTIME_GUEST_STAGE1_H
#define RIG_RUNTIME_GUEST_STAGE1_H

#include <string>

namespace rig::guest {

// 9p mount options; the defaults are the fastest measured (README.md).
// The kernel command line can override them: rig.9p_cache=loose|mmap|none|fscache,
// rig.9p_msize=N.
struct NinePOptions {
  std::string cache = "loose";
  long msize = 512000;
};

bool mount9p(const std::string& tag, const std::string& target, bool readOnly,
             const NinePOptions& options, std::string& error);

// The prepared-state overlay: 9p share `tag` read-only under a tmpfs upper,
// mounted at root + path.
bool mountPreparedOverlay(const std::string& tag, const std::string& root,
                          const std::string& path, std::string& error);

// Never returns.
[[noreturn]] void runStage1(int argc, char** argv);

}  // namespace rig::guest

#endif
