#include "runtime/container/run_network.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/support/error.h"

namespace rig::container {
namespace {

std::string linkTarget(const std::string& path) {
  char buf[256];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

llvm::Expected<std::unique_ptr<RunNetwork>> RunNetwork::create(
    const std::set<int64_t>& vlans, llvm::StringRef runDir,
    llvm::StringRef keeper) {
  std::unique_ptr<RunNetwork> net(new RunNetwork());
  host::SpawnOptions so;
  // The run directory on the command line (of rig-keeper, when kept) is how
  // `rig attach --stop` and the stale-directory check recognize it: between
  // slashes, as host::processOfRunAlive looks for it.
  so.argv = {"unshare",   "--net",
             "--",        "sh",
             "-c",        "exec sleep infinity",
             "rig-netns", runDir.rtrim('/').str() + "/"};
  so.keeper = keeper.str();
  auto child = host::spawn(so);
  if (!child) return child.takeError();
  net->holder_ = std::move(*child);
  // unshare(2) happens after the spawn returns: wait until the holder's
  // namespace is no longer rig's.
  std::string own = linkTarget("/proc/self/ns/net");
  std::string path;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    pid_t pid = net->holder_->pid();
    if (!keeper.empty()) {
      // Under a keeper the program is the keeper's child.
      auto children = host::childProcesses(pid);
      if (!children.empty()) pid = children.front();
    }
    path = "/proc/" + std::to_string(pid) + "/ns/net";
    std::string target = linkTarget(path);
    if (!target.empty() && target != own) break;
    if (auto status = net->holder_->poll())
      return failure(
          "the run's network namespace holder (unshare --net) exited with "
          "status " +
          std::to_string(*status) +
          " (is util-linux installed, and may rig create "
          "network namespaces here?)");
    if (std::chrono::steady_clock::now() > deadline)
      return failure("the run's network namespace did not appear within 5 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  net->nsPath_ = path;
  std::vector<std::string> lines;
  for (int64_t vlan : vlans) {
    lines.push_back("link add " + bridgeName(vlan) + " type bridge");
    lines.push_back("link set " + bridgeName(vlan) + " up");
  }
  if (auto err = net->batch(lines, false)) return err;
  return net;
}

RunNetwork::~RunNetwork() = default;  // holder_'s destructor kills it

llvm::Error RunNetwork::release() {
  llvm::Error all = holder_->release();
  for (auto& plug : plugs_)
    all = llvm::joinErrors(std::move(all), plug->release());
  return all;
}

llvm::Expected<host::RunResult> RunNetwork::ip(std::vector<std::string> args) {
  std::vector<std::string> argv = {"nsenter", "--net=" + nsPath_, "--", "ip"};
  argv.insert(argv.end(), args.begin(), args.end());
  return host::run(argv, 10'000);
}

llvm::Error RunNetwork::batch(const std::vector<std::string>& lines,
                              bool force) {
  if (lines.empty()) return llvm::Error::success();
  std::string text;
  for (auto& l : lines) text += l + "\n";
  llvm::SmallString<128> file;
  if (auto ec = llvm::sys::fs::createTemporaryFile("rig-ip", "batch", file))
    return failure("temporary file: " + ec.message());
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(file, ec);
    if (ec) return failure("write " + file + ": " + ec.message());
    out << text;
  }
  std::vector<std::string> args;
  if (force) args.push_back("-force");
  args.push_back("-batch");
  args.push_back(file.str().str());
  auto r = ip(args);
  llvm::sys::fs::remove(file);
  if (!r) return r.takeError();
  if (r->status != 0 && !force)
    return failure("ip -batch in the run's network namespace failed (status " +
                   std::to_string(r->status) +
                   "): " + llvm::StringRef(r->output).trim() +
                   "\n--- commands ---\n" + text);
  return llvm::Error::success();
}

llvm::Error RunNetwork::addLinks(const std::vector<VethLink>& links) {
  std::vector<std::string> stale, lines;
  for (auto& l : links) {
    stale.push_back("link del " + l.bridgeName);
    lines.push_back("link add " + l.guestName + " address " + l.mac +
                    " type veth peer name " + l.bridgeName);
    lines.push_back("link set " + l.bridgeName + " master " +
                    bridgeName(l.vlan) + " up");
  }
  if (!batch(lines, false)) return llvm::Error::success();
  // A previous boot's pair normally went with its container; if the kernel
  // has not destroyed it yet, it goes now.
  if (auto err = batch(stale, true)) return err;
  return batch(lines, false);
}

llvm::Error RunNetwork::plugSwitch(int64_t vlan, const std::string& switchDir,
                                   llvm::StringRef keeper) {
  std::string tap = "rigtap" + std::to_string(vlan);
  host::SpawnOptions so;
  so.argv = {"nsenter", "--net=" + nsPath_, "--", "vde_plug2tap",
             "-s",      switchDir,          tap};
  so.keeper = keeper.str();
  auto child = host::spawn(so);
  if (!child) return child.takeError();
  plugs_.push_back(std::move(*child));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    auto shown = ip({"link", "show", tap});
    if (!shown) return shown.takeError();
    if (shown->status == 0) break;
    if (auto status = plugs_.back()->poll())
      return failure("vde_plug2tap for vlan " + std::to_string(vlan) +
                     " exited with status " + std::to_string(*status) +
                     " (is /dev/net/tun there?)");
    if (std::chrono::steady_clock::now() > deadline)
      return failure("vde_plug2tap made no " + tap + " within 5 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return batch({"link set " + tap + " master " + bridgeName(vlan),
                "link set " + tap + " up"},
               false);
}

llvm::Error RunNetwork::moveLinks(const std::vector<VethLink>& links,
                                  pid_t pid) {
  std::vector<std::string> lines;
  for (auto& l : links)
    lines.push_back("link set " + l.guestName + " netns " +
                    std::to_string(pid) +
                    (l.insideName.empty() ? "" : " name " + l.insideName));
  return batch(lines, false);
}

llvm::Error RunNetwork::setLinksUp(const std::vector<VethLink>& links,
                                   bool up) {
  std::vector<std::string> lines;
  for (auto& l : links)
    lines.push_back("link set " + l.bridgeName + (up ? " up" : " down"));
  return batch(lines, false);
}

}  // namespace rig::container
