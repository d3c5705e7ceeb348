#include "runtime/guest/manifest.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/guest/sys.h"

#include "runtime/protocol/node_config.h"

namespace rig::guest {
namespace {

std::string parseError(std::string_view text) {
  Manifest m;
  std::string error;
  EXPECT_FALSE(parseManifest(text, m, error));
  return error;
}

TEST(Manifest, ParsesEveryDirectiveAndDecodesFields) {
  const char* text =
      "version 1\n"
      "# a comment\n"
      "\n"
      "hostname node1\n"
      "iface 52:54:00:01:01:01 192.168.1.1/24\n"
      "sysctl net.ipv4.ip_forward 1\n"
      "dir /var/lib/my%20dir 0750 999 998\n"
      "attr /etc/app.conf 0600 0 0\n"
      "symlink ../a%25b /etc/x\r\n"
      "mask /etc/ssh/ssh_host_rsa_key\n"
      "overlay prep0 /var/lib/postgresql\n";
  Manifest m;
  std::string error;
  ASSERT_TRUE(parseManifest(text, m, error)) << error;
  EXPECT_EQ(m.version, 1);
  ASSERT_EQ(m.directives.size(), 8u);
  EXPECT_EQ(m.directives[0].verb, "hostname");
  EXPECT_EQ(m.directives[0].line, 4);
  EXPECT_EQ(
      m.directives[3].args,
      (std::vector<std::string>{"/var/lib/my dir", "0750", "999", "998"}));
  EXPECT_EQ(m.directives[5].args,
            (std::vector<std::string>{"../a%b", "/etc/x"}));
  EXPECT_EQ(m.directives[7].args,
            (std::vector<std::string>{"prep0", "/var/lib/postgresql"}));
}

TEST(Manifest, NewlinesInsideFieldsAreEncoded) {
  Manifest m;
  std::string error;
  ASSERT_TRUE(parseManifest("version 1\nsysctl kernel.x a%0Ab%20c", m, error))
      << error;
  EXPECT_EQ(m.directives[0].args[1], "a\nb c");
}

TEST(Manifest, Errors) {
  EXPECT_EQ(parseError(""), "manifest: empty (expected `version 1`)");
  EXPECT_EQ(parseError("hostname a\n"),
            "manifest:1: expected `version 1` first");
  EXPECT_EQ(parseError("version 2\n"),
            "manifest:1: manifest version 2 is not supported (this rig-guest "
            "reads 1)");
  EXPECT_EQ(parseError("version 1\nfrobnicate x\n"),
            "manifest:2: unknown directive `frobnicate`");
  EXPECT_EQ(parseError("version 1\nhostname a b\n"),
            "manifest:2: `hostname` takes 1 field, got 2");
  EXPECT_EQ(parseError("version 1\nhostname  a\n"),
            "manifest:2: empty field (fields are separated by single spaces)");
  EXPECT_EQ(parseError("version 1\nhostname a%2\n"),
            "manifest:2: bad percent-encoding in `a%2`");
  EXPECT_EQ(parseError("version 1\ndir /x 0999 0 0\n"),
            "manifest:2: bad mode `0999` (octal expected)");
  EXPECT_EQ(parseError("version 1\ndir /x 0755 root 0\n"),
            "manifest:2: bad uid/gid `root 0` (numbers expected)");
  EXPECT_EQ(parseError("version 1\nmask etc/shadow\n"),
            "manifest:2: path `etc/shadow` is not absolute");
  EXPECT_EQ(parseError("version 1\nsymlink /a b\n"),
            "manifest:2: path `b` is not absolute");
  EXPECT_EQ(parseError("version 1\nversion 1\n"),
            "manifest:2: `version` must be the first directive, once");
}

TEST(Manifest, ReadsWhatTheHostWriterWrites) {
  protocol::ManifestWriter w;
  w.hostname("node 1")
      .iface("52:54:00:01:01:01", "10.0.0.1/8")
      .sysctl("a.b", "x\ny%")
      .dir("/var/lib/x y", 0750, 999, 998)
      .attr("/etc/f", 0600, 0, 0)
      .symlink("../t", "/l")
      .mask("/etc/secret")
      .overlay("prep0", "/var/lib/pg");
  Manifest m;
  std::string error;
  ASSERT_TRUE(parseManifest(w.text(), m, error)) << error << "\n" << w.text();
  ASSERT_EQ(m.directives.size(), 8u);
  EXPECT_EQ(m.directives[0].args[0], "node 1");
  EXPECT_EQ(m.directives[2].args[1], "x\ny%");
  EXPECT_EQ(m.directives[3].args,
            (std::vector<std::string>{"/var/lib/x y", "0750", "999", "998"}));
  EXPECT_EQ(w.text().substr(0, 10), "version 1\n");
}

// Applies directives that touch only files (no hostname, interfaces, sysctl
// or mounts: those would change the machine running the test).
TEST(Manifest, AppliesFileDirectivesUnderARoot) {
  char tmp[] = "/tmp/rig-manifest-test.XXXXXX";
  std::string base = ::mkdtemp(tmp), root = base + "/root",
              config = base + "/config";
  std::string error;
  ASSERT_TRUE(makeDirs(root + "/etc", 0755, error)) << error;
  ASSERT_TRUE(writeWholeFile(root + "/etc/secret", "password", 0644, error))
      << error;
  // The config's root/etc is 0700 (as mkdtemp would make it): the guest's
  // /etc must stay 0755; new directories and files keep their modes.
  ASSERT_TRUE(makeDirs(config + "/root/etc/app", 0755, error)) << error;
  ::chmod((config + "/root/etc").c_str(), 0700);
  ::chmod((config + "/root/etc/app").c_str(), 0750);
  ASSERT_TRUE(
      writeWholeFile(config + "/root/etc/app/conf", "x=1\n", 0640, error))
      << error;
  ASSERT_EQ(::symlink("conf", (config + "/root/etc/app/link").c_str()), 0);

  Manifest m;
  ASSERT_TRUE(
      parseManifest("version 1\n"
                    "dir /var/lib/my%20app 0750 0 0\n"
                    "attr /etc/app/conf 0600 0 0\n"
                    "symlink /etc/app/conf /srv/conf\n"
                    "mask /etc/secret\n"
                    "mask /etc/absent\n",
                    m, error))
      << error;
  ASSERT_TRUE(applyManifest(m, config, root, error)) << error;

  auto mode = [&](const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat((root + path).c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  };
  EXPECT_EQ(mode("/etc"), 0755u);
  EXPECT_EQ(mode("/etc/app"), 0750u);
  EXPECT_EQ(mode("/etc/app/conf"), 0600u);
  EXPECT_EQ(mode("/var/lib/my app"), 0750u);
  std::string text;
  ASSERT_TRUE(readWholeFile(root + "/etc/app/link", text, error)) << error;
  EXPECT_EQ(text, "x=1\n");
  char target[256] = {};
  ASSERT_GT(::readlink((root + "/srv/conf").c_str(), target, sizeof target - 1),
            0);
  EXPECT_STREQ(target, "/etc/app/conf");
  ASSERT_TRUE(readWholeFile(root + "/etc/secret", text, error)) << error;
  EXPECT_EQ(text, "");
  EXPECT_EQ(mode("/etc/secret"), 0600u);
  EXPECT_NE(::access((root + "/etc/absent").c_str(), F_OK), 0);
  std::string cleanup = "rm -rf '" + base + "'";
  EXPECT_EQ(std::system(cleanup.c_str()), 0);
}

TEST(Manifest, ModuleListMatchesModulesTxt) {
  std::ifstream in(RIG_GUEST_MODULES_TXT);
  ASSERT_TRUE(in.good()) << RIG_GUEST_MODULES_TXT;
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') names.push_back(line);
  EXPECT_EQ(names, protocol::guestKernelModules());
}

}  // namespace
}  // namespace rig::guest
