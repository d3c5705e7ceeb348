#include "runtime/host/prepare.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "llvm/Support/FileSystem.h"
#include "runtime/host/run_dir.h"

namespace rig::host {
namespace {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/rig-prepare-test-XXXXXX";
    path_ = ::mkdtemp(pattern);
    ::chmod(path_.c_str(), 0755);
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

plan::Prepare step(std::string run) {
  plan::Prepare p;
  p.name = "fixture";
  p.user = "root";
  p.run = std::move(run);
  p.mountAt = "/srv/fixture";
  return p;
}

std::string key(const plan::Prepare& p, const PackageVersions& v) {
  auto k = prepareKey(p, v);
  EXPECT_TRUE(bool(k)) << llvm::toString(k.takeError());
  return k ? *k : "";
}

TEST(PrepareKey, ChangesWithCommandUserPackagesAndInputs) {
  TempDir dir;
  std::string input = dir.path() + "/input.sql";
  writeFile(input, "create table t();");
  plan::Prepare base = step("cp input.sql $out/");
  base.inputs = {input};
  PackageVersions versions = {{"postgresql-15", "15.18-0+deb12u1"}};
  std::string k0 = key(base, versions);
  ASSERT_EQ(k0.size(), 64u);

  plan::Prepare other = base;
  other.run = "cp input.sql $out/x";
  EXPECT_NE(key(other, versions), k0);

  other = base;
  other.user = "postgres";
  EXPECT_NE(key(other, versions), k0);

  EXPECT_NE(key(base, {{"postgresql-15", "15.19-0+deb12u1"}}), k0);
  EXPECT_NE(key(base, {{"postgresql-15", "15.18-0+deb12u1"}, {"curl", "7"}}),
            k0);

  writeFile(input, "create table u();");
  EXPECT_NE(key(base, versions), k0);
  writeFile(input, "create table t();");
  EXPECT_EQ(key(base, versions), k0);
}

TEST(PrepareKey, IgnoresNameMountPointAndOrder) {
  plan::Prepare base = step("true");
  PackageVersions versions = {{"a", "1"}, {"b", "2"}};
  std::string k0 = key(base, versions);
  plan::Prepare other = base;
  other.name = "renamed";
  other.mountAt = "/elsewhere";
  other.cacheKey = "whatever the compiler said";
  EXPECT_EQ(key(other, versions), k0);
  EXPECT_EQ(key(base, {{"b", "2"}, {"a", "1"}}), k0);
}

TEST(PrepareKey, MissingInputIsAnError) {
  plan::Prepare p = step("true");
  p.inputs = {"/nonexistent/rig-input"};
  auto k = prepareKey(p, {});
  ASSERT_FALSE(bool(k));
  EXPECT_NE(llvm::toString(k.takeError()).find("/nonexistent/rig-input"),
            std::string::npos);
}

// The rest runs bubblewrap for real (root only, as CI runs).
class PrepareBuild : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0 || !llvm::sys::fs::can_execute("/usr/bin/bwrap"))
      GTEST_FAIL() << "these tests need root and bubblewrap "
                      "(apt-get install bubblewrap)";
  }
  TempDir cache;
};

TEST_F(PrepareBuild, BuildsOnceThenServesFromCache) {
  PrepareOptions options{cache.path(), false};
  plan::Prepare p = step("echo built > $out/marker; date +%s%N > $out/stamp");
  auto first = ensurePrepared(p, {}, options);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  EXPECT_FALSE(first->cached);
  EXPECT_EQ(readFile(first->outputDir + "/marker"), "built\n");
  std::string stamp = readFile(first->outputDir + "/stamp");

  auto second = ensurePrepared(p, {}, options);
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_TRUE(second->cached);
  EXPECT_EQ(second->outputDir, first->outputDir);
  EXPECT_EQ(readFile(second->outputDir + "/stamp"), stamp);

  options.rebuild = true;
  auto third = ensurePrepared(p, {}, options);
  ASSERT_TRUE(bool(third)) << llvm::toString(third.takeError());
  EXPECT_FALSE(third->cached);
  EXPECT_NE(readFile(third->outputDir + "/stamp"), stamp);

  auto list = listPrepared(cache.path());
  ASSERT_TRUE(bool(list));
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "fixture");
  ASSERT_FALSE(bool(cleanPrepared(cache.path())));
  list = listPrepared(cache.path());
  ASSERT_TRUE(bool(list));
  EXPECT_TRUE(list->empty());
  EXPECT_FALSE(llvm::sys::fs::exists(first->outputDir));
}

