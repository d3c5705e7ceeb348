// Constant evaluation for lint rules: what a string, a port or a receiver is
// at compile time, as far as it can be known (`"http://server:${port}/"` with
// `let port = 3000`). Whatever depends on run time is Unknown; a string keeps
// its known parts and marks unknown ones with kUnknownChar, so a rule can
// still look for `curl` or `192.168.` in it. Operators on known values are
// folded by runtime/plan/operators (the evaluator sema and the interpreter
// use); this file adds only the partial strings and where their bytes came
// from.
#ifndef RIG_COMPILER_LINT_CONSTEVAL_H
#define RIG_COMPILER_LINT_CONSTEVAL_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

namespace rig::lint {

// Stands for a part of a string whose value is not known.
inline constexpr char kUnknownChar = '\x1f';

// Where a piece of an evaluated string came from.
struct TextSpan {
  uint32_t begin = 0;  // in Const::text
  uint32_t length = 0;
  SourceRange range;
  bool exact = false;  // text[begin, begin + length) is exactly range's bytes
};

struct Const {
  enum class Kind : uint8_t {
    Unknown,
    Null,
    Bool,
    Int,
    Float,
    String,
    List,
    Object,
    Machine,
    Other
  };
  Kind kind = Kind::Unknown;
  bool boolValue = false;
  int64_t intValue = 0;
  double floatValue = 0;
  std::string text;  // String (with kUnknownChar), Machine (node name)
  std::vector<TextSpan> spans;  // String: sources of the text, in order
  std::vector<Const> items;     // List
  std::vector<std::pair<std::string, Const>> fields;  // Object

  static Const unknown() { return Const(); }
  static Const integer(int64_t v) {
    Const c;
    c.kind = Kind::Int;
    c.intValue = v;
    return c;
  }
  static Const machine(std::string node) {
    Const c;
    c.kind = Kind::Machine;
    c.text = std::move(node);
    return c;
  }
  bool known() const { return kind != Kind::Unknown; }
  bool isString() const { return kind == Kind::String; }
  // Strings only: the source range of text[begin, begin + length), exact when
  // one literal piece holds all of it, else the closest enclosing piece, else
  // `fallback`.
  SourceRange rangeOf(uint32_t begin, uint32_t length,
                      SourceRange fallback) const;
};

// Local names (let, for, fn and module parameters) in front of a file's
// globals. Scopes are stacked on the C++ stack; a scope never outlives its
// parent.
class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  void bind(llvm::StringRef name, Const value) {
    vars_[name] = std::move(value);
  }
  const Const* find(llvm::StringRef name) const;

 private:
  const Scope* parent_;
  llvm::StringMap<Const> vars_;
};

// Evaluates the expressions of one file. Top-level `let`s are evaluated on
// first use and remembered; the suite's node names evaluate to machines.
class Evaluator {
 public:
  Evaluator(const ast::File& file, const SourceFiles& sources,
            llvm::ArrayRef<std::string> nodeNames);

  Const eval(const ast::Expr& e, const Scope* scope = nullptr);
  // The value of a top-level `let` or node name; Unknown when there is none.
  Const global(llvm::StringRef name);

 private:
  void appendString(Const& out, const Const& piece, SourceRange where);

  const ast::File& file_;
  const SourceFiles& sources_;
  llvm::StringMap<const ast::Let*> lets_;
  llvm::StringMap<Const> done_;
  llvm::DenseSet<const ast::Let*> inProgress_;  // cycles evaluate to Unknown
  llvm::StringMap<bool> nodes_;
};

}  // namespace rig::lint

#endif
