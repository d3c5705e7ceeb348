// Expressions: name resolution, static types and constant evaluation in one
// walk. What the walk learns is recorded in Program (refs, calls, types,
// constants) for lint and lower.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/fold.h"
#include "runtime/plan/operators.h"
#include "runtime/plan/regex.h"

namespace rig::sema {

using diag::Kind;

static Info known(Value v) {
  Info info;
  info.type = typeOf(v);
  info.value = std::move(v);
  return info;
}

static Info ofType(Type t) {
  Info info;
  info.type = t;
  return info;
}

static Info failed() {
  Info info;
  info.error = true;
  return info;
}

Info Checker::analyze(const ast::Expr& e, Scope& scope) {
  Info info;
  switch (e.kind) {
    case ast::ExprKind::Null: info = known(Value()); break;
    case ast::ExprKind::Bool: info = known(Value::boolean(e.boolValue)); break;
    case ast::ExprKind::Int: info = known(Value::integer(e.intValue)); break;
    case ast::ExprKind::Float:
      info = known(Value::floating(e.floatValue));
      break;
    case ast::ExprKind::Duration:
      info = known(Value::duration(e.floatValue));
      break;
    case ast::ExprKind::Size: info = known(Value::size(e.intValue)); break;
    case ast::ExprKind::String: {
      std::string text;
      bool constant = true;
      bool error = false;
      for (const ast::StringPart& part : e.parts) {
        if (!part.expr) {
          text += part.text;
          continue;
        }
        Info p = analyze(*part.expr, scope);
        error |= p.error;
        if (p.value)
          text += p.value->str();
        else
          constant = false;
      }
      info = constant ? known(Value::string(std::move(text)))
                      : ofType(Type::String);
      info.error = error;
      break;
    }
    case ast::ExprKind::Ident: info = analyzeIdent(e, scope); break;
    case ast::ExprKind::List: {
      ValueList items;
      bool constant = true;
      bool error = false;
      for (const ast::ExprPtr& item : e.operands) {
        Info i = analyze(*item, scope);
        error |= i.error;
        if (i.value)
          items.push_back(*i.value);
        else
          constant = false;
      }
      info =
          constant ? known(Value::list(std::move(items))) : ofType(Type::List);
      info.error = error;
      break;
    }
    case ast::ExprKind::Object: {
      ValueObject fields;
      bool constant = true;
      bool error = false;
      std::map<std::string, SourceRange> seen;
      for (const ast::ObjectEntry& entry : e.entries) {
        auto [it, inserted] = seen.emplace(entry.key, entry.keyRange);
        if (!inserted) {
          emit(entry.keyRange, Kind::DuplicateAttribute, entry.key)
              .note(it->second, "first set here");
          error = true;
        }
        Info i = analyze(*entry.value, scope);
        error |= i.error;
        if (i.value)
          fields.emplace_back(entry.key, *i.value);
        else
          constant = false;
      }
      info = constant ? known(Value::object(std::move(fields)))
                      : ofType(Type::Object);
      info.error = error;
      break;
    }
    case ast::ExprKind::Unary: {
      Info operand = analyze(*e.operands[0], scope);
      if (operand.error) return failed();
      if (operand.type == Type::Unknown) {
        info = ofType(e.name == "not" ? Type::Bool : Type::Unknown);
        break;
      }
      Value sample = operand.value ? *operand.value : sampleOf(operand.type);
      OperatorResult r = applyUnary(e.name, sample);
      // `not` takes any value at run time (truthiness); where the type is
      // known it must be a boolean.
      if (r.fault == OperatorResult::Fault::OperandKinds ||
          (e.name == "not" && operand.type != Type::Bool)) {
        emit(e.range, Kind::UnaryOperandType, e.name, typeName(operand.type));
        return failed();
      }
      if (!r.ok()) {
        emit(e.range, Kind::EvalError, r.message);
        return failed();
      }
      info = operand.value ? known(r.value) : ofType(typeOf(r.value));
      break;
    }
    case ast::ExprKind::Binary: info = analyzeBinary(e, scope); break;
    case ast::ExprKind::If: {
      Info cond = analyze(*e.operands[0], scope);
      Info a = analyze(*e.operands[1], scope);
      Info b = analyze(*e.operands[2], scope);
      if (!cond.error && cond.type != Type::Unknown && cond.type != Type::Bool)
        emit(e.operands[0]->range, Kind::ConditionType, "the condition of `if`",
             typeName(cond.type));
      if (cond.value && cond.value->kind() == ValueKind::Bool)
        info = cond.value->asBool() ? a : b;
      else
        info = ofType(a.type == b.type ? a.type : Type::Unknown);
      info.error = cond.error || a.error || b.error;
      break;
    }
    case ast::ExprKind::Member: info = analyzeMember(e, scope); break;
    case ast::ExprKind::Index: {
      Info base = analyze(*e.operands[0], scope);
      Info index = analyze(*e.operands[1], scope);
      if (base.error || index.error) return failed();
      bool listIndex = base.type == Type::List || base.type == Type::String;
      if ((listIndex && index.type != Type::Unknown &&
           index.type != Type::Int) ||
          (base.type == Type::Object && index.type != Type::Unknown &&
           index.type != Type::String) ||
          (base.type != Type::Unknown && base.type != Type::List &&
           base.type != Type::Object)) {
        emit(e.range, Kind::IndexType, typeName(base.type),
             typeName(index.type));
        return failed();
      }
      if (base.value && index.value) {
        const Value& b = *base.value;
        const Value& i = *index.value;
        if (b.kind() == ValueKind::List) {
          int64_t n = int64_t(b.asList().size());
          int64_t k = i.asInt() < 0 ? i.asInt() + n : i.asInt();
          if (k < 0 || k >= n) {
            emit(e.range, Kind::EvalError,
                 fmt::format("index {} out of range, length {}", i.asInt(), n));
            return failed();
          }
          info = known(b.asList()[k]);
        } else {
          const Value* f = b.field(i.asString());
          if (!f) {
            emit(e.operands[1]->range, Kind::NoSuchField, b.repr(),
                 i.asString());
            return failed();
          }
          info = known(*f);
        }
      }
      break;
    }
    case ast::ExprKind::Call: info = analyzeCall(e, scope); break;
    case ast::ExprKind::ListFor: info = analyzeListFor(e, scope); break;
  }
  if (recording_) {
    if (info.type != Type::Unknown) program_.types[&e] = info.type;
    if (info.value) program_.constants[&e] = *info.value;
  }
  return info;
}

// `[for x in A if C: B]`. B and C are checked once with `x` of unknown
// value (that walk records what lower needs); when A is known they are
// then evaluated per element, quietly, so modules can generate lines.
Info Checker::analyzeListFor(const ast::Expr& e, Scope& scope) {
  Info collection = analyze(*e.operands[0], scope);
  if (!collection.error && collection.type != Type::Unknown &&
      collection.type != Type::List && collection.type != Type::Object)
    emit(e.operands[0]->range, Kind::NotIterable, typeName(collection.type));
  Scope inner{&scope, nullptr, scope.inFn, {}};
  Binding& b = inner.names[e.name];
  b.kind = RefKind::Local;
  const ast::Expr* filter =
      e.operands.size() > 2 ? e.operands[2].get() : nullptr;
  bool error = collection.error;
  if (filter) {
    Info f = analyze(*filter, inner);
    error |= f.error;
    if (!f.error && f.type != Type::Unknown && f.type != Type::Bool)
      emit(filter->range, Kind::ConditionType, "the condition of `if`",
           typeName(f.type));
  }
  error |= analyze(*e.operands[1], inner).error;
  if (error || !collection.value) {
    Info out = ofType(Type::List);
    out.error = error;
    return out;
  }
  ValueList items;
  if (collection.value->kind() == ValueKind::List) {
    items = collection.value->asList();
  } else if (collection.value->kind() == ValueKind::Object) {
    for (const auto& field : collection.value->asObject())
      items.push_back(Value::string(field.first));
  } else {
    return ofType(Type::List);
  }
  ValueList out;
  bool saved = recording_;
  recording_ = false;
  bool constant = true;
  for (const Value& item : items) {
    b.info = known(item);
    if (filter) {
      Info f = analyze(*filter, inner);
      if (!f.value || f.value->kind() != ValueKind::Bool) {
        constant = false;
        break;
      }
      if (!f.value->asBool()) continue;
    }
    Info element = analyze(*e.operands[1], inner);
    if (!element.value) {
      constant = false;
      break;
    }
    out.push_back(*element.value);
  }
  recording_ = saved;
  return constant ? known(Value::list(std::move(out))) : ofType(Type::List);
}

static std::vector<std::string> visibleNames(Scope& scope) {
  std::vector<std::string> names;
  for (Scope* s = &scope; s; s = s->parent)
    for (const auto& entry : s->names) names.push_back(entry.getKey().str());
  if (const SourceUnit* unit = scope.file())
    for (const auto& entry : unit->scope) names.push_back(entry.getKey().str());
  return names;
}

Info Checker::analyzeIdent(const ast::Expr& e, Scope& scope) {
  if (Binding* b = scope.find(e.name)) {
    b->used = true;
    if (recording_) {
      Ref ref;
      ref.kind = b->kind;
      ref.local = b->local;
      ref.param = b->param;
      program_.refs[&e] = ref;
    }
    return b->info;
  }
  Symbol* sym = scope.file() ? lookupTop(*scope.file(), e.name) : nullptr;
  if (!sym) {
    if (findBuiltin(e.name)) {
      emit(e.range, Kind::NotAValue, "builtin", e.name);
      return failed();
    }
    auto& d = emit(e.range, Kind::UnknownName, e.name);
    if (e.name == "node") {
      d.withHelp(
          "`node` is the node that a node or module body configures "
          "(`node.name`, `node.address`); elsewhere, name the node");
      return failed();
    }
    std::string best = suggest(e.name, visibleNames(scope));
    if (!best.empty()) d.withHelp(fmt::format("did you mean `{}`?", best));
    return failed();
  }
  ++sym->uses;
  Ref ref;
  ref.symbol = sym;
  Info info;
  switch (sym->kind) {
    case SymbolKind::Let:
      ref.kind = RefKind::Global;
      info = letInfo(*sym);
      break;
    case SymbolKind::Node:
      ref.kind = RefKind::Node;
      info = known(Value::machine(sym->name));
      break;
    case SymbolKind::Fn:
      emit(e.range, Kind::NotAValue, "function", e.name)
          .withHelp(fmt::format("call it: `{}(...)`", e.name));
      return failed();
    case SymbolKind::Module:
      emit(e.range, Kind::NotAValue, "module", e.name)
          .withHelp(fmt::format("use it in a node: `use {}`", e.name));
      return failed();
    case SymbolKind::Import:
      emit(e.range, Kind::NotAValue, "import", e.name)
          .withHelp(
              fmt::format("name one of its declarations: `{}.NAME`", e.name));
      return failed();
  }
  if (recording_) program_.refs[&e] = ref;
  return info;
}

// `alias.name` of an import: the symbol, or null (reported) when `e` is such
// a member but the name is missing. `isAlias` tells whether it was one.
static Symbol* importMember(Checker& c, const ast::Expr& e, Scope& scope,
                            bool& isAlias) {
  isAlias = false;
  const ast::Expr& base = *e.operands[0];
  if (base.kind != ast::ExprKind::Ident || scope.find(base.name) ||
      !scope.file())
    return nullptr;
  Symbol* alias = c.lookupTop(*scope.file(), base.name);
  if (!alias || alias->kind != SymbolKind::Import) return nullptr;
  isAlias = true;
  ++alias->uses;
  if (c.recording_) {
    Ref ref;
    ref.kind = RefKind::Import;
    ref.symbol = alias;
    c.program_.refs[&base] = ref;
  }
  if (!alias->imported) return nullptr;  // the import failed: reported
  Symbol* sym = nullptr;
  for (const auto& s : c.program_.symbols)
    if (s->unit == alias->imported && s->name == e.name &&
        s->kind != SymbolKind::Import)
      sym = s.get();
  if (!sym) {
    std::vector<std::string> names;
    for (const auto& s : c.program_.symbols)
      if (s->unit == alias->imported) names.push_back(s->name);
    auto& d = c.emit(e.nameRange.valid() ? e.nameRange : e.range,
                     Kind::UnknownImportMember, base.name, e.name);
    std::string best = suggest(e.name, names);
    if (!best.empty()) d.withHelp(fmt::format("did you mean `{}`?", best));
    return nullptr;
  }
  ++sym->uses;
  return sym;
}

Info Checker::analyzeMember(const ast::Expr& e, Scope& scope) {
  bool isAlias = false;
  if (Symbol* sym = importMember(*this, e, scope, isAlias)) {
    Ref ref;
    ref.symbol = sym;
    if (sym->kind == SymbolKind::Let) {
      ref.kind = RefKind::Global;
      if (recording_) program_.refs[&e] = ref;
      return letInfo(*sym);
    }
    emit(e.range, Kind::NotAValue,
         sym->kind == SymbolKind::Fn ? "function" : "module",
         sym->qualifiedName);
    return failed();
  }
  if (isAlias) return failed();
  Info base = analyze(*e.operands[0], scope);
  if (base.error) return failed();
  // A node's name and addresses, known at compile time (network.cpp).
  if (base.type == Type::Machine &&
      (e.name == "address" || e.name == "address6" || e.name == "name"))
    return machineAddress(base, e.name, std::nullopt, e.range);
  if (base.type != Type::Unknown && base.type != Type::Object) {
    auto& d = emit(e.range, Kind::NoSuchField, typeName(base.type), e.name);
    if (base.type == Type::Machine)
      d.withHelp(
          "a machine has `name`, `address`, `address6`, "
          "`address(vlan = V)` and its operations (`m.succeed(...)`)");
    return failed();
  }
  if (base.value) {
    const Value* f = base.value->field(e.name);
    if (!f) {
      emit(e.nameRange.valid() ? e.nameRange : e.range, Kind::NoSuchField,
           base.value->repr(), e.name);
      return failed();
    }
    return known(*f);
  }
  return Info();
}

Info Checker::analyzeBinary(const ast::Expr& e, Scope& scope) {
  Info l = analyze(*e.operands[0], scope);
  Info r = analyze(*e.operands[1], scope);
  if (l.error || r.error) return failed();
  const std::string& op = e.name;
  if ((op == "=~" || op == "!~") && r.value &&
      r.value->kind() == ValueKind::String && !checkRegex(*e.operands[1], r))
    return failed();
  bool logical = op == "and" || op == "or";
  bool compareOp = isComparison(op);
  if (l.type == Type::Unknown || r.type == Type::Unknown) {
    // One side is known by type: `and`/`or` still need booleans.
    Info one = l.type == Type::Unknown ? r : l;
    if (logical && one.type != Type::Unknown && one.type != Type::Bool) {
      emit(e.range, Kind::OperandType, op, typeName(l.type), typeName(r.type));
      return failed();
    }
    return ofType(logical || compareOp ? Type::Bool : Type::Unknown);
  }
  // As for `not`: booleans only, where the types are known.
  if (logical && (l.type != Type::Bool || r.type != Type::Bool)) {
    emit(e.range, Kind::OperandType, op, typeName(l.type), typeName(r.type));
    return failed();
  }
  bool constant = l.value && r.value;
  OperatorResult v = applyBinary(op, l.value ? *l.value : sampleOf(l.type),
                                 r.value ? *r.value : sampleOf(r.type));
  if (v.fault == OperatorResult::Fault::OperandKinds) {
    emit(e.range, Kind::OperandType, op, typeName(l.type), typeName(r.type));
    return failed();
  }
  if (!constant) return ofType(v.ok() ? typeOf(v.value) : Type::Unknown);
  if (!v.ok()) {
    emit(e.range, Kind::EvalError, v.message);
    return failed();
  }
  return known(v.value);
}

bool Checker::checkRegex(const ast::Expr& e, const Info& pattern) {
  if (!pattern.value || pattern.value->kind() != ValueKind::String) return true;
  if (auto err = regexError(pattern.value->asString())) {
    emit(e.range, Kind::BadRegex, pattern.value->repr(), *err);
    return false;
  }
  return true;
}

Info Checker::letInfo(Symbol& symbol) {
  int& state = letState_[&symbol];
  if (state == 2) return letInfo_[&symbol];
  if (state == 1) {
    emit(symbol.nameRange, Kind::EvalError,
         fmt::format("`{}` refers to itself", symbol.name));
    return failed();
  }
  state = 1;
  Scope scope;
  scope.unit = symbol.unit;
  bool saved = recording_;
  recording_ = true;
  Info info = analyze(*symbol.let->value, scope);
  recording_ = saved;
  symbol.constant = info.value;
  letState_[&symbol] = 2;
  letInfo_[&symbol] = info;
  return info;
}

}  // namespace rig::sema
