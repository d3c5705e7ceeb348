// What a line typed at `rig repl` is: a command (`:run NAME`) or rig code,
// and whether the code typed so far is complete. Internal to
// driver; unit-tested in repl_input_test.cpp.
#ifndef RIG_DRIVER_REPL_INPUT_H
#define RIG_DRIVER_REPL_INPUT_H

#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::driver {

struct ReplCommand {
  enum class Kind {
    Code,     // not a command: rig statements
    Empty,    // nothing but blanks
    Tests,    // :tests
    Run,      // :run [NAME]
    Shell,    // :shell NODE
    Help,     // :help
    Quit,     // :quit
    Unknown,  // :anything else
  };
  Kind kind = Kind::Code;
  std::string argument;  // Run: the test name ("" = all); Shell: the node
  std::string word;      // the command as typed, for errors (":rn")
};

// Commands start with `:` (`:q` and `:exit` also quit, `:h` and `:?` also
// help). The argument of `:run` may be quoted (`:run "a test"`) or not.
ReplCommand parseReplCommand(llvm::StringRef line);

// False while `text` leaves a `(`, `[`, `{`, a `${` or a `"""` string
// open: the reader then asks for another line. A `"` string ends at the end
// of its line (as in the lexer): an unterminated one, stray closers and
// other errors make the input complete, so the parser reports them at once.
bool inputComplete(llvm::StringRef text);

}  // namespace rig::driver

#endif
