#include "runtime/plan/signatures.h"

#include <array>

#include "fmt/format.h"

namespace rig::plan {
namespace {

// Each entry's parameters, as one array per entry.
#define RIG_PARAM(name, types, def) \
  ParamSig { #name, types, def }
#define RIG_BUILTIN(name, result, flags, doc, ...)                        \
  constexpr ParamSig builtinParams_##name[] = {__VA_ARGS__ __VA_OPT__(, ) \
                                                   ParamSig{}};
#define RIG_OPERATION(name, result, backends, flags, doc, ...)              \
  constexpr ParamSig operationParams_##name[] = {__VA_ARGS__ __VA_OPT__(, ) \
                                                     ParamSig{}};
#include "runtime/plan/builtins.def"
#include "runtime/plan/operations.def"
#undef RIG_BUILTIN
#undef RIG_OPERATION

// Every array ends with an empty ParamSig (an array cannot be empty); the
// span leaves it out.
template <size_t N>
constexpr std::span<const ParamSig> paramsOf(const ParamSig (&params)[N]) {
  return std::span<const ParamSig>(params, N - 1);
}

#define RIG_BUILTIN(name, result, flags, doc, ...) \
  Signature{CallableKind::Builtin,                 \
            #name,                                 \
            result,                                \
            0,                                     \
            ((flags)&kVariadic) != 0,              \
            doc,                                   \
            paramsOf(builtinParams_##name),        \
            0},
#define RIG_OPERATION(name, result, backends, flags, doc, ...) \
  Signature{CallableKind::Operation,                           \
            #name,                                             \
            result,                                            \
            backends,                                          \
            ((flags)&kVariadic) != 0,                          \
            doc,                                               \
            paramsOf(operationParams_##name),                  \
            0},
std::array kBuiltins = {
#include "runtime/plan/builtins.def"
};
std::array kOperations = {
#include "runtime/plan/operations.def"
};
#undef RIG_BUILTIN
#undef RIG_OPERATION
#undef RIG_PARAM

template <size_t N>
std::span<const Signature> indexed(std::array<Signature, N>& table) {
  static bool done = [&] {
    for (size_t i = 0; i < N; ++i) table[i].index = i;
    return true;
  }();
  (void)done;
  return table;
}

const Signature* find(std::span<const Signature> table, llvm::StringRef name) {
  for (const Signature& s : table)
    if (name == s.name) return &s;
  return nullptr;
}

}  // namespace

std::span<const Signature> builtins() { return indexed(kBuiltins); }
std::span<const Signature> operations() { return indexed(kOperations); }
const Signature* findBuiltin(llvm::StringRef name) {
  return find(builtins(), name);
}
const Signature* findOperation(llvm::StringRef name) {
  return find(operations(), name);
}

size_t Signature::requiredCount() const {
  size_t n = 0;
  for (const ParamSig& p : params) n += p.required();
  return n;
}

std::optional<Value> defaultValue(const ParamSig& param) {
  const Default& d = param.defaultValue;
  switch (d.kind) {
    case DefaultKind::Required:
    case DefaultKind::Absent: return std::nullopt;
    case DefaultKind::Null: return Value();
    case DefaultKind::Bool: return Value::boolean(d.number != 0);
    case DefaultKind::Int: return Value::integer(d.number);
    case DefaultKind::String: return Value::string(d.text);
    case DefaultKind::EmptyList: return Value::list({});
    case DefaultKind::EmptyObject: return Value::object({});
  }
  return std::nullopt;
}

std::string describeTypes(TypeMask mask) {
  mask &= kKinds;
  if (mask == kTimeout) return "a duration";
  if (mask == kAny) return "any value";
  std::vector<std::string> names;
  for (int k = 0; k < 10; ++k)
    if (mask & (TypeMask(1) << k))
      names.push_back(kindName(static_cast<ValueKind>(k)).str());
  if (names.empty()) return "nothing";
  std::string out = names[0];
  for (size_t i = 1; i < names.size(); ++i)
    out += (i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

std::string describeArity(std::span<const ParamSig> params, bool variadic) {
  size_t min = 0;
  for (const ParamSig& p : params) min += p.required();
  size_t max = params.size();
  auto args = [](size_t n) {
    return fmt::format("{} argument{}", n, n == 1 ? "" : "s");
  };
  if (variadic) return "at least " + args(min);
  if (min == max) return args(min);
  return fmt::format("{} to {}", min, args(max));
}

}  // namespace rig::plan
