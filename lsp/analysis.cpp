#include "lsp/analysis.h"

#include "llvm/Support/FileSystem.h"

namespace rig::lsp {

std::unique_ptr<Analysis> analyze(llvm::StringRef path, llvm::StringRef text,
                                  const AnalysisOptions& options) {
  auto a = std::make_unique<Analysis>();
  a->sources = std::make_unique<SourceFiles>();
  a->file = a->sources->add(path.str(), text.str());
  for (const auto& [real, overlay] : options.overlays)
    if (real != path) a->sources->overlay(real, overlay);
  diag::Emitter emitter;
  if (options.configure) options.configure(path, emitter);
  sema::Options semaOptions;
  semaOptions.stdlibDir = options.stdlibDir;
  a->program = sema::check(*a->sources, a->file, semaOptions, emitter);
  if (a->program.ok) {
    lint::Options lintOptions;
    lintOptions.hostFacts = options.hostFacts;
    lint::lintProgram(a->program, *a->sources, lintOptions, emitter);
  }
  a->diagnostics = emitter.diagnostics();
  for (size_t i = 1; i < a->program.units.size(); ++i) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(a->program.units[i]->path, real))
      real = a->program.units[i]->path;
    a->importedPaths.push_back(std::string(real));
  }
  return a;
}

}  // namespace rig::lsp
