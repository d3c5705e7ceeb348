#include "compiler/lint/context.h"

#include <algorithm>

#include "compiler/lint/units.h"
#include "compiler/lint/walk.h"
#include "compiler/sema/sema.h"

namespace rig::lint {

Context::Context(const Input& input, const Options& options, diag::Emitter& out)
    : input_(input), options_(options), out_(out) {
  for (const ast::Node& n : input.suite->nodes) nodeNames_.push_back(n.name);
  suiteEvaluator_ =
      std::make_unique<Evaluator>(*input.suite, *input.sources, nodeNames_);
  for (const ast::Fn& fn : input.suite->fns) fns_.try_emplace(fn.name, &fn);
}

Context::~Context() = default;

Evaluator& Context::evaluatorFor(const ast::File& file) {
  if (&file == input_.suite) return *suiteEvaluator_;
  std::unique_ptr<Evaluator>& e = importEvaluators_[&file];
  if (!e)
    e = std::make_unique<Evaluator>(file, *input_.sources,
                                    llvm::ArrayRef<std::string>());
  return *e;
}

const ast::Fn* Context::fn(llvm::StringRef name) const {
  auto it = fns_.find(name);
  return it == fns_.end() ? nullptr : it->second;
}

ModuleRef Context::module(llvm::StringRef name) {
  auto [alias, member] = name.split('.');
  if (member.empty()) {
    for (const ast::Module& m : suite().modules)
      if (m.name == name) return {&m, suiteEvaluator_.get()};
  }
  for (size_t i = 0; i < suite().imports.size(); ++i) {
    const ast::Import& import = suite().imports[i];
    const ast::File* file = importedFile(i);
    if (!file) continue;
    llvm::StringRef wanted;
    if (member.empty() && import.alias.empty()) wanted = name;
    if (!member.empty() && import.alias == alias) wanted = member;
    if (wanted.empty()) continue;
    for (const ast::Module& m : file->modules)
      if (m.name == wanted) return {&m, &evaluatorFor(*file)};
  }
  return {};
}

static void addPorts(const Const& list, std::set<int64_t>& ports,
                     bool& complete) {
  if (list.kind != Const::Kind::List) {
    complete = false;
    return;
  }
  for (const Const& item : list.items) {
    if (item.kind == Const::Kind::Int)
      ports.insert(item.intValue);
    else
      complete = false;
  }
}

void Context::collectItems(NodeFacts& facts,
                           const std::vector<ast::Item>& items,
                           Evaluator& evaluator, const Scope* scope,
                           bool fromModule, unsigned depth) {
  for (const ast::Item& item : items) {
    switch (item.kind) {
      case ast::ItemKind::Param: break;
      case ast::ItemKind::Attr:
        // `packages -= [...]`: what is dropped was added elsewhere; the
        // lints do not need it.
        if (item.drop) break;
        if (item.name == "vlans" && item.value && !fromModule) {
          Const v = evaluator.eval(*item.value, scope);
          facts.vlans.clear();
          if (v.kind != Const::Kind::List) facts.vlansComplete = false;
          for (const Const& vlan : v.items) {
            if (vlan.kind == Const::Kind::Int)
              facts.vlans.push_back(vlan.intValue);
            else
              facts.vlansComplete = false;
          }
        }
        if ((item.name == "enable" || item.name == "packages") && item.value) {
          // Units started in the boot target are units of the node; a
          // package's units are the host's (HostFacts) when it has it.
          Const v = evaluator.eval(*item.value, scope);
          if (v.kind != Const::Kind::List) facts.unitsComplete = false;
          for (const Const& name : v.items) {
            if (!name.isString() ||
                name.text.find(kUnknownChar) != std::string::npos)
              facts.unitsComplete = false;
            else if (item.name == "enable")
              facts.units.insert(name.text);
            else
              facts.packages.push_back(name.text);
          }
        }
        break;
      case ast::ItemKind::Block: {
        if (item.name == "firewall") {
          for (const ast::Item& attr : item.body) {
            // Ranges, `interface` blocks, raw rules: known to sema only.
            if (attr.name == "allow_tcp_ranges" || attr.name == "interface" ||
                attr.name == "extra_rules")
              facts.allowTcpComplete = false;
            if (attr.kind != ast::ItemKind::Attr || !attr.value) continue;
            // `allow_tcp -= [80]`: sema knows what is left.
            if (attr.drop) {
              if (attr.name == "allow_tcp") facts.allowTcpComplete = false;
              continue;
            }
            Const v = evaluator.eval(*attr.value, scope);
            if (attr.name == "allow_tcp") {
              addPorts(v, facts.allowTcp, facts.allowTcpComplete);
            } else if (attr.name == "enable") {
              std::optional<bool>& slot = fromModule
                                              ? facts.moduleFirewallEnable
                                              : facts.firewallEnable;
              if (v.kind == Const::Kind::Bool)
                slot = v.boolValue;
              else
                facts.allowTcpComplete = false;
            }
          }
          break;
        }
        if (item.name != "service" && item.name != "unit") break;
        if (!item.label) break;
        Const label = evaluator.eval(*item.label, scope);
        if (!label.isString() ||
            label.text.find(kUnknownChar) != std::string::npos) {
          facts.unitsComplete = false;
          break;
        }
        facts.units.insert(item.name == "service" ? serviceUnitName(label.text)
                                                  : label.text);
        break;
      }
      case ast::ItemKind::Use: {
        ModuleRef ref = module(item.name);
        if (!ref.module || depth > 8) {
          facts.unitsComplete = false;
          facts.allowTcpComplete = false;
          break;
        }
        // Parameters: the `use` body's values (evaluated where `use` is),
        // else the module's defaults (evaluated in the module's file).
        Scope params;
        for (const ast::Item& p : ref.module->body) {
          if (p.kind != ast::ItemKind::Param) continue;
          const ast::Item* given = nullptr;
          for (const ast::Item& a : item.body)
            if (a.kind == ast::ItemKind::Attr && a.name == p.name) given = &a;
          if (given && given->value)
            params.bind(p.name, evaluator.eval(*given->value, scope));
          else if (p.value)
            params.bind(p.name, ref.evaluator->eval(*p.value, &params));
          else
            params.bind(p.name, Const::unknown());
        }
        collectItems(facts, ref.module->body, *ref.evaluator, &params,
                     /*fromModule=*/true, depth + 1);
        break;
      }
    }
  }
}

const std::vector<NodeFacts>& Context::nodes() {
  if (nodes_) return *nodes_;
  nodes_.emplace();
  std::vector<std::string> sorted = nodeNames_;
  std::sort(sorted.begin(), sorted.end());
  for (const ast::Node& n : suite().nodes) {
    NodeFacts facts;
    facts.decl = &n;
    facts.name = n.name;
    facts.position = std::lower_bound(sorted.begin(), sorted.end(), n.name) -
                     sorted.begin() + 1;
    facts.vlans = {1};
    const sema::NodeConfig* config =
        input_.program ? input_.program->node(n.name) : nullptr;
    if (config) {
      facts.vlans = config->vlans;
      facts.firewallEnable = config->firewallEnable;
      // Raw nft lines may open anything: no warning for this node.
      if (!config->firewallExtraRules.empty()) facts.allowTcpComplete = false;
      // A port open on one interface only counts as open: no false warning.
      for (const sema::Port& p : config->allowTcp) {
        int64_t last = std::max(p.port, p.last);
        if (last - p.port > 4096) {
          facts.allowTcpComplete = false;
          continue;
        }
        for (int64_t port = p.port; port <= last; ++port)
          facts.allowTcp.insert(port);
      }
      for (const std::string& unit : config->unitNames())
        facts.units.insert(unit);
      for (const std::string& unit : config->enable) facts.units.insert(unit);
      facts.packages = config->packages;
    } else {
      collectItems(facts, n.body, *suiteEvaluator_, nullptr, false, 0);
    }
    nodeIndex_.try_emplace(n.name, nodes_->size());
    nodes_->push_back(std::move(facts));
  }
  return *nodes_;
}

const NodeFacts* Context::node(llvm::StringRef name) {
  nodes();
  auto it = nodeIndex_.find(name);
  return it == nodeIndex_.end() ? nullptr : &(*nodes_)[it->second];
}

const NodeFacts* Context::nodeAt(int64_t vlan, int64_t position) {
  for (const NodeFacts& n : nodes()) {
    if (n.position != position) continue;
    if (!n.vlansComplete ||
        std::find(n.vlans.begin(), n.vlans.end(), vlan) != n.vlans.end())
      return &n;
  }
  return nullptr;
}

// ---- The walk over machine operations --------------------------------------

namespace {

class MachineWalk {
 public:
  MachineWalk(Context& ctx, llvm::function_ref<void(const MachineCall&)> f)
      : ctx_(ctx), f_(f) {}

