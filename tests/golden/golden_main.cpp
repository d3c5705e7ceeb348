// The golden runner of every compiler phase:
//   rig-golden [--update] --mode=MODE DIR [FILE.rig...]
// MODE names what is produced: ast, diag (compiler/parse), sema
// (compiler/sema), plan (compiler/lower), lint (compiler/lint), fmt
// (compiler/format).
#include <cstring>

#include "llvm/ADT/StringRef.h"
#include "tests/golden/golden.h"
#include "tests/golden/phases.h"

namespace rig::golden {

sema::Program checkSuite(SourceFiles& sources, FileId file,
                         diag::Emitter& emitter) {
  sema::Options options;
  options.stdlibDir = kStdlibFromTestdata;
  return sema::check(sources, file, options, emitter);
}
}  // namespace rig::golden

int main(int argc, char** argv) {
  using Produce = bool (*)(rig::SourceFiles&, rig::FileId, const std::string&,
                           llvm::raw_ostream&);
  static const struct {
    const char* mode;
    Produce produce;
  } kModes[] = {
      {"ast", rig::golden::produceParse}, {"diag", rig::golden::produceParse},
      {"sema", rig::golden::produceSema}, {"plan", rig::golden::producePlan},
      {"lint", rig::golden::produceLint}, {"fmt", rig::golden::produceFmt},
  };
  Produce produce = nullptr;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (!arg.consume_front("--mode=")) continue;
    for (const auto& m : kModes)
      if (arg == m.mode) produce = m.produce;
  }
  if (!produce) {
    llvm::errs()
        << argv[0]
        << ": needs --mode=ast|diag|sema|plan|lint|fmt (what to produce)\n";
    return 2;
  }
  return rig::golden::mainOverSources(argc, argv, produce);
}
