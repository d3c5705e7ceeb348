// The cpio "newc" format the kernel unpacks as an initramfs.
#ifndef RIG_RUNTIME_VM_CPIO_H
#define RIG_RUNTIME_VM_CPIO_H

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::vm {

struct CpioEntry {
  std::string name;        // relative, no leading '/': "init", "modules/order"
  uint32_t mode = 0;       // full st_mode (type bits included)
  std::string data;        // file content, or a symlink's target
  uint32_t rdevMajor = 0;  // device nodes
  uint32_t rdevMinor = 0;
};

// Appends entries to an in-memory archive. Owner root, mtime 0, so the same
// entries always give the same bytes.
class CpioWriter {
 public:
  void addDirectory(llvm::StringRef name, uint32_t perms = 0755);
  void addFile(llvm::StringRef name, llvm::StringRef data,
               uint32_t perms = 0644);
  void addSymlink(llvm::StringRef name, llvm::StringRef target);
  void addCharDevice(llvm::StringRef name, uint32_t perms, uint32_t major,
                     uint32_t minor);
  // Appends the trailer and returns the archive.
  std::string finish();

 private:
  void add(llvm::StringRef name, uint32_t mode, llvm::StringRef data,
           uint32_t rdevMajor = 0, uint32_t rdevMinor = 0);
  std::string out_;
  uint32_t nextIno_ = 1;
};

// Reads a newc archive (without the trailer entry), for tests and checks.
llvm::Expected<std::vector<CpioEntry>> readCpio(llvm::StringRef archive);

}  // namespace rig::vm

#endif
