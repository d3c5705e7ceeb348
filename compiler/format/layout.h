// The layout engine of rig fmt (docs/fmt.md): tokens in, text out.
#ifndef RIG_COMPILER_FORMAT_LAYOUT_H
#define RIG_COMPILER_FORMAT_LAYOUT_H

#include <string>
#include <vector>

#include "compiler/format/format.h"
#include "compiler/format/structure.h"
#include "compiler/parse/tokens.h"

namespace rig::format {

// Lays out the tokens of `text` (a file without syntax errors). Returns
// false with `problem` set when the tokens do not nest (never for a file
// that parsed).
bool layout(llvm::StringRef text, const std::vector<parse::Token>& tokens,
            const Structure& structure, const Options& options,
            std::string& out, std::string& problem);

}  // namespace rig::format

#endif
