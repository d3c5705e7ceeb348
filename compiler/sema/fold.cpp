#include "compiler/sema/fold.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>

#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::sema {

namespace {

std::string typeError(llvm::StringRef op, const Value& l, const Value& r) {
  return fmt::format("`{}` does not apply to {} and {}", op.str(),
                     kindName(l.kind()).str(), kindName(r.kind()).str());
}

std::optional<Value> intArith(llvm::StringRef op, int64_t a, int64_t b,
                              std::string& error) {
  int64_t out = 0;
  bool overflow = false;
  if (op == "+") overflow = __builtin_add_overflow(a, b, &out);
  else if (op == "-") overflow = __builtin_sub_overflow(a, b, &out);
  else if (op == "*") overflow = __builtin_mul_overflow(a, b, &out);
  else {
    if (b == 0) {
      error = op == "/" ? "division by zero" : "modulo by zero";
      return std::nullopt;
    }
    if (a == std::numeric_limits<int64_t>::min() && b == -1) overflow = true;
    else out = op == "/" ? a / b : a % b;
  }
  if (overflow) {
    error = fmt::format("integer overflow in `{}`", op.str());
    return std::nullopt;
  }
  return Value::integer(out);
}

std::optional<Value> arithmetic(llvm::StringRef op, const Value& l,
                                const Value& r, std::string& error) {
  ValueKind lk = l.kind(), rk = r.kind();
  if (lk == ValueKind::Int && rk == ValueKind::Int)
    return intArith(op, l.asInt(), r.asInt(), error);
  if (l.isNumber() && r.isNumber()) {
    double a = l.asNumber(), b = r.asNumber();
    if (op == "+") return Value::floating(a + b);
    if (op == "-") return Value::floating(a - b);
    if (op == "*") return Value::floating(a * b);
    if (b == 0) {
      error = op == "/" ? "division by zero" : "modulo by zero";
      return std::nullopt;
    }
    return Value::floating(op == "/" ? a / b : std::fmod(a, b));
  }
  if (op == "+") {
    if (lk == ValueKind::String && rk == ValueKind::String)
      return Value::string(l.asString() + r.asString());
    if (lk == ValueKind::List && rk == ValueKind::List) {
      ValueList items = l.asList();
      items.insert(items.end(), r.asList().begin(), r.asList().end());
      return Value::list(std::move(items));
    }
    if (lk == ValueKind::Object && rk == ValueKind::Object) {
      Value merged = l;
      ValueObject& fields = merged.mutableObject();
      for (const auto& [key, value] : r.asObject()) {
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == key; });
        if (it != fields.end()) it->second = value;
        else fields.emplace_back(key, value);
      }
      return merged;
    }
  }
  auto divZero = [&]() -> std::optional<Value> {
    error = "division by zero";
    return std::nullopt;
  };
  if (lk == ValueKind::Duration && rk == ValueKind::Duration) {
    if (op == "+") return Value::duration(l.asDurationMs() + r.asDurationMs());
    if (op == "-") return Value::duration(l.asDurationMs() - r.asDurationMs());
    if (op == "/") {
      if (r.asDurationMs() == 0) return divZero();
      return Value::floating(l.asDurationMs() / r.asDurationMs());
    }
  }
  if (lk == ValueKind::Duration && r.isNumber()) {
    if (op == "*") return Value::duration(l.asDurationMs() * r.asNumber());
    if (op == "/") {
      if (r.asNumber() == 0) return divZero();
      return Value::duration(l.asDurationMs() / r.asNumber());
    }
  }
  if (l.isNumber() && rk == ValueKind::Duration && op == "*")
    return Value::duration(l.asNumber() * r.asDurationMs());
  if (lk == ValueKind::Size && rk == ValueKind::Size) {
    if (op == "+" || op == "-") {
      auto v = intArith(op, l.asSizeBytes(), r.asSizeBytes(), error);
      if (!v) return std::nullopt;
      return Value::size(v->asInt());
    }
    if (op == "/") {
      if (r.asSizeBytes() == 0) return divZero();
      return Value::floating(double(l.asSizeBytes()) / double(r.asSizeBytes()));
    }
  }
  if ((lk == ValueKind::Size && rk == ValueKind::Int &&
       (op == "*" || op == "/")) ||
      (lk == ValueKind::Int && rk == ValueKind::Size && op == "*")) {
    int64_t a = lk == ValueKind::Size ? l.asSizeBytes() : l.asInt();
    int64_t b = rk == ValueKind::Size ? r.asSizeBytes() : r.asInt();
    auto v = intArith(op, a, b, error);
    if (!v) return std::nullopt;
    return Value::size(v->asInt());
  }
  error = typeError(op, l, r);
  return std::nullopt;
}

std::optional<int> compare(llvm::StringRef op, const Value& l, const Value& r,
                           std::string& error) {
  auto sign = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
  if (l.isNumber() && r.isNumber()) {
    if (l.kind() == ValueKind::Int && r.kind() == ValueKind::Int)
      return sign(l.asInt(), r.asInt());
    return sign(l.asNumber(), r.asNumber());
  }
  if (l.kind() == r.kind()) {
    switch (l.kind()) {
      case ValueKind::String: return sign(l.asString(), r.asString());
      case ValueKind::Duration: return sign(l.asDurationMs(), r.asDurationMs());
      case ValueKind::Size: return sign(l.asSizeBytes(), r.asSizeBytes());
      default: break;
    }
  }
  error = typeError(op, l, r);
  return std::nullopt;
}

