// `rig lsp`: the language server on standard input and output
// (docs/editors.md). Diagnostics honour each spec's rig.toml.
#include <unistd.h>

#include "compiler/lint/lint.h"
#include "driver/session.h"
#include "lsp/server.h"

namespace rig::driver {

int runLsp(Session& session) {
  std::unique_ptr<lint::HostFacts> units = lint::systemHostFacts();
  lsp::ServerOptions options;
  options.analysis.stdlibDir = stdlibDir(session.host());
  options.analysis.hostFacts = units.get();
  options.analysis.configure = [&session](llvm::StringRef path,
                                          diag::Emitter& emitter) {
    if (const Config* config = session.configFor(path))
      config->applyTo(emitter);
  };
  lsp::Transport transport(STDIN_FILENO, STDOUT_FILENO);
  lsp::Server server(transport, std::move(options));
  return server.run();
}

}  // namespace rig::driver
