// libFuzzer target for rig fmt: for any input that parses, the formatted
// text must parse to the same syntax tree (ranges aside) and formatting it
// again must change nothing; an input that does not parse must be refused.
// Built only with -DRIG_FUZZ=ON; run by `tests/fuzz/run SECONDS fmt_fuzzer`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/format/format.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string before = rig::format::meaning("fuzz.rig", text);
  rig::format::Result once = rig::format::formatText("fuzz.rig", text);
  if (before.empty()) {
    if (once.outcome != rig::format::Outcome::SyntaxErrors) std::abort();
    return 0;
  }
  // formatFile compares the trees itself and reports Unsafe when they differ.
  if (once.outcome != rig::format::Outcome::Formatted) {
    llvm::errs() << "not formatted: " << once.problem << "\n";
    std::abort();
  }
  rig::format::Result twice = rig::format::formatText("fuzz.rig", once.text);
  if (twice.outcome != rig::format::Outcome::Formatted ||
      twice.text != once.text) {
    llvm::errs() << "not idempotent:\n" << once.text << "---\n" << twice.text;
    std::abort();
  }
  return 0;
}
