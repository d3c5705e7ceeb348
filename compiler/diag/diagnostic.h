// Diagnostics: what the compiler tells a user about their spec. Every kind is
// declared in kinds.def; phases emit them through an Emitter, and renderers
// (render.h) print them as text with carets, JSON, SARIF or GitHub
// annotations.
#ifndef RIG_COMPILER_DIAG_DIAGNOSTIC_H
#define RIG_COMPILER_DIAG_DIAGNOSTIC_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/base/source.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace rig::diag {

enum class Kind : uint16_t {
#define RIG_ERROR(Name, Code, Format) Name,
#define RIG_WARNING(Name, Code, Format) Name,
#define RIG_NOTE(Name, Code, Format) Name,
#define RIG_LINT(Name, Code, LintName, Format) Name,
#include "compiler/diag/kinds.def"
};

enum class Severity : uint8_t { Ignored, Note, Warning, Error };
llvm::StringRef severityName(Severity severity);

struct KindInfo {
  llvm::StringRef name;      // "UnknownName"
  llvm::StringRef code;      // "E0200"
  llvm::StringRef lintName;  // "unused-let" for lints, "" otherwise
  llvm::StringRef format;
  Severity defaultSeverity;
  bool isLint() const { return !lintName.empty(); }
};

const KindInfo& info(Kind kind);
llvm::ArrayRef<KindInfo> allKinds();  // indexed by Kind

struct Note {
  SourceRange range;  // may be invalid: a note without a location
  std::string message;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Note> notes;
  std::string help;  // "did you mean `wait_for_open_port`?"

  Diagnostic& note(SourceRange r, std::string text) {
    notes.push_back({r, std::move(text)});
    return *this;
  }
  Diagnostic& withHelp(std::string text) {
    help = std::move(text);
    return *this;
  }
};

// Collects diagnostics in emission order. References returned by emit() stay
// valid for the Emitter's lifetime (a deque never moves its elements).
class Emitter {
 public:
  template <typename... Args>
  Diagnostic& emit(SourceRange range, Kind kind, Args&&... args) {
    return emitMessage(
        range, kind,
        fmt::format(fmt::runtime(std::string_view(info(kind).format.data(),
                                                  info(kind).format.size())),
                    std::forward<Args>(args)...));
  }
  Diagnostic& emitMessage(SourceRange range, Kind kind, std::string message);

  // Lint configuration (rig.toml): Ignored drops the kind.
  void setSeverity(Kind kind, Severity severity);
  Severity severityOf(Kind kind) const;

  const std::deque<Diagnostic>& diagnostics() const { return diags_; }
  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ != 0; }

 private:
  std::deque<Diagnostic> diags_;
  std::vector<Severity> overrides_;  // empty = defaults
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  Diagnostic dropped_{};  // target of emit() for ignored kinds
};

// "did you mean" support: the closest candidate within a small edit
// distance, or "" when none is close enough.
std::string closestMatch(llvm::StringRef word,
                         llvm::ArrayRef<llvm::StringRef> candidates);

}  // namespace rig::diag

#endif
