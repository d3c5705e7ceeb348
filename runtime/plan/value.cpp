#include "runtime/plan/value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace rig {

llvm::StringRef kindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::Null: return "null";
    case ValueKind::Bool: return "bool";
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::String: return "string";
    case ValueKind::Duration: return "duration";
    case ValueKind::Size: return "size";
    case ValueKind::List: return "list";
    case ValueKind::Object: return "object";
    case ValueKind::Machine: return "machine";
  }
  return "value";
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = ValueKind::Bool;
  v.b_ = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = ValueKind::Int;
  v.i_ = i;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = ValueKind::Float;
  v.d_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = ValueKind::String;
  v.s_ = std::make_shared<std::string>(std::move(s));
  return v;
}

Value Value::duration(double ms) {
  Value v;
  v.kind_ = ValueKind::Duration;
  v.d_ = ms;
  return v;
}

Value Value::size(int64_t bytes) {
  Value v;
  v.kind_ = ValueKind::Size;
  v.i_ = bytes;
  return v;
}

Value Value::list(ValueList items) {
  Value v;
  v.kind_ = ValueKind::List;
  v.list_ = std::make_shared<ValueList>(std::move(items));
  return v;
}

Value Value::object(ValueObject fields) {
  Value v;
  v.kind_ = ValueKind::Object;
  v.obj_ = std::make_shared<ValueObject>(std::move(fields));
  return v;
}

Value Value::machine(std::string node) {
  Value v;
  v.kind_ = ValueKind::Machine;
  v.s_ = std::make_shared<std::string>(std::move(node));
  return v;
}

double Value::asNumber() const {
  return kind_ == ValueKind::Int ? static_cast<double>(i_) : d_;
}

// Copy on write: a shared list or object is cloned before it is changed, so
// copies made earlier keep their contents.
ValueList& Value::mutableList() {
  if (list_.use_count() > 1) list_ = std::make_shared<ValueList>(*list_);
  return *list_;
}

ValueObject& Value::mutableObject() {
  if (obj_.use_count() > 1) obj_ = std::make_shared<ValueObject>(*obj_);
  return *obj_;
}

const Value* Value::field(llvm::StringRef key) const {
  if (kind_ != ValueKind::Object) return nullptr;
  for (const auto& [k, v] : *obj_)
    if (k == key) return &v;
  return nullptr;
}

bool Value::truthy() const {
  switch (kind_) {
    case ValueKind::Null: return false;
    case ValueKind::Bool: return b_;
    default: return true;
  }
}

// ---- Printing ----------------------------------------------------------------

