#include "runtime/plan/operators.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "runtime/plan/regex.h"

namespace rig {
namespace {

using Fault = OperatorResult::Fault;

OperatorResult ok(Value v) { return {std::move(v), Fault::None, ""}; }
OperatorResult kinds() { return {Value(), Fault::OperandKinds, ""}; }
OperatorResult evaluation(std::string message) {
  return {Value(), Fault::Evaluation, std::move(message)};
}
OperatorResult divisionByZero(llvm::StringRef op) {
  return evaluation(op == "%" ? "modulo by zero" : "division by zero");
}
OperatorResult overflow(llvm::StringRef op) {
  return evaluation(fmt::format("integer overflow in `{}`", op.str()));
}

OperatorResult intArith(llvm::StringRef op, int64_t a, int64_t b) {
  int64_t out = 0;
  if (op == "+" || op == "-" || op == "*") {
    bool over = op == "+"   ? __builtin_add_overflow(a, b, &out)
                : op == "-" ? __builtin_sub_overflow(a, b, &out)
                            : __builtin_mul_overflow(a, b, &out);
    if (over) return overflow(op);
    return ok(Value::integer(out));
  }
  if (b == 0) return divisionByZero(op);
  if (a == std::numeric_limits<int64_t>::min() && b == -1) return overflow(op);
  return ok(Value::integer(op == "/" ? a / b : a % b));
}

OperatorResult floatArith(llvm::StringRef op, double a, double b) {
  if (op == "+") return ok(Value::floating(a + b));
  if (op == "-") return ok(Value::floating(a - b));
  if (op == "*") return ok(Value::floating(a * b));
  if (b == 0) return divisionByZero(op);
  return ok(Value::floating(op == "/" ? a / b : std::fmod(a, b)));
}

// An integer result that is a size.
OperatorResult sizeArith(llvm::StringRef op, int64_t a, int64_t b) {
  OperatorResult r = intArith(op, a, b);
  if (r.ok()) r.value = Value::size(r.value.asInt());
  return r;
}

Value merge(const Value& l, const Value& r) {
  Value merged = l;
  ValueObject& fields = merged.mutableObject();
  for (const auto& [key, value] : r.asObject()) {
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const auto& f) { return f.first == key; });
    if (it != fields.end())
      it->second = value;
    else
      fields.emplace_back(key, value);
  }
  return merged;
}

OperatorResult arithmetic(llvm::StringRef op, const Value& l, const Value& r) {
  ValueKind lk = l.kind(), rk = r.kind();
  if (lk == ValueKind::Int && rk == ValueKind::Int)
    return intArith(op, l.asInt(), r.asInt());
  if (l.isNumber() && r.isNumber())
    return floatArith(op, l.asNumber(), r.asNumber());

  if (op == "+") {
    if (lk == ValueKind::String && rk == ValueKind::String)
      return ok(Value::string(l.asString() + r.asString()));
    if (lk == ValueKind::List && rk == ValueKind::List) {
      ValueList items = l.asList();
      items.insert(items.end(), r.asList().begin(), r.asList().end());
      return ok(Value::list(std::move(items)));
    }
    if (lk == ValueKind::Object && rk == ValueKind::Object)
      return ok(merge(l, r));
  }

  if (lk == ValueKind::Duration && rk == ValueKind::Duration) {
    double a = l.asDurationMs(), b = r.asDurationMs();
    if (op == "+") return ok(Value::duration(a + b));
    if (op == "-") return ok(Value::duration(a - b));
    if (op == "/") {
      if (b == 0) return divisionByZero(op);
      return ok(Value::floating(a / b));
    }
  }
  if (lk == ValueKind::Duration && r.isNumber()) {
    if (op == "*") return ok(Value::duration(l.asDurationMs() * r.asNumber()));
    if (op == "/") {
      if (r.asNumber() == 0) return divisionByZero(op);
      return ok(Value::duration(l.asDurationMs() / r.asNumber()));
    }
  }
  if (l.isNumber() && rk == ValueKind::Duration && op == "*")
    return ok(Value::duration(l.asNumber() * r.asDurationMs()));

  if (lk == ValueKind::Size && rk == ValueKind::Size) {
    if (op == "+" || op == "-")
      return sizeArith(op, l.asSizeBytes(), r.asSizeBytes());
    if (op == "/") {
      if (r.asSizeBytes() == 0) return divisionByZero(op);
      return ok(
          Value::floating(double(l.asSizeBytes()) / double(r.asSizeBytes())));
    }
  }
  if (lk == ValueKind::Size && rk == ValueKind::Int && (op == "*" || op == "/"))
    return sizeArith(op, l.asSizeBytes(), r.asInt());
  if (lk == ValueKind::Int && rk == ValueKind::Size && op == "*")
    return sizeArith(op, l.asInt(), r.asSizeBytes());
  return kinds();
}

