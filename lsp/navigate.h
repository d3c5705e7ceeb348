// What is under the cursor, where it is declared, where it is used, how to
// describe it, and the fixes of diagnostics: the AST and sema's resolutions.
#ifndef RIG_LSP_NAVIGATE_H
#define RIG_LSP_NAVIGATE_H

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lsp/analysis.h"
#include "runtime/plan/signatures.h"

namespace rig::lsp {

struct Target {
  SourceRange at;                          // the word under the cursor
  SourceRange declaration;                 // where it is declared (any file)
  const sema::Symbol* symbol = nullptr;    // let, fn, node, module, import
  const ast::Stmt* local = nullptr;        // a local `let` or `for` variable
  const ast::FnParam* param = nullptr;     // a parameter of a fn
  const ast::Item* moduleParam = nullptr;  // `param` of a module
  const sema::SourceUnit* file = nullptr;  // an import's file
  // A builtin or machine operation (runtime/plan's table), or an attribute
  // or block of a node body (sema's node_items.def): documented, not
  // declared in the source.
  const plan::Signature* callable = nullptr;
  const sema::NodeItem* nodeItem = nullptr;
};

Target targetAt(const Analysis& a, uint32_t offset);
std::vector<SourceRange> usesOf(const Analysis& a, const Target& t);
std::string describe(const Analysis& a, const Target& t);
// `#` lines right above `offset`'s line and a comment at its end: the
// documentation of a declaration.
std::string commentsAround(llvm::StringRef text, uint32_t offset);
// Hover texts of the tables, shared with completion's documentation.
std::string describeCallable(const plan::Signature& s);
std::string describeNodeItem(const sema::NodeItem& item);
// `param port: int = 6379`: a module parameter with its type (written, or
// that of its default) and default.
std::string describeModuleParam(const SourceFiles& sources,
                                const ast::Item& param);

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
