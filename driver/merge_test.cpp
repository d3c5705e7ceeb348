// `rig list`, `rig run --shard` and `rig merge` in-process on suites without
// nodes (no VM): the shards' merged reports equal the whole run's; a
// missing, a duplicate and a foreign shard give their errors.
#include <gtest/gtest.h>

#include <map>

#include "driver/driver_testing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::driver {
namespace {

namespace json = llvm::json;

class MergeTest : public RigTest {
 protected:
  void SetUp() override {
    RigTest::SetUp();
    // A suite without nodes still sets up (empty) machines: the rig-guest
    // of the build.
    executable_ = RIG_BINARY_DIR "/rig";
    write("suites/alpha.rig",
          "meta { tags = [\"fast\", \"db\"] }\n"
          "test \"adds\" { expect 1 + 1 == 2 }\n");
    write("suites/beta.rig",
          "test \"compares\" { expect \"a\" == \"b\" }\n"
          "test \"later\" { expect true }\n");
    write("suites/gamma.rig", "test \"logs\" { log(\"hello\") }\n");
    write("suites/deep/delta.rig", "test \"one\" { expect 2 > 1 }\n");
    write("suites/lib/util.rig", "let unused = 1\n");
  }
  json::Value readJson(const std::string& path) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    EXPECT_TRUE(bool(buffer)) << path;
    if (!buffer) return nullptr;
    auto value = json::parse((*buffer)->getBuffer());
    EXPECT_TRUE(bool(value)) << path;
    if (!value) {
      llvm::consumeError(value.takeError());
      return nullptr;
    }
    return std::move(*value);
  }

  std::string dir() const { return root_ + "/suites"; }
  std::string file(const std::string& name) const { return root_ + "/" + name; }
};

// What must agree between a merged report and the whole run's: suites in
// order, their tests, statuses and failure messages (not the times).
std::string results(const json::Value& report) {
  std::string out;
  const json::Object* doc = report.getAsObject();
  if (!doc || !doc->getArray("suites")) return "not a report";
  for (const json::Value& s : *doc->getArray("suites")) {
    const json::Object& suite = *s.getAsObject();
    out += suite.getString("path")->str() + " " +
           suite.getString("status")->str() + "\n";
    for (const json::Value& t : *suite.getArray("tests")) {
      const json::Object& test = *t.getAsObject();
      out += "  " + test.getString("name")->str() + " " +
             test.getString("status")->str();
      if (const json::Object* f = test.getObject("failure"))
        out += ": " + f->getString("message")->str();
      out += "\n";
    }
  }
  return out;
}

