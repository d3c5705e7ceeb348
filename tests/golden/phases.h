// The golden producers of the compiler phases, one per output kind, run by
// the one golden runner (golden_main.cpp). Each lives beside its phase
// (compiler/PHASE/*_golden.cpp) and writes the expected text for one input.
#ifndef RIG_TESTS_GOLDEN_PHASES_H
#define RIG_TESTS_GOLDEN_PHASES_H

#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/sema/sema.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::golden {

// Each returns whether the input had errors. `mode` is the --mode argument.
bool produceParse(SourceFiles& sources, FileId file, const std::string& mode,
                  llvm::raw_ostream& os);  // --mode=ast or --mode=diag
bool produceSema(SourceFiles& sources, FileId file, const std::string& mode,
                 llvm::raw_ostream& os);
bool producePlan(SourceFiles& sources, FileId file, const std::string& mode,
                 llvm::raw_ostream& os);
bool produceLint(SourceFiles& sources, FileId file, const std::string& mode,
                 llvm::raw_ostream& os);
bool produceFmt(SourceFiles& sources, FileId file, const std::string& mode,
                llvm::raw_ostream& os);  // compiler/format

// sema::check with the repository's stdlib, as every phase after parsing
// starts.
sema::Program checkSuite(SourceFiles& sources, FileId file,
                         diag::Emitter& emitter);

}  // namespace rig::golden

#endif
