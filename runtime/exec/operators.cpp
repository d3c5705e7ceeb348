// The interpreter's side of the operators: their semantics are
// runtime/plan/operators.h's (shared with the compiler's constant folding);
// here a result that is not a value becomes a Failure that shows the values.
#include "runtime/plan/operators.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

Value evalUnary(llvm::StringRef op, const Value& v) {
  OperatorResult r = applyUnary(op, v);
  if (r.ok()) return r.value;
  if (r.fault == OperatorResult::Fault::Evaluation) failf("{}", r.message);
  failf("operator `{}` cannot be applied to {} ({})", op.str(),
        kindName(v.kind()).str(), shortRepr(v, 80));
}

Value evalBinary(llvm::StringRef op, const Value& l, const Value& r) {
  OperatorResult result = applyBinary(op, l, r);
  if (result.ok()) return result.value;
  if (result.fault == OperatorResult::Fault::Evaluation)
    failf("{}", result.message);
  // `in` reads needle-then-haystack; every operator shows its operands in
  // source order.
  failf("operator `{}` cannot be applied to {} and {} ({} {} {})", op.str(),
        kindName(l.kind()).str(), kindName(r.kind()).str(), shortRepr(l, 80),
        op.str(), shortRepr(r, 80));
}

bool valueContains(const Value& haystack, const Value& needle,
                   llvm::StringRef callee) {
  OperatorResult r = applyBinary("in", needle, haystack);
  if (r.ok()) return r.value.asBool();
  failf("`{}` cannot look for {} in {} ({} in {})", callee.str(),
        kindName(needle.kind()).str(), kindName(haystack.kind()).str(),
        shortRepr(needle, 80), shortRepr(haystack, 80));
}

}  // namespace rig::exec
