#include "compiler/lint/units.h"

#include "llvm/ADT/Twine.h"

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

}  // namespace rig::lint
