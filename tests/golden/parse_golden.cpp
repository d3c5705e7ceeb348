// Golden producer of compiler/parse.
//   --mode=ast   the diagnostics (if any), then the AST dump
//   --mode=diag  the diagnostics only
#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parse.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::main(
      argc, argv, [](const std::string& path, const std::string& mode) {
        rig::SourceFiles sources;
        rig::golden::Output out;
        llvm::raw_string_ostream os(out.text);
        llvm::Expected<rig::FileId> file = sources.load(path);
        if (!file) {
          os << llvm::toString(file.takeError()) << "\n";
          out.hasErrors = true;
          return out;
        }
        rig::diag::Emitter emitter;
        rig::ast::File ast = rig::parse::parseFile(*file, sources, emitter);
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        if (mode != "diag") {
          if (!emitter.diagnostics().empty()) os << "\n";
          rig::ast::dump(ast, sources, os);
        }
        out.hasErrors = emitter.hasErrors();
        os.flush();
        return out;
      });
}
