// Golden producer of compiler/sema (tests/testdata/sema).
//   --mode=program  diagnostics, then the program dump (constants, nodes,
//                   calls) when there were no errors
// The stdlib directory is the repository's stdlib/, so
// stdlib modules are checked by the goldens that import them.
#include "compiler/diag/render.h"
#include "compiler/sema/sema.h"
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
        rig::sema::Options options;
        // The runner works in the testdata directory: a relative stdlib path
        // keeps machine-specific paths out of the expectations.
        options.stdlibDir = "../../../stdlib";
        rig::sema::Program program =
            rig::sema::check(sources, *file, options, emitter);
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        if (!emitter.hasErrors()) {
          if (!emitter.diagnostics().empty()) os << "\n";
          rig::sema::dump(program, os);
        }
        out.hasErrors = emitter.hasErrors();
        os.flush();
        return out;
      });
}
