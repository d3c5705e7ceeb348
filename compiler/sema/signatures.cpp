#include "compiler/sema/signatures.h"

#include "compiler/sema/fold.h"

namespace rig::sema {

namespace {

Type resultType(TypeMask mask) {
  mask &= plan::kKinds;
  for (int k = 0; k < 10; ++k)
    if (mask == (TypeMask(1) << k)) return static_cast<Type>(k + 1);
  return Type::Unknown;
}

std::optional<Signature> fromTable(const plan::Signature* entry) {
  if (!entry) return std::nullopt;
  Signature sig;
  sig.name = entry->name;
  sig.params = entry->params;
  sig.result = resultType(entry->result);
  sig.variadic = entry->variadic;
  sig.entry = entry;
  return sig;
}

}  // namespace

std::optional<Signature> findBuiltin(llvm::StringRef name) {
  return fromTable(plan::findBuiltin(name));
}

std::optional<Signature> findMethod(llvm::StringRef name) {
  return fromTable(plan::findOperation(name));
}

bool accepts(TypeMask mask, Type type) {
  if (type == Type::Unknown) return true;
  return mask & (TypeMask(1) << (static_cast<int>(type) - 1));
}

llvm::StringRef typeName(Type type) {
  switch (type) {
    case Type::Unknown: return "a value";
    case Type::Null: return "null";
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Float: return "float";
    case Type::String: return "string";
    case Type::Duration: return "duration";
    case Type::Size: return "size";
    case Type::List: return "list";
    case Type::Object: return "object";
    case Type::Machine: return "machine";
  }
  return "a value";
}

}  // namespace rig::sema
