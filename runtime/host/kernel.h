// The guest kernel: the host's own (architecture.md, "How a node boots").
#ifndef RIG_RUNTIME_HOST_KERNEL_H
#define RIG_RUNTIME_HOST_KERNEL_H

#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

struct Kernel {
  std::string image;       // /boot/vmlinuz-6.1.0-56-amd64
  std::string version;     // 6.1.0-56-amd64
  std::string modulesDir;  // /usr/lib/modules/6.1.0-56-amd64
};

struct KernelSearch {
  // A configured image (rig.toml); "" = the newest /boot/vmlinuz-VERSION
  // that has /usr/lib/modules/VERSION.
  std::string image;
  // Its version when the file name does not say (`vmlinuz-VERSION`).
  std::string version;
  std::string bootDir = "/boot";
  std::string modulesRoot = "/usr/lib/modules";
};

// Fails with a message that names the fix
// (`apt-get install linux-image-amd64`) when there is no usable kernel.
llvm::Expected<Kernel> findKernel(const KernelSearch& search = {});

}  // namespace rig::host

#endif
