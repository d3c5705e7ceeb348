// Golden producer of compiler/parse.
//   --mode=ast   the diagnostics (if any), then the AST dump
//   --mode=diag  the diagnostics only
#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parse.h"
#include "tests/golden/phases.h"

namespace rig::golden {

bool produceParse(SourceFiles& sources, FileId file, const std::string& mode,
                  llvm::raw_ostream& os) {
  diag::Emitter emitter;
  ast::File ast = parse::parseFile(file, sources, emitter);
  diag::renderText(emitter.diagnostics(), sources, os);
  if (mode != "diag") {
    if (!emitter.diagnostics().empty()) os << "\n";
    ast::dump(ast, sources, os);
  }
  return emitter.hasErrors();
}

}  // namespace rig::golden
