// Prints the diagnostics of a run in the format asked for with --format.
// The renderers themselves live in compiler/diag (render.h); this is the
// driver's one call into them.
#ifndef RIG_DRIVER_RENDER_OUTPUT_H
#define RIG_DRIVER_RENDER_OUTPUT_H

#include <deque>
#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "driver/args.h"

#include "llvm/Support/raw_ostream.h"

namespace rig::driver {

void renderDiagnostics(const std::deque<diag::Diagnostic>& diagnostics,
                       const SourceFiles& sources, Format format, bool color,
                       llvm::raw_ostream& os);

}  // namespace rig::driver

#endif
