#include "runtime/container/nspawn_command.h"

#include <cctype>

namespace rig::container {

std::vector<std::string> nspawnCommandLine(const NspawnConfig& c) {
  std::vector<std::string> argv;
  if (!c.netnsPath.empty()) argv = {"nsenter", "--net=" + c.netnsPath, "--"};
  for (std::string arg :
       {c.nspawn, std::string("--quiet"), "--directory=" + c.rootDir,
        std::string("--bind-ro=/usr"), std::string("--register=no"),
        std::string("--keep-unit"), std::string("--link-journal=no"),
        std::string("--console=read-only"), std::string("--private-network"),
        "--machine=" + c.machineName})
    argv.push_back(arg);
  argv.push_back("--overlay=/etc:" + c.etcUpper + ":/etc");
  argv.push_back("--bind-ro=" + c.configDir + ":/.rig/config");
  argv.push_back("--bind=" + c.hostDir + ":/.rig/host");
  argv.push_back("--bind-ro=" + c.guestBinary + ":/.rig/rig-guest");
  for (auto& [tag, dir] : c.shares)
    argv.push_back("--bind-ro=" + dir + ":/.rig/shares/" + tag);
  argv.push_back("/.rig/rig-guest");
  argv.push_back("container-init");
  argv.push_back("systemd.unit=" + c.bootTarget);
  argv.push_back("systemd.journald.forward_to_console=1");
  if (c.quiet) argv.push_back("quiet");
  return argv;
}

std::string machineNameFor(const std::string& name) {
  std::string out;
  for (char ch : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(ch)) != 0;
    if (ok)
      out += ch;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 64) out = out.substr(out.size() - 64);
  while (!out.empty() && out.front() == '-') out.erase(0, 1);
  return out.empty() ? "rig" : out;
}

}  // namespace rig::container
