// What is under the cursor, where it is declared, where it is used, how to
// describe it, and the fixes of diagnostics: the AST and sema's resolutions.
#ifndef RIG_LSP_NAVIGATE_H
#define RIG_LSP_NAVIGATE_H

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lsp/analysis.h"

namespace rig::lsp {

struct Target {
  SourceRange at;           // the word under the cursor
  SourceRange declaration;  // where it is declared (any file)
  const sema::Symbol* symbol = nullptr;  // let, fn, node, module, import
  const ast::Stmt* local = nullptr;      // a local `let` or `for` variable
  const ast::FnParam* param = nullptr;   // a parameter of a fn
  const ast::Item* moduleParam = nullptr;  // `param` of a module
  const sema::SourceUnit* file = nullptr;  // an import's file
};

Target targetAt(const Analysis& a, uint32_t offset);
std::vector<SourceRange> usesOf(const Analysis& a, const Target& t);
std::string describe(const Analysis& a, const Target& t);

struct Edit {
  uint32_t begin, end;
  std::string text;
};
struct Fix {
  std::string title;
  std::vector<Edit> edits;
};
// The edit a diagnostic's help suggests (did-you-mean, `curl --fail`,
// opening a firewall port), if it is mechanical.
std::optional<Fix> fixFor(const Analysis& a, const diag::Diagnostic& d);

void forEachStmt(const std::vector<ast::StmtPtr>& body,
                 const std::function<void(const ast::Stmt&)>& f);
// Every expression of the suite file, outermost first.
void forEachExpr(const ast::File& file,
                 const std::function<void(const ast::Expr&)>& f);

}  // namespace rig::lsp

#endif
