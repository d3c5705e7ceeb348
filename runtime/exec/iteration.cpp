// Iteration: the `for` statement and the `[for x in A if C: B]` expression
// walk the same items.
#include <fmt/format.h>

#include "runtime/exec/interpreter.h"

namespace rig::exec {

ValueList Interpreter::iterationItems(const plan::Expr& collectionExpr) {
  Value collection = eval(collectionExpr);
  if (collection.kind() == ValueKind::List) return collection.asList();
  if (collection.kind() == ValueKind::Object) {
    ValueList keys;
    for (const auto& field : collection.asObject())
      keys.push_back(Value::string(field.first));
    return keys;
  }
  Failure f;
  f.message =
      fmt::format("`for` needs a list or an object, got {} ({})",
                  kindName(collection.kind()).str(), shortRepr(collection, 80));
  f.loc = collectionExpr.loc;
  f.located = true;
  throw f;
}

Value Interpreter::evalListFor(const plan::Expr& expr) {
  ValueList items = iterationItems(expr.args.at(0));
  ValueList out;
  // A global's value is evaluated outside any call: give it a frame.
  bool ownFrame = frames_.empty();
  if (ownFrame) frames_.emplace_back();
  struct DropFrame {
    Interpreter* self;
    bool on;
    ~DropFrame() {
      if (on) self->frames_.pop_back();
    }
  } dropFrame{this, ownFrame};
  for (const Value& item : items) {
    frames_.back().emplace_back();
    frames_.back().back()[expr.name] = item;
    struct Pop {
      Interpreter* self;
      ~Pop() { self->frames_.back().pop_back(); }
    } pop{this};
    if (expr.args.size() > 2 && !eval(expr.args[2]).truthy()) continue;
    out.push_back(eval(expr.args.at(1)));
  }
  return Value::list(std::move(out));
}

}  // namespace rig::exec
