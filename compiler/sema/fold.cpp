#include "compiler/sema/fold.h"

#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/plan/operators.h"
#include "runtime/plan/url.h"
#include "runtime/support/utf8.h"

namespace rig::sema {

std::optional<Value> foldBuiltin(llvm::StringRef name,
                                 const std::vector<Value>& args,
                                 std::string& error) {
  auto want = [&](size_t i, ValueKind kind) {
    if (args.size() <= i) return false;
    if (args[i].kind() == kind) return true;
    error = fmt::format("`{}` expects {}, got {}", name.str(),
                        kindName(kind).str(), kindName(args[i].kind()).str());
    return false;
  };
  if (name == "str" && args.size() == 1) return Value::string(args[0].str());
  if (name == "len" && args.size() == 1) {
    const Value& v = args[0];
    if (v.kind() == ValueKind::String)
      return Value::integer(int64_t(utf8::codePointCount(v.asString())));
    if (v.kind() == ValueKind::List)
      return Value::integer(int64_t(v.asList().size()));
    if (v.kind() == ValueKind::Object)
      return Value::integer(int64_t(v.asObject().size()));
    error = fmt::format("`len` expects string, list or object, got {}",
                        kindName(v.kind()).str());
    return std::nullopt;
  }
  if (name == "url_encode" && want(0, ValueKind::String))
    return Value::string(plan::urlEncode(args[0].asString()));
  if (name == "trim" && want(0, ValueKind::String))
    return Value::string(llvm::StringRef(args[0].asString()).trim().str());
  if (name == "lines" && want(0, ValueKind::String)) {
    ValueList out;
    llvm::StringRef rest(args[0].asString());
    while (!rest.empty()) {
      auto [line, tail] = rest.split('\n');
      // Without the `\r` of a CRLF line, as at run time.
      if (line.endswith("\r")) line = line.drop_back();
      out.push_back(Value::string(line.str()));
      rest = tail;
    }
    return Value::list(std::move(out));
  }
  if (name == "split" && want(0, ValueKind::String) &&
      want(1, ValueKind::String)) {
    llvm::SmallVector<llvm::StringRef, 8> parts;
    if (args[1].asString().empty()) {
      error = "`split` needs a non-empty separator";
      return std::nullopt;
    }
    llvm::StringRef(args[0].asString()).split(parts, args[1].asString());
    ValueList out;
    for (llvm::StringRef p : parts) out.push_back(Value::string(p.str()));
    return Value::list(std::move(out));
  }
  if (name == "join" && want(0, ValueKind::List) &&
      want(1, ValueKind::String)) {
    std::string out;
    for (size_t i = 0; i < args[0].asList().size(); ++i) {
      if (i) out += args[1].asString();
      out += args[0].asList()[i].str();
    }
    return Value::string(out);
  }
  if (name == "keys" && want(0, ValueKind::Object)) {
    ValueList out;
    for (const auto& [k, v] : args[0].asObject())
      out.push_back(Value::string(k));
    return Value::list(std::move(out));
  }
  if (name == "contains" && args.size() == 2) {
    OperatorResult r = applyBinary("in", args[1], args[0]);
    if (r.ok()) return r.value;
    error = fmt::format("`contains` cannot look for {} in {}",
                        kindName(args[1].kind()).str(),
                        kindName(args[0].kind()).str());
    return std::nullopt;
  }
  if (name == "to_json" && args.size() == 1) {
    std::string out;
    llvm::raw_string_ostream os(out);
    os << args[0].toJSON();
    return Value::string(os.str());
  }
  if (name == "matches" && want(0, ValueKind::String) &&
      want(1, ValueKind::String)) {
    OperatorResult r = applyBinary("=~", args[0], args[1]);
    if (r.ok()) return r.value;
    error = r.message;
    return std::nullopt;
  }
  return std::nullopt;
}

Value sampleOf(Type type) {
  switch (type) {
    case Type::Unknown: return Value();
    case Type::Null: return Value();
    case Type::Bool: return Value::boolean(true);
    case Type::Int: return Value::integer(7);
    case Type::Float: return Value::floating(7.5);
    case Type::String: return Value::string("s");
    case Type::Duration: return Value::duration(7000);
    case Type::Size: return Value::size(7 << 20);
    case Type::List: return Value::list({});
    case Type::Object: return Value::object({});
    case Type::Machine: return Value::machine("m");
  }
  return Value();
}

Type typeOf(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Null: return Type::Null;
    case ValueKind::Bool: return Type::Bool;
    case ValueKind::Int: return Type::Int;
    case ValueKind::Float: return Type::Float;
    case ValueKind::String: return Type::String;
    case ValueKind::Duration: return Type::Duration;
    case ValueKind::Size: return Type::Size;
    case ValueKind::List: return Type::List;
    case ValueKind::Object: return Type::Object;
    case ValueKind::Machine: return Type::Machine;
  }
  return Type::Unknown;
}

}  // namespace rig::sema
