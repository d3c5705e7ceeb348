// The node config share's `manifest` (README.md in this folder): parsing is
// pure (unit-tested); applying it touches the new root.
#ifndef RIG_RUNTIME_GUEST_MANIFEST_H
#define RIG_RUNTIME_GUEST_MANIFEST_H

#include <string>
#include <string_view>
#include <vector>

#include "runtime/protocol/node_config.h"

namespace rig::guest {

using protocol::kManifestVersion;

struct Directive {
  std::string verb;               // "hostname", "iface", ...
  std::vector<std::string> args;  // percent-decoded
  int line = 0;                   // 1-based, for errors
};

struct Manifest {
  int version = 0;
  std::vector<Directive> directives;  // without `version`, in file order
};

// Parses the manifest text. Blank lines and lines starting with `#` are
// skipped. Errors read `manifest:LINE: ...`.
bool parseManifest(std::string_view text, Manifest& out, std::string& error);

// Applies `manifest` to the tree at `root` (the new root, before chroot):
// copies `configDir`/root/ into it, then runs the directives in order.
// Mount directives (`mask` of a directory, `overlay`) mount under `root`.
bool applyManifest(const Manifest& manifest, const std::string& configDir,
                   const std::string& root, std::string& error);

// Copies the tree `from` into `to` (files, directories, symlinks; modes kept,
// owned by root). Existing files are replaced.
bool copyTree(const std::string& from, const std::string& to,
              std::string& error);

}  // namespace rig::guest

#endif
