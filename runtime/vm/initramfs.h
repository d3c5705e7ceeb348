// The initramfs every node boots (architecture.md, "How a node boots"):
//   /init            the rig-guest binary
//   /dev/console     (the kernel opens it for init's stdio)
//   /modules/order   module file names in load order, one per line
//   /modules/NAME.ko the modules (uncompressed, from the host's kernel)
// The module names come from runtime/guest/modules.txt (embedded at build
// time); their dependencies are expanded with `modprobe --show-depends`.
// Archives are cached in the cache directory by a hash of the guest binary,
// the module list and the kernel version, and written atomically; the 8 most
// recently used archives are kept, older ones removed when a new one is made.
#ifndef RIG_RUNTIME_VM_INITRAMFS_H
#define RIG_RUNTIME_VM_INITRAMFS_H

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/host/kernel.h"

namespace rig::vm {

// The modules rig-guest loads (runtime/guest/modules.txt).
std::vector<std::string> guestModules();

// `<dir of /proc/self/exe>/rig-guest`.
std::string defaultGuestBinary();

// Parses `modprobe --show-depends` output: the .ko paths in load order
// (builtin modules skipped).
std::vector<std::string> parseShowDepends(llvm::StringRef output);

// The .ko files for `modules` and their dependencies, in load order, without
// duplicates. Fails naming a module the kernel does not have.
llvm::Expected<std::vector<std::string>> resolveModules(
    llvm::ArrayRef<std::string> modules, const host::Kernel& kernel);

struct InitramfsSpec {
  std::string guestBinary;           // "" = defaultGuestBinary()
  std::vector<std::string> modules;  // empty = guestModules()
  host::Kernel kernel;
  std::string cacheDir;  // "" = host::cacheDir()
};

// The path of the (possibly cached) archive.
llvm::Expected<std::string> buildInitramfs(const InitramfsSpec& spec);

}  // namespace rig::vm

#endif