// -1, 0 or 1; std::nullopt for values without an order between them.
std::optional<int> compare(const Value& l, const Value& r) {
  auto sign = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
  if (l.isNumber() && r.isNumber()) {
    if (l.kind() == ValueKind::Int && r.kind() == ValueKind::Int)
      return sign(l.asInt(), r.asInt());
    return sign(l.asNumber(), r.asNumber());
  }
  if (l.kind() != r.kind()) return std::nullopt;
  switch (l.kind()) {
    case ValueKind::String: return sign(l.asString(), r.asString());
    case ValueKind::Duration: return sign(l.asDurationMs(), r.asDurationMs());
    case ValueKind::Size: return sign(l.asSizeBytes(), r.asSizeBytes());
    default: return std::nullopt;
  }
}

// `needle in haystack`; std::nullopt when `in` does not apply.
std::optional<bool> contains(const Value& haystack, const Value& needle) {
  switch (haystack.kind()) {
    case ValueKind::List:
      return std::any_of(haystack.asList().begin(), haystack.asList().end(),
                         [&](const Value& v) { return v == needle; });
    case ValueKind::String:
      if (needle.kind() != ValueKind::String) return std::nullopt;
      return llvm::StringRef(haystack.asString()).contains(needle.asString());
    case ValueKind::Object:
      if (needle.kind() != ValueKind::String) return std::nullopt;
      return haystack.field(needle.asString()) != nullptr;
    default: return std::nullopt;
  }
}

}  // namespace

bool isComparison(llvm::StringRef op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
         op == ">=" || op == "in" || op == "not in" || op == "=~" || op == "!~";
}

OperatorResult applyUnary(llvm::StringRef op, const Value& v) {
  if (op == "not") return ok(Value::boolean(!v.truthy()));
  if (op != "-") return kinds();
  switch (v.kind()) {
    case ValueKind::Int:
      if (v.asInt() == std::numeric_limits<int64_t>::min()) return overflow(op);
      return ok(Value::integer(-v.asInt()));
    case ValueKind::Float: return ok(Value::floating(-v.asFloat()));
    case ValueKind::Duration: return ok(Value::duration(-v.asDurationMs()));
    default: return kinds();
  }
}

OperatorResult applyBinary(llvm::StringRef op, const Value& l, const Value& r) {
  if (op == "==") return ok(Value::boolean(l == r));
  if (op == "!=") return ok(Value::boolean(l != r));
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    std::optional<int> c = compare(l, r);
    if (!c) return kinds();
    bool b = op == "<"    ? *c < 0
             : op == "<=" ? *c <= 0
             : op == ">"  ? *c > 0
                          : *c >= 0;
    return ok(Value::boolean(b));
  }
  if (op == "in" || op == "not in") {
    std::optional<bool> c = contains(r, l);
    if (!c) return kinds();
    return ok(Value::boolean(op == "in" ? *c : !*c));
  }
  if (op == "=~" || op == "!~") {
    if (l.kind() != ValueKind::String || r.kind() != ValueKind::String)
      return kinds();
    RegexSearch s = regexSearch(r.asString(), l.asString());
    if (!s.error.empty()) return evaluation(s.error);
    return ok(Value::boolean(op == "=~" ? s.found : !s.found));
  }
  if (op == "and") return ok(Value::boolean(l.truthy() && r.truthy()));
  if (op == "or") return ok(Value::boolean(l.truthy() || r.truthy()));
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%")
    return arithmetic(op, l, r);
  return kinds();
}

}  // namespace rig
