// Internal to compiler/sema: the state of one check() run, split over
// loader.cpp (imports), declare.cpp (scopes), expr.cpp (names, types,
// constant evaluation), code.cpp (statements), node.cpp and node_items.cpp
// (node configuration and module merging).
#ifndef RIG_COMPILER_SEMA_CHECKER_H
#define RIG_COMPILER_SEMA_CHECKER_H

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/sema/sema.h"
#include "compiler/sema/signatures.h"
#include "llvm/ADT/StringMap.h"

namespace rig::sema {

// What an expression is, as far as compile time can tell.
struct Info {
  Type type = Type::Unknown;
  std::optional<Value> value;  // known at compile time
  bool error = false;          // an error was reported inside: stay quiet
};

Type typeOf(const Value& v);

// A name bound in code or in a module body.
struct Binding {
  RefKind kind = RefKind::Local;
  const ast::Stmt* local = nullptr;
  const ast::FnParam* param = nullptr;
  const ast::Item* moduleParam = nullptr;  // a module's `param`
  bool used = false;
  Info info;
};

// Lexical scopes: blocks inside a test or fn, a module body with its
// parameters; the last parent-less scope falls back to its file's scope.
struct Scope {
  Scope* parent = nullptr;
  const SourceUnit* unit = nullptr;
  bool inFn = false;
  llvm::StringMap<Binding> names;
  bool inBranch = false;  // a `parallel` branch: `return` cannot leave it

  Binding* find(llvm::StringRef name) {
    for (Scope* s = this; s; s = s->parent) {
      auto it = s->names.find(name);
      if (it != s->names.end()) return &it->second;
    }
    return nullptr;
  }
  const SourceUnit* file() const {
    const Scope* s = this;
    while (s->parent) s = s->parent;
    return s->unit;
  }
};

class Checker {
 public:
  Checker(SourceFiles& sources, const Options& options, diag::Emitter& emitter,
          Program& program)
      : sources_(sources),
        options_(options),
        out_(emitter),
        program_(program) {}

  void run(FileId suite);

  // ---- Diagnostics: repeated reports of one problem (a module used by two
  // nodes) are dropped.
  template <typename... Args>
  diag::Diagnostic& emit(
      SourceRange range,
      diag::CheckedKind<typename diag::NoDeduce<Args>::type...> kind,
      Args&&... args) {
    std::string message =
        diag::formatMessage<Args...>(kind, std::forward<Args>(args)...);
    if (damaged(range)) return scratch_;
    auto key = std::make_tuple(range.file, range.begin, message);
    if (!reported_.insert(key).second) return scratch_;
    return out_.emitMessage(range, kind.kind(), std::move(message));
  }

  // ---- loader.cpp
  SourceUnit* loadSuite(FileId file);
  void loadImports(SourceUnit& unit, std::vector<SourceUnit*>& stack);

  // ---- declare.cpp
  void declare(SourceUnit& unit);
  void importNames(SourceUnit& unit);
  Symbol* lookupTop(const SourceUnit& unit, llvm::StringRef name);

  // ---- expr.cpp
  Info analyze(const ast::Expr& e, Scope& scope);
  Info analyzeCall(const ast::Expr& e, Scope& scope);
  Info analyzeIdent(const ast::Expr& e, Scope& scope);
  Info analyzeMember(const ast::Expr& e, Scope& scope);
  Info analyzeBinary(const ast::Expr& e, Scope& scope);
  Info analyzeListFor(const ast::Expr& e, Scope& scope);
  Info checkArgs(const ast::Expr& call, const Signature& sig,
                 llvm::StringRef displayName, Scope& scope,
                 size_t skipPositional, Call* binding);
  // The value of a top-level let (evaluated once, on first use).
  Info letInfo(Symbol& symbol);
  // False (after reporting) when a known pattern is not a valid regex.
  bool checkRegex(const ast::Expr& e, const Info& pattern);
  // `shell = "sh"|"bash"` and the `env`/`query` objects of a call, when
  // known at compile time (docs/language.md, "Commands").
  bool checkShellArg(const ast::Expr& e, const Info& info);
  bool checkStringMapArg(const ast::Expr& e, const Info& info,
                         llvm::StringRef param, llvm::StringRef display);

  // ---- code.cpp
  void checkBlock(const std::vector<ast::StmtPtr>& body, Scope& scope);
  void checkStmt(const ast::Stmt& stmt, Scope& scope);
  void checkFn(Symbol& fn);
  void checkTest(const ast::Test& test, const SourceUnit& unit);

  // ---- node.cpp
  void checkNode(Symbol& node);
  // `node` in a node or module body (node.cpp).
  Binding selfBinding(const NodeConfig& cfg, bool lenient);
  // The node's configuration; with `networkOnly` only its vlans and
  // addresses (ItemContext::networkOnly).
  NodeConfig buildNode(const Symbol& node, bool networkOnly);
  void checkMeta(const SourceUnit& unit);
  void checkUnusedModule(Symbol& module);
  void collectUnusedParams(const ast::Module& module);

  // ---- network.cpp
  // A node's vlans and addresses, evaluated on their own (null after
  // reporting a cycle).
  const NodeConfig* nodeNetwork(const Symbol& node, SourceRange at);
  int64_t nodePosition(llvm::StringRef name);
  // `m.address`, `m.address6`, `m.name` (vlan: the first when unset).
  Info machineAddress(const Info& machine, llvm::StringRef member,
                      std::optional<int64_t> vlan, SourceRange at);
  Info analyzeAddressCall(const ast::Expr& e, const Info& receiver,
                          const std::string& member, Scope& scope);
  Info analyzeVlanCall(const ast::Expr& e, Scope& scope);
  void finishNetworks();

  // Off while a module body is analyzed for one `use`: per-use values must
  // not land in Program::constants/types/refs.
  bool recording_ = true;

  // The suite's top-level `prepare "NAME" { ... }` steps, by name, checked
  // before the nodes that mount them.
  std::map<std::string, PrepareEntry> topPrepares;
  void checkTopPrepares(const SourceUnit& suite);

  SourceFiles& sources_;
  void checkContainerOperations();
  const Options& options_;
  diag::Emitter& out_;
  Program& program_;

 private:
  // True inside a part of a file that a syntax error damaged.
  bool damaged(SourceRange range) const {
    for (const auto& unit : program_.units)
      if (unit->file == range.file)
        for (SourceRange d : unit->ast.damaged)
          if (d.begin <= range.begin && range.begin < d.end) return true;
    return false;
  }
  std::set<std::tuple<FileId, uint32_t, std::string>> reported_;
  diag::Diagnostic scratch_{};
  std::map<const Symbol*, int> letState_;  // 1 = evaluating, 2 = done
  std::map<const Symbol*, Info> letInfo_;
  std::map<const Symbol*, int> networkState_;  // 1 = evaluating, 2 = done
  std::map<const Symbol*, NodeConfig> networks_;
  std::set<std::string> cyclic_;  // nodes whose addresses depend on themselves
};

// "did you mean" over a list of names; "" when nothing is close.
std::string suggest(llvm::StringRef word,
                    const std::vector<std::string>& names);

// The shell a wrong `shell`/`test_shell` value likely meant: `sh` for
// `/bin/sh` or `dash`, `bash` for `/bin/bash`; "" when nothing is close.
std::string suggestShell(llvm::StringRef got);

}  // namespace rig::sema

#endif
