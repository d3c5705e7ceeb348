// unused-node (L0012): a node that no test refers to, by name in a test or
// function, or as a host name in any string outside its own body (another
// node's configuration that connects to it counts). It boots for nothing.
#include "compiler/lint/context.h"
#include "compiler/lint/walk.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::lint {

namespace {

// Host-name-like words of a string: runs of [A-Za-z0-9_-].
template <typename F>
void forEachWord(llvm::StringRef text, F&& f) {
  size_t i = 0;
  auto inWord = [](char c) { return llvm::isAlnum(c) || c == '_' || c == '-'; };
  while (i < text.size()) {
    if (!inWord(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && inWord(text[i])) ++i;
    f(text.slice(start, i));
  }
}

}  // namespace

void checkUnusedNode(Context& ctx) {
  const ast::File& suite = ctx.suite();
  if (suite.nodes.empty()) return;
  // word -> the one node whose body mentions it, or -1 when it is mentioned
  // outside node bodies or by two nodes.
  llvm::StringMap<int> mentions;
  auto collect = [&](int owner) {
    return [&mentions, owner](const ast::Expr& e) {
      if (e.kind != ast::ExprKind::String) return;
      for (const ast::StringPart& part : e.parts) {
        if (part.expr) continue;
        forEachWord(part.text, [&](llvm::StringRef w) {
          auto [it, inserted] = mentions.try_emplace(w, owner);
          if (!inserted && it->second != owner) it->second = -1;
        });
      }
    };
  };
  for (const ast::Let& l : suite.lets)
    if (l.value) forEachExpr(*l.value, collect(-1));
  for (const ast::Fn& f : suite.fns) forEachExpr(f.body, collect(-1));
  for (const ast::Module& m : suite.modules) forEachExpr(m.body, collect(-1));
  for (const ast::Test& t : suite.tests) forEachExpr(t.body, collect(-1));
  for (size_t i = 0; i < suite.nodes.size(); ++i)
    forEachExpr(suite.nodes[i].body, collect(int(i)));

  const Uses& uses = ctx.uses();
  for (size_t i = 0; i < suite.nodes.size(); ++i) {
    const ast::Node& n = suite.nodes[i];
    if (uses.count(n.name)) continue;
    auto it = mentions.find(n.name);
    if (it != mentions.end() && it->second != int(i)) continue;
    ctx.emit(n.nameRange, diag::Kind::UnusedNode, n.name)
        .withHelp(suite.tests.empty()
                      ? "the suite has no test yet"
                      : "use it in a test, or remove it: every node costs a "
                        "VM boot");
  }
}

}  // namespace rig::lint
