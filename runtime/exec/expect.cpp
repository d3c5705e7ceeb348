// `expect`: evaluates the expression while noting the values of its parts,
// so that a failure shows them (language.md section 6):
//
//   todos.rig:25:10: expect failed
//      25 |   expect actual == [1, 2]
//         |          ^~~~~~~~~~~~~~~~
//   actual = [1, 3]
//   first difference: $[1]: expected 2, got 3
#include <algorithm>

#include "fmt/format.h"
#include "runtime/exec/interpreter.h"
#include "runtime/plan/operators.h"

namespace rig::exec {

using plan::Expr;
using plan::ExprKind;

namespace {

// A part whose value is plain in the source needs no note.
bool speaksForItself(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Literal: return true;
    case ExprKind::List:
    case ExprKind::Object:
      return std::all_of(expr.args.begin(), expr.args.end(), speaksForItself);
    default: return false;
  }
}

bool isStructured(const Value& v) {
  return v.kind() == ValueKind::List || v.kind() == ValueKind::Object;
}

std::string collapseSpace(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

void Interpreter::note(const Expr& expr, const Value& value,
                       std::vector<std::string>& notes) {
  if (speaksForItself(expr)) return;
  std::string text = collapseSpace(sourceText(expr.loc));
  if (text.empty()) return;
  std::string line = text + " = " + shortRepr(value);
  if (std::find(notes.begin(), notes.end(), line) == notes.end())
    notes.push_back(std::move(line));
}

Value Interpreter::evalExplained(const Expr& expr,
                                 std::vector<std::string>& notes,
                                 std::string& diff) {
  if (expr.kind == ExprKind::Binary &&
      (expr.name == "and" || expr.name == "or")) {
    Value left = evalExplained(expr.args.at(0), notes, diff);
    if (expr.name == "and" ? !left.truthy() : left.truthy())
      return Value::boolean(left.truthy());
    return Value::boolean(evalExplained(expr.args.at(1), notes, diff).truthy());
  }
  if (expr.kind == ExprKind::Unary && expr.name == "not")
    return Value::boolean(
        !evalExplained(expr.args.at(0), notes, diff).truthy());
  if (expr.kind == ExprKind::Binary && isComparison(expr.name)) {
    const Expr& l = expr.args.at(0);
    const Expr& r = expr.args.at(1);
    Value left = eval(l);
    Value right = eval(r);
    note(l, left, notes);
    note(r, right, notes);
    Value result;
    try {
      result = evalBinary(expr.name, left, right);
    } catch (Failure& f) {
      if (!f.located) {
        f.loc = expr.loc;
        f.located = true;
      }
      throw;
    }
    if (expr.name == "==" && !result.truthy() && diff.empty() &&
        (isStructured(left) || isStructured(right))) {
      // The expected side is the one written out; by default the right.
      bool leftIsExpected = speaksForItself(l) && !speaksForItself(r);
      const Value& expected = leftIsExpected ? left : right;
      const Value& actual = leftIsExpected ? right : left;
      if (auto d = firstDifference(expected, actual, "$"))
        diff = "first difference: " + *d;
    }
    return result;
  }
  if (expr.kind == ExprKind::Call && expr.callee) {
    // A builtin predicate (`contains(a, b)`): note its arguments.
    BoundArgs args = evalBound(expr, 0);
    for (size_t i = 0; i < args.params.size(); ++i)
      if (args.params[i]) note(expr.args[i], *args.params[i], notes);
    try {
      Call c{nodes_, *expr.callee, std::move(args), "", expr.name};
      return builtinImplementation(*expr.callee)(c);
    } catch (Failure& f) {
      if (!f.located) {
        f.loc = expr.loc;
        f.located = true;
      }
      throw;
    }
  }
  Value value = eval(expr);
  note(expr, value, notes);
  return value;
}

void Interpreter::execExpect(const plan::Stmt& stmt) {
  const Expr& expr = *stmt.expr;
  std::vector<std::string> notes;
  std::string diff;
  Value result = evalExplained(expr, notes, diff);
  if (result.truthy()) return;

  Failure f;
  f.message = "expect failed";
  if (stmt.message) f.message += ": " + eval(*stmt.message).str();
  for (const std::string& line : notes) f.details += line + "\n";
  if (!diff.empty()) f.details += diff + "\n";
  if (!f.details.empty()) f.details.pop_back();
  f.loc = expr.loc.line ? expr.loc : stmt.loc;
  f.located = true;
  throw f;
}

}  // namespace rig::exec
