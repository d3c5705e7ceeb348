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

// Files the node installs under /usr (the host's, read-only): `usrTree` is
// the config's copy of them (CONFIG/root/usr). Each host directory that
// receives one (the nearest that exists) is overlaid with a writable layer
// in the node's state before the files are copied.
bool overlayUsr(const std::string& usrTree, const std::string& root,
                std::string& error);

// Where a container node finds what the host binds into it
// (runtime/container): the agent's and shell's socket directory, and one
// directory per prepared-state share (what a VM mounts over 9p).
inline constexpr const char* kContainerHost = "/.rig/host";
inline constexpr const char* kContainerShares = "/.rig/shares";

// An extra disk (`disk` in a node): the block device whose serial is
// `serial` (QEMU's `-device virtio-blk-pci,serial=`), mounted at `target`.
bool mountDisk(const std::string& serial, const std::string& target,
               const std::string& fs, std::string& error);

// Never returns.
[[noreturn]] void runStage1(int argc, char** argv);

// Stage 1 in a systemd-nspawn container (`rig-guest container-init
// SYSTEMD-ARGS...` as the container's PID 1): the rest of the root, the node
// config, the agent on kContainerHost/agent.sock, then systemd. Never returns.
[[noreturn]] void runContainerStage1(int argc, char** argv);

}  // namespace rig::guest

#endif
