#include "driver/render_output.h"

#include "compiler/diag/render.h"

namespace rig::driver {

void renderDiagnostics(const std::deque<diag::Diagnostic>& diagnostics,
                       const SourceFiles& sources, Format format, bool color,
                       llvm::raw_ostream& os) {
  diag::RenderOptions options;
  options.color = color;
#ifdef RIG_VERSION
  options.toolVersion = RIG_VERSION;
#endif
  diag::Format to = diag::Format::Text;
  switch (format) {
    case Format::Text: to = diag::Format::Text; break;
    case Format::Json: to = diag::Format::Json; break;
    case Format::Sarif: to = diag::Format::Sarif; break;
    case Format::Github: to = diag::Format::Github; break;
  }
  diag::render(to, diagnostics, sources, os, options);
}

}  // namespace rig::driver
