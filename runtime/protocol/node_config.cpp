#include "runtime/protocol/node_config.h"

#include <cstdio>

#include "runtime/protocol/wire.h"

namespace rig::protocol {
namespace {

std::string octal(uint32_t mode) {
  char b[16];
  std::snprintf(b, sizeof b, "%04o", mode & 07777);
  return b;
}

}  // namespace

const std::vector<std::string>& guestKernelModules() {
  // Keep equal to runtime/guest/modules.txt (a unit test checks it).
  static const std::vector<std::string> modules = {
      "virtio_pci", "virtio_blk",   "ext4", "virtio_console", "virtio_net",
      "virtio_rng", "9pnet_virtio", "9p",   "overlay",
  };
  return modules;
}

ManifestWriter::ManifestWriter() {
  line({"version", std::to_string(kManifestVersion)});
}

void ManifestWriter::line(std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) text_ += ' ';
    text_ += percentEncode(f);
    first = false;
  }
  text_ += '\n';
}

ManifestWriter& ManifestWriter::hostname(std::string_view name) {
  line({"hostname", name});
  return *this;
}
ManifestWriter& ManifestWriter::iface(std::string_view mac,
                                      std::string_view cidr) {
  line({"iface", mac, cidr});
  return *this;
}
ManifestWriter& ManifestWriter::sysctl(std::string_view key,
                                       std::string_view value) {
  line({"sysctl", key, value});
  return *this;
}
ManifestWriter& ManifestWriter::dir(std::string_view path, uint32_t mode,
                                    uint32_t uid, uint32_t gid) {
  line({"dir", path, octal(mode), std::to_string(uid), std::to_string(gid)});
  return *this;
}
ManifestWriter& ManifestWriter::attr(std::string_view path, uint32_t mode,
                                     uint32_t uid, uint32_t gid) {
  line({"attr", path, octal(mode), std::to_string(uid), std::to_string(gid)});
  return *this;
}
ManifestWriter& ManifestWriter::symlink(std::string_view target,
                                        std::string_view path) {
  line({"symlink", target, path});
  return *this;
}
ManifestWriter& ManifestWriter::mask(std::string_view path) {
  line({"mask", path});
  return *this;
}
ManifestWriter& ManifestWriter::overlay(std::string_view tag,
                                        std::string_view path) {
  line({"overlay", tag, path});
  return *this;
}

}  // namespace rig::protocol
