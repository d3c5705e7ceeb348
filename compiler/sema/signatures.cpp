#include "compiler/sema/signatures.h"

#include <fmt/format.h>

namespace rig::sema {

namespace {

constexpr TypeMask kString = bit(Type::String);
constexpr TypeMask kList = bit(Type::List);
constexpr TypeMask kObject = bit(Type::Object);

ParamSig req(const char* name, TypeMask types) { return {name, types, true}; }
ParamSig opt(const char* name, TypeMask types) { return {name, types, false}; }
ParamSig regex(const char* name) { return {name, kString, true, true}; }

}  // namespace

const std::vector<Signature>& builtins() {
  static const std::vector<Signature> kBuiltins = {
      {"json", {req("s", kString)}, Type::Unknown},
      {"to_json", {req("v", kAny)}, Type::String},
      {"len", {req("x", kString | kList | kObject)}, Type::Int},
      {"str", {req("x", kAny)}, Type::String},
      {"int", {req("s", kString | kNumber)}, Type::Int},
      {"float", {req("s", kString | kNumber)}, Type::Float},
      {"trim", {req("s", kString)}, Type::String},
      {"lines", {req("s", kString)}, Type::List},
      {"split", {req("s", kString), req("sep", kString)}, Type::List},
      {"join", {req("list", kList), req("sep", kString)}, Type::String},
      {"keys", {req("o", kObject)}, Type::List},
      {"contains", {req("a", kString | kList | kObject), req("b", kAny)},
       Type::Bool},
      {"matches", {req("s", kString), regex("re")}, Type::Bool},
      {"sleep", {req("d", kTimeout)}, Type::Null},
      {"log", {req("msg", kAny)}, Type::Null},
      {"fail", {req("msg", kAny)}, Type::Null},
      {"start_all", {}, Type::Null},
      {"join_all", {}, Type::Null},
  };
  return kBuiltins;
}

const std::vector<Signature>& methods() {
  static const std::vector<Signature> kMethods = {
      {"start", {}, Type::Null},
      {"shutdown", {}, Type::Null},
      {"crash", {}, Type::Null},
      {"reboot", {}, Type::Null},
      {"wait_for_shutdown", {opt("timeout", kTimeout)}, Type::Null},
      {"succeed", {req("cmd", kString), opt("timeout", kTimeout)}, Type::String,
       true},
      {"fail", {req("cmd", kString), opt("timeout", kTimeout)}, Type::String,
       true},
      {"execute", {req("cmd", kString), opt("timeout", kTimeout)},
       Type::Object},
      {"wait_until_succeeds", {req("cmd", kString), opt("timeout", kTimeout)},
       Type::String},
      {"wait_until_fails", {req("cmd", kString), opt("timeout", kTimeout)},
       Type::String},
      {"wait_for_unit", {req("unit", kString), opt("timeout", kTimeout)},
       Type::Null},
      {"require_unit_state", {req("unit", kString), opt("state", kString)},
       Type::Null},
      {"get_unit_info", {req("unit", kString)}, Type::Object},
      {"systemctl", {req("args", kString)}, Type::Object},
      {"start_job", {req("unit", kString)}, Type::Object},
      {"stop_job", {req("unit", kString)}, Type::Object},
      {"wait_for_open_port",
       {req("port", bit(Type::Int)), opt("addr", kString),
        opt("timeout", kTimeout)},
       Type::Null},
      {"wait_for_closed_port",
       {req("port", bit(Type::Int)), opt("addr", kString),
        opt("timeout", kTimeout)},
       Type::Null},
      {"wait_for_open_unix_socket",
       {req("path", kString), opt("timeout", kTimeout)}, Type::Null},
      {"wait_for_file", {req("path", kString), opt("timeout", kTimeout)},
       Type::Null},
      {"wait_for_console_text", {regex("regex"), opt("timeout", kTimeout)},
       Type::String},
      {"http",
       {req("method", kString), req("url", kString), opt("body", kAny),
        opt("headers", kObject), opt("timeout", kTimeout)},
       Type::Object},
      {"copy_from_host", {req("host_path", kString), req("guest_path", kString)},
       Type::Null},
      {"copy_to_host", {req("guest_path", kString), req("host_path", kString)},
       Type::Null},
      {"block", {}, Type::Null},
      {"unblock", {}, Type::Null},
      {"send_monitor_command", {req("cmd", kString)}, Type::String},
      {"shell", {}, Type::Null},
  };
  return kMethods;
}

const Signature* findBuiltin(llvm::StringRef name) {
  for (const Signature& s : builtins())
    if (name == s.name) return &s;
  return nullptr;
}

const Signature* findMethod(llvm::StringRef name) {
  for (const Signature& s : methods())
    if (name == s.name) return &s;
  return nullptr;
}

std::vector<llvm::StringRef> machineOperations() {
  std::vector<llvm::StringRef> out;
  for (const Signature& s : methods()) out.push_back(s.name);
  return out;
}

std::vector<llvm::StringRef> builtinFunctions() {
  std::vector<llvm::StringRef> out;
  for (const Signature& s : builtins()) out.push_back(s.name);
  return out;
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

std::string describeMask(TypeMask mask) {
  if (mask == kTimeout) return "a duration";
  std::vector<std::string> names;
  for (int t = static_cast<int>(Type::Null); t <= static_cast<int>(Type::Machine);
       ++t)
    if (mask & (TypeMask(1) << t))
      names.push_back(typeName(static_cast<Type>(t)).str());
  if (names.empty()) return "nothing";
  std::string out = names[0];
  for (size_t i = 1; i < names.size(); ++i)
    out += (i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

std::string describeArity(const Signature& sig) {
  size_t min = 0;
  for (const ParamSig& p : sig.params) min += p.required;
  size_t max = sig.params.size();
  auto args = [](size_t n) {
    return fmt::format("{} argument{}", n, n == 1 ? "" : "s");
  };
  if (sig.variadic) return "at least " + args(min);
  if (min == max) return args(min);
  return fmt::format("{} to {}", min, args(max));
}

}  // namespace rig::sema