  void test(const ast::Test& t) {
    test_ = &t;
    Scope scope;
    body(t.body, scope, false);
  }

 private:
  void body(const std::vector<ast::StmtPtr>& stmts, Scope& scope,
            bool retried) {
    for (const ast::StmtPtr& s : stmts)
      if (s) stmt(*s, scope, retried);
  }

  void stmt(const ast::Stmt& s, Scope& scope, bool retried) {
    switch (s.kind) {
      case ast::StmtKind::Let:
        if (s.expr) {
          expr(*s.expr, scope, retried);
          scope.bind(s.name, ctx_.eval(*s.expr, &scope));
        }
        return;
      case ast::StmtKind::Expect:
      case ast::StmtKind::Expr:
      case ast::StmtKind::Return:
        if (s.expr) expr(*s.expr, scope, retried);
        if (s.message) expr(*s.message, scope, retried);
        return;
      case ast::StmtKind::If: {
        if (s.expr) expr(*s.expr, scope, retried);
        Scope then(&scope), otherwise(&scope);
        body(s.body, then, retried);
        body(s.elseBody, otherwise, retried);
        return;
      }
      case ast::StmtKind::For: {
        if (s.expr) expr(*s.expr, scope, retried);
        Scope inner(&scope);
        inner.bind(s.name, Const::unknown());
        body(s.body, inner, retried);
        return;
      }
      case ast::StmtKind::Parallel:
      case ast::StmtKind::Branch:
      case ast::StmtKind::Subtest: {
        if (s.expr) expr(*s.expr, scope, retried);  // an interpolated name
        Scope inner(&scope);
        body(s.body, inner, retried);
        return;
      }
      case ast::StmtKind::Eventually: {
        if (s.timeout) expr(*s.timeout, scope, retried);
        Scope inner(&scope);
        body(s.body, inner, true);
        return;
      }
    }
  }

