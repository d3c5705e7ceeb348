// The operators of the language (language.md section 7), in one place for
// the compiler's constant folding (compiler/sema) and the interpreter
// (runtime/exec), so that a folded constant and the same expression at run
// time always agree.
//
// Arithmetic: int op int stays int (overflow is an error, `/` truncates
// toward zero like Nix); a float on either side gives a float. Durations add
// and subtract, scale by a number, divide by a number (a duration) or by a
// duration (a float); sizes likewise with integers. `+` also concatenates
// strings and lists and merges objects (the right side wins). `and`, `or`
// and `not` take truthiness (Value::truthy); the checker allows only
// booleans where it knows the types.
#ifndef RIG_RUNTIME_PLAN_OPERATORS_H
#define RIG_RUNTIME_PLAN_OPERATORS_H

#include <cstdint>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "runtime/plan/value.h"

namespace rig {

struct OperatorResult {
  enum class Fault : uint8_t {
    None,
    OperandKinds,  // the operator does not apply to these kinds of value
    Evaluation,  // it does, but not to these values: overflow, `/ 0`, a bad regex
  };
  Value value;  // when fault is None
  Fault fault = Fault::None;
  std::string message;  // Evaluation: what went wrong ("division by zero")

  bool ok() const { return fault == Fault::None; }
};

OperatorResult applyUnary(llvm::StringRef op, const Value& operand);
OperatorResult applyBinary(llvm::StringRef op, const Value& left,
                           const Value& right);

// `==` `!=` `<` `<=` `>` `>=` `in` `not in` `=~` `!~`: what `expect` shows
// both sides of.
bool isComparison(llvm::StringRef op);

}  // namespace rig

#endif
