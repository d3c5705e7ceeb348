#include "runtime/exec/callables.h"

#include <iterator>

#include "runtime/exec/interpreter.h"

namespace rig::exec {
namespace {

// In the order of the .def files, which is the order of the table.
#define RIG_PARAM(...)
#define RIG_BUILTIN(name, ...) &builtin_##name,
#define RIG_OPERATION(name, ...) &operation_##name,
const Implementation kBuiltins[] = {
#include "runtime/plan/builtins.def"
};
const Implementation kOperations[] = {
#include "runtime/plan/operations.def"
};
#undef RIG_BUILTIN
#undef RIG_OPERATION
#undef RIG_PARAM

}  // namespace

Implementation builtinImplementation(const plan::Signature& sig) {
  return kBuiltins[sig.index];
}

Implementation operationImplementation(const plan::Signature& sig) {
  return kOperations[sig.index];
}

const Value& Call::required(size_t i) const {
  if (const Value* v = get(i)) return *v;
  // The checker and resolveCalls make sure of it; a hand-made plan may not.
  failf("`{}` needs `{}`", callee, sig.params[i].name);
}

const std::string& Call::string(size_t i) const {
  return wantString(callee, sig.params[i].name, required(i));
}

int64_t Call::integer(size_t i) const {
  return wantInt(callee, sig.params[i].name, required(i));
}

double Call::timeoutMs(size_t i) const {
  if (const Value* v = get(i))
    return wantDurationMs(callee, sig.params[i].name, *v);
  return nodes.waitTimeoutMs();
}

}  // namespace rig::exec