std::optional<bool> contains(const Value& haystack, const Value& needle,
                             llvm::StringRef op, std::string& error) {
  switch (haystack.kind()) {
    case ValueKind::List:
      return std::any_of(haystack.asList().begin(), haystack.asList().end(),
                         [&](const Value& v) { return v == needle; });
    case ValueKind::String:
      if (needle.kind() != ValueKind::String) break;
      return llvm::StringRef(haystack.asString()).contains(needle.asString());
    case ValueKind::Object:
      if (needle.kind() != ValueKind::String) break;
      return haystack.field(needle.asString()) != nullptr;
    default: break;
  }
  error = typeError(op, needle, haystack);
  return std::nullopt;
}

}  // namespace

std::optional<Value> foldUnary(llvm::StringRef op, const Value& v,
                               std::string& error) {
  if (op == "not") {
    if (v.kind() == ValueKind::Bool) return Value::boolean(!v.asBool());
  } else if (op == "-") {
    switch (v.kind()) {
      case ValueKind::Int:
        if (v.asInt() == std::numeric_limits<int64_t>::min()) break;
        return Value::integer(-v.asInt());
      case ValueKind::Float: return Value::floating(-v.asFloat());
      case ValueKind::Duration: return Value::duration(-v.asDurationMs());
      default: break;
    }
  }
  error = fmt::format("`{}` does not apply to {}", op.str(),
                      kindName(v.kind()).str());
  return std::nullopt;
}

std::optional<Value> foldBinary(llvm::StringRef op, const Value& l,
                                const Value& r, std::string& error) {
  if (op == "==") return Value::boolean(l == r);
  if (op == "!=") return Value::boolean(l != r);
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    auto c = compare(op, l, r, error);
    if (!c) return std::nullopt;
    bool b = op == "<" ? *c < 0 : op == "<=" ? *c <= 0 : op == ">" ? *c > 0
                                                                  : *c >= 0;
    return Value::boolean(b);
  }
  if (op == "in" || op == "not in") {
    auto c = contains(r, l, op, error);
    if (!c) return std::nullopt;
    return Value::boolean(op == "in" ? *c : !*c);
  }
  if (op == "=~" || op == "!~") {
    if (l.kind() != ValueKind::String || r.kind() != ValueKind::String) {
      error = typeError(op, l, r);
      return std::nullopt;
    }
    if (auto bad = regexError(r.asString())) {
      error = *bad;
      return std::nullopt;
    }
    bool found = std::regex_search(l.asString(),
                                   std::regex(r.asString(), std::regex::ECMAScript));
    return Value::boolean(op == "=~" ? found : !found);
  }
  if (op == "and" || op == "or") {
    if (l.kind() != ValueKind::Bool || r.kind() != ValueKind::Bool) {
      error = typeError(op, l, r);
      return std::nullopt;
    }
    return Value::boolean(op == "and" ? l.asBool() && r.asBool()
                                      : l.asBool() || r.asBool());
  }
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%")
    return arithmetic(op, l, r, error);
  error = fmt::format("unknown operator `{}`", op.str());
  return std::nullopt;
}

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
      return Value::integer(int64_t(v.asString().size()));
    if (v.kind() == ValueKind::List) return Value::integer(int64_t(v.asList().size()));
    if (v.kind() == ValueKind::Object)
      return Value::integer(int64_t(v.asObject().size()));
    error = fmt::format("`len` expects string, list or object, got {}",
                        kindName(v.kind()).str());
    return std::nullopt;
  }
  if (name == "trim" && want(0, ValueKind::String))
    return Value::string(llvm::StringRef(args[0].asString()).trim().str());
  if (name == "lines" && want(0, ValueKind::String)) {
    ValueList out;
    llvm::StringRef rest(args[0].asString());
    while (!rest.empty()) {
      auto [line, tail] = rest.split('\n');
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
  if (name == "join" && want(0, ValueKind::List) && want(1, ValueKind::String)) {
    std::string out;
    for (size_t i = 0; i < args[0].asList().size(); ++i) {
      if (i) out += args[1].asString();
      out += args[0].asList()[i].str();
    }
    return Value::string(out);
  }
  if (name == "keys" && want(0, ValueKind::Object)) {
    ValueList out;
    for (const auto& [k, v] : args[0].asObject()) out.push_back(Value::string(k));
    return Value::list(std::move(out));
  }
  if (name == "contains" && args.size() == 2) {
    auto c = contains(args[0], args[1], "contains", error);
    if (!c) return std::nullopt;
    return Value::boolean(*c);
  }
  if (name == "to_json" && args.size() == 1) {
    std::string out;
    llvm::raw_string_ostream os(out);
    os << args[0].toJSON();
    return Value::string(os.str());
  }
  if (name == "matches" && want(0, ValueKind::String) &&
      want(1, ValueKind::String))
    return foldBinary("=~", args[0], args[1], error);
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

std::optional<std::string> regexError(const std::string& pattern) {
  try {
    std::regex re(pattern, std::regex::ECMAScript);
    (void)re;
    return std::nullopt;
  } catch (const std::regex_error& e) {
    std::string what = e.what();
    if (!what.empty()) what[0] = static_cast<char>(llvm::toLower(what[0]));
    while (!what.empty() && (what.back() == '.' || what.back() == ' '))
      what.pop_back();
    return what;
  }
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
