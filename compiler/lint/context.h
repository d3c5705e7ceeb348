// What every lint rule is handed: the suite, constant evaluation, the facts
// about each node (address, firewall, units, modules merged in), and a walk
// over the machine operations of the tests in the order they run.
#ifndef RIG_COMPILER_LINT_CONTEXT_H
#define RIG_COMPILER_LINT_CONTEXT_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/lint/consteval.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/uses.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace rig::lint {

// A node's configuration as far as lint needs it, with the modules it uses
// merged in. "Complete" flags say whether everything could be seen; rules
// stay silent about what they could not see.
struct NodeFacts {
  const ast::Node* decl = nullptr;
  std::string name;
  unsigned position = 0;       // 1-based, alphabetical: the N of 192.168.VLAN.N
  std::vector<int64_t> vlans;  // [1] unless set
  bool vlansComplete = true;

  std::optional<bool> firewallEnable;        // set by the node itself
  std::optional<bool> moduleFirewallEnable;  // set by a module it uses
  std::set<int64_t> allowTcp;
  bool allowTcpComplete = true;

  llvm::StringSet<> units;  // full names: `todo-api.service`, and `enable`'s
  bool unitsComplete = true;
  std::vector<std::string> packages;  // the node's Debian packages

  bool firewallEnabled() const {
    if (firewallEnable) return *firewallEnable;
    return moduleFirewallEnable.value_or(true);
  }
  std::string address(int64_t vlan) const {
    return "192.168." + std::to_string(vlan) + "." + std::to_string(position);
  }
};

// A module found by `use NAME`, with the evaluator of the file it is in.
struct ModuleRef {
  const ast::Module* module = nullptr;
  Evaluator* evaluator = nullptr;
};

// One machine operation met while walking the tests (see forEachMachineCall).
struct MachineCall {
  const ast::Expr* call = nullptr;
  const ast::Test* test = nullptr;
  std::string node;  // the receiver's node; "" when not known
  llvm::StringRef method;
  bool retried = false;          // inside `eventually`: failures are retried
  const Scope* scope = nullptr;  // evaluates the arguments
};

class Context {
 public:
  Context(const Input& input, const Options& options, diag::Emitter& out);
  ~Context();

  const ast::File& suite() const { return *input_.suite; }
  const SourceFiles& sources() const { return *input_.sources; }
  const Options& options() const { return options_; }
  // sema's checked program, when it ran (null: work from the AST).
  const sema::Program* program() const { return input_.program; }
  const ast::File* importedFile(size_t index) const {
    return index < input_.imports.size() ? input_.imports[index] : nullptr;
  }

  template <typename... Args>
  diag::Diagnostic& emit(
      SourceRange range,
      diag::CheckedKind<typename diag::NoDeduce<Args>::type...> kind,
      Args&&... args) {
    return out_.emit<Args...>(range, kind, std::forward<Args>(args)...);
  }

  // The suite's evaluator; `eval` a shortcut.
  Evaluator& evaluator() { return *suiteEvaluator_; }
  Const eval(const ast::Expr& e, const Scope* scope = nullptr) {
    return suiteEvaluator_->eval(e, scope);
  }
  // The evaluator of an imported file.
  Evaluator& evaluatorFor(const ast::File& file);

  const std::vector<NodeFacts>& nodes();  // in declaration order
  const NodeFacts* node(llvm::StringRef name);
  // The node whose address is 192.168.vlan.position, or null.
  const NodeFacts* nodeAt(int64_t vlan, int64_t position);

  // What the suite's names are used by (computed once).
  const Uses& uses() {
    if (!uses_) uses_ = findUses(suite());
    return *uses_;
  }
  // A library (no `node`, no `test`) exports its lets and fns.
  bool isLibrary() const {
    return suite().nodes.empty() && suite().tests.empty();
  }

  const ast::Fn* fn(llvm::StringRef name) const;
  // `use NAME` / `use alias.NAME`: the module, or a null module when it is
  // not in the suite or in a loaded import.
  ModuleRef module(llvm::StringRef name);

  // Walks the tests in file order and their statements in evaluation
  // order, entering the body of each call to a `fn` of the suite (not
  // recursively), and calls f for every method call whose receiver is
  // known to be a node, or not known at all (node == "").
  void forEachMachineCall(llvm::function_ref<void(const MachineCall&)> f);

 private:
  void collectItems(NodeFacts& facts, const std::vector<ast::Item>& items,
                    Evaluator& evaluator, const Scope* scope, bool fromModule,
                    unsigned depth);

  const Input& input_;
  const Options& options_;
  diag::Emitter& out_;
  std::unique_ptr<Evaluator> suiteEvaluator_;
  std::map<const ast::File*, std::unique_ptr<Evaluator>> importEvaluators_;
  std::vector<std::string> nodeNames_;
  std::optional<std::vector<NodeFacts>> nodes_;
  llvm::StringMap<unsigned> nodeIndex_;
  llvm::StringMap<const ast::Fn*> fns_;
  std::optional<Uses> uses_;
};

// Unused-name rules skip names that start with `_` (the usual "unused on
// purpose" mark).
inline bool unusedOnPurpose(llvm::StringRef name) {
  return name.startswith("_");
}

// Rule entry points (rules.def).
#define RIG_LINT_RULE(Kind, Function) void Function(Context& ctx);
#include "compiler/lint/rules.def"

}  // namespace rig::lint

#endif
