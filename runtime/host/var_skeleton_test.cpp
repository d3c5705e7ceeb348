#include "runtime/host/var_skeleton.h"

#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

// A status file as dpkg writes it: continuation lines, a package that was
// removed (config files left), a virtual package, a multi-arch library.
const char* kStatus =
    "Package: web\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Depends: web-common (= 1.0), libfoo1 (>= 2) | libfoo-alt, "
    "mail-transport-agent\n"
    "Description: a web server\n"
    " Depends: not-a-field\n"
    "\n"
    "Package: web-common\n"
    "Status: install ok installed\n"
    "Architecture: all\n"
    "Pre-Depends: base-files:any\n"
    "\n"
    "Package: libfoo1\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "\n"
    "Package: libfoo-alt\n"
    "Status: deinstall ok config-files\n"
    "Architecture: amd64\n"
    "\n"
    "Package: base-files\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "\n"
    "Package: postfix\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Provides: mail-transport-agent\n"
    "\n"
    "Package: unrelated\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n";

TEST(DpkgStatus, ClosureFollowsDependsAlternativesAndProviders) {
  DpkgStatus s = DpkgStatus::parse(kStatus);
  EXPECT_EQ(s.closure({"web"}),
            (std::vector<std::string>{"base-files", "libfoo1", "postfix", "web",
                                      "web-common"}));
  EXPECT_EQ(s.closure({"not-installed"}), std::vector<std::string>{});
  EXPECT_EQ(s.listName("libfoo1"), "libfoo1:amd64");
  EXPECT_EQ(s.listName("web"), "web");
}

void write(const std::string& path, const std::string& text) {
  ASSERT_FALSE(bool(writeFileAtomically(path, text)));
}

TEST(VarSkeleton, DirectoriesOfTheClosureWithHostModes) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-var-skeleton", dir));
  std::string d(dir), admin = d + "/admin", root = d + "/root";
  for (const char* p :
       {"/admin", "/admin/info", "/root", "/root/var", "/root/var/lib",
        "/root/var/lib/web", "/root/var/log", "/root/var/log/web",
        "/root/var/lib/unrelated", "/root/var/cache"})
    ASSERT_EQ(::mkdir((d + p).c_str(), 0755), 0) << p;
  ::chmod((root + "/var/log/web").c_str(), 02750);
  ASSERT_EQ(::symlink("/run", (root + "/var/run").c_str()), 0);
  write(admin + "/status", kStatus);
  write(admin + "/info/web.list",
        "/.\n/var\n/var/lib\n/var/lib/web\n/usr/sbin/web\n");
  write(admin + "/info/web-common.list",
        "/var/log\n/var/log/web\n/var/log/web/old.log\n");
  write(admin + "/info/libfoo1:amd64.list",
        "/var/run\n/var/run/foo\n/var/cache\n");
  write(admin + "/info/unrelated.list", "/var/lib/unrelated\n");
  write(root + "/var/log/web/old.log", "host content\n");

  std::vector<HostDir> dirs =
      varSkeleton(DpkgStatus::parse(kStatus), {"web"}, admin, root);
  std::vector<std::string> paths;
  for (auto& h : dirs) paths.push_back(h.path);
  // Directories only (no file, no /var/run), parents first, nothing from a
  // package outside the closure.
  EXPECT_EQ(paths, (std::vector<std::string>{"/var", "/var/cache", "/var/lib",
                                             "/var/lib/web", "/var/log",
                                             "/var/log/web"}));
  EXPECT_EQ(dirs[5].mode, 02750u);
  EXPECT_EQ(dirs[3].mode, 0755u);
  EXPECT_EQ(dirs[3].uid, ::getuid());
  llvm::sys::fs::remove_directories(d);
}

}  // namespace
}  // namespace rig::host
