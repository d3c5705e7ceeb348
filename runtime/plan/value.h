// Values of the rig language (language.md section 7), shared by the
// compiler's constant evaluator and the runtime's interpreter so that both
// agree on equality, printing and JSON conversion.
#ifndef RIG_RUNTIME_PLAN_VALUE_H
#define RIG_RUNTIME_PLAN_VALUE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

namespace rig {

enum class ValueKind : uint8_t {
  Null,
  Bool,
  Int,
  Float,
  String,
  Duration,  // milliseconds, as a double (`1.5m` is 90000 ms)
  Size,      // bytes
  List,
  Object,   // keys keep insertion order; equality ignores order
  Machine,  // a node of the suite, by name
};

llvm::StringRef kindName(ValueKind kind);

class Value;
using ValueList = std::vector<Value>;
using ValueObject = std::vector<std::pair<std::string, Value>>;

// A value is cheap to copy: lists and objects are shared and copied on write.
class Value {
 public:
  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value floating(double d);
  static Value string(std::string s);
  static Value duration(double ms);
  static Value size(int64_t bytes);
  static Value list(ValueList items);
  static Value object(ValueObject fields);
  static Value machine(std::string node);

  ValueKind kind() const { return kind_; }
  bool isNull() const { return kind_ == ValueKind::Null; }
  bool isNumber() const {
    return kind_ == ValueKind::Int || kind_ == ValueKind::Float;
  }

  bool asBool() const { return b_; }
  int64_t asInt() const { return i_; }
  // Int or Float as a double.
  double asNumber() const;
  double asFloat() const { return d_; }
  double asDurationMs() const { return d_; }
  int64_t asSizeBytes() const { return i_; }
  const std::string& asString() const { return *s_; }  // String and Machine
  const ValueList& asList() const { return *list_; }
  const ValueObject& asObject() const { return *obj_; }
  ValueList& mutableList();
  ValueObject& mutableObject();

  // Object field lookup; nullptr when absent or not an object.
  const Value* field(llvm::StringRef key) const;

  // Truthiness for `if`, `and`, `or`, `not`: only booleans are allowed by the
  // checker; at run time null and false are false, everything else true.
  bool truthy() const;

  // Source-like rendering: strings quoted, objects as `{ a: 1 }`.
  std::string repr() const;
  // What `str(x)` and `${x}` produce: strings unquoted, the rest as repr.
  std::string str() const;

  // Plain JSON (what `to_json` prints): durations become milliseconds,
  // sizes bytes, machines their name.
  llvm::json::Value toJSON() const;
  static Value fromJSON(const llvm::json::Value& json);

 private:
  ValueKind kind_ = ValueKind::Null;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::shared_ptr<std::string> s_;
  std::shared_ptr<ValueList> list_;
  std::shared_ptr<ValueObject> obj_;
};

// Deep structural equality: object key order does not matter, 1 == 1.0.
bool operator==(const Value& a, const Value& b);
inline bool operator!=(const Value& a, const Value& b) { return !(a == b); }

// The first path where two values differ, e.g. `$[1].task: expected "a",
// got "b"`; std::nullopt when they are equal. `path` is the root's name.
std::optional<std::string> firstDifference(const Value& expected,
                                           const Value& actual,
                                           llvm::StringRef path = "$");

// Formats durations (`1.5s`, `500ms`) and sizes (`512MiB`) for messages.
std::string formatDuration(double ms);
std::string formatSize(int64_t bytes);

}  // namespace rig

#endif
