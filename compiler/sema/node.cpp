// Nodes: the attribute table of language.md section 4, `use` of modules and
// the merging rules of section 5.
#include "compiler/sema/node.h"

#include <algorithm>

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"

namespace rig::sema {

using diag::Kind;

static const NodeItem kNodeItems[] = {
#define RIG_NODE_ITEM(block, name, isBlock, type, doc) \
  {block, #name, isBlock, type, doc},
#include "compiler/sema/node_items.def"
#undef RIG_NODE_ITEM
};

std::span<const NodeItem> nodeItems() { return kNodeItems; }

const NodeItem* findNodeItem(llvm::StringRef block, llvm::StringRef name) {
  for (const NodeItem& item : kNodeItems)
    if (block == item.block && name == item.name) return &item;
  return nullptr;
}

std::vector<std::string> nodeAttributeNames(llvm::StringRef block) {
  std::vector<std::string> out;
  for (const NodeItem& item : kNodeItems)
    if (block == item.block && !item.isBlock) out.push_back(item.name);
  return out;
}

std::vector<llvm::StringRef> nodeAttributes() {
  std::vector<llvm::StringRef> out;
  for (const NodeItem& item : kNodeItems)
    if (!*item.block && !item.isBlock) out.push_back(item.name);
  return out;
}

std::vector<llvm::StringRef> nodeBlocks() {
  std::vector<llvm::StringRef> out;
  for (const NodeItem& item : kNodeItems)
    if (!*item.block && item.isBlock) out.push_back(item.name);
  return out;
}

// ---- Value helpers ---------------------------------------------------------------

std::optional<Value> NodeBuilder::value(const ast::Expr& e,
                                        const std::string& attr,
                                        ItemContext& ctx) {
  Info info = c_.analyze(e, *ctx.scope);
  if (info.error) return std::nullopt;
  if (!info.value) {
    if (ctx.lenient) return std::nullopt;
    auto& d = c_.emit(e.range, Kind::NotConstant,
                      fmt::format("the value of `{}`", attr));
    // A builtin that only the run can answer (`now()`, `json(...)` of a
    // command's output): say so rather than that builtins are allowed.
    if (e.kind == ast::ExprKind::Call && !e.operands.empty() &&
        e.operands[0]->kind == ast::ExprKind::Ident &&
        plan::findBuiltin(e.operands[0]->name))
      d.withHelp(fmt::format(
          "`{}(...)` is only known when the test runs; node configuration "
          "may use constants, module parameters and builtins of those",
          e.operands[0]->name));
    else
      d.withHelp(
          "node configuration may use constants, module parameters "
          "and builtins, not machine operations or functions");
    return std::nullopt;
  }
  return info.value;
}

void NodeBuilder::typeError(const ast::Expr& e, const std::string& attr,
                            const char* expected, const Value& got) {
  std::string shown = got.repr();
  if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
  c_.emit(e.range, Kind::AttributeType, attr, expected,
          kindName(got.kind()).str(), shown);
}

std::optional<std::string> NodeBuilder::string(const ast::Expr& e,
                                               const std::string& attr,
                                               ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  if (v->kind() != ValueKind::String) {
    typeError(e, attr, "a string", *v);
    return std::nullopt;
  }
  return v->asString();
}

std::optional<int64_t> NodeBuilder::integer(const ast::Expr& e,
                                            const std::string& attr,
                                            ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  if (v->kind() != ValueKind::Int) {
    typeError(e, attr, "an int", *v);
    return std::nullopt;
  }
  return v->asInt();
}

std::optional<bool> NodeBuilder::boolean(const ast::Expr& e,
                                         const std::string& attr,
                                         ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  if (v->kind() != ValueKind::Bool) {
    typeError(e, attr, "a bool", *v);
    return std::nullopt;
  }
  return v->asBool();
}

std::optional<std::vector<std::string>> NodeBuilder::strings(
    const ast::Expr& e, const std::string& attr, ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (v->kind() == ValueKind::List) {
    bool ok = true;
    for (const Value& item : v->asList()) {
      if (item.kind() != ValueKind::String)
        ok = false;
      else
        out.push_back(item.asString());
    }
    if (ok) return out;
  }
  typeError(e, attr, "a list of strings", *v);
  return std::nullopt;
}

std::optional<std::vector<std::string>> NodeBuilder::unitNames(
    const ast::Expr& e, const std::string& attr, ItemContext& ctx) {
  auto v = strings(e, attr, ctx);
  if (!v) return std::nullopt;
  for (const std::string& u : *v) {
    std::string reason;
    if (!isValidUnitName(u, reason)) {
      c_.emit(e.range, Kind::BadUnitName, u, reason);
      return std::nullopt;
    }
  }
  return v;
}

std::optional<std::vector<int64_t>> NodeBuilder::integers(
    const ast::Expr& e, const std::string& attr, ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  std::vector<int64_t> out;
  if (v->kind() == ValueKind::List) {
    bool ok = true;
    for (const Value& item : v->asList()) {
      if (item.kind() != ValueKind::Int)
        ok = false;
      else
        out.push_back(item.asInt());
    }
    if (ok) return out;
  }
  typeError(e, attr, "a list of ints", *v);
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, std::string>>>
NodeBuilder::stringMap(const ast::Expr& e, const std::string& attr,
                       ItemContext& ctx) {
  auto v = value(e, attr, ctx);
  if (!v) return std::nullopt;
  if (v->kind() != ValueKind::Object) {
    typeError(e, attr, "an object", *v);
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, item] : v->asObject()) {
    switch (item.kind()) {
      case ValueKind::List:
      case ValueKind::Object:
      case ValueKind::Null:
        typeError(e, attr + "." + k, "a string, number or bool", item);
        return std::nullopt;
      default: out.emplace_back(k, item.str());
    }
  }
  return out;
}

// ---- Merging ----------------------------------------------------------------------

// A scalar: the node's own value wins over a module's; one module setting it
// twice, or two modules setting different values, is an error.
void NodeBuilder::setScalar(const std::string& key, const Value& v,
                            const ast::Item& item, ItemContext& ctx) {
  Origin origin = ctx.origin(item.range);
  auto it = scalars_.find(key);
  if (it == scalars_.end()) {
    scalars_[key] = {v, origin, ctx.byNode()};
    return;
  }
  Scalar& old = it->second;
  if (ctx.byNode()) {
    if (old.byNode) {
      c_.emit(item.nameRange, Kind::DuplicateAttribute, key)
          .note(old.origin.range, "first set here");
      return;
    }
    old = {v, origin, true};
    return;
  }
  if (old.byNode) return;  // the node wins
  if (old.origin.module == origin.module &&
      old.origin.useRange.begin == origin.useRange.begin) {
    c_.emit(item.nameRange, Kind::DuplicateAttribute, key)
        .note(old.origin.range, "first set here");
    return;
  }
  if (old.value == v) return;
  c_.emit(origin.useRange, Kind::ModuleConflict, key, old.origin.module,
          origin.module, old.value.repr(), v.repr())
      .note(old.origin.range, fmt::format("`{}` set to {} here, by `{}`", key,
                                          old.value.repr(), old.origin.module))
      .note(origin.range, fmt::format("`{}` set to {} here, by `{}`", key,
                                      v.repr(), origin.module))
      .withHelp(fmt::format("set `{}` on the node to decide", key));
}

// Services, files, users, groups, units and prepare steps are keyed by name;
// a second declaration is an error wherever it comes from.
bool NodeBuilder::claimName(const char* kind, const std::string& name,
                            SourceRange range) {
  auto& names = names_[kind];
  auto [it, inserted] = names.emplace(name, range);
  if (inserted) return true;
  c_.emit(range, Kind::DuplicateNamedItem, kind, name, cfg_.name)
      .note(it->second, "first declared here");
  return false;
}

template <typename T>
static void appendUnique(std::vector<T>& to, const std::vector<T>& items) {
  for (const T& item : items)
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
}

void NodeBuilder::applyItems(const std::vector<ast::Item>& items,
                             ItemContext& ctx) {
  for (const ast::Item& item : items) {
    if (ctx.networkOnly && item.kind != ast::ItemKind::Use &&
        !(item.kind == ast::ItemKind::Attr &&
          (item.name == "vlans" || item.name == "addresses")))
      continue;
    switch (item.kind) {
      case ast::ItemKind::Attr: applyAttr(item, ctx); break;
      case ast::ItemKind::Block: applyBlock(item, ctx); break;
      case ast::ItemKind::Use: applyUse(item, ctx); break;
      case ast::ItemKind::Param:
        // Module parameters are bound by applyUse.
        if (ctx.byNode()) c_.emit(item.range, Kind::ParamOutsideModule);
        break;
    }
  }
}

void NodeBuilder::applyAttr(const ast::Item& item, ItemContext& ctx) {
  if (!item.value) return;
  if (item.drop) return recordDrop(item, item.name, "", ctx);
  const ast::Expr& e = *item.value;
  const std::string& name = item.name;
  if (name == "memory") {
    auto v = value(e, name, ctx);
    if (!v) return;
    if (v->kind() != ValueKind::Size) return typeError(e, name, "a size", *v);
    if (v->asSizeBytes() < (64ll << 20) || v->asSizeBytes() > (64ll << 30)) {
      c_.emit(e.range, Kind::BadMemory, v->repr());
      return;
    }
    setScalar(name, *v, item, ctx);
  } else if (name == "test_shell") {
    // The shell of the test's commands on this node (docs/language.md).
    auto v = value(e, name, ctx);
    if (!v) return;
    if (v->kind() != ValueKind::String)
      return typeError(e, name, "a string", *v);
    if (v->asString() != "bash" && v->asString() != "sh") {
      auto& d = c_.emit(e.range, Kind::BadEnumValue, name, "`bash`, `sh`",
                        v->asString());
      if (std::string best = suggestShell(v->asString()); !best.empty())
        d.withHelp(fmt::format("did you mean `{}`?", best));
      return;
    }
    setScalar(name, *v, item, ctx);
  } else if (name == "cpus") {
    auto v = integer(e, name, ctx);
    if (!v) return;
    if (*v < 1 || *v > 64) {
      c_.emit(e.range, Kind::BadCpus, *v);
      return;
    }
    setScalar(name, Value::integer(*v), item, ctx);
  } else if (name == "vlans") {
    auto v = integers(e, name, ctx);
    if (!v) return;
    for (int64_t vlan : *v)
      if (vlan < 1 || vlan > 254) {
        c_.emit(e.range, Kind::BadVlan, vlan);
        return;
      }
    vlansSet_ = true;
    appendUnique(cfg_.vlans, *v);
  } else if (name == "addresses") {
    applyAddresses(e, ctx);
  } else if (name == "nameservers") {
    applyNameservers(e, ctx);
  } else if (name == "packages") {
    auto v = strings(e, name, ctx);
    if (!v) return;
    for (const std::string& p : *v)
      if (p.empty() || p.find_first_of(" \t\n/") != std::string::npos) {
        c_.emit(e.range, Kind::BadName, p, "Debian package");
        return;
      }
    appendUnique(cfg_.packages, *v);
  } else if (name == "enable") {
    // Units the host's packages ship (or the node declares), started in
    // the node's boot target: `systemctl enable` without [Install].
    if (auto v = unitNames(e, name, ctx)) appendUnique(cfg_.enable, *v);
  } else if (name == "path") {
    // Directories for PATH: absolute, without the separator.
    auto v = strings(e, name, ctx);
    if (!v) return;
    for (const std::string& dir : *v)
      if (!llvm::StringRef(dir).startswith("/") ||
          dir.find(':') != std::string::npos) {
        c_.emit(e.range, Kind::NotAbsolute, name, dir)
            .withHelp("each entry is one absolute directory, without `:`");
        return;
      }
    if (!cfg_.pathRange.valid()) cfg_.pathRange = item.range;
    appendUnique(cfg_.path, *v);
  } else if (name == "kernel_params") {
    auto v = strings(e, name, ctx);
    if (v && !cfg_.kernelParamsRange.valid())
      cfg_.kernelParamsRange = item.range;
    if (v)
      cfg_.kernelParams.insert(cfg_.kernelParams.end(), v->begin(), v->end());
  } else if (name == "backend") {
    auto v = string(e, name, ctx);
    if (!v) return;
    if (*v != "vm" && *v != "container") {
      c_.emit(e.range, Kind::BadBackend, *v);
      return;
    }
    setScalar(name, Value::string(*v), item, ctx);
  } else if (name == "sysctl" || name == "test_env") {
    // Keyed settings: each key is a scalar that modules and the node merge.
    auto v = stringMap(e, name, ctx);
    if (!v) return;
    auto& settings = name == "sysctl" ? cfg_.sysctl : cfg_.testEnv;
    for (const auto& [key, val] : *v) {
      if (name == "test_env" &&
          (key.empty() || key.find('=') != std::string::npos)) {
        c_.emit(e.range, Kind::BadName, key, "environment variable");
        return;
      }
      setScalar(name + "." + key, Value::string(val), item, ctx);
      auto it = std::find_if(settings.begin(), settings.end(),
                             [&](const auto& kv) { return kv.first == key; });
      const Value& winner = scalars_[name + "." + key].value;
      if (it != settings.end())
        it->second = winner.asString();
      else
        settings.emplace_back(key, winner.asString());
    }
  } else {
    std::vector<std::string> names = nodeAttributeNames("");
    const NodeItem* known = findNodeItem("", name);
    bool isBlock = known && known->isBlock;
    auto& d = c_.emit(item.nameRange, Kind::UnknownAttribute, name, ctx.where);
    if (isBlock)
      d.withHelp(fmt::format("`{}` is a block: `{} {{ ... }}`", name, name));
    else if (std::string best = suggest(name, names); !best.empty())
      d.withHelp(fmt::format("did you mean `{}`?", best));
  }
}

// `use MODULE { PARAM = EXPR }`: binds the parameters (type from the explicit
// annotation or the default) and applies the module body.
void NodeBuilder::applyUse(const ast::Item& item, ItemContext& ctx) {
  const SourceUnit* file = ctx.scope->file();
  Symbol* sym = nullptr;
  llvm::StringRef name(item.name);
  if (name.contains('.')) {
    auto [alias, member] = name.split('.');
    Symbol* a = c_.lookupTop(*file, alias);
    if (a && a->kind == SymbolKind::Import) {
      ++a->uses;
      for (const auto& s : c_.program_.symbols)
        if (a->imported && s->unit == a->imported && s->name == member &&
            s->kind == SymbolKind::Module)
          sym = s.get();
    }
  } else {
    sym = c_.lookupTop(*file, name);
  }
  if (!sym || sym->kind != SymbolKind::Module) {
    std::vector<std::string> modules;
    for (const auto& entry : file->scope)
      if (entry.second->kind == SymbolKind::Module)
        modules.push_back(entry.getKey().str());
    auto& d = c_.emit(item.nameRange, Kind::UnknownModule, item.name);
    std::string failedImport;
    for (size_t i = 0; i < file->imports.size(); ++i)
      if (!file->imports[i]) failedImport = file->ast.imports[i].path;
    if (!failedImport.empty())
      d.withHelp(
          fmt::format("it may be declared in `{}`, which could not be "
                      "imported",
                      failedImport));
    else if (std::string best = suggest(item.name, modules); !best.empty())
      d.withHelp(fmt::format("did you mean `{}`?", best));
    else if (name.contains('.'))
      d.withHelp(fmt::format(
          "`{}` is not an import alias: write `import \"FILE\" as {}`",
          name.split('.').first.str(), name.split('.').first.str()));
    else if (!sym && name == "postgresql")
      d.withHelp("import it first: `import \"std/postgresql\"`");
    else if (!sym)
      d.withHelp(
          fmt::format("import the file that declares it, e.g. "
                      "`import \"std/{}\"`",
                      item.name));
    return;
  }
  ++sym->uses;
  if (std::find(ctx.moduleStack.begin(), ctx.moduleStack.end(), sym) !=
      ctx.moduleStack.end()) {
    std::string chain;
    for (const Symbol* m : ctx.moduleStack) chain += m->name + " -> ";
    c_.emit(item.nameRange, Kind::ModuleCycle, sym->name, chain + sym->name);
    return;
  }
  const ast::Module& module = *sym->module;

  // The module's own scope: its parameters over its file.
  Scope fileScope;
  fileScope.unit = sym->unit;
  Scope params{&fileScope, nullptr, false, {}};
  ModuleUse use;
  use.module = sym;
  use.range = item.range;

  std::map<std::string, const ast::Item*> given;
  for (const ast::Item& arg : item.body) {
    if (arg.kind != ast::ItemKind::Attr) {
      c_.emit(arg.nameRange, Kind::UnknownModuleParam, sym->name, arg.name);
      continue;
    }
    auto [it, inserted] = given.emplace(arg.name, &arg);
    if (!inserted)
      c_.emit(arg.nameRange, Kind::DuplicateAttribute, arg.name)
          .note(it->second->nameRange, "first set here");
  }
  std::vector<std::string> paramNames;
  for (const ast::Item& p : module.body)
    if (p.kind == ast::ItemKind::Param) paramNames.push_back(p.name);
  for (const auto& [argName, arg] : given) {
    if (std::find(paramNames.begin(), paramNames.end(), argName) ==
        paramNames.end()) {
      auto& d =
          c_.emit(arg->nameRange, Kind::UnknownModuleParam, sym->name, argName);
      if (std::string best = suggest(argName, paramNames); !best.empty())
        d.withHelp(fmt::format("did you mean `{}`?", best));
    }
  }

  static const char* const kTypes[] = {"string",   "int",  "float", "bool",
                                       "duration", "size", "list",  "object"};
  static const Type kTypeValues[] = {Type::String, Type::Int,      Type::Float,
                                     Type::Bool,   Type::Duration, Type::Size,
                                     Type::List,   Type::Object};
  bool failed = false;
  for (const ast::Item& p : module.body) {
    if (p.kind != ast::ItemKind::Param) continue;
    Type declared = Type::Unknown;
    if (!p.typeName.empty()) {
      auto it = std::find(std::begin(kTypes), std::end(kTypes), p.typeName);
      if (it == std::end(kTypes)) {
        c_.emit(p.typeRange, Kind::UnknownType, p.typeName,
                "string, int, float, bool, duration, size, list, object");
      } else {
        declared = kTypeValues[it - std::begin(kTypes)];
      }
    }
    std::optional<Value> defaultValue;
    if (p.value) {
      Info d = c_.analyze(*p.value, fileScope);
      if (d.value)
        defaultValue = d.value;
      else if (!d.error && !ctx.lenient)
        c_.emit(p.value->range, Kind::NotConstant,
                fmt::format("the default of parameter `{}`", p.name));
      if (d.value && declared != Type::Unknown &&
          !(typeOf(*d.value) == declared ||
            (declared == Type::Float && d.value->kind() == ValueKind::Int))) {
        c_.emit(p.value->range, Kind::ModuleParamType, p.name, sym->name,
                typeName(declared), kindName(d.value->kind()).str(),
                d.value->repr());
      }
      if (declared == Type::Unknown && d.value) declared = typeOf(*d.value);
    } else if (p.typeName.empty()) {
      c_.emit(p.nameRange, Kind::ParamNeedsDefault, p.name);
    }
    Binding b;
    b.kind = RefKind::Param;
    b.moduleParam = &p;
    b.info.type = declared;
    auto g = given.find(p.name);
    if (g != given.end() && g->second->value) {
      Info v = c_.analyze(*g->second->value, *ctx.scope);
      if (v.error) {
        failed = true;
      } else if (!v.value) {
        if (!ctx.lenient)
          c_.emit(g->second->value->range, Kind::NotConstant,
                  fmt::format("the value of parameter `{}`", p.name));
        failed = !ctx.lenient;
      } else if (declared != Type::Unknown && typeOf(*v.value) != declared &&
                 !(declared == Type::Float &&
                   v.value->kind() == ValueKind::Int)) {
        c_.emit(g->second->value->range, Kind::ModuleParamType, p.name,
                sym->name, typeName(declared), kindName(v.value->kind()).str(),
                v.value->repr())
            .note(p.range, "parameter declared here");
        failed = true;
      } else {
        b.info.value = v.value;
      }
    } else if (defaultValue) {
      b.info.value = defaultValue;
    } else if (p.value == nullptr && !ctx.lenient) {
      c_.emit(item.nameRange, Kind::MissingModuleParam, sym->name, p.name)
          .note(p.range, "parameter declared here");
      failed = true;
    }
    if (b.info.value) {
      b.info.type = typeOf(*b.info.value);
      use.params.emplace_back(p.name, *b.info.value);
    }
    if (!params.names.try_emplace(p.name, b).second)
      c_.emit(p.nameRange, Kind::DuplicateParam, p.name);
  }
  if (failed) return;

  params.names.try_emplace("node", c_.selfBinding(cfg_, ctx.lenient));
  ItemContext inner = ctx;
  inner.scope = &params;
  if (ctx.byNode()) {
    inner.module = sym->name;
    inner.useRange = item.range;
  } else {
    inner.module = ctx.module;  // nested: report the outermost use
  }
  inner.where = fmt::format("module `{}`", sym->name);
  inner.moduleStack.push_back(sym);
  bool saved = c_.recording_;
  c_.recording_ = false;
  applyItems(module.body, inner);
  c_.recording_ = saved;
  if (!ctx.lenient) cfg_.uses.push_back(std::move(use));
}

void NodeBuilder::finish() {
  applyDrops();
  if (!cfg_.path.empty())
    for (const auto& [key, value] : cfg_.testEnv)
      if (key == "PATH")
        c_.emit(cfg_.pathRange, Kind::PathTwice, cfg_.name)
            .withHelp(
                "`path` puts its directories before the default PATH; drop "
                "`PATH` from `test_env`");
  if (!vlansSet_ && cfg_.vlans.empty()) cfg_.vlans = {1};
  resolveAddresses();
  if (auto it = scalars_.find("memory"); it != scalars_.end())
    cfg_.memoryBytes = it->second.value.asSizeBytes();
  if (auto it = scalars_.find("cpus"); it != scalars_.end())
    cfg_.cpus = it->second.value.asInt();
  if (auto it = scalars_.find("test_shell"); it != scalars_.end())
    cfg_.testShell = it->second.value.asString();
  if (auto it = scalars_.find("firewall.enable"); it != scalars_.end())
    cfg_.firewallEnable = it->second.value.asBool();
  cfg_.backend = c_.options_.defaultBackend;
  if (auto it = scalars_.find("backend"); it != scalars_.end())
    cfg_.backend = it->second.value.asString();
  if (!c_.options_.forcedBackend.empty())
    cfg_.backend = c_.options_.forcedBackend;
  // What only a VM has (docs/running.md has the table).
  if (cfg_.backend == "container" && cfg_.kernelParamsRange.valid())
    c_.emit(cfg_.kernelParamsRange, Kind::VmOnly, "`kernel_params`", cfg_.name)
        .withHelp(
            "a container shares the host's kernel; drop `kernel_params` or "
            "set `backend = \"vm\"`");
  // A container may write the sysctls of its own network namespace only.
  if (cfg_.backend == "container")
    for (const auto& [key, value] : cfg_.sysctl)
      if (!llvm::StringRef(key).startswith("net."))
        c_.emit(scalars_["sysctl." + key].origin.range, Kind::VmOnly,
                fmt::format("sysctl `{}`", key), cfg_.name)
            .withHelp(
                "a container sees the host's kernel settings read-only, except "
                "`net.*` of its own network namespace");
  // udev: systemd skips systemd-udevd where /sys is read-only, as in every
  // container; a service that needs it would start without devices.
  if (cfg_.backend == "container")
    for (const Service& s : cfg_.services)
      for (const auto* list : {&s.requiredUnits, &s.wants})
        if (std::find(list->begin(), list->end(), "systemd-udevd.service") !=
            list->end()) {
          c_.emit(s.origin.range, Kind::VmOnly,
                  fmt::format("`systemd-udevd.service` (in service `{}`)",
                              s.name),
                  cfg_.name)
              .withHelp(
                  "a container has no udev (its /sys is read-only); run this "
                  "node "
                  "with `backend = \"vm\"`");
          break;
        }
  if (auto it = scalars_.find("firewall.reject"); it != scalars_.end())
    cfg_.firewallReject = it->second.value.asBool();
  if (auto it = scalars_.find("firewall.log_refused"); it != scalars_.end())
    cfg_.firewallLogRefused = it->second.value.asBool();
  checkInterfaces();
  // Storage and logging a container does not have (addresses, IPv6,
  // nameservers and the other firewall rules work there: the same manifest
  // and ruleset, in the container's network namespace).
  if (cfg_.backend == "container") {
    for (const DiskEntry& d : cfg_.disks)
      c_.emit(d.origin.range, Kind::VmOnly,
              fmt::format("`disk \"{}\"`", d.path), cfg_.name)
          .withHelp(
              "a container has no virtio disk; its files stay on its state "
              "directory, or run this node with `backend = \"vm\"`");
    for (const MountEntry& m : cfg_.mounts)
      if (llvm::StringRef(m.type).startswith("nfs") || m.type == "cifs" ||
          m.type == "smb3")
        c_.emit(m.origin.range, Kind::VmOnly,
                fmt::format("`mount \"{}\"` of type `{}`", m.path, m.type),
                cfg_.name)
            .withHelp(
                "a container cannot mount a network file system; run this "
                "node with `backend = \"vm\"`");
    if (cfg_.firewallLogRefused)
      c_.emit(scalars_["firewall.log_refused"].origin.range, Kind::VmOnly,
              "`log_refused`", cfg_.name)
          .withHelp(
              "the kernel drops netfilter log messages of a container's "
              "network namespace");
  }
  // Prepared state: mount points must not nest.
  for (size_t i = 0; i < cfg_.prepares.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      llvm::StringRef a = cfg_.prepares[i].mountAt,
                      b = cfg_.prepares[j].mountAt;
      auto within = [](llvm::StringRef inner, llvm::StringRef outer) {
        if (outer == "/") return true;
        return inner == outer ||
               (inner.startswith(outer) && inner[outer.size()] == '/');
      };
      if (within(a, b) || within(b, a)) {
        c_.emit(cfg_.prepares[i].origin.range, Kind::MountOverlap, a,
                cfg_.prepares[i].name, b, cfg_.prepares[j].name)
            .note(cfg_.prepares[j].origin.range, "the other prepare step");
      }
    }
  }
}

// ---- Entry points ----------------------------------------------------------------

void Checker::checkNode(Symbol& node) {
  program_.nodes.push_back(buildNode(node, false));
}

NodeConfig Checker::buildNode(const Symbol& node, bool networkOnly) {
  NodeConfig cfg;
  cfg.symbol = &node;
  cfg.name = node.name;
  cfg.range = node.range;
  Scope file;
  file.unit = node.unit;
  file.names.try_emplace("node", selfBinding(cfg, false));
  ItemContext ctx;
  ctx.scope = &file;
  ctx.networkOnly = networkOnly;
  ctx.where = fmt::format("node `{}`", node.name);
  NodeBuilder builder(*this, cfg);
  builder.applyItems(node.node->body, ctx);
  builder.finish();
  return cfg;
}

// Top-level `prepare "NAME" { ... }`: checked as a node's step would be
// (plus `packages`), kept by name for the nodes that mount it.
void Checker::checkTopPrepares(const SourceUnit& suite) {
  NodeConfig scratch;
  scratch.name = "(prepare)";
  Scope file;
  file.unit = &suite;
  ItemContext ctx;
  ctx.scope = &file;
  NodeBuilder builder(*this, scratch);
  for (const ast::Item& item : suite.ast.prepares) {
    if (!item.label) continue;
    auto name = builder.string(*item.label, "prepare name", ctx);
    if (!name) continue;
    if (name->empty() || name->find('/') != std::string::npos) {
      emit(item.label->range, Kind::BadName, *name, "prepare step");
      continue;
    }
    if (auto it = topPrepares.find(*name); it != topPrepares.end()) {
      emit(item.label->range, Kind::DuplicateDeclaration,
           fmt::format("prepare \"{}\"", *name))
          .note(it->second.origin.range, "first declared here");
      continue;
    }
    ctx.where = fmt::format("prepare `{}`", *name);
    if (auto p = builder.prepareEntry(item, *name, ctx, /*topLevel=*/true))
      topPrepares.emplace(*name, std::move(*p));
  }
}

// `node` in a node or module body: the node being configured, a machine
// known at compile time (`node.name`, `node.address`). While an unused
// module is checked it stands for no node: quiet, like an unknown value.
Binding Checker::selfBinding(const NodeConfig& cfg, bool lenient) {
  Binding b;
  b.info.type = Type::Machine;
  if (lenient && !cfg.symbol)
    b.info.error = true;
  else
    b.info.value = Value::machine(cfg.name);
  return b;
}

// A module no node uses is still checked: names, attributes and the types of
// whatever is known (parameters without defaults are unknown).
void Checker::checkUnusedModule(Symbol& module) {
  NodeConfig scratch;
  scratch.name = "(" + module.name + ")";
  Scope file;
  file.unit = module.unit;
  ItemContext ctx;
  ctx.scope = &file;
  ctx.lenient = true;
  ctx.where = "node `(check)`";
  NodeBuilder builder(*this, scratch);
  ast::Item use;
  use.kind = ast::ItemKind::Use;
  use.name = module.name;
  use.range = module.nameRange;
  use.nameRange = module.nameRange;
  // Apply through a synthetic `use` so parameters get bound.
  std::vector<ast::Item> items;
  items.push_back(std::move(use));
  builder.applyItems(items, ctx);
  module.uses = 0;  // the synthetic use does not count
}

}  // namespace rig::sema
