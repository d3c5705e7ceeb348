// The builtins of language.md section 7 and the machine operations of
// section 8: parameter names, accepted types and results. Used by the checker
// for arity and literal types, and by the repl for completion.
#ifndef RIG_COMPILER_SEMA_SIGNATURES_H
#define RIG_COMPILER_SEMA_SIGNATURES_H

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/sema/sema.h"
#include "llvm/ADT/StringRef.h"

namespace rig::sema {

using TypeMask = uint32_t;
constexpr TypeMask bit(Type t) { return TypeMask(1) << static_cast<int>(t); }
inline constexpr TypeMask kAny = ~TypeMask(0);
inline constexpr TypeMask kNumber = bit(Type::Int) | bit(Type::Float);
// Timeouts: a duration, or a number of seconds (as in the NixOS driver).
inline constexpr TypeMask kTimeout = bit(Type::Duration) | kNumber;

struct ParamSig {
  const char* name;
  TypeMask types;
  bool required;
  bool regex = false;  // a string literal here must be a valid regex
};

struct Signature {
  const char* name;
  std::vector<ParamSig> params;
  Type result = Type::Unknown;
  // Extra positional arguments are allowed and take the first parameter's
  // types (`succeed(cmd, ...)`).
  bool variadic = false;
};

const Signature* findBuiltin(llvm::StringRef name);
const Signature* findMethod(llvm::StringRef name);
const std::vector<Signature>& builtins();
const std::vector<Signature>& methods();

// "string or list" for messages.
std::string describeMask(TypeMask mask);
// "1 argument", "1 to 3 arguments", "at least 1 argument".
std::string describeArity(const Signature& sig);

}  // namespace rig::sema

#endif
