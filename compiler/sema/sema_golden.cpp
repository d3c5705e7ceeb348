// Golden producer of compiler/sema (tests/testdata/sema): diagnostics, then
// the program dump (constants, nodes, calls) when there were no errors. The
// stdlib directory is the repository's stdlib/, so stdlib modules are
// checked by the goldens that import them.
#include "compiler/diag/render.h"
#include "tests/golden/phases.h"

namespace rig::golden {

bool produceSema(SourceFiles& sources, FileId file, const std::string&,
                 llvm::raw_ostream& os) {
  diag::Emitter emitter;
  sema::Program program = checkSuite(sources, file, emitter);
  diag::renderText(emitter.diagnostics(), sources, os);
  if (!emitter.hasErrors()) {
    if (!emitter.diagnostics().empty()) os << "\n";
    sema::dump(program, os);
  }
  return emitter.hasErrors();
}

}  // namespace rig::golden
