#include "lsp/analysis.h"

#include "llvm/Support/FileSystem.h"

namespace rig::lsp {

std::unique_ptr<Analysis> analyze(llvm::StringRef path, llvm::StringRef text,
                                  const AnalysisOptions& options) {
  auto a = std::make_unique<Analysis>();
  a->sources = std::make_unique<SourceFiles>();
  a->file = a->sources->add(path.str(), text.str());
  diag::Emitter emitter;
  if (options.configure) options.configure(path, emitter);
  sema::Options semaOptions;
  semaOptions.stdlibDir = options.stdlibDir;
  a->program = sema::check(*a->sources, a->file, semaOptions, emitter);
  if (a->program.ok) {
    lint::Options lintOptions;
    lintOptions.hostUnits = options.hostUnits;
    lint::lintProgram(a->program, *a->sources, lintOptions, emitter);
  }
  a->diagnostics = emitter.diagnostics();
  if (!a->program.units.empty())
    for (const sema::SourceUnit* unit : a->program.suite().imports)
      if (unit) {
        llvm::SmallString<256> real;
        if (llvm::sys::fs::real_path(unit->path, real)) real = unit->path;
        a->importedPaths.push_back(std::string(real));
      }
  return a;
}

}  // namespace rig::lsp
