#include "runtime/vm/initramfs.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <mutex>
#include <set>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"
#include "runtime/support/error.h"
#include "runtime/vm/cpio.h"
#include "runtime/vm/guest_modules.h"

namespace rig::vm {
namespace {

llvm::Expected<std::string> readFile(llvm::StringRef path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return failure("cannot read " + path + ": " + buf.getError().message());
  return (*buf)->getBuffer().str();
}

// Every rebuilt rig-guest makes a new archive: keep the most recently used
// few. QEMU reads the initrd when it starts, so running VMs do not care.
constexpr size_t kArchivesKept = 8;

void evictOldArchives(const std::string& dir, const std::string& keep) {
  std::vector<std::pair<llvm::sys::TimePoint<>, std::string>> archives;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (!name.startswith("initramfs-") || !name.endswith(".cpio") ||
        it->path() == keep)
      continue;
    llvm::sys::fs::file_status st;
    if (!llvm::sys::fs::status(it->path(), st))
      archives.push_back({st.getLastModificationTime(), it->path()});
  }
  if (archives.size() < kArchivesKept) return;
  std::sort(archives.begin(), archives.end(), std::greater<>());
  for (size_t i = kArchivesKept - 1; i < archives.size(); ++i)
    llvm::sys::fs::remove(archives[i].second);
}

}  // namespace

std::vector<std::string> guestModules() {
  std::vector<std::string> out;
  llvm::SmallVector<llvm::StringRef, 32> lines;
  llvm::StringRef(kGuestModulesText).split(lines, '\n', -1, false);
  for (auto line : lines) {
    line = line.split('#').first.trim();
    if (!line.empty()) out.push_back(line.str());
  }
  return out;
}

std::string defaultGuestBinary() {
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  return (llvm::sys::path::parent_path(exe) + "/rig-guest").str();
}

std::vector<std::string> parseShowDepends(llvm::StringRef output) {
  std::vector<std::string> paths;
  llvm::SmallVector<llvm::StringRef, 16> lines;
  output.split(lines, '\n', -1, false);
  for (auto line : lines) {
    line = line.trim();
    if (!line.consume_front("insmod ")) continue;  // "builtin NAME" and noise
    paths.push_back(line.split(' ').first.str());
  }
  return paths;
}

llvm::Expected<std::vector<std::string>> resolveModules(
    llvm::ArrayRef<std::string> modules, const host::Kernel& kernel) {
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (auto& name : modules) {
    auto r = host::run(
        {"modprobe", "--show-depends", "-S", kernel.version, name}, 30'000);
    if (!r) return r.takeError();
    if (r->status != 0)
      return failure("kernel " + kernel.version + " has no module `" + name +
                     "` (modprobe: " + llvm::StringRef(r->output).trim() + ")");
    for (auto& path : parseShowDepends(r->output)) {
      std::string file = llvm::sys::path::filename(path).str();
      if (seen.insert(file).second) order.push_back(path);
    }
  }
  return order;
}

llvm::Expected<std::string> buildInitramfs(const InitramfsSpec& spec) {
  std::string guest =
      spec.guestBinary.empty() ? defaultGuestBinary() : spec.guestBinary;
  std::vector<std::string> modules =
      spec.modules.empty() ? guestModules() : spec.modules;
  std::string dir = spec.cacheDir;
  if (dir.empty()) {
    auto d = host::cacheDir();
    if (!d) return d.takeError();
    dir = *d;
  }
  auto guestData = readFile(guest);
  if (!guestData)
    return failure("the guest binary rig-guest is missing (" +
                   llvm::toString(guestData.takeError()) +
                   "); it must sit next to rig");

  llvm::SHA256 h;
  h.update(*guestData);
  h.update("\nmodules:");
  for (auto& m : modules) h.update(m + ",");
  h.update("\nkernel:" + spec.kernel.version);
  std::string path = dir + "/initramfs-" +
                     llvm::toHex(h.final(), true).substr(0, 24) + ".cpio";

  // Several machines boot at once: one builds, the others wait and reuse.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (llvm::sys::fs::exists(path)) {
    // Mark it used: eviction below keeps the most recently used archives.
    utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    return path;
  }

  auto kos = resolveModules(modules, spec.kernel);
  if (!kos) return kos.takeError();
  CpioWriter w;
  w.addFile("init", *guestData, 0755);
  // The kernel opens /dev/console for init's stdio before init runs.
  w.addDirectory("dev");
  w.addCharDevice("dev/console", 0600, 5, 1);
  w.addDirectory("modules");
  std::string order;
  for (auto& ko : *kos) {
    auto data = readFile(ko);
    if (!data) return data.takeError();
    std::string file = llvm::sys::path::filename(ko).str();
    if (!llvm::StringRef(file).endswith(".ko"))
      return failure("module " + ko +
                     " is compressed; rig needs uncompressed .ko files");
    w.addFile("modules/" + file, *data, 0644);
    order += file + "\n";
  }
  w.addFile("modules/order", order, 0644);
  if (auto err = host::writeFileAtomically(path, w.finish(), 0644)) return err;
  evictOldArchives(dir, path);
  return path;
}

}  // namespace rig::vm
