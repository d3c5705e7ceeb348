#include "compiler/lint/units.h"

#include <memory>

#include "compiler/lint/lint.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace rig::lint {

static const char* const kUnitSuffixes[] = {
    ".service", ".socket", ".target", ".timer", ".mount",  ".automount",
    ".path",    ".slice",  ".scope",  ".swap",  ".device",
};

bool hasUnitSuffix(llvm::StringRef name) {
  for (const char* suffix : kUnitSuffixes)
    if (name.endswith(suffix) && name.size() > llvm::StringRef(suffix).size())
      return true;
  return false;
}

std::string serviceUnitName(llvm::StringRef label) {
  if (hasUnitSuffix(label)) return label.str();
  return (label + ".service").str();
}

std::string templateOf(llvm::StringRef unit) {
  size_t at = unit.find('@');
  size_t dot = unit.rfind('.');
  if (at == llvm::StringRef::npos || dot == llvm::StringRef::npos || dot < at ||
      dot == at + 1)
    return "";
  return (unit.take_front(at + 1) + unit.drop_front(dot)).str();
}

ListedHostUnits::ListedHostUnits(llvm::ArrayRef<std::string> units,
                                 llvm::ArrayRef<std::string> packages) {
  for (const std::string& u : units) units_.insert(u);
  for (const std::string& p : packages) packages_.insert(p);
}

bool ListedHostUnits::hasPackage(llvm::StringRef package) const {
  return packages_.count(package);
}

bool ListedHostUnits::ships(llvm::StringRef unit) const {
  if (units_.count(unit)) return true;
  std::string tmpl = templateOf(unit);
  return !tmpl.empty() && units_.count(tmpl);
}

namespace {

// Reads the unit directories once, on the first question.
class SystemHostUnits : public HostUnits {
 public:
  bool ships(llvm::StringRef unit) const override {
    if (!listed_) {
      std::vector<std::string> names;
      for (const char* dir :
           {"/usr/lib/systemd/system", "/lib/systemd/system"}) {
        std::error_code ec;
        for (llvm::sys::fs::directory_iterator it(dir, ec), end;
             !ec && it != end; it.increment(ec))
          names.push_back(llvm::sys::path::filename(it->path()).str());
      }
      listed_ = std::make_unique<ListedHostUnits>(names);
    }
    return listed_->ships(unit);
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
  mutable std::unique_ptr<ListedHostUnits> listed_;
};

}  // namespace

std::unique_ptr<HostUnits> systemHostUnits() {
  return std::make_unique<SystemHostUnits>();
}

}  // namespace rig::lint
