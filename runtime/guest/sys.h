// Small OS helpers for rig-guest (static, no LLVM): console messages, whole-file
// I/O, directories. Every failure is reported as text in `error`.
#ifndef RIG_RUNTIME_GUEST_SYS_H
#define RIG_RUNTIME_GUEST_SYS_H

#include <sys/types.h>

#include <string>
#include <string_view>

namespace rig::guest {

// Prints "rig-guest: TEXT\n" to stderr (the console) in one write.
void say(std::string_view text);

// "ENOENT: no such file" style text for errno.
std::string errnoText(int err);

bool readWholeFile(const std::string& path, std::string& out,
                   std::string& error, size_t limit = static_cast<size_t>(-1));
// Creates or truncates; `mode` is applied with fchmod (ignores the umask).
bool writeWholeFile(const std::string& path, std::string_view data, mode_t mode,
                    std::string& error);
// Writes into an existing file (/proc/sys, /sys): no create, no chmod.
bool writeExistingFile(const std::string& path, std::string_view data,
                       std::string& error);
// mkdir -p; existing directories are fine.
bool makeDirs(const std::string& path, mode_t mode, std::string& error);
std::string parentDir(const std::string& path);

// Seconds since boot (from /proc/uptime), or -1.
double uptimeSeconds();

}  // namespace rig::guest

#endif
