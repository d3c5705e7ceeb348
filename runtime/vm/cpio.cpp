#include "runtime/vm/cpio.h"

#include <sys/stat.h>

#include <cstdio>

namespace rig::vm {
namespace {

void pad4(std::string& s) {
  while (s.size() % 4) s += '\0';
}

llvm::Error bad(const std::string& why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "not a newc cpio archive: %s", why.c_str());
}

}  // namespace

void CpioWriter::add(llvm::StringRef name, uint32_t mode, llvm::StringRef data,
                     uint32_t rdevMajor, uint32_t rdevMinor) {
  char header[111];
  uint32_t fields[13] = {
      nextIno_++,
      mode,
      0,
      0,
      static_cast<uint32_t>((mode & S_IFMT) == S_IFDIR ? 2 : 1),
      0,
      static_cast<uint32_t>(data.size()),
      0,
      0,
      rdevMajor,
      rdevMinor,
      static_cast<uint32_t>(name.size() + 1),
      0};
  int n = snprintf(header, sizeof header, "070701");
  for (uint32_t f : fields)
    n += snprintf(header + n, sizeof header - n, "%08X", f);
  out_.append(header, 110);
  out_.append(name.data(), name.size());
  out_ += '\0';
  pad4(out_);
  out_.append(data.data(), data.size());
  pad4(out_);
}

void CpioWriter::addDirectory(llvm::StringRef name, uint32_t perms) {
  add(name, S_IFDIR | perms, "");
}
void CpioWriter::addFile(llvm::StringRef name, llvm::StringRef data,
                         uint32_t perms) {
  add(name, S_IFREG | perms, data);
}
void CpioWriter::addCharDevice(llvm::StringRef name, uint32_t perms,
                               uint32_t major, uint32_t minor) {
  add(name, S_IFCHR | perms, "", major, minor);
}
void CpioWriter::addSymlink(llvm::StringRef name, llvm::StringRef target) {
  add(name, S_IFLNK | 0777, target);
}

std::string CpioWriter::finish() {
  add("TRAILER!!!", 0, "");
  return std::move(out_);
}

llvm::Expected<std::vector<CpioEntry>> readCpio(llvm::StringRef a) {
  std::vector<CpioEntry> entries;
  size_t pos = 0;
  auto align = [](size_t p) { return (p + 3) & ~size_t(3); };
  for (;;) {
    if (pos + 110 > a.size())
      return bad("truncated header at " + std::to_string(pos));
    llvm::StringRef h = a.substr(pos, 110);
    if (!h.startswith("070701"))
      return bad("bad magic at " + std::to_string(pos));
    uint32_t f[13];
    for (int i = 0; i < 13; ++i) {
      unsigned v;
      if (h.substr(6 + 8 * i, 8).getAsInteger(16, v))
        return bad("bad header field at " + std::to_string(pos));
      f[i] = v;
    }
    size_t nameSize = f[11], dataSize = f[6];
    size_t nameAt = pos + 110;
    if (nameSize == 0 || nameAt + nameSize > a.size())
      return bad("bad name size");
    std::string name = a.substr(nameAt, nameSize - 1).str();
    size_t dataAt = align(nameAt + nameSize);
    if (dataAt + dataSize > a.size()) return bad("truncated data of " + name);
    if (name == "TRAILER!!!") return entries;
    entries.push_back(
        {name, f[1], a.substr(dataAt, dataSize).str(), f[9], f[10]});
    pos = align(dataAt + dataSize);
  }
}

}  // namespace rig::vm
