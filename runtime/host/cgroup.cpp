#include "runtime/host/cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <map>
#include <set>
#include <system_error>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::host {
namespace {

std::string readAll(const char* path) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

// The directory of rig's cgroup in each hierarchy it is in: for each line
// of /proc/self/cgroup ("ID:CONTROLLERS:PATH"), the mount point of that
// hierarchy (/proc/self/mountinfo: a cgroup2 mount for ID 0, else the
// cgroup mount whose options name the controllers) joined with PATH.
std::vector<std::string> ownCgroupDirs() {
  std::map<std::string, std::string> v1;  // option set -> mount point
  std::string v2;
  std::string mountinfo = readAll("/proc/self/mountinfo");
  for (llvm::StringRef line : llvm::split(mountinfo, '\n')) {
    auto [mount, rest] = line.split(" - ");
    llvm::SmallVector<llvm::StringRef, 8> before, after;
    mount.split(before, ' ');
    rest.split(after, ' ');
    if (before.size() < 5 || after.size() < 3) continue;
    if (after[0] == "cgroup2" && v2.empty()) v2 = before[4].str();
    if (after[0] != "cgroup") continue;
    llvm::SmallVector<llvm::StringRef, 8> options;
    after[2].split(options, ',');
    std::set<std::string> names;
    for (llvm::StringRef o : options)
      if (o != "rw" && o != "ro") names.insert(o.str());
    std::string key;
    for (const std::string& n : names) key += n + ",";
    v1[key] = before[4].str();
  }
  std::vector<std::string> dirs;
  std::string self = readAll("/proc/self/cgroup");
  for (llvm::StringRef line : llvm::split(self, '\n')) {
    auto [id, rest] = line.split(':');
    auto [controllers, path] = rest.split(':');
    if (path.empty()) continue;
    std::string mountPoint;
    if (id == "0") {
      mountPoint = v2;
    } else {
      llvm::SmallVector<llvm::StringRef, 4> wanted;
      controllers.split(wanted, ',');
      for (const auto& [key, point] : v1) {
        bool all = true;
        for (llvm::StringRef w : wanted)
          if (llvm::StringRef(key).find((w + ",").str()) ==
              llvm::StringRef::npos)
            all = false;
        if (all) mountPoint = point;
      }
    }
    if (mountPoint.empty()) continue;
    dirs.push_back(mountPoint + (path == "/" ? "" : path.str()));
  }
  return dirs;
}

bool holdsProcesses(const std::string& dir) {
  if (!llvm::StringRef(readAll((dir + "/cgroup.procs").c_str())).trim().empty())
    return true;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::directory_file &&
        holdsProcesses(it->path()))
      return true;
  return false;
}

void removeTreeDeepestFirst(const std::string& dir) {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::directory_file)
      removeTreeDeepestFirst(it->path());
  ::rmdir(dir.c_str());  // a cgroup's files go with it
}

}  // namespace

std::vector<std::string> makeChildCgroups(const std::string& name) {
  std::vector<std::string> procs;
  for (const std::string& dir : ownCgroupDirs()) {
    std::string child = dir + "/" + name;
    if (::mkdir(child.c_str(), 0755) != 0 && errno != EEXIST) continue;
    std::string file = child + "/cgroup.procs";
    if (::access(file.c_str(), W_OK) == 0) procs.push_back(file);
  }
  return procs;
}

void removeChildCgroups(const std::string& name) {
  for (const std::string& dir : ownCgroupDirs()) {
    std::string child = dir + "/" + name;
    // A kept container still runs in it: leave its tree alone.
    if (!holdsProcesses(child)) removeTreeDeepestFirst(child);
  }
}

void removeIdleChildCgroups(llvm::StringRef prefix) {
  for (const std::string& dir : ownCgroupDirs()) {
    std::error_code ec;
    std::vector<std::string> idle;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      if (it->type() == llvm::sys::fs::file_type::directory_file &&
          llvm::sys::path::filename(it->path()).startswith(prefix) &&
          !holdsProcesses(it->path()))
        idle.push_back(it->path());
    for (const std::string& child : idle) removeTreeDeepestFirst(child);
  }
}

}  // namespace rig::host
