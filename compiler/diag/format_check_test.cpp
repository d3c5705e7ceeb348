// Compiled by ctest (diag.format-checked*), never linked: a diagnostic
// emitted with the arguments its kind's format asks for compiles; with
// one too few (RIG_TOO_FEW_ARGS) it must not.
#include "compiler/diag/diagnostic.h"

void emitBoth(rig::diag::Emitter& e, rig::SourceRange r) {
  // "invalid number `{0}`: {1}"
  e.emit(r, rig::diag::Kind::InvalidNumber, "0x", "no digits");
#ifdef RIG_TOO_FEW_ARGS
  e.emit(r, rig::diag::Kind::InvalidNumber, "0x");
#endif
}
