// Calls: builtins (language.md section 7), functions, and machine
// operations (section 8), with arity, named arguments and argument types.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/fold.h"

namespace rig::sema {

using diag::Kind;

static Info failedInfo() {
  Info info;
  info.error = true;
  return info;
}

// Binds the call's arguments to `sig`, reporting arity, unknown and
// duplicate names and known types that do not fit. Positional arguments
// start at operands/args index `skipPositional` (0 for every call today).
// When `c` is given, it receives the binding (Call::args, Call::rest).
Info Checker::checkArgs(const ast::Expr& call, const Signature& sig,
                        llvm::StringRef display, Scope& scope,
                        size_t skipPositional, Call* c) {
  std::vector<const ast::Arg*> bound(sig.params.size(), nullptr);
  std::vector<const ast::Arg*> rest;
  std::vector<Info> boundInfo(sig.params.size());
  size_t positional = 0;
  bool error = false;
  bool sawNamed = false;
  std::vector<Value> values;  // for folding: positional values
  bool allKnown = true;
  auto checkType = [&](const ast::Arg& arg, const ParamSig& p,
                       const Info& info) {
    if (!info.error && !accepts(p.types, info.type)) {
      emit(arg.value->range, Kind::ArgType, p.name, display,
           plan::describeTypes(p.types), typeName(info.type));
      error = true;
    }
    if (p.regex() && !checkRegex(*arg.value, info)) error = true;
  };
  for (size_t i = skipPositional; i < call.args.size(); ++i) {
    const ast::Arg& arg = call.args[i];
    Info info = analyze(*arg.value, scope);
    error |= info.error;
    if (arg.name.empty()) {
      if (sawNamed) {
        emit(arg.range, Kind::PositionalAfterNamed);
        error = true;
        continue;
      }
      size_t slot = positional++;
      // Extra commands of a variadic operation take the first parameter's
      // types; the parameters after it are given by name.
      if (sig.variadic && slot >= 1) {
        rest.push_back(&arg);
        slot = 0;
      } else if (slot < sig.params.size()) {
        bound[slot] = &arg;
        boundInfo[slot] = info;
      }
      if (slot < sig.params.size()) checkType(arg, sig.params[slot], info);
      if (info.value)
        values.push_back(*info.value);
      else
        allKnown = false;
      continue;
    }
    sawNamed = true;
    allKnown = false;
    auto it =
        std::find_if(sig.params.begin(), sig.params.end(),
                     [&](const ParamSig& p) { return arg.name == p.name; });
    if (it == sig.params.end()) {
      std::vector<std::string> names;
      for (const ParamSig& p : sig.params) names.push_back(p.name);
      auto& d = emit(arg.nameRange.valid() ? arg.nameRange : arg.range,
                     Kind::UnknownNamedArg, display, arg.name);
      std::string best = suggest(arg.name, names);
      if (!best.empty()) d.withHelp(fmt::format("did you mean `{}`?", best));
      error = true;
      continue;
    }
    size_t slot = size_t(it - sig.params.begin());
    if (bound[slot]) {
      emit(arg.range, Kind::DuplicateNamedArg, arg.name)
          .note(bound[slot]->range, "first given here");
      error = true;
      continue;
    }
    bound[slot] = &arg;
    boundInfo[slot] = info;
    checkType(arg, *it, info);
  }
  size_t maxPositional = sig.variadic ? SIZE_MAX : sig.params.size();
  bool missing = false;
  for (size_t i = 0; i < sig.params.size(); ++i)
    if (sig.params[i].required() && !bound[i]) missing = true;
  if (positional > maxPositional || missing) {
    size_t given = call.args.size() - skipPositional;
    emit(call.range, Kind::WrongArgCount, display,
         plan::describeArity(sig.params, sig.variadic), std::to_string(given));
    error = true;
  }
  // Timeouts known at compile time must be positive.
  for (size_t i = 0; i < sig.params.size(); ++i) {
    if (!bound[i] || llvm::StringRef(sig.params[i].name) != "timeout") continue;
    const Info& t = boundInfo[i];
    if (t.value &&
        (t.value->kind() == ValueKind::Duration || t.value->isNumber())) {
      double v = t.value->kind() == ValueKind::Duration
                     ? t.value->asDurationMs()
                     : t.value->asNumber();
      if (v <= 0) {
        emit(bound[i]->value->range, Kind::BadDuration, t.value->repr());
        error = true;
      }
    }
  }
  // So must an output limit.
  for (size_t i = 0; i < sig.params.size(); ++i) {
    if (!bound[i] || llvm::StringRef(sig.params[i].name) != "max_output")
      continue;
    const Info& m = boundInfo[i];
    if (!m.value || m.value->kind() != ValueKind::Size) continue;
    int64_t bytes = m.value->asSizeBytes();
    if (bytes < int64_t(plan::kMinOutputBytes) ||
        bytes > int64_t(plan::kMaxOutputBytes)) {
      emit(bound[i]->value->range, Kind::BadOutputLimit, m.value->repr(),
           formatSize(int64_t(plan::kMinOutputBytes)),
           formatSize(int64_t(plan::kMaxOutputBytes)));
      error = true;
    }
  }
  for (size_t i = 0; i < sig.params.size(); ++i) {
    if (!bound[i] || boundInfo[i].error) continue;
    llvm::StringRef name = sig.params[i].name;
    const ast::Expr& value = *bound[i]->value;
    if (name == "shell" && !checkShellArg(value, boundInfo[i])) error = true;
    if ((name == "env" || name == "query") &&
        !checkStringMapArg(value, boundInfo[i], name, display))
      error = true;
    // copy_to's guest paths, when known: absolute, as the runtime needs.
    if ((name == "src" || name == "dst") && boundInfo[i].value &&
        boundInfo[i].value->kind() == ValueKind::String &&
        !llvm::StringRef(boundInfo[i].value->asString()).startswith("/")) {
      emit(value.range, Kind::NotAbsolute, name.str(),
           boundInfo[i].value->asString())
          .withHelp("a path in a guest is absolute: `/tmp/x`, not `tmp/x`");
      error = true;
    }
  }
  if (c) {
    for (const ast::Arg* arg : bound)
      c->args.push_back(arg ? arg->value.get() : nullptr);
    for (const ast::Arg* arg : rest) c->rest.push_back(arg->value.get());
  }
  if (error) return failedInfo();
  Info result;
  result.type = sig.result;
  if (allKnown && sig.entry && sig.entry->kind == plan::CallableKind::Builtin) {
    std::string err;
    if (auto v = foldBuiltin(sig.name, values, err)) {
      result.type = typeOf(*v);
      result.value = std::move(v);
    } else if (!err.empty()) {
      emit(call.range, Kind::EvalError, err);
      return failedInfo();
    }
  }
  return result;
}

std::string suggestShell(llvm::StringRef got) {
  llvm::StringRef base =
      got.rsplit('/').second.empty() ? got : got.rsplit('/').second;
  if (base == "dash" || base == "sh" || base == "posix") return "sh";
  if (base == "bash") return "bash";
  return suggest(base, {"bash", "sh"});
}

bool Checker::checkShellArg(const ast::Expr& e, const Info& info) {
  if (!info.value || info.value->kind() != ValueKind::String) return true;
  const std::string& got = info.value->asString();
  if (got == "bash" || got == "sh") return true;
  auto& d = emit(e.range, Kind::BadEnumValue, "shell", "`bash`, `sh`", got);
  if (std::string best = suggestShell(got); !best.empty())
    d.withHelp(fmt::format("did you mean `{}`?", best));
  return false;
}

// `env = {NAME: value}` and `query = {key: value}`: values are converted
// with `str` (strings, numbers, bools, durations, sizes, machines: not lists,
// objects or null, as in `test_env`); an environment variable's name is not
// empty and has no `=`.
bool Checker::checkStringMapArg(const ast::Expr& e, const Info& info,
                                llvm::StringRef param,
                                llvm::StringRef display) {
  const Value* known = info.value && info.value->kind() == ValueKind::Object
                           ? &*info.value
                           : nullptr;
  if (!known && e.kind != ast::ExprKind::Object) return true;
  bool ok = true;
  auto check = [&](const SourceRange& keyRange, const std::string& key,
                   const SourceRange& valueRange,
                   std::optional<ValueKind> kind) {
    if (param == "env" && (key.empty() || key.find('=') != std::string::npos)) {
      emit(keyRange, Kind::BadName, key, "environment variable");
      ok = false;
    }
    if (kind == ValueKind::List || kind == ValueKind::Object ||
        kind == ValueKind::Null) {
      emit(valueRange, Kind::ArgType, fmt::format("{}.{}", param.str(), key),
           display, "a string, number or bool", kindName(*kind));
      ok = false;
    }
  };
  auto fieldKind = [&](const std::string& key) -> std::optional<ValueKind> {
    for (const auto& [k, v] : known->asObject())
      if (k == key) return v.kind();
    return std::nullopt;
  };
  if (e.kind != ast::ExprKind::Object) {
    for (const auto& [key, v] : known->asObject())
      check(e.range, key, e.range, v.kind());
    return ok;
  }
  // A literal: point at the entry; a value not known is judged by its form.
  for (const ast::ObjectEntry& entry : e.entries) {
    if (!entry.value) continue;
    std::optional<ValueKind> kind;
    if (known)
      kind = fieldKind(entry.key);
    else if (entry.value->kind == ast::ExprKind::List ||
             entry.value->kind == ast::ExprKind::ListFor)
      kind = ValueKind::List;
    else if (entry.value->kind == ast::ExprKind::Object)
      kind = ValueKind::Object;
    else if (entry.value->kind == ast::ExprKind::Null)
      kind = ValueKind::Null;
    check(entry.keyRange, entry.key, entry.value->range, kind);
  }
  return ok;
}

// A fn's parameters: any type, required unless defaulted.
static std::vector<ParamSig> fnParams(const ast::Fn& fn) {
  std::vector<ParamSig> params;
  for (const ast::FnParam& p : fn.params)
    params.push_back({p.name.c_str(), plan::kAny,
                      p.defaultValue ? plan::kAbsent : plan::kRequired});
  return params;
}

Info Checker::analyzeCall(const ast::Expr& e, Scope& scope) {
  const ast::Expr& callee = *e.operands[0];
  auto analyzeArgsOnly = [&] {
    for (const ast::Arg& arg : e.args) analyze(*arg.value, scope);
    return failedInfo();
  };
  auto callFn = [&](Symbol* sym, const ast::Expr& at) {
    Call c;
    c.kind = CallKind::Fn;
    c.name = sym->qualifiedName;
    c.fn = sym;
    if (recording_) {
      program_.calls[&e] = c;
      Ref ref;
      ref.kind = RefKind::Fn;
      ref.symbol = sym;
      program_.refs[&at] = ref;
    }
    std::vector<ParamSig> params = fnParams(*sym->fn);
    Signature sig;
    sig.name = sym->fn->name.c_str();
    sig.params = params;
    Info info = checkArgs(e, sig, sym->name, scope, 0, nullptr);
    info.type = Type::Unknown;
    info.value.reset();
    return info;
  };

  if (callee.kind == ast::ExprKind::Ident) {
    if (Binding* b = scope.find(callee.name)) {
      b->used = true;
      emit(callee.range, Kind::NotCallable, callee.name);
      return analyzeArgsOnly();
    }
    Symbol* sym =
        scope.file() ? lookupTop(*scope.file(), callee.name) : nullptr;
    if (sym) {
      ++sym->uses;
      if (sym->kind == SymbolKind::Fn) return callFn(sym, callee);
      emit(callee.range, Kind::NotCallable, callee.name);
      return analyzeArgsOnly();
    }
    // `vlan(V)`: the vlan's subnets, known at compile time (network.cpp).
    if (callee.name == "vlan") return analyzeVlanCall(e, scope);
    if (std::optional<Signature> sig = findBuiltin(callee.name)) {
      Call c;
      c.kind = CallKind::Builtin;
      c.name = callee.name;
      c.entry = sig->entry;
      Info info = checkArgs(e, *sig, callee.name, scope, 0, &c);
      if (recording_) {
        program_.calls[&e] = std::move(c);
        Ref ref;
        ref.kind = RefKind::Builtin;
        program_.refs[&callee] = ref;
      }
      return info;
    }
    std::vector<std::string> names;
    for (const plan::Signature& s : plan::builtins()) names.push_back(s.name);
    if (scope.file())
      for (const auto& entry : scope.file()->scope)
        if (entry.second->kind == SymbolKind::Fn)
          names.push_back(entry.getKey().str());
    auto& d = emit(callee.range, Kind::UnknownName, callee.name);
    std::string best = suggest(callee.name, names);
    if (!best.empty()) d.withHelp(fmt::format("did you mean `{}`?", best));
    return analyzeArgsOnly();
  }

  if (callee.kind == ast::ExprKind::Member) {
    // `alias.f(...)`: a function of an imported file.
    const ast::Expr& base = *callee.operands[0];
    if (base.kind == ast::ExprKind::Ident && !scope.find(base.name) &&
        scope.file()) {
      Symbol* alias = lookupTop(*scope.file(), base.name);
      if (alias && alias->kind == SymbolKind::Import) {
        ++alias->uses;
        if (recording_) {
          Ref ref;
          ref.kind = RefKind::Import;
          ref.symbol = alias;
          program_.refs[&base] = ref;
        }
        Symbol* sym = nullptr;
        std::vector<std::string> names;
        for (const auto& s : program_.symbols)
          if (alias->imported && s->unit == alias->imported &&
              s->kind != SymbolKind::Import) {
            names.push_back(s->name);
            if (s->name == callee.name) sym = s.get();
          }
        if (!alias->imported) return analyzeArgsOnly();
        if (!sym) {
          auto& d =
              emit(callee.nameRange.valid() ? callee.nameRange : callee.range,
                   Kind::UnknownImportMember, base.name, callee.name);
          std::string best = suggest(callee.name, names);
          if (!best.empty())
            d.withHelp(fmt::format("did you mean `{}`?", best));
          return analyzeArgsOnly();
        }
        ++sym->uses;
        if (sym->kind != SymbolKind::Fn) {
          emit(callee.range, Kind::NotCallable, base.name + "." + callee.name);
          return analyzeArgsOnly();
        }
        return callFn(sym, callee);
      }
    }
    // A machine operation.
    Info receiver = analyze(base, scope);
    SourceRange nameRange =
        callee.nameRange.valid() ? callee.nameRange : callee.range;
    if ((callee.name == "address" || callee.name == "address6") &&
        (receiver.error || receiver.type == Type::Machine))
      return analyzeAddressCall(e, receiver, callee.name, scope);
    std::optional<Signature> sig = findMethod(callee.name);
    if (!sig) {
      std::vector<std::string> names;
      for (const plan::Signature& s : plan::operations())
        names.push_back(s.name);
      auto& d = emit(nameRange, Kind::UnknownMethod, callee.name);
      std::string best = suggest(callee.name, names);
      if (!best.empty()) d.withHelp(fmt::format("did you mean `{}`?", best));
      return analyzeArgsOnly();
    }
    if (!receiver.error && receiver.type != Type::Unknown &&
        receiver.type != Type::Machine) {
      emit(base.range, Kind::NotAMachine, callee.name, typeName(receiver.type));
      return analyzeArgsOnly();
    }
    Call c;
    c.kind = CallKind::Method;
    c.name = callee.name;
    c.entry = sig->entry;
    if (receiver.value && receiver.value->kind() == ValueKind::Machine)
      c.node = receiver.value->asString();
    Info info = checkArgs(e, *sig, callee.name, scope, 0, &c);
    if (recording_) program_.calls[&e] = std::move(c);
    info.value.reset();  // machine operations run at run time
    return info;
  }

  analyze(callee, scope);
  emit(callee.range, Kind::NotCallable, sources_.slice(callee.range).str());
  return analyzeArgsOnly();
}

}  // namespace rig::sema
