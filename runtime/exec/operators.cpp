// Unary and binary operators (language.md section 7).
//
// Arithmetic: int op int stays int (overflow is a failure, `/` truncates
// toward zero like Nix); a float on either side gives a float. Durations add
// and subtract, scale by a number, divide by a number (a duration) or by a
// duration (a float); sizes likewise with integers. `+` also concatenates
// strings and lists and merges objects (the right side wins).
#include <cmath>
#include <limits>

#include "llvm/ADT/StringExtras.h"
#include "runtime/exec/interpreter.h"
#include "runtime/exec/regex.h"

namespace rig::exec {
namespace {

[[noreturn]] void typeError(llvm::StringRef op, const Value& l,
                            const Value& r) {
  failf("operator `{}` cannot be applied to {} and {} ({} {} {})", op.str(),
        kindName(l.kind()).str(), kindName(r.kind()).str(), shortRepr(l, 80),
        op.str(), shortRepr(r, 80));
}

void checkOverflow(llvm::StringRef op, bool overflow) {
  if (overflow) failf("integer overflow in `{}`", op.str());
}

Value intArith(llvm::StringRef op, int64_t a, int64_t b) {
  int64_t out = 0;
  if (op == "+" || op == "-" || op == "*") {
    bool overflow = op == "+"   ? __builtin_add_overflow(a, b, &out)
                    : op == "-" ? __builtin_sub_overflow(a, b, &out)
                                : __builtin_mul_overflow(a, b, &out);
    checkOverflow(op, overflow);
    return Value::integer(out);
  }
  if (b == 0) failf("{} by zero", op == "/" ? "division" : "modulo");
  if (a == std::numeric_limits<int64_t>::min() && b == -1)
    failf("integer overflow in `{}`", op.str());
  return Value::integer(op == "/" ? a / b : a % b);
}

Value floatArith(llvm::StringRef op, double a, double b) {
  if (op == "+") return Value::floating(a + b);
  if (op == "-") return Value::floating(a - b);
  if (op == "*") return Value::floating(a * b);
  if (b == 0) failf("{} by zero", op == "/" ? "division" : "modulo");
  if (op == "/") return Value::floating(a / b);
  return Value::floating(std::fmod(a, b));
}

Value arithmetic(llvm::StringRef op, const Value& l, const Value& r) {
  ValueKind lk = l.kind(), rk = r.kind();
  if (lk == ValueKind::Int && rk == ValueKind::Int)
    return intArith(op, l.asInt(), r.asInt());
  if (l.isNumber() && r.isNumber())
    return floatArith(op, l.asNumber(), r.asNumber());

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
        if (it != fields.end())
          it->second = value;
        else
          fields.emplace_back(key, value);
      }
      return merged;
    }
  }

  // Durations.
  if (lk == ValueKind::Duration && rk == ValueKind::Duration) {
    if (op == "+") return Value::duration(l.asDurationMs() + r.asDurationMs());
    if (op == "-") return Value::duration(l.asDurationMs() - r.asDurationMs());
    if (op == "/") {
      if (r.asDurationMs() == 0) failf("division by zero");
      return Value::floating(l.asDurationMs() / r.asDurationMs());
    }
  }
  if (lk == ValueKind::Duration && r.isNumber()) {
    if (op == "*") return Value::duration(l.asDurationMs() * r.asNumber());
    if (op == "/") {
      if (r.asNumber() == 0) failf("division by zero");
      return Value::duration(l.asDurationMs() / r.asNumber());
    }
  }
  if (l.isNumber() && rk == ValueKind::Duration && op == "*")
    return Value::duration(l.asNumber() * r.asDurationMs());

  // Sizes.
  if (lk == ValueKind::Size && rk == ValueKind::Size) {
    if (op == "+" || op == "-")
      return Value::size(intArith(op, l.asSizeBytes(), r.asSizeBytes()).asInt());
    if (op == "/") {
      if (r.asSizeBytes() == 0) failf("division by zero");
      return Value::floating(double(l.asSizeBytes()) / double(r.asSizeBytes()));
    }
  }
  if (lk == ValueKind::Size && rk == ValueKind::Int && (op == "*" || op == "/"))
    return Value::size(intArith(op, l.asSizeBytes(), r.asInt()).asInt());
  if (lk == ValueKind::Int && rk == ValueKind::Size && op == "*")
    return Value::size(intArith(op, l.asInt(), r.asSizeBytes()).asInt());

  typeError(op, l, r);
}

// -1, 0, 1; fails for values without an order.
int compare(llvm::StringRef op, const Value& l, const Value& r) {
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
  typeError(op, l, r);
}

}  // namespace

bool isComparison(llvm::StringRef op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
         op == ">=" || op == "in" || op == "not in" || op == "=~" ||
         op == "!~";
}

bool valueContains(const Value& haystack, const Value& needle,
                   llvm::StringRef op) {
  switch (haystack.kind()) {
    case ValueKind::List:
      for (const Value& item : haystack.asList())
        if (item == needle) return true;
      return false;
    case ValueKind::String:
      if (needle.kind() != ValueKind::String) typeError(op, needle, haystack);
      return llvm::StringRef(haystack.asString()).contains(needle.asString());
    case ValueKind::Object:
      if (needle.kind() != ValueKind::String) typeError(op, needle, haystack);
      return haystack.field(needle.asString()) != nullptr;
    default:
      typeError(op, needle, haystack);
  }
}

Value applyUnary(llvm::StringRef op, const Value& v) {
  if (op == "not") return Value::boolean(!v.truthy());
  if (op == "-") {
    switch (v.kind()) {
      case ValueKind::Int:
        if (v.asInt() == std::numeric_limits<int64_t>::min())
          failf("integer overflow in `-`");
        return Value::integer(-v.asInt());
      case ValueKind::Float: return Value::floating(-v.asFloat());
      case ValueKind::Duration: return Value::duration(-v.asDurationMs());
      default: break;
    }
  }
  failf("operator `{}` cannot be applied to {} ({})", op.str(),
        kindName(v.kind()).str(), shortRepr(v, 80));
}

Value applyBinary(llvm::StringRef op, const Value& l, const Value& r) {
  if (op == "==") return Value::boolean(l == r);
  if (op == "!=") return Value::boolean(l != r);
  if (op == "<") return Value::boolean(compare(op, l, r) < 0);
  if (op == "<=") return Value::boolean(compare(op, l, r) <= 0);
  if (op == ">") return Value::boolean(compare(op, l, r) > 0);
  if (op == ">=") return Value::boolean(compare(op, l, r) >= 0);
  if (op == "in") return Value::boolean(valueContains(r, l, op));
  if (op == "not in") return Value::boolean(!valueContains(r, l, op));
  if (op == "=~" || op == "!~") {
    if (l.kind() != ValueKind::String || r.kind() != ValueKind::String)
      typeError(op, l, r);
    bool found = regexSearch(r.asString(), l.asString());
    return Value::boolean(op == "=~" ? found : !found);
  }
  if (op == "and") return Value::boolean(l.truthy() && r.truthy());
  if (op == "or") return Value::boolean(l.truthy() || r.truthy());
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%")
    return arithmetic(op, l, r);
  failf("unknown operator `{}`", op.str());
}

}  // namespace rig::exec
