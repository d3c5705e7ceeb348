// Compile-time evaluation of operators and pure builtins. Mirrors the
// runtime's semantics (runtime/exec/operators.cpp, builtins.cpp): int op int
// stays int and `/` truncates, a float on either side gives a float,
// durations and sizes scale by numbers, `+` concatenates strings and lists
// and merges objects.
#ifndef RIG_COMPILER_SEMA_FOLD_H
#define RIG_COMPILER_SEMA_FOLD_H

#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/sema.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/plan/value.h"

namespace rig::sema {

// The result, or std::nullopt with `error` set ("division by zero",
// "`+` does not apply to int and string").
std::optional<Value> foldUnary(llvm::StringRef op, const Value& v,
                               std::string& error);
std::optional<Value> foldBinary(llvm::StringRef op, const Value& l,
                                const Value& r, std::string& error);
// Pure builtins (len, str, trim, ...); std::nullopt with an empty error when
// the builtin is not folded at compile time (json of a runtime value, log...).
std::optional<Value> foldBuiltin(llvm::StringRef name,
                                 const std::vector<Value>& args,
                                 std::string& error);

// A representative value of a type, to infer the result type of an operator
// whose operands are known only by type. Null for Unknown.
Value sampleOf(Type type);

// An error message when `pattern` is not a valid ECMAScript regex.
std::optional<std::string> regexError(const std::string& pattern);

}  // namespace rig::sema

#endif
