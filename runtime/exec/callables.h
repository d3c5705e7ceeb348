// The implementations of the builtins and machine operations declared in
// runtime/plan/builtins.def and operations.def: one function each,
// `builtin_NAME` (builtins*.cpp) and `operation_NAME` (ops_*.cpp), found by
// the table's index (Signature::index), which resolveCalls set on every call
// when the plan was loaded. A .def entry without its function does not link.
// Internal to rig_exec.
#ifndef RIG_RUNTIME_EXEC_CALLABLES_H
#define RIG_RUNTIME_EXEC_CALLABLES_H

#include <optional>
#include <string>
#include <vector>

#include "runtime/exec/nodes.h"
#include "runtime/plan/signatures.h"

namespace rig::exec {

// Arguments of a builtin or machine operation after evaluation: params[i]
// is the signature's parameter i (nullopt: absent), `rest` the extra
// positional arguments of a variadic one (lowering put them in order).
struct BoundArgs {
  std::vector<std::optional<Value>> params;
  std::vector<Value> rest;
  const Value* get(size_t i) const {
    return i < params.size() && params[i] ? &*params[i] : nullptr;
  }
};

// One call of a builtin or operation: what it may use.
struct Call {
  Nodes& nodes;
  const plan::Signature& sig;
  BoundArgs args;
  std::string machine;  // an operation's node; "" for a builtin
  std::string callee;   // "json", "server.succeed": for messages

  const Value* get(size_t i) const { return args.get(i); }
  // Parameter i, which the checker made sure is given (fails otherwise).
  const Value& required(size_t i) const;
  const std::string& string(size_t i) const;
  int64_t integer(size_t i) const;
  // A timeout parameter: a duration or seconds; absent = the wait timeout.
  double timeoutMs(size_t i) const;
};

using Implementation = Value (*)(Call&);

#define RIG_PARAM(...)
#define RIG_BUILTIN(name, ...) Value builtin_##name(Call&);
#define RIG_OPERATION(name, ...) Value operation_##name(Call&);
#include "runtime/plan/builtins.def"
#include "runtime/plan/operations.def"
#undef RIG_BUILTIN
#undef RIG_OPERATION
#undef RIG_PARAM

// By Signature::index.
Implementation builtinImplementation(const plan::Signature& sig);
Implementation operationImplementation(const plan::Signature& sig);

}  // namespace rig::exec

#endif
