// Golden producer of compiler/sema (tests/testdata/sema).
//   --mode=program  diagnostics, then the program dump (constants, nodes,
//                   calls) when there were no errors
// The stdlib directory is the repository's stdlib/, so
// stdlib modules are checked by the goldens that import them.
#include "compiler/diag/render.h"
#include "compiler/sema/sema.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::mainOverSources(
      argc, argv,
      [](rig::SourceFiles& sources, rig::FileId file, const std::string& mode,
         llvm::raw_ostream& os) {
        rig::diag::Emitter emitter;
        rig::sema::Options options;
        options.stdlibDir = rig::golden::kStdlibFromTestdata;
        rig::sema::Program program =
            rig::sema::check(sources, file, options, emitter);
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        if (!emitter.hasErrors()) {
          if (!emitter.diagnostics().empty()) os << "\n";
          rig::sema::dump(program, os);
        }
        return emitter.hasErrors();
      });
}