TEST_F(MergeTest, ListShowsSuitesTestsAndTags) {
  Result r = rig({"list", dir(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json::Value doc = json::parse(r.out).get();
  const json::Array* suites = doc.getAsObject()->getArray("suites");
  ASSERT_TRUE(suites);
  ASSERT_EQ(suites->size(), 4u) << r.out;  // the library is not a suite
  const json::Object& alpha = *(*suites)[0].getAsObject();
  EXPECT_EQ(*alpha.getString("name"), "alpha");
  EXPECT_EQ(*alpha.getString("path"), dir() + "/alpha.rig");
  EXPECT_EQ(*alpha.getInteger("nodes"), 0);
  EXPECT_EQ((*alpha.getArray("tags"))[1], "db");
  EXPECT_EQ((*alpha.getArray("tests"))[0], "adds");
  EXPECT_EQ(alpha.get("lastDurationMs")->kind(), json::Value::Null);

  ASSERT_EQ(rig({"run", dir(), "--json", file("whole.json")}).code, 1);
  r = rig({"list", dir(), "--durations", file("whole.json")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(dir() + "/beta.rig  0 nodes  last "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  compares\n  later\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tags: fast, db"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 suites, 5 tests"), std::string::npos) << r.out;
}

TEST_F(MergeTest, ShardsMergeIntoTheWholeRun) {
  ASSERT_EQ(rig({"run", dir(), "--json", file("whole.json")}).code, 1);
  std::vector<std::string> shards;
  for (int k = 1; k <= 3; ++k) {
    std::string report = file("shard" + std::to_string(k) + ".json");
    // Shards 1 and 3 as JSON, shard 2 as an event stream: merge reads both.
    std::vector<std::string> args = {"run", dir(), "--shard",
                                     std::to_string(k) + "/3"};
    if (k == 2) report = file("shard2.ndjson");
    args.insert(args.end(), {k == 2 ? "--events" : "--json", report});
    Result r = rig(args);
    EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
    shards.push_back(report);
  }
  // By suite count: 4 suites in 3 shards are 2, 1 and 1.
  for (const char* name : {"shard1.json", "shard3.json"}) {
    json::Value doc = readJson(file(name));
    const json::Object* run = doc.getAsObject()->getObject("run");
    ASSERT_TRUE(run) << name;
    EXPECT_EQ(*run->getInteger("shards"), 3);
    EXPECT_EQ(run->getArray("suites")->size(), 4u);
    EXPECT_EQ(doc.getAsObject()->getArray("suites")->size(),
              name == std::string("shard1.json") ? 2u : 1u);
  }

  Result merged = rig({"merge", "--json", file("merged.json"), "--junit",
                       file("merged.xml"), shards[2], shards[0], shards[1]});
  EXPECT_EQ(merged.code, 1) << merged.err;
  EXPECT_EQ(merged.err, "");
  EXPECT_NE(merged.out.find("1 failed"), std::string::npos) << merged.out;
  json::Value whole = readJson(file("whole.json"));
  json::Value both = readJson(file("merged.json"));
  EXPECT_EQ(results(both), results(whole));
  EXPECT_NE(results(whole).find("compares failed: expect failed"),
            std::string::npos)
      << results(whole);
  const json::Object* run = both.getAsObject()->getObject("run");
  EXPECT_EQ(run->get("shard")->kind(), json::Value::Null);
  EXPECT_TRUE(run->getArray("missingShards")->empty());
  EXPECT_EQ(*run->getString("id"),
            *whole.getAsObject()->getObject("run")->getString("id"));
  EXPECT_TRUE(llvm::sys::fs::exists(file("merged.xml")));

  // The same with durations: still every suite exactly once.
  for (int k = 1; k <= 2; ++k)
    rig({"run", dir(), "--shard", std::to_string(k) + "/2", "--durations",
         file("whole.json"), "--json",
         file("d" + std::to_string(k) + ".json")});
  merged = rig({"merge", "-q", "--json", file("dmerged.json"), file("d1.json"),
                file("d2.json")});
  EXPECT_EQ(merged.code, 1) << merged.err;
  EXPECT_EQ(results(readJson(file("dmerged.json"))), results(whole));
}

TEST_F(MergeTest, MissingDuplicateAndForeignShards) {
  for (int k = 1; k <= 3; ++k)
    rig({"run", dir(), "--shard", std::to_string(k) + "/3", "--json",
         file("s" + std::to_string(k) + ".json")});
  Result r = rig({"merge", file("s1.json"), file("s2.json"), file("s1.json")});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "rig: shard 1/3 is given twice: " + file("s1.json") +
                       " and " + file("s1.json") + "\n");

  r = rig({"merge", "--json", file("incomplete.json"), file("s1.json"),
           file("s3.json")});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(
      r.err.find("rig: shard 2/3 missing: no report of it among the 2 given"),
      std::string::npos)
      << r.err;
  json::Value doc = readJson(file("incomplete.json"));
  const json::Object* run = doc.getAsObject()->getObject("run");
  ASSERT_TRUE(run);
  EXPECT_EQ((*run->getArray("missingShards"))[0], 2);
  EXPECT_EQ(*doc.getAsObject()->getInteger("exitCode"), 3);
  // The suites shard 2 had are in the report, as not run.
  std::string got = results(doc);
  EXPECT_NE(got.find(" error\n"), std::string::npos) << got;
  EXPECT_EQ(doc.getAsObject()->getArray("suites")->size(), 4u);

  // A shard of another run (other suites) is refused.
  write("other/x.rig", "test \"x\" { expect true }\n");
  rig({"run", root_ + "/other", "--shard", "2/3", "--json",
       file("other.json")});
  r = rig({"merge", file("s1.json"), file("other.json"), file("s3.json")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file("other.json") + " is of another run than " +
                       file("s1.json")),
            std::string::npos)
      << r.err;

  // --shard=auto without an engine says what it looked for.
  r = rig({"run", dir(), "--shard=auto"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("CI_NODE_INDEX"), std::string::npos) << r.err;
  env_["CI_NODE_INDEX"] = "2";
  env_["CI_NODE_TOTAL"] = "3";
  r = rig({"run", dir(), "--shard=auto", "--json", file("auto.json")});
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  EXPECT_EQ(results(readJson(file("auto.json"))),
            results(readJson(file("s2.json"))));
}

}  // namespace
}  // namespace rig::driver
