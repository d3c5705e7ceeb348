#include "compiler/lint/consteval.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "runtime/plan/operators.h"

namespace rig::lint {

SourceRange Const::rangeOf(uint32_t begin, uint32_t length,
                           SourceRange fallback) const {
  for (const TextSpan& span : spans) {
    if (begin < span.begin || begin + length > span.begin + span.length)
      continue;
    if (!span.exact) return span.range;
    return {span.range.file, span.range.begin + (begin - span.begin),
            span.range.begin + (begin - span.begin) + length};
  }
  // Spread over several pieces: from the first byte to the last, exact at
  // either end when that piece is literal text.
  SourceRange joined;
  for (const TextSpan& span : spans) {
    if (span.begin + span.length <= begin || span.begin >= begin + length)
      continue;
    if (joined.valid() && joined.file != span.range.file) return fallback;
    SourceRange piece = span.range;
    if (span.exact) {
      uint32_t from = begin > span.begin ? begin - span.begin : 0;
      uint32_t to =
          std::min(begin + length, span.begin + span.length) - span.begin;
      piece = {span.range.file, span.range.begin + from, span.range.begin + to};
    }
    joined = SourceRange::join(joined, piece);
  }
  return joined.valid() ? joined : fallback;
}

const Const* Scope::find(llvm::StringRef name) const {
  for (const Scope* s = this; s; s = s->parent_) {
    auto it = s->vars_.find(name);
    if (it != s->vars_.end()) return &it->second;
  }
  return nullptr;
}

Evaluator::Evaluator(const ast::File& file, const SourceFiles& sources,
                     llvm::ArrayRef<std::string> nodeNames)
    : file_(file), sources_(sources) {
  for (const ast::Let& let : file.lets) lets_.try_emplace(let.name, &let);
  for (const std::string& n : nodeNames) nodes_[n] = true;
}

Const Evaluator::global(llvm::StringRef name) {
  auto done = done_.find(name);
  if (done != done_.end()) return done->second;
  auto let = lets_.find(name);
  if (let == lets_.end()) {
    if (nodes_.count(name)) return Const::machine(name.str());
    return Const::unknown();
  }
  const ast::Let* decl = let->second;
  if (!decl->value || !inProgress_.insert(decl).second) return Const::unknown();
  Const value = eval(*decl->value, nullptr);
  inProgress_.erase(decl);
  done_[name] = value;
  return value;
}

// `str(v)` for the values a string interpolation can hold at compile time.
static bool textOf(const Const& v, std::string& out) {
  switch (v.kind) {
    case Const::Kind::String:
    case Const::Kind::Machine: out = v.text; return true;
    case Const::Kind::Int: out = std::to_string(v.intValue); return true;
    case Const::Kind::Bool: out = v.boolValue ? "true" : "false"; return true;
    case Const::Kind::Null: out = "null"; return true;
    case Const::Kind::Float: out = fmt::format("{}", v.floatValue); return true;
    default: return false;
  }
}

void Evaluator::appendString(Const& out, const Const& piece,
                             SourceRange where) {
  std::string text;
  if (!textOf(piece, text)) text = std::string(1, kUnknownChar);
  TextSpan span;
  span.begin = out.text.size();
  span.length = text.size();
  span.range = where;
  out.spans.push_back(span);
  out.text += text;
}

// Operators are folded by runtime/plan/operators, as sema and the
// interpreter fold them: a fully known scalar goes there as a Value and comes
// back as a Const. Strings with unknown parts, lists and objects do not.
static std::optional<Value> toValue(const Const& c) {
  switch (c.kind) {
    case Const::Kind::Null: return Value::null();
    case Const::Kind::Bool: return Value::boolean(c.boolValue);
    case Const::Kind::Int: return Value::integer(c.intValue);
    case Const::Kind::Float: return Value::floating(c.floatValue);
    case Const::Kind::String:
      if (c.text.find(kUnknownChar) != std::string::npos) return std::nullopt;
      return Value::string(c.text);
    default: return std::nullopt;
  }
}

static Const fromScalar(const OperatorResult& r) {
  Const c;
  if (!r.ok()) return c;
  switch (r.value.kind()) {
    case ValueKind::Null: c.kind = Const::Kind::Null; return c;
    case ValueKind::Bool:
      c.kind = Const::Kind::Bool;
      c.boolValue = r.value.asBool();
      return c;
    case ValueKind::Int: return Const::integer(r.value.asInt());
    case ValueKind::Float:
      c.kind = Const::Kind::Float;
      c.floatValue = r.value.asFloat();
      return c;
    default: return c;  // a string result would have no source spans
  }
}

static Const stringConst() {
  Const c;
  c.kind = Const::Kind::String;
  return c;
}

Const Evaluator::eval(const ast::Expr& e, const Scope* scope) {
  using K = ast::ExprKind;
  Const c;
  switch (e.kind) {
    case K::Null: c.kind = Const::Kind::Null; return c;
    case K::Bool:
      c.kind = Const::Kind::Bool;
      c.boolValue = e.boolValue;
      return c;
    case K::Int: return Const::integer(e.intValue);
    case K::Float:
      c.kind = Const::Kind::Float;
      c.floatValue = e.floatValue;
      return c;
    case K::Duration:
    case K::Size: c.kind = Const::Kind::Other; return c;
    case K::String: {
      c = stringConst();
      for (const ast::StringPart& part : e.parts) {
        if (!part.expr) {
          TextSpan span;
          span.begin = c.text.size();
          span.length = part.text.size();
          span.range = part.range;
          span.exact =
              part.range.valid() && sources_.slice(part.range) == part.text;
          c.spans.push_back(span);
          c.text += part.text;
          continue;
        }
        appendString(c, eval(*part.expr, scope), part.range);
      }
      return c;
    }
    case K::Ident: {
      if (scope)
        if (const Const* local = scope->find(e.name)) return *local;
      return global(e.name);
    }
    case K::List:
      c.kind = Const::Kind::List;
      for (const ast::ExprPtr& item : e.operands)
        c.items.push_back(item ? eval(*item, scope) : Const::unknown());
      return c;
    case K::Object:
      c.kind = Const::Kind::Object;
      for (const ast::ObjectEntry& entry : e.entries)
        c.fields.emplace_back(entry.key, entry.value ? eval(*entry.value, scope)
                                                     : Const::unknown());
      return c;
    case K::Unary: {
      if (e.operands.size() != 1 || !e.operands[0]) return c;
      std::optional<Value> v = toValue(eval(*e.operands[0], scope));
      return v ? fromScalar(applyUnary(e.name, *v)) : c;
    }
    case K::Binary: {
      if (e.operands.size() != 2 || !e.operands[0] || !e.operands[1]) return c;
      Const a = eval(*e.operands[0], scope);
      Const b = eval(*e.operands[1], scope);
      if (e.name != "+" || (!a.isString() && !b.isString())) {
        std::optional<Value> va = toValue(a), vb = toValue(b);
        if (va && vb) return fromScalar(applyBinary(e.name, *va, *vb));
        if (e.name != "+") return c;
      }
      if (a.isString() || b.isString()) {
        // String concatenation; an unknown side keeps the known one.
        c = stringConst();
        for (const Const* side : {&a, &b}) {
          SourceRange where =
              side == &a ? e.operands[0]->range : e.operands[1]->range;
          if (side->isString()) {
            for (TextSpan span : side->spans) {
              span.begin += c.text.size();
              c.spans.push_back(span);
            }
            c.text += side->text;
          } else {
            appendString(c, *side, where);
          }
        }
        return c;
      }
      if (a.kind == Const::Kind::List && b.kind == Const::Kind::List) {
        a.items.insert(a.items.end(), b.items.begin(), b.items.end());
        return a;
      }
      return c;
    }
    case K::If: {
      if (e.operands.size() != 3 || !e.operands[0]) return c;
      Const cond = eval(*e.operands[0], scope);
      if (cond.kind != Const::Kind::Bool) return c;
      const ast::ExprPtr& branch =
          cond.boolValue ? e.operands[1] : e.operands[2];
      return branch ? eval(*branch, scope) : c;
    }
    case K::Member:
    case K::Index:
    case K::Call:
    case K::ListFor: return c;
  }
  return c;
}

}  // namespace rig::lint
