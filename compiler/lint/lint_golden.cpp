// Golden producer of compiler/lint (tests/testdata/lint): the diagnostics of
// check + lint as `rig lint` prints them (text, no colour). The host's facts
// are fixed lists, so expectations do not depend on the machine: the units
// systemd-journald.service, multi-user.target and the template getty@.service,
// the packages curl, nginx, postgresql-15 and redis-server, the users root,
// nobody and postgres and the groups root, nogroup, staff and postgres.
#include "compiler/diag/render.h"
#include "compiler/lint/lint.h"
#include "tests/golden/phases.h"

namespace rig::golden {

bool produceLint(SourceFiles& sources, FileId file, const std::string&,
                 llvm::raw_ostream& os) {
  diag::Emitter emitter;
  sema::Program program = checkSuite(sources, file, emitter);
  if (program.ok) {
    static const std::string kHostUnits[] = {
        "systemd-journald.service", "multi-user.target", "getty@.service"};
    static const std::string kHostPackages[] = {
        "curl", "nginx", "postgresql-15", "redis-server"};
    static const std::string kHostUsers[] = {"root", "nobody", "postgres"};
    static const std::string kHostGroups[] = {"root", "nogroup", "staff",
                                              "postgres"};
    lint::ListedHostFacts host(kHostUnits, kHostPackages, kHostUsers,
                               kHostGroups);
    lint::Input input;
    input.suite = &program.suite().ast;
    input.sources = &sources;
    for (const sema::SourceUnit* unit : program.suite().imports)
      input.imports.push_back(unit ? &unit->ast : nullptr);
    input.program = &program;
    lint::Options lintOptions;
    lintOptions.hostFacts = &host;
    lint::lintFile(input, lintOptions, emitter);
  }
  diag::renderText(emitter.diagnostics(), sources, os);
  return emitter.hasErrors();
}

}  // namespace rig::golden
