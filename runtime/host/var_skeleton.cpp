#include "runtime/host/var_skeleton.h"

#include <sys/stat.h>

#include <set>

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/support/error.h"

namespace rig::host {
namespace {

// "a (>= 1), b:any | c" -> a, b, c: every alternative counts, so that the
// skeleton errs on the side of a directory too many.
void addRelations(llvm::StringRef field, std::vector<std::string>& out) {
  llvm::SmallVector<llvm::StringRef, 16> clauses;
  field.split(clauses, ',');
  for (llvm::StringRef clause : clauses) {
    llvm::SmallVector<llvm::StringRef, 4> alternatives;
    clause.split(alternatives, '|');
    for (llvm::StringRef alt : alternatives) {
      alt = alt.trim();
      alt = alt.take_until(
          [](char c) { return c == ' ' || c == '(' || c == ':'; });
      if (!alt.empty()) out.push_back(alt.str());
    }
  }
}

}  // namespace

DpkgStatus DpkgStatus::parse(llvm::StringRef text) {
  DpkgStatus out;
  // Paragraphs end at an empty line.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == llvm::StringRef::npos) end = text.size();
    llvm::StringRef para = text.slice(pos, end);
    pos = end + 2;
    std::string name, status, provides;
    Package pkg;
    llvm::SmallVector<llvm::StringRef, 64> lines;
    para.split(lines, '\n');
    for (llvm::StringRef line : lines) {
      if (line.empty() || line[0] == ' ' || line[0] == '\t')
        continue;  // continuation
      auto [key, value] = line.split(':');
      value = value.trim();
      if (key == "Package")
        name = value.str();
      else if (key == "Status")
        status = value.str();
      else if (key == "Architecture")
        pkg.arch = value.str();
      else if (key == "Multi-Arch")
        pkg.multiArchSame = value == "same";
      else if (key == "Depends" || key == "Pre-Depends")
        addRelations(value, pkg.depends);
      else if (key == "Provides")
        provides = value.str();
    }
    if (name.empty() || status != "install ok installed") continue;
    std::vector<std::string> provided;
    addRelations(provides, provided);
    for (auto& p : provided) out.providers_[p].push_back(name);
    out.installed_.emplace(name,
                           std::move(pkg));  // the first architecture wins
  }
  return out;
}

llvm::Expected<DpkgStatus> DpkgStatus::read(llvm::StringRef adminDir) {
  std::string path = adminDir.str() + "/status";
  auto buf = llvm::MemoryBuffer::getFile(path);
  if (!buf)
    return failure("cannot read " + path + ": " + buf.getError().message());
  return parse((*buf)->getBuffer());
}

std::vector<std::string> DpkgStatus::closure(
    llvm::ArrayRef<std::string> names) const {
  std::set<std::string> seen;
  std::vector<std::string> todo(names.begin(), names.end());
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    auto it = installed_.find(name);
    if (it == installed_.end()) {
      auto p = providers_.find(name);
      if (p != providers_.end())
        for (auto& provider : p->second)
          if (!seen.count(provider)) todo.push_back(provider);
      continue;
    }
    if (!seen.insert(name).second) continue;
    for (auto& d : it->second.depends)
      if (!seen.count(d)) todo.push_back(d);
  }
  return {seen.begin(), seen.end()};
}

std::string DpkgStatus::listName(llvm::StringRef name) const {
  auto it = installed_.find(name.str());
  if (it != installed_.end() && it->second.multiArchSame &&
      !it->second.arch.empty())
    return name.str() + ":" + it->second.arch;
  return name.str();
}

std::vector<HostDir> varSkeleton(const DpkgStatus& status,
                                 llvm::ArrayRef<std::string> packages,
                                 llvm::StringRef adminDir,
                                 llvm::StringRef hostRoot) {
  std::set<std::string> paths;
  for (const std::string& name : status.closure(packages)) {
    std::string list =
        adminDir.str() + "/info/" + status.listName(name) + ".list";
    auto buf = llvm::MemoryBuffer::getFile(list);
    if (!buf)
      buf = llvm::MemoryBuffer::getFile(adminDir.str() + "/info/" + name +
                                        ".list");
    if (!buf) continue;  // a package without files (a metapackage)
    llvm::SmallVector<llvm::StringRef, 256> lines;
    (*buf)->getBuffer().split(lines, '\n', -1, false);
    for (llvm::StringRef line : lines) {
      line = line.rtrim();
      if (line != "/var" && !line.startswith("/var/")) continue;
      if (line == "/var/run" || line.startswith("/var/run/") ||
          line == "/var/lock" || line.startswith("/var/lock/"))
        continue;
      paths.insert(line.str());
    }
  }
  std::vector<HostDir> out;
  for (const std::string& path : paths) {
    struct stat st;
    std::string hostPath = hostRoot.str() + path;
    // A symlink (lstat) is not a directory a package owns in /var.
    if (::lstat(hostPath.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    out.push_back({path, static_cast<uint32_t>(st.st_mode & 07777), st.st_uid,
                   st.st_gid});
  }
  return out;
}

}  // namespace rig::host
