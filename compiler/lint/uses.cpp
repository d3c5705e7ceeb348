#include "compiler/lint/uses.h"

#include <string>

namespace rig::lint {

namespace {

class Resolver {
 public:
  explicit Resolver(Uses& uses) : uses_(uses) {}

  void file(const ast::File& f) {
    for (const ast::Let& let : f.lets)
      if (let.value) expr(*let.value);
    for (const ast::Fn& fn : f.fns) function(fn);
    for (const ast::Module& m : f.modules) module(m);
    for (const ast::Node& n : f.nodes) items(n.body);
    for (const ast::Meta& m : f.metas) items(m.body);
    items(f.prepares);
    for (const ast::Test& t : f.tests) block(t.body);
  }

 private:
  // A local name and what declared it (exactly one of the pointers).
  struct Local {
    std::string name;
    const ast::Stmt* let = nullptr;
    const ast::FnParam* fnParam = nullptr;
    const ast::Item* moduleParam = nullptr;
    unsigned uses = 0;
  };

  void function(const ast::Fn& fn) {
    currentFn_ = fn.name;
    size_t mark = locals_.size();
    for (const ast::FnParam& p : fn.params) {
      if (p.defaultValue) expr(*p.defaultValue);
      locals_.push_back({p.name, nullptr, &p, nullptr, 0});
    }
    block(fn.body);
    for (size_t i = mark; i < locals_.size(); ++i)
      if (locals_[i].uses == 0)
        uses_.unusedFnParams.push_back({&fn, locals_[i].fnParam});
    locals_.resize(mark);
    currentFn_.clear();
  }

  void module(const ast::Module& m) {
    size_t mark = locals_.size();
    for (const ast::Item& item : m.body) {
      if (item.kind != ast::ItemKind::Param) continue;
      if (item.value) expr(*item.value);
      locals_.push_back({item.name, nullptr, nullptr, &item, 0});
    }
    items(m.body);
    for (size_t i = mark; i < locals_.size(); ++i)
      if (locals_[i].uses == 0)
        uses_.unusedModuleParams.push_back({&m, locals_[i].moduleParam});
    locals_.resize(mark);
  }

  void items(const std::vector<ast::Item>& body) {
    for (const ast::Item& item : body) {
      if (item.kind == ast::ItemKind::Param) continue;  // done by module()
      if (item.kind == ast::ItemKind::Use) reference(item.name);
      if (item.label) expr(*item.label);
      if (item.value) expr(*item.value);
      items(item.body);
    }
  }

  void block(const std::vector<ast::StmtPtr>& body) {
    size_t mark = locals_.size();
    for (const ast::StmtPtr& s : body)
      if (s) stmt(*s);
    close(mark);
  }

  // Ends a block: its `let`s that nothing read are unused.
  void close(size_t mark) {
    for (size_t i = mark; i < locals_.size(); ++i)
      if (locals_[i].let && locals_[i].uses == 0)
        uses_.unusedLocals.push_back(locals_[i].let);
    locals_.resize(mark);
  }

  void stmt(const ast::Stmt& s) {
    switch (s.kind) {
      case ast::StmtKind::Let:
        if (s.expr) expr(*s.expr);
        locals_.push_back({s.name, &s, nullptr, nullptr, 0});
        return;
      case ast::StmtKind::For: {
        if (s.expr) expr(*s.expr);
        size_t mark = locals_.size();
        // A loop variable is a use on purpose (`for _ in ...` is common
        // enough, but `for x in` without reading x is not worth a warning).
        locals_.push_back({s.name, nullptr, nullptr, nullptr, 1});
        block(s.body);
        locals_.resize(mark);
        return;
      }
      default:
        if (s.expr) expr(*s.expr);
        if (s.message) expr(*s.message);
        if (s.timeout) expr(*s.timeout);
        block(s.body);
        block(s.elseBody);
        return;
    }
  }

  void expr(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Ident) reference(e.name);
    for (const ast::StringPart& part : e.parts)
      if (part.expr) expr(*part.expr);
    for (const ast::ExprPtr& op : e.operands)
      if (op) expr(*op);
    for (const ast::ObjectEntry& entry : e.entries)
      if (entry.value) expr(*entry.value);
    for (const ast::Arg& arg : e.args)
      if (arg.value) expr(*arg.value);
  }

  void reference(llvm::StringRef name) {
    for (size_t i = locals_.size(); i-- > 0;) {
      if (locals_[i].name == name) {
        ++locals_[i].uses;
        return;
      }
    }
    // `use common.redis` and `common.f(...)` both use `common`.
    llvm::StringRef head = name.split('.').first;
    if (head == currentFn_) return;
    ++uses_.globals[head];
    if (head != name) ++uses_.globals[name];
  }

  Uses& uses_;
  std::vector<Local> locals_;
  std::string currentFn_;
};

}  // namespace

Uses findUses(const ast::File& file) {
  Uses uses;
  Resolver(uses).file(file);
  return uses;
}

}  // namespace rig::lint
