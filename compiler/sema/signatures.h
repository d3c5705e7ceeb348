// The checker's view of a callee's signature: the builtins and machine
// operations come from runtime/plan/signatures.h (the one table), a fn's from
// its declaration. Sema's Type and the table's masks are bridged here.
#ifndef RIG_COMPILER_SEMA_SIGNATURES_H
#define RIG_COMPILER_SEMA_SIGNATURES_H

#include <span>
#include <string>
#include <vector>

#include "compiler/sema/sema.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/plan/signatures.h"

namespace rig::sema {

using plan::ParamSig;
using plan::TypeMask;

struct Signature {
  const char* name = "";
  std::span<const ParamSig> params;
  Type result = Type::Unknown;
  bool variadic = false;
  const plan::Signature* entry = nullptr;  // null for a fn
};

// A builtin or operation of the table, or nullptr.
std::optional<Signature> findBuiltin(llvm::StringRef name);
std::optional<Signature> findMethod(llvm::StringRef name);

// Whether a value of `type` fits `mask` (Unknown fits everything).
bool accepts(TypeMask mask, Type type);

}  // namespace rig::sema

#endif