static bool isIdentifier(llvm::StringRef s) {
  if (s.empty()) return false;
  if (!llvm::isAlpha(s[0]) && s[0] != '_') return false;
  return llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

static std::string quote(llvm::StringRef s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '$': out += "\\$"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\u{{{:x}}}", c);
        else
          out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

// Shortest text that reads back as the same double, always with a `.` or an
// exponent so that a float never prints like an int.
static std::string formatFloat(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  std::string s = fmt::format("{}", d);  // shortest round-trip form
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

// A number without a trailing `.0` (for durations: `1.5s`, `2s`).
static std::string formatNumber(double d) {
  std::string s = formatFloat(d);
  if (llvm::StringRef(s).endswith(".0")) s.resize(s.size() - 2);
  return s;
}

std::string formatDuration(double ms) {
  if (ms != 0 && std::fabs(ms) < 1000) return formatNumber(ms) + "ms";
  if (ms != 0 && std::fmod(ms, 3'600'000) == 0)
    return formatNumber(ms / 3'600'000) + "h";
  if (ms != 0 && std::fmod(ms, 60'000) == 0)
    return formatNumber(ms / 60'000) + "m";
  return formatNumber(ms / 1000) + "s";
}

std::string formatSize(int64_t bytes) {
  static const struct {
    int64_t factor;
    const char* unit;
  } kUnits[] = {{1ll << 30, "GiB"}, {1ll << 20, "MiB"}, {1ll << 10, "KiB"}};
  for (const auto& u : kUnits)
    if (bytes != 0 && bytes % u.factor == 0)
      return fmt::format("{}{}", bytes / u.factor, u.unit);
  return fmt::format("{}B", bytes);
}

std::string Value::repr() const {
  switch (kind_) {
    case ValueKind::Null: return "null";
    case ValueKind::Bool: return b_ ? "true" : "false";
    case ValueKind::Int: return std::to_string(i_);
    case ValueKind::Float: return formatFloat(d_);
    case ValueKind::String: return quote(*s_);
    case ValueKind::Duration: return formatDuration(d_);
    case ValueKind::Size: return formatSize(i_);
    case ValueKind::Machine: return *s_;
    case ValueKind::List: {
      std::string out = "[";
      for (size_t i = 0; i < list_->size(); ++i) {
        if (i) out += ", ";
        out += (*list_)[i].repr();
      }
      return out + "]";
    }
    case ValueKind::Object: {
      if (obj_->empty()) return "{}";
      std::string out = "{ ";
      for (size_t i = 0; i < obj_->size(); ++i) {
        const auto& [k, v] = (*obj_)[i];
        if (i) out += ", ";
        out += isIdentifier(k) ? k : quote(k);
        out += ": ";
        out += v.repr();
      }
      return out + " }";
    }
  }
  return "";
}

std::string Value::str() const {
  if (kind_ == ValueKind::String) return *s_;
  return repr();
}

// ---- JSON ----------------------------------------------------------------------

llvm::json::Value Value::toJSON() const {
  switch (kind_) {
    case ValueKind::Null: return nullptr;
    case ValueKind::Bool: return b_;
    case ValueKind::Int: return i_;
    case ValueKind::Float: return d_;
    case ValueKind::String: return *s_;
    case ValueKind::Duration: return d_;
    case ValueKind::Size: return i_;
    case ValueKind::Machine: return *s_;
    case ValueKind::List: {
      llvm::json::Array out;
      for (const Value& v : *list_) out.push_back(v.toJSON());
      return out;
    }
    case ValueKind::Object: {
      llvm::json::Object out;
      for (const auto& [k, v] : *obj_) out[k] = v.toJSON();
      return out;
    }
  }
  return nullptr;
}

Value Value::fromJSON(const llvm::json::Value& json) {
  switch (json.kind()) {
    case llvm::json::Value::Null: return Value();
    case llvm::json::Value::Boolean: return boolean(*json.getAsBoolean());
    case llvm::json::Value::Number:
      if (auto i = json.getAsInteger()) return integer(*i);
      return floating(*json.getAsNumber());
    case llvm::json::Value::String: return string(json.getAsString()->str());
    case llvm::json::Value::Array: {
      ValueList items;
      for (const auto& e : *json.getAsArray()) items.push_back(fromJSON(e));
      return list(std::move(items));
    }
    case llvm::json::Value::Object: {
      // llvm::json::Object does not keep key order: sort for determinism.
      ValueObject fields;
      for (const auto& [k, v] : *json.getAsObject())
        fields.emplace_back(k.str(), fromJSON(v));
      llvm::sort(fields, [](const auto& a, const auto& b) {
        return a.first < b.first;
      });
      return object(std::move(fields));
    }
  }
  return Value();
}

// ---- Equality --------------------------------------------------------------------

bool operator==(const Value& a, const Value& b) {
  if (a.isNumber() && b.isNumber()) {
    if (a.kind() == ValueKind::Int && b.kind() == ValueKind::Int)
      return a.asInt() == b.asInt();
    return a.asNumber() == b.asNumber();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::Null: return true;
    case ValueKind::Bool: return a.asBool() == b.asBool();
    case ValueKind::String:
    case ValueKind::Machine: return a.asString() == b.asString();
    case ValueKind::Duration: return a.asDurationMs() == b.asDurationMs();
    case ValueKind::Size: return a.asSizeBytes() == b.asSizeBytes();
    case ValueKind::List: {
      const ValueList& x = a.asList();
      const ValueList& y = b.asList();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (x[i] != y[i]) return false;
      return true;
    }
    case ValueKind::Object: {
      const ValueObject& x = a.asObject();
      const ValueObject& y = b.asObject();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x) {
        const Value* other = b.field(k);
        if (!other || *other != v) return false;
      }
      return true;
    }
    default: return false;
  }
}

static std::string memberPath(llvm::StringRef path, llvm::StringRef key) {
  if (isIdentifier(key)) return fmt::format("{}.{}", path, key);
  return fmt::format("{}[{}]", path, quote(key));
}

std::optional<std::string> firstDifference(const Value& expected,
                                           const Value& actual,
                                           llvm::StringRef path) {
  if (expected == actual) return std::nullopt;
  if (expected.kind() == ValueKind::List && actual.kind() == ValueKind::List) {
    const ValueList& x = expected.asList();
    const ValueList& y = actual.asList();
    size_t common = std::min(x.size(), y.size());
    for (size_t i = 0; i < common; ++i)
      if (auto d = firstDifference(x[i], y[i], fmt::format("{}[{}]", path, i)))
        return d;
    if (x.size() > y.size())
      return fmt::format("{}: expected {} elements, got {} (missing {})", path,
                         x.size(), y.size(), x[common].repr());
    return fmt::format("{}: expected {} elements, got {} (unexpected {})", path,
                       x.size(), y.size(), y[common].repr());
  }
  if (expected.kind() == ValueKind::Object &&
      actual.kind() == ValueKind::Object) {
    for (const auto& [k, v] : expected.asObject()) {
      const Value* other = actual.field(k);
      if (!other)
        return fmt::format("{}: missing key, expected {}", memberPath(path, k),
                           v.repr());
      if (auto d = firstDifference(v, *other, memberPath(path, k))) return d;
    }
    for (const auto& [k, v] : actual.asObject())
      if (!expected.field(k))
        return fmt::format("{}: unexpected key, got {}", memberPath(path, k),
                           v.repr());
    return std::nullopt;  // unreachable: the objects would be equal
  }
  return fmt::format("{}: expected {}, got {}", path, expected.repr(),
                     actual.repr());
}

}  // namespace rig
