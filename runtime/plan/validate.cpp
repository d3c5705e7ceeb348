// Checks a plan beyond its JSON types: what the runtime relies on and a
// hand-edited or foreign plan could get wrong. Errors name the JSON path.
#include <set>

#include <fmt/format.h>

#include "runtime/plan/plan.h"
#include "runtime/support/error.h"

namespace rig::plan {

static bool isAbsolute(llvm::StringRef path) { return path.startswith("/"); }

static llvm::Error checkLoc(const SourceLoc& loc, const Plan& plan,
                            const std::string& path) {
  if (loc.line == 0) return llvm::Error::success();
  if (loc.file >= plan.sources.size())
    return failure(
        fmt::format("{}.loc: file index {} out of range, the plan has "
                    "{} sources",
                    path, loc.file, plan.sources.size()));
  return llvm::Error::success();
}

static llvm::Error checkPort(int64_t port, const std::string& path) {
  if (port < 1 || port > 65535)
    return failure(
        fmt::format("{}: port {} out of range 1..65535", path, port));
  return llvm::Error::success();
}

static llvm::Error checkNode(const Node& node, const Plan& plan,
                             const std::string& path) {
  if (node.name.empty()) return failure(path + ".name: empty node name");
  if (auto err = checkLoc(node.loc, plan, path)) return err;
  if (node.memoryBytes < (16ll << 20))
    return failure(fmt::format("{}.memory_bytes: {} is too small for a VM",
                               path, node.memoryBytes));
  if (node.backend != "vm" && node.backend != "container")
    return failure(path + ".backend: `" + node.backend +
                   "` is neither `vm` nor `container`");
  if (node.cpus < 1)
    return failure(
        fmt::format("{}.cpus: {} is not a positive count", path, node.cpus));
  std::set<int64_t> vlans;
  for (size_t i = 0; i < node.vlans.size(); ++i) {
    const VlanAttachment& v = node.vlans[i];
    std::string vp = fmt::format("{}.vlans[{}]", path, i);
    if (v.vlan < 1 || v.vlan > 254)
      return failure(
          fmt::format("{}.vlan: vlan {} out of range 1..254", vp, v.vlan));
    if (!vlans.insert(v.vlan).second)
      return failure(
          fmt::format("{}.vlan: vlan {} attached twice", vp, v.vlan));
    if (v.address.empty()) return failure(vp + ".address: empty address");
    if (v.mac.size() != 17)
      return failure(vp + ".mac: expected xx:xx:xx:xx:xx:xx");
    if (v.prefixLength < 1 || v.prefixLength > 32)
      return failure(fmt::format("{}.prefix_length: {} out of range 1..32", vp,
                                 v.prefixLength));
    if (v.prefixLength6 < 1 || v.prefixLength6 > 128)
      return failure(fmt::format("{}.prefix_length6: {} out of range 1..128",
                                 vp, v.prefixLength6));
  }
  for (size_t i = 0; i < node.firewall.allowTcp.size(); ++i)
    if (auto err = checkPort(node.firewall.allowTcp[i],
                             fmt::format("{}.firewall.allow_tcp[{}]", path, i)))
      return err;
  for (size_t i = 0; i < node.firewall.allowUdp.size(); ++i)
    if (auto err = checkPort(node.firewall.allowUdp[i],
                             fmt::format("{}.firewall.allow_udp[{}]", path, i)))
      return err;
  std::set<std::string> seen;
  for (size_t i = 0; i < node.files.size(); ++i) {
    const File& f = node.files[i];
    std::string fp = fmt::format("{}.files[{}].path", path, i);
    if (!isAbsolute(f.path))
      return failure(
          fmt::format("{}: `{}` is not an absolute path", fp, f.path));
    if (!seen.insert(f.path).second)
      return failure(fmt::format("{}: `{}` appears twice", fp, f.path));
  }
  seen.clear();
  for (size_t i = 0; i < node.units.size(); ++i) {
    const Unit& u = node.units[i];
    std::string up = fmt::format("{}.units[{}].name", path, i);
    if (u.name.empty() || u.name.find('/') != std::string::npos ||
        u.name.find('.') == std::string::npos)
      return failure(fmt::format("{}: `{}` is not a unit name", up, u.name));
    if (!seen.insert(u.name).second)
      return failure(fmt::format("{}: `{}` appears twice", up, u.name));
  }
  seen.clear();
  for (size_t i = 0; i < node.users.size(); ++i)
    if (!seen.insert(node.users[i].name).second)
      return failure(fmt::format("{}.users[{}].name: `{}` appears twice", path,
                                 i, node.users[i].name));
  seen.clear();
  for (size_t i = 0; i < node.groups.size(); ++i)
    if (!seen.insert(node.groups[i].name).second)
      return failure(fmt::format("{}.groups[{}].name: `{}` appears twice", path,
                                 i, node.groups[i].name));
  for (size_t i = 0; i < node.disks.size(); ++i) {
    const Disk& d = node.disks[i];
    std::string dp = fmt::format("{}.disks[{}]", path, i);
    if (!isAbsolute(d.path) || d.path == "/" ||
        d.path.find_first_of(" \t\n") != std::string::npos)
      return failure(
          fmt::format("{}.path: `{}` is not a mount point", dp, d.path));
    if (d.sizeBytes < (1 << 20))
      return failure(
          fmt::format("{}.size_bytes: {} is too small", dp, d.sizeBytes));
    if (d.fs != "ext4" && d.fs != "ext3" && d.fs != "ext2")
      return failure(
          fmt::format("{}.fs: `{}` is not ext4, ext3 or ext2", dp, d.fs));
  }
  for (size_t i = 0; i < node.prepares.size(); ++i) {
    const Prepare& s = node.prepares[i];
    std::string sp = fmt::format("{}.prepares[{}]", path, i);
    if (s.run.empty()) return failure(sp + ".run: empty command");
    if (!isAbsolute(s.mountAt))
      return failure(fmt::format("{}.mount_at: `{}` is not an absolute path",
                                 sp, s.mountAt));
    if (auto err = checkLoc(s.loc, plan, sp)) return err;
  }
  return llvm::Error::success();
}

llvm::Error validate(const Plan& plan) {
  if (plan.version != kPlanVersion)
    return failure(fmt::format("plan.rig_plan: version {} is not supported",
                               plan.version));
  std::set<std::string> names;
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    std::string path = fmt::format("plan.nodes[{}]", i);
    if (!names.insert(plan.nodes[i].name).second)
      return failure(fmt::format("{}.name: node `{}` appears twice", path,
                                 plan.nodes[i].name));
    if (i > 0 && plan.nodes[i - 1].name > plan.nodes[i].name)
      return failure(
          fmt::format("{}.name: nodes are not sorted by name", path));
    if (auto err = checkNode(plan.nodes[i], plan, path)) return err;
  }
  names.clear();
  for (size_t i = 0; i < plan.tests.size(); ++i) {
    std::string path = fmt::format("plan.tests[{}]", i);
    if (!names.insert(plan.tests[i].name).second)
      return failure(fmt::format("{}.name: test `{}` appears twice", path,
                                 plan.tests[i].name));
    if (auto err = checkLoc(plan.tests[i].loc, plan, path)) return err;
  }
  return llvm::Error::success();
}

}  // namespace rig::plan