TEST_F(PrepareBuild, RebuildBuildsAStepSharedByNodesOnce) {
  // One run (one `seen` set) with --rebuild and two nodes using one step:
  // the first builds, the second uses that output.
  plan::Prepare p = step("date +%s%N > $out/stamp");
  ASSERT_TRUE(bool(ensurePrepared(p, {}, {cache.path(), false})));
  std::set<std::string> seen;
  PrepareOptions options{cache.path(), true, &seen};
  auto first = ensurePrepared(p, {}, options);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  EXPECT_FALSE(first->cached);
  std::string stamp = readFile(first->outputDir + "/stamp");
  auto second = ensurePrepared(p, {}, options);
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_TRUE(second->cached);
  EXPECT_EQ(readFile(second->outputDir + "/stamp"), stamp);
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(PrepareBuild, TmpIsWritableByTheStepsUser) {
  // Mode 1777, as on a host: mariadb-install-db as mysql writes /tmp.
  plan::Prepare p = step(
      "stat -c %a /tmp /var/tmp > $out/modes; echo x > /tmp/f; "
      "echo y > /var/tmp/f");
  p.user = "nobody";
  auto built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError());
  EXPECT_EQ(readFile(built->outputDir + "/modes"), "1777\n1777\n");
}

TEST_F(PrepareBuild, RunsAsTheStepsUser) {
  plan::Prepare p = step("id -un > $out/who");
  p.user = "nobody";
  auto built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError());
  EXPECT_EQ(readFile(built->outputDir + "/who"), "nobody\n");
}

TEST_F(PrepareBuild, FailureShowsCommandAndOutputAndCachesNothing) {
  plan::Prepare p = step("echo about to fail; exit 7");
  auto built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_FALSE(bool(built));
  std::string message = llvm::toString(built.takeError());
  EXPECT_NE(message.find("exit status 7"), std::string::npos) << message;
  EXPECT_NE(message.find("echo about to fail; exit 7"), std::string::npos);
  EXPECT_NE(message.find("about to fail\n"), std::string::npos);
  auto list = listPrepared(cache.path());
  ASSERT_TRUE(bool(list));
  EXPECT_TRUE(list->empty());
}

TEST_F(PrepareBuild, CannotWriteOutsideOut) {
  std::string victim = cache.path() + "/victim";
  plan::Prepare p = step(
      "echo x > /usr/rig-sandbox-escape || exit 3; "
      "echo x > " +
      victim + " || exit 4");
  auto built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_FALSE(bool(built));
  EXPECT_NE(llvm::toString(built.takeError()).find("exit status 3"),
            std::string::npos);
  EXPECT_FALSE(llvm::sys::fs::exists("/usr/rig-sandbox-escape"));

  p = step("echo x > " + victim);
  built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_FALSE(bool(built));
  llvm::consumeError(built.takeError());
  EXPECT_FALSE(llvm::sys::fs::exists(victim));
}

TEST_F(PrepareBuild, HasNoNetwork) {
  // Only a loopback device exists in the sandbox's network namespace.
  plan::Prepare p =
      step("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' > $out/ifaces");
  auto built = ensurePrepared(p, {}, {cache.path(), false});
  ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError());
  EXPECT_EQ(readFile(built->outputDir + "/ifaces"), "lo\n");
}

TEST_F(PrepareBuild, ConcurrentBuildsOfOneKeyBuildOnce) {
  // Two processes (as two suites would be) race for the same key; the lock
  // makes the second wait and find the first one's output.
  plan::Prepare p =
      step("sleep 1; echo $$ >> /out/builds; date +%s%N > $out/stamp");
  std::string log = cache.path() + "/results";
  pid_t children[2];
  for (pid_t& child : children) {
    child = ::fork();
    if (child == 0) {
      auto built = ensurePrepared(p, {}, {cache.path(), false});
      std::ofstream(log, std::ios::app)
          << (built ? (built->cached ? "cached\n" : "built\n") : "error\n");
      if (!built) llvm::consumeError(built.takeError());
      ::_exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
  }
  std::string results = readFile(log);
  EXPECT_TRUE(results == "built\ncached\n" || results == "cached\nbuilt\n")
      << results;
  auto k = prepareKey(p, {});
  ASSERT_TRUE(bool(k));
  std::string builds = readFile(cache.path() + "/prepare/" + *k + "/builds");
  EXPECT_EQ(std::count(builds.begin(), builds.end(), '\n'), 1);
}

}  // namespace
}  // namespace rig::host
