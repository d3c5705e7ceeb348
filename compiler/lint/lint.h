// Phase entry: a checked suite -> lint warnings (language.md section 9).
// Each rule lives in its own file and is listed in rules.def; its code and
// name are in compiler/diag/kinds_lint.def. A rule whose severity is
// Ignored in the emitter (rig.toml `[lint] name = "off"`) does not run.
#ifndef RIG_COMPILER_LINT_LINT_H
#define RIG_COMPILER_LINT_LINT_H

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

namespace rig::sema {
struct Program;
}

namespace rig::lint {

// What the host has, for the rules that depend on it: the systemd units it
// ships and its packages (a guest sees the host's /usr), and its users and
// groups (a guest's /etc/passwd and /etc/group start as the host's). Tests
// inject fixed lists.
class HostFacts {
 public:
  virtual ~HostFacts() = default;
  // `unit` is a full unit name (`nginx.service`, `getty@tty1.service`).
  virtual bool ships(llvm::StringRef unit) const = 0;
  // Whether the Debian package is installed, so that ships() knows its
  // units (a node's packages come from the host).
  virtual bool hasPackage(llvm::StringRef package) const = 0;
  virtual bool hasUser(llvm::StringRef user) const = 0;
  virtual bool hasGroup(llvm::StringRef group) const = 0;
};

// The units in /usr/lib/systemd/system and /lib/systemd/system and the
// accounts of /etc/passwd and /etc/group (read once, on first use);
// packages by dpkg's file lists in /var/lib/dpkg/info.
std::unique_ptr<HostFacts> systemHostFacts();

// Fixed lists, for tests.
class ListedHostFacts : public HostFacts {
 public:
  explicit ListedHostFacts(llvm::ArrayRef<std::string> units,
                           llvm::ArrayRef<std::string> packages = {},
                           llvm::ArrayRef<std::string> users = {},
                           llvm::ArrayRef<std::string> groups = {});
  bool ships(llvm::StringRef unit) const override;
  bool hasPackage(llvm::StringRef package) const override;
  bool hasUser(llvm::StringRef user) const override;
  bool hasGroup(llvm::StringRef group) const override;

 private:
  llvm::StringSet<> units_;
  llvm::StringSet<> packages_;
  llvm::StringSet<> users_;
  llvm::StringSet<> groups_;
};

struct Input {
  const ast::File* suite = nullptr;  // the file being linted
  const SourceFiles* sources = nullptr;
  // The files the suite imports, parallel to suite->imports; null where an
  // import was not loaded (rules then assume the best of it).
  std::vector<const ast::File*> imports;
  // The checked program, when sema ran: node configurations come from it
  // (modules merged exactly as the plan will have them). Null: lint works
  // them out from the AST.
  const sema::Program* program = nullptr;
};

struct Options {
  // null: the rules that need it assume the host has every unit and
  // account.
  const HostFacts* hostFacts = nullptr;
};

// Runs every enabled rule over `input.suite` and reports to `emitter`
// (ordered by position, with the emitter's configured severities).
void lintFile(const Input& input, const Options& options,
              diag::Emitter& emitter);

// lintFile for the suite of a checked program (what `rig lint` and the
// language server run): the suite, its imports and the program.
void lintProgram(const sema::Program& program, const SourceFiles& sources,
                 const Options& options, diag::Emitter& emitter);

// The lint kinds, for `rig lint --list` and rig.toml validation.
std::vector<diag::Kind> lintKinds();

}  // namespace rig::lint

#endif
