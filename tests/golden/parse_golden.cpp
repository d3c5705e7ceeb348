// Golden producer of compiler/parse.
//   --mode=ast   the diagnostics (if any), then the AST dump
//   --mode=diag  the diagnostics only
#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parse.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::mainOverSources(
      argc, argv,
      [](rig::SourceFiles& sources, rig::FileId file, const std::string& mode,
         llvm::raw_ostream& os) {
        rig::diag::Emitter emitter;
        rig::ast::File ast = rig::parse::parseFile(file, sources, emitter);
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        if (mode != "diag") {
          if (!emitter.diagnostics().empty()) os << "\n";
          rig::ast::dump(ast, sources, os);
        }
        return emitter.hasErrors();
      });
}
