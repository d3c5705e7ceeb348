// The one declaration of every builtin function and machine operation
// (builtins.def, operations.def): names, parameters with their types and
// defaults, result, backends and documentation. The checker, lowering, the
// interpreter, the repl's completion and docs/language.md all read it.
#ifndef RIG_RUNTIME_PLAN_SIGNATURES_H
#define RIG_RUNTIME_PLAN_SIGNATURES_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "runtime/plan/value.h"
#include "runtime/protocol/wire.h"

namespace rig::plan {

// The range of `max_output` on a command (and in rig.toml): what the
// guest agent accepts.
inline constexpr uint64_t kMinOutputBytes = protocol::kMinOutputLimit;
inline constexpr uint64_t kMaxOutputBytes = protocol::kMaxOutputLimit;

// A set of value kinds, one bit per ValueKind, plus kRegex.
using TypeMask = uint32_t;
constexpr TypeMask kindBit(ValueKind k) {
  return TypeMask(1) << static_cast<int>(k);
}
inline constexpr TypeMask kNull = kindBit(ValueKind::Null);
inline constexpr TypeMask kBool = kindBit(ValueKind::Bool);
inline constexpr TypeMask kInt = kindBit(ValueKind::Int);
inline constexpr TypeMask kFloat = kindBit(ValueKind::Float);
inline constexpr TypeMask kString = kindBit(ValueKind::String);
inline constexpr TypeMask kDuration = kindBit(ValueKind::Duration);
inline constexpr TypeMask kSize = kindBit(ValueKind::Size);
inline constexpr TypeMask kList = kindBit(ValueKind::List);
inline constexpr TypeMask kObject = kindBit(ValueKind::Object);
inline constexpr TypeMask kMachine = kindBit(ValueKind::Machine);
inline constexpr TypeMask kKinds = (TypeMask(1) << 10) - 1;
inline constexpr TypeMask kAny = kKinds;
inline constexpr TypeMask kNumber = kInt | kFloat;
// Timeouts: a duration, or a number of seconds (as in the NixOS driver).
inline constexpr TypeMask kTimeout = kDuration | kNumber;
// Not a kind: a string literal given here must be a valid regex.
inline constexpr TypeMask kRegex = TypeMask(1) << 20;

// What a parameter is when the call does not give it.
enum class DefaultKind : uint8_t {
  Required,  // the call must give it
  Absent,    // optional: the implementation decides (a timeout: rig.toml)
  Null,
  Bool,
  Int,
  String,
  EmptyList,
  EmptyObject,
};

struct Default {
  DefaultKind kind = DefaultKind::Required;
  const char* text = "";
  int64_t number = 0;
};
inline constexpr Default kRequired{DefaultKind::Required};
inline constexpr Default kAbsent{DefaultKind::Absent};
inline constexpr Default kDefaultNull{DefaultKind::Null};
inline constexpr Default kDefaultEmptyList{DefaultKind::EmptyList};
inline constexpr Default kDefaultEmptyObject{DefaultKind::EmptyObject};
constexpr Default defaultString(const char* s) {
  return {DefaultKind::String, s, 0};
}
constexpr Default defaultInt(int64_t n) { return {DefaultKind::Int, "", n}; }
constexpr Default defaultBool(bool b) { return {DefaultKind::Bool, "", b}; }

struct ParamSig {
  const char* name;
  TypeMask types;
  Default defaultValue;
  bool required() const { return defaultValue.kind == DefaultKind::Required; }
  bool regex() const { return types & kRegex; }
};

// The kinds of node an operation runs on.
using Backends = uint8_t;
inline constexpr Backends kVm = 1;
inline constexpr Backends kContainer = 2;

inline constexpr uint8_t kVariadic = 1;

enum class CallableKind : uint8_t { Builtin, Operation };

struct Signature {
  CallableKind kind;
  const char* name;
  TypeMask result;    // kAny: not known before run time
  Backends backends;  // operations only
  bool variadic;      // extra positional arguments follow the parameters
  const char* doc;
  std::span<const ParamSig> params;
  size_t index;  // in builtins() or operations()

  size_t requiredCount() const;
  // `m.wait_for_unit(unit: string, timeout?: duration)`, for docs and hover.
  std::string display() const;
  // `doc`, and for an operation that only VMs support, saying so (docs and
  // hover).
  std::string documentation() const;
};

// `timeout?: duration`, `lines: int = 10`: one parameter as display() shows
// it (signature help labels its parameters with it).
std::string paramDisplay(const ParamSig& param);

std::span<const Signature> builtins();
std::span<const Signature> operations();
const Signature* findBuiltin(llvm::StringRef name);
const Signature* findOperation(llvm::StringRef name);

// The value of a parameter's default; nullopt for Required and Absent.
std::optional<Value> defaultValue(const ParamSig& param);
// "string or list", "a duration" for messages and docs.
std::string describeTypes(TypeMask mask);
// "1 argument", "1 to 3 arguments", "at least 1 argument".
std::string describeArity(std::span<const ParamSig> params, bool variadic);

// The markdown section of docs/language.md that lists every builtin and
// operation (scripts/gen-signatures-doc writes it; a test checks it).
std::string signaturesMarkdown();

}  // namespace rig::plan

#endif
