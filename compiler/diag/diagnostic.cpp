#include "compiler/diag/diagnostic.h"

#include <iterator>

#include "runtime/support/assert.h"

namespace rig::diag {

static const KindInfo kKinds[] = {
#define RIG_ERROR(Name, Code, Format) \
  {#Name, Code, "", Format, Severity::Error},
#define RIG_WARNING(Name, Code, Format) \
  {#Name, Code, "", Format, Severity::Warning},
#define RIG_NOTE(Name, Code, Format) {#Name, Code, "", Format, Severity::Note},
#define RIG_LINT(Name, Code, LintName, Format) \
  {#Name, Code, LintName, Format, Severity::Warning},
#include "compiler/diag/kinds.def"
};

const KindInfo& info(Kind kind) {
  // A Kind comes from kinds.def, never from arithmetic or a cast.
  RIG_ASSERT(static_cast<size_t>(kind) < std::size(kKinds),
             "a diagnostic kind outside kinds.def");
  return kKinds[static_cast<size_t>(kind)];
}
llvm::ArrayRef<KindInfo> allKinds() { return kKinds; }

llvm::StringRef severityName(Severity severity) {
  switch (severity) {
    case Severity::Ignored: return "ignored";
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

void Emitter::setSeverity(Kind kind, Severity severity) {
  if (overrides_.empty()) {
    for (const KindInfo& k : allKinds())
      overrides_.push_back(k.defaultSeverity);
  }
  overrides_[static_cast<size_t>(kind)] = severity;
}

Severity Emitter::severityOf(Kind kind) const {
  if (overrides_.empty()) return info(kind).defaultSeverity;
  return overrides_[static_cast<size_t>(kind)];
}

Diagnostic& Emitter::emitMessage(SourceRange range, Kind kind,
                                 std::string message) {
  Severity severity = severityOf(kind);
  if (severity == Severity::Ignored) {
    dropped_ = Diagnostic{kind, severity, range, std::move(message), {}, {}};
    return dropped_;
  }
  if (severity == Severity::Error) ++errors_;
  if (severity == Severity::Warning) ++warnings_;
  diags_.push_back(
      Diagnostic{kind, severity, range, std::move(message), {}, {}});
  return diags_.back();
}

std::string closestMatch(llvm::StringRef word,
                         llvm::ArrayRef<llvm::StringRef> candidates) {
  std::string best;
  unsigned bestDistance = 0;
  unsigned limit = word.size() < 4 ? 1 : word.size() / 3 + 1;
  for (llvm::StringRef candidate : candidates) {
    if (candidate == word) continue;
    unsigned d = word.edit_distance(candidate, true, limit + 1);
    if (d <= limit && (best.empty() || d < bestDistance)) {
      best = candidate.str();
      bestDistance = d;
    }
  }
  return best;
}

}  // namespace rig::diag
