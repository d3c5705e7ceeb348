// What the host has, for the rules that depend on it: a guest sees the
// host's /usr (its units and packages) and starts from the host's accounts.
#include <memory>

#include "compiler/lint/lint.h"
#include "compiler/lint/units.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::lint {

ListedHostFacts::ListedHostFacts(llvm::ArrayRef<std::string> units,
                                 llvm::ArrayRef<std::string> packages,
                                 llvm::ArrayRef<std::string> users,
                                 llvm::ArrayRef<std::string> groups) {
  for (const std::string& u : units) units_.insert(u);
  for (const std::string& p : packages) packages_.insert(p);
  for (const std::string& u : users) users_.insert(u);
  for (const std::string& g : groups) groups_.insert(g);
}

bool ListedHostFacts::hasPackage(llvm::StringRef package) const {
  return packages_.count(package);
}

bool ListedHostFacts::ships(llvm::StringRef unit) const {
  if (units_.count(unit)) return true;
  std::string tmpl = templateOf(unit);
  return !tmpl.empty() && units_.count(tmpl);
}

bool ListedHostFacts::hasUser(llvm::StringRef user) const {
  return users_.count(user);
}

bool ListedHostFacts::hasGroup(llvm::StringRef group) const {
  return groups_.count(group);
}

namespace {

// The names (first fields) of /etc/passwd or /etc/group; empty when the
// file cannot be read.
std::vector<std::string> accountNames(const char* path) {
  std::vector<std::string> names;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) return names;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    llvm::StringRef name = line.split(':').first.trim();
    if (!name.empty() && !name.startswith("#")) names.push_back(name.str());
  }
  return names;
}

// Reads the unit directories and the account files once, on the first
// question.
class SystemHostFacts : public HostFacts {
 public:
  bool ships(llvm::StringRef unit) const override {
    return listed().ships(unit);
  }
  bool hasUser(llvm::StringRef user) const override {
    return listed().hasUser(user);
  }
  bool hasGroup(llvm::StringRef group) const override {
    return listed().hasGroup(group);
  }
  // dpkg keeps the file list of every installed package, named PKG.list or,
  // for a package of one architecture, PKG:ARCH.list.
  bool hasPackage(llvm::StringRef package) const override {
    const std::string dir = "/var/lib/dpkg/info/";
    if (llvm::sys::fs::exists(dir + package.str() + ".list")) return true;
    std::error_code ec;
    std::string prefix = package.str() + ":";
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      if (name.startswith(prefix) && name.endswith(".list")) return true;
    }
    return false;
  }

 private:
  const ListedHostFacts& listed() const {
    if (!listed_) {
      std::vector<std::string> units;
      for (const char* dir :
           {"/usr/lib/systemd/system", "/lib/systemd/system"}) {
        std::error_code ec;
        for (llvm::sys::fs::directory_iterator it(dir, ec), end;
             !ec && it != end; it.increment(ec))
          units.push_back(llvm::sys::path::filename(it->path()).str());
      }
      listed_ = std::make_unique<ListedHostFacts>(
          units, llvm::ArrayRef<std::string>(), accountNames("/etc/passwd"),
          accountNames("/etc/group"));
    }
    return *listed_;
  }

  mutable std::unique_ptr<ListedHostFacts> listed_;
};

}  // namespace

std::unique_ptr<HostFacts> systemHostFacts() {
  return std::make_unique<SystemHostFacts>();
}

}  // namespace rig::lint
