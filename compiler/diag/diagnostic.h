// Diagnostics: what the compiler tells a user about their spec. Every kind is
// declared in kinds.def; phases emit them through an Emitter, and renderers
// (render.h) print them as text with carets, JSON, SARIF or GitHub
// annotations.
#ifndef RIG_COMPILER_DIAG_DIAGNOSTIC_H
#define RIG_COMPILER_DIAG_DIAGNOSTIC_H

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
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

// The kinds' format strings, indexed by Kind, for the compile-time check.
inline constexpr std::string_view kFormats[] = {
#define RIG_ERROR(Name, Code, Format) Format,
#define RIG_WARNING(Name, Code, Format) Format,
#define RIG_NOTE(Name, Code, Format) Format,
#define RIG_LINT(Name, Code, LintName, Format) Format,
#include "compiler/diag/kinds.def"
};

// Deduction stopper (std::type_identity is C++20; rig_diag is also built
// as C++17 by the fuzz preset).
template <typename T>
struct NoDeduce {
  using type = T;
};

// A kind named where a diagnostic is emitted, with its format string
// checked at compile time against the arguments given with it: too few
// arguments, or one that fmt cannot format the way the format asks, does
// not compile (fmt's format_string check). `Kind::X` converts implicitly;
// a kind only known at run time cannot be checked and does not convert.
template <typename... Args>
class CheckedKind {
 public:
#if defined(__cpp_consteval)
  consteval CheckedKind(Kind kind)  // NOLINT: implicit on purpose
      : kind_(kind) {
    (void)fmt::format_string<Args...>(kFormats[static_cast<size_t>(kind)]);
  }
#else
  constexpr CheckedKind(Kind kind) : kind_(kind) {}  // NOLINT
#endif
  Kind kind() const { return kind_; }
  std::string_view format() const {
    return kFormats[static_cast<size_t>(kind_)];
  }

 private:
  Kind kind_;
};

// The message of `kind` with `args`, checked at compile time.
template <typename... Args>
std::string formatMessage(CheckedKind<typename NoDeduce<Args>::type...> kind,
                          Args&&... args) {
  return fmt::vformat(kind.format(), fmt::make_format_args(args...));
}

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
  Diagnostic& emit(SourceRange range,
                   CheckedKind<typename NoDeduce<Args>::type...> kind,
                   Args&&... args) {
    return emitMessage(
        range, kind.kind(),
        formatMessage<Args...>(kind, std::forward<Args>(args)...));
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
