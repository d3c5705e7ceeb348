// systemd unit names as the rules compare them.
#ifndef RIG_COMPILER_LINT_UNITS_H
#define RIG_COMPILER_LINT_UNITS_H

#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::lint {

// True when `name` ends in a systemd unit type (`.service`, `.target`, ...).
bool hasUnitSuffix(llvm::StringRef name);

// `service "todo-api"` declares `todo-api.service`.
std::string serviceUnitName(llvm::StringRef label);

// What systemctl makes of a name given to `wait_for_unit`: `nginx` means
// `nginx.service`.
inline std::string fullUnitName(llvm::StringRef name) {
  return serviceUnitName(name);
}

// `getty@tty1.service` is an instance of the template `getty@.service`;
// "" for a name that is not an instance.
std::string templateOf(llvm::StringRef unit);

}  // namespace rig::lint

#endif
