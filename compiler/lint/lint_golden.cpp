// Golden producer of compiler/lint (tests/testdata/lint): the diagnostics of
// check + lint as `rig lint` prints them (text, no colour). The host's units
// are a fixed list, so expectations do not depend on the machine:
// systemd-journald.service, multi-user.target and the template getty@.service.
#include "compiler/diag/render.h"
#include "compiler/lint/lint.h"
#include "compiler/sema/sema.h"
#include "tests/golden/golden.h"

int main(int argc, char** argv) {
  return rig::golden::mainOverSources(
      argc, argv,
      [](rig::SourceFiles& sources, rig::FileId file, const std::string& /*mode*/,
         llvm::raw_ostream& os) {
        rig::diag::Emitter emitter;
        rig::sema::Options options;
        options.stdlibDir = rig::golden::kStdlibFromTestdata;
        rig::sema::Program program =
            rig::sema::check(sources, file, options, emitter);
        if (program.ok) {
          static const std::string kHostUnits[] = {
              "systemd-journald.service", "multi-user.target",
              "getty@.service"};
          rig::lint::ListedHostUnits host(kHostUnits);
          rig::lint::Input input;
          input.suite = &program.suite().ast;
          input.sources = &sources;
          for (const rig::sema::SourceUnit* unit : program.suite().imports)
            input.imports.push_back(unit ? &unit->ast : nullptr);
          input.program = &program;
          rig::lint::Options lintOptions;
          lintOptions.hostUnits = &host;
          rig::lint::lintFile(input, lintOptions, emitter);
        }
        rig::diag::renderText(emitter.diagnostics(), sources, os);
        return emitter.hasErrors();
      });
}
