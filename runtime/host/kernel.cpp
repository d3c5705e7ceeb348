#include "runtime/host/kernel.h"

#include <string.h>

#include <algorithm>
#include <vector>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace rig::host {
namespace {

llvm::Error noKernel(const std::string& why) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "no usable guest kernel: %s; install one with `apt-get install "
      "linux-image-amd64` (rig boots the host's kernel with its modules)",
      why.c_str());
}

}  // namespace

llvm::Expected<Kernel> findKernel(const KernelSearch& search) {
  namespace fs = llvm::sys::fs;
  if (!search.image.empty()) {
    Kernel k;
    k.image = search.image;
    k.version = search.version;
    llvm::StringRef file = llvm::sys::path::filename(search.image);
    if (k.version.empty() && file.startswith("vmlinuz-"))
      k.version = file.drop_front(strlen("vmlinuz-")).str();
    if (!fs::exists(k.image))
      return noKernel("`" + k.image + "` does not exist");
    if (k.version.empty())
      return noKernel("cannot tell the version of `" + k.image +
                      "` (name it vmlinuz-VERSION or configure the version)");
    k.modulesDir = search.modulesRoot + "/" + k.version;
    if (!fs::is_directory(k.modulesDir))
      return noKernel("`" + k.image + "` has no modules in `" + k.modulesDir +
                      "`");
    return k;
  }
  std::vector<std::string> versions;
  std::error_code ec;
  for (fs::directory_iterator it(search.bootDir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef file = llvm::sys::path::filename(it->path());
    if (!file.startswith("vmlinuz-")) continue;
    std::string version = file.drop_front(strlen("vmlinuz-")).str();
    if (fs::is_directory(search.modulesRoot + "/" + version))
      versions.push_back(version);
  }
  if (versions.empty())
    return noKernel("no " + search.bootDir +
                    "/vmlinuz-VERSION with modules in " + search.modulesRoot +
                    "/VERSION");
  std::sort(versions.begin(), versions.end(),
            [](const std::string& a, const std::string& b) {
              return strverscmp(a.c_str(), b.c_str()) < 0;
            });
  Kernel k;
  k.version = versions.back();
  k.image = search.bootDir + "/vmlinuz-" + k.version;
  k.modulesDir = search.modulesRoot + "/" + k.version;
  return k;
}

}  // namespace rig::host
