// Running a command for the agent: `/bin/sh -c CMD` (or `/bin/bash -euo
// pipefail -c CMD`, as the NixOS driver runs test commands) as root, in its own
// process group, stdin /dev/null, stdout/stderr captured (binary-safe).
#ifndef RIG_RUNTIME_GUEST_EXEC_H
#define RIG_RUNTIME_GUEST_EXEC_H

#include <string>
#include <vector>

namespace rig::guest {

struct CommandRequest {
  std::string command;
  std::vector<std::string>
      env;             // NAME=value, added to (or replacing) the base env
  long timeoutMs = 0;  // 0 = no limit
  // Bytes one stream (stdout or stderr) may carry; past it the command's
  // process group gets SIGKILL at once and `overflow` names the stream.
  // 0 = no limit.
  size_t maxOutput = 0;
  std::string shell = "/bin/sh";
  bool bash = false;  // /bin/bash -euo pipefail instead of `shell`
};

struct CommandResult {
  int status = 0;  // exit code, 128+N for signal N
  bool timedOut = false;
  std::string out, err;
  // "stdout" or "stderr" when that stream passed maxOutput; `out` and `err`
  // then keep only their first and last kOverflowKeep bytes, joined by a
  // line saying how much was left out.
  std::string overflow;
  size_t outBytes = 0, errBytes = 0;  // what each stream carried in total
};

inline constexpr size_t kOverflowKeep = 4096;

// The base environment of every command.
std::vector<std::string> baseEnvironment();

// False only if the command could not be started (`error` set). On timeout
// the whole process group gets SIGKILL. Output written after the shell exited
// by processes it left behind is collected until they close the pipes or stay
// silent for 200 ms.
bool runCommand(const CommandRequest& request, CommandResult& result,
                std::string& error);

}  // namespace rig::guest

#endif
