// The host side of the node config share (mount_tag `rigcfg`): a writer for
// its `manifest`, whose reader is rig-guest's stage 1
// (runtime/guest/README.md, "Node config share"). Part of rig_protocol_wire:
// no dependencies.
#ifndef RIG_RUNTIME_PROTOCOL_NODE_CONFIG_H
#define RIG_RUNTIME_PROTOCOL_NODE_CONFIG_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rig::protocol {

inline constexpr int kManifestVersion = 1;

// The kernel modules stage 1 needs (runtime/guest/modules.txt), before
// dependency expansion (`modprobe --show-depends -S KVER NAME`).
const std::vector<std::string>& guestKernelModules();

// Builds the manifest text; fields are percent-encoded here. Directives are
// applied by the guest in the order they are added, after root/ is copied.
class ManifestWriter {
 public:
  ManifestWriter();  // starts with `version 1`

  ManifestWriter& hostname(std::string_view name);
  ManifestWriter& iface(std::string_view mac,
                        std::string_view addressWithPrefix);
  ManifestWriter& sysctl(std::string_view key, std::string_view value);
  ManifestWriter& dir(std::string_view path, uint32_t mode, uint32_t uid,
                      uint32_t gid);
  ManifestWriter& attr(std::string_view path, uint32_t mode, uint32_t uid,
                       uint32_t gid);
  ManifestWriter& symlink(std::string_view target, std::string_view path);
  ManifestWriter& mask(std::string_view path);
  ManifestWriter& overlay(std::string_view tag, std::string_view path);

  const std::string& text() const { return text_; }

 private:
  void line(std::initializer_list<std::string_view> fields);
  std::string text_;
};

}  // namespace rig::protocol

#endif
