#include "compiler/sema/sema.h"

#include <algorithm>
#include <functional>

#include "llvm/ADT/StringSet.h"

#include <fmt/format.h>

#include "compiler/sema/checker.h"

namespace rig::sema {

using diag::Kind;

std::vector<std::string> NodeConfig::unitNames() const {
  std::vector<std::string> out;
  for (const Service& s : services) out.push_back(s.name + ".service");
  for (const RawUnit& u : units) out.push_back(u.name);
  if (firewallEnable) out.push_back("rig-firewall.service");
  for (const MountEntry& m : mounts) out.push_back(m.unit);
  return out;
}

const NodeConfig* Program::node(llvm::StringRef name) const {
  for (const NodeConfig& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const Value* Program::constant(const ast::Expr& e) const {
  auto it = constants.find(&e);
  return it == constants.end() ? nullptr : &it->second;
}

const Ref* Program::ref(const ast::Expr& e) const {
  auto it = refs.find(&e);
  return it == refs.end() ? nullptr : &it->second;
}

const Call* Program::call(const ast::Expr& e) const {
  auto it = calls.find(&e);
  return it == calls.end() ? nullptr : &it->second;
}

void Checker::checkMeta(const SourceUnit& unit) {
  std::map<std::string, SourceRange> seen;
  for (const ast::Meta& meta : unit.ast.metas) {
    for (const ast::Item& item : meta.body) {
      if (item.kind != ast::ItemKind::Attr || !item.value ||
          (item.name != "timeout" && item.name != "tags")) {
        auto& d = emit(item.nameRange, Kind::UnknownMeta, item.name);
        if (std::string best = suggest(item.name, {"timeout", "tags"});
            !best.empty())
          d.withHelp(fmt::format("did you mean `{}`?", best));
        continue;
      }
      auto [it, inserted] = seen.emplace(item.name, item.nameRange);
      if (!inserted) {
        emit(item.nameRange, Kind::DuplicateAttribute, item.name)
            .note(it->second, "first set here");
        continue;
      }
      Scope scope;
      scope.unit = &unit;
      Info info = analyze(*item.value, scope);
      if (info.error) continue;
      if (!info.value) {
        emit(item.value->range, Kind::NotConstant,
             fmt::format("`meta {{ {} }}`", item.name));
        continue;
      }
      const Value& v = *info.value;
      if (item.name == "timeout") {
        if (v.kind() != ValueKind::Duration) {
          emit(item.value->range, Kind::AttributeType, "timeout", "a duration",
               kindName(v.kind()).str(), v.repr());
        } else if (v.asDurationMs() <= 0) {
          emit(item.value->range, Kind::BadDuration, v.repr());
        } else {
          program_.timeoutMs = v.asDurationMs();
        }
        continue;
      }
      bool ok = v.kind() == ValueKind::List;
      if (ok)
        for (const Value& t : v.asList()) ok &= t.kind() == ValueKind::String;
      if (!ok) {
        emit(item.value->range, Kind::AttributeType, "tags",
             "a list of strings", kindName(v.kind()).str(), v.repr());
        continue;
      }
      for (const Value& t : v.asList()) program_.tags.push_back(t.asString());
    }
  }
}

// Parameters that no expression of the module body mentions (a syntactic
// walk: module bodies have no local scopes that could shadow them).
void Checker::collectUnusedParams(const ast::Module& module) {
  llvm::StringSet<> mentioned;
  std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Ident) mentioned.insert(e.name);
    for (const ast::StringPart& p : e.parts)
      if (p.expr) walk(*p.expr);
    for (const ast::ExprPtr& o : e.operands) walk(*o);
    for (const ast::ObjectEntry& o : e.entries) walk(*o.value);
    for (const ast::Arg& a : e.args) walk(*a.value);
  };
  std::function<void(const std::vector<ast::Item>&)> items =
      [&](const std::vector<ast::Item>& body) {
        for (const ast::Item& item : body) {
          if (item.label) walk(*item.label);
          if (item.value && item.kind != ast::ItemKind::Param)
            walk(*item.value);
          if (item.kind == ast::ItemKind::Param && item.value)
            walk(*item.value);
          items(item.body);
        }
      };
  items(module.body);
  for (const ast::Item& item : module.body)
    if (item.kind == ast::ItemKind::Param && !mentioned.contains(item.name))
      program_.unusedParams.push_back(&item);
}

void Checker::run(FileId suiteFile) {
  SourceUnit* suite = loadSuite(suiteFile);
  std::vector<SourceUnit*> stack;
  loadImports(*suite, stack);
  for (auto& unit : program_.units) declare(*unit);
  for (auto& unit : program_.units) importNames(*unit);

  // Every symbol list is stable from here on.
  std::vector<Symbol*> symbols;
  for (auto& s : program_.symbols) symbols.push_back(s.get());
  for (Symbol* s : symbols)
    if (s->kind == SymbolKind::Let) letInfo(*s);
  for (Symbol* s : symbols)
    if (s->kind == SymbolKind::Fn) checkFn(*s);
  checkTopPrepares(*suite);
  for (Symbol* s : symbols)
    if (s->kind == SymbolKind::Node) checkNode(*s);
  finishNetworks();
  for (Symbol* s : symbols)
    if (s->kind == SymbolKind::Module && s->uses == 0) checkUnusedModule(*s);
  for (const ast::Test& t : suite->ast.tests) {
    checkTest(t, *suite);
    program_.tests.push_back(&t);
  }
  checkMeta(*suite);
  for (Symbol* s : symbols)
    if (s->kind == SymbolKind::Module) collectUnusedParams(*s->module);
  checkContainerOperations();
}

// Machine operations that only a VM has, called on a node the checker knows
// runs as a container (docs/running.md has the table).
void Checker::checkContainerOperations() {
  static const char* const kVmOnly[] = {"send_monitor_command"};
  std::vector<std::pair<const ast::Expr*, const Call*>> found;
  for (const auto& [expr, call] : program_.calls) {
    if (call.kind != CallKind::Method || call.node.empty()) continue;
    if (std::find(std::begin(kVmOnly), std::end(kVmOnly), call.name) ==
        std::end(kVmOnly))
      continue;
    for (const NodeConfig& n : program_.nodes)
      if (n.name == call.node && n.backend == "container")
        found.push_back({expr, &call});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first->range.begin < b.first->range.begin;
  });
  for (const auto& [expr, call] : found)
    emit(expr->range, Kind::VmOnly, "`" + call->name + "`", call->node)
        .withHelp(
            "it talks to QEMU's monitor; run this node with `backend = "
            "\"vm\"`");
}

Program check(SourceFiles& sources, FileId suite, const Options& options,
              diag::Emitter& emitter) {
  Program program;
  program.sources = &sources;
  unsigned errorsBefore = emitter.errorCount();
  Checker checker(sources, options, emitter, program);
  checker.run(suite);
  program.ok = emitter.errorCount() == errorsBefore;
  return program;
}

}  // namespace rig::sema