  // Arguments before the call: the order operations happen at run time.
  void expr(const ast::Expr& e, const Scope& scope, bool retried) {
    for (const ast::StringPart& part : e.parts)
      if (part.expr) expr(*part.expr, scope, retried);
    for (size_t i = 0; i < e.operands.size(); ++i) {
      const ast::ExprPtr& op = e.operands[i];
      if (!op) continue;
      // The callee of a method call is `m.op`: walk only `m`.
      if (e.kind == ast::ExprKind::Call && i == 0 &&
          op->kind == ast::ExprKind::Member) {
        if (!op->operands.empty() && op->operands[0])
          expr(*op->operands[0], scope, retried);
        continue;
      }
      expr(*op, scope, retried);
    }
    for (const ast::ObjectEntry& entry : e.entries)
      if (entry.value) expr(*entry.value, scope, retried);
    for (const ast::Arg& arg : e.args)
      if (arg.value) expr(*arg.value, scope, retried);
    if (e.kind == ast::ExprKind::Call) call(e, scope, retried);
  }

  void call(const ast::Expr& e, const Scope& scope, bool retried) {
    if (const ast::Expr* receiver = methodReceiver(e)) {
      Const r = ctx_.eval(*receiver, &scope);
      if (r.kind != Const::Kind::Machine && r.known()) return;  // `common.f`
      MachineCall mc;
      mc.call = &e;
      mc.test = test_;
      mc.node = r.kind == Const::Kind::Machine ? r.text : "";
      mc.method = methodName(e);
      mc.retried = retried;
      mc.scope = &scope;
      f_(mc);
      return;
    }
    llvm::StringRef name = calleeName(e);
    if (name.empty() || scope.find(name)) return;
    const ast::Fn* fn = ctx_.fn(name);
    if (!fn || std::find(active_.begin(), active_.end(), fn) != active_.end())
      return;
    // Bind the parameters to the arguments' values, then walk the body.
    Scope params;
    unsigned positional = 0;
    std::vector<const ast::Expr*> given(fn->params.size(), nullptr);
    for (const ast::Arg& arg : e.args) {
      if (arg.name.empty()) {
        if (positional < given.size()) given[positional] = arg.value.get();
        ++positional;
        continue;
      }
      for (size_t i = 0; i < fn->params.size(); ++i)
        if (fn->params[i].name == arg.name) given[i] = arg.value.get();
    }
    for (size_t i = 0; i < fn->params.size(); ++i) {
      const ast::FnParam& p = fn->params[i];
      if (given[i])
        params.bind(p.name, ctx_.eval(*given[i], &scope));
      else if (p.defaultValue)
        params.bind(p.name, ctx_.eval(*p.defaultValue, &params));
      else
        params.bind(p.name, Const::unknown());
    }
    active_.push_back(fn);
    body(fn->body, params, retried);
    active_.pop_back();
  }

  Context& ctx_;
  llvm::function_ref<void(const MachineCall&)> f_;
  const ast::Test* test_ = nullptr;
  std::vector<const ast::Fn*> active_;
};

}  // namespace

void Context::forEachMachineCall(
    llvm::function_ref<void(const MachineCall&)> f) {
  MachineWalk walk(*this, f);
  for (const ast::Test& t : suite().tests) walk.test(t);
}

}  // namespace rig::lint
