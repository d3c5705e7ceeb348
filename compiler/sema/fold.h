// Compile-time evaluation of pure builtins, mirroring runtime/exec/
// builtins_values.cpp. Operators are folded with runtime/plan/operators.h, the
// interpreter's own implementation.
#ifndef RIG_COMPILER_SEMA_FOLD_H
#define RIG_COMPILER_SEMA_FOLD_H

#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/sema.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/plan/value.h"

namespace rig::sema {

// Pure builtins (len, str, trim, ...); std::nullopt with an empty error when
// the builtin is not folded at compile time (json of a runtime value, log...).
std::optional<Value> foldBuiltin(llvm::StringRef name,
                                 const std::vector<Value>& args,
                                 std::string& error);

// A representative value of a type, to infer the result type of an operator
// whose operands are known only by type. Null for Unknown.
Value sampleOf(Type type);

}  // namespace rig::sema

#endif
