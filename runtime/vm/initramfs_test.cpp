#include "runtime/vm/initramfs.h"

#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/host/run_dir.h"
#include "runtime/vm/cpio.h"

namespace rig::vm {
namespace {

TEST(Initramfs, ParsesShowDepends) {
  auto paths = parseShowDepends(
      "builtin crc32c\n"
      "insmod /lib/modules/6.1.0-56-amd64/kernel/drivers/virtio/virtio_ring.ko "
      "\n"
      "insmod /lib/modules/6.1.0-56-amd64/kernel/fs/9p/9p.ko debug=0\n");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0],
            "/lib/modules/6.1.0-56-amd64/kernel/drivers/virtio/virtio_ring.ko");
  EXPECT_EQ(paths[1], "/lib/modules/6.1.0-56-amd64/kernel/fs/9p/9p.ko");
}

TEST(Initramfs, GuestModuleListIsEmbedded) {
  auto mods = guestModules();
  EXPECT_NE(std::find(mods.begin(), mods.end(), "virtio_console"), mods.end());
  EXPECT_NE(std::find(mods.begin(), mods.end(), "9p"), mods.end());
  for (auto& m : mods) EXPECT_EQ(m.find('#'), std::string::npos) << m;
}

class WithKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = host::findKernel();
    if (!k) {
      llvm::consumeError(k.takeError());
      GTEST_FAIL()
          << "this test needs a host kernel: apt-get install linux-image-amd64";
    }
    kernel = *k;
  }
  host::Kernel kernel;
};

TEST_F(WithKernel, ResolvesDependenciesInOrderOnce) {
  auto kos = resolveModules({"virtio_net", "virtio_console"}, kernel);
  ASSERT_TRUE(bool(kos)) << llvm::toString(kos.takeError());
  std::vector<std::string> names;
  for (auto& k : *kos) names.push_back(k.substr(k.rfind('/') + 1));
  auto pos = [&](const char* n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  };
  EXPECT_LT(pos("virtio.ko"), pos("virtio_net.ko"));
  EXPECT_LT(pos("virtio_ring.ko"), pos("virtio_console.ko"));
  EXPECT_EQ(std::count(names.begin(), names.end(), "virtio.ko"), 1);
}

TEST_F(WithKernel, UnknownModuleIsNamed) {
  auto kos = resolveModules({"no_such_module_rig"}, kernel);
  ASSERT_FALSE(bool(kos));
  EXPECT_NE(llvm::toString(kos.takeError())
                .find("has no module `no_such_module_rig`"),
            std::string::npos);
}

TEST_F(WithKernel, BuildsAndCaches) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-initramfs-test", dir));
  std::string guest = std::string(dir) + "/rig-guest";
  ASSERT_FALSE(
      bool(host::writeFileAtomically(guest, "fake guest binary", 0755)));
  InitramfsSpec spec;
  spec.guestBinary = guest;
  spec.modules = {"virtio_console", "9p"};
  spec.kernel = kernel;
  spec.cacheDir = std::string(dir);
  auto path = buildInitramfs(spec);
  ASSERT_TRUE(bool(path)) << llvm::toString(path.takeError());
  auto buf = llvm::MemoryBuffer::getFile(*path, false, false);
  ASSERT_TRUE(bool(buf));
  auto entries = readCpio((*buf)->getBuffer());
  ASSERT_TRUE(bool(entries)) << llvm::toString(entries.takeError());
  std::map<std::string, std::string> files;
  for (auto& e : *entries) files[e.name] = e.data;
  EXPECT_EQ(files["init"], "fake guest binary");
  EXPECT_TRUE(files.count("dev/console"));
  std::string order = files["modules/order"];
  EXPECT_NE(order.find("virtio_ring.ko\n"), std::string::npos) << order;
  EXPECT_NE(order.find("9pnet.ko\n9p.ko\n"), std::string::npos) << order;
  EXPECT_LT(order.find("netfs.ko"), order.find("9p.ko"));
  for (auto line : llvm::split(llvm::StringRef(order).trim(), '\n'))
    EXPECT_TRUE(files.count("modules/" + line.str())) << line.str();

  // Same inputs: the cached file, untouched.
  llvm::sys::fs::file_status before, after;
  ASSERT_FALSE(llvm::sys::fs::status(*path, before));
  auto again = buildInitramfs(spec);
  ASSERT_TRUE(bool(again));
  EXPECT_EQ(*again, *path);
  ASSERT_FALSE(llvm::sys::fs::status(*again, after));
  EXPECT_EQ(before.getUniqueID(), after.getUniqueID());

  // Another guest binary: another archive.
  ASSERT_FALSE(bool(host::writeFileAtomically(guest, "another guest", 0755)));
  auto other = buildInitramfs(spec);
  ASSERT_TRUE(bool(other));
  EXPECT_NE(*other, *path);

  // Old archives go once more than 8 exist; the one just used stays.
  for (int i = 0; i < 10; ++i)
    ASSERT_FALSE(bool(host::writeFileAtomically(
        std::string(dir) + "/initramfs-old" + std::to_string(i) + ".cpio",
        "x")));
  ASSERT_FALSE(bool(host::writeFileAtomically(guest, "a third guest", 0755)));
  auto third = buildInitramfs(spec);
  ASSERT_TRUE(bool(third));
  int archives = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(std::string(dir), ec), end;
       it != end && !ec; it.increment(ec))
    archives += llvm::StringRef(it->path()).endswith(".cpio");
  EXPECT_EQ(archives, 8);
  EXPECT_TRUE(llvm::sys::fs::exists(*third));
  llvm::sys::fs::remove_directories(dir);
}

TEST(Initramfs, MissingGuestBinaryIsExplained) {
  InitramfsSpec spec;
  spec.guestBinary = "/nonexistent/rig-guest";
  spec.cacheDir = "/tmp";
  auto path = buildInitramfs(spec);
  ASSERT_FALSE(bool(path));
  EXPECT_NE(llvm::toString(path.takeError())
                .find("the guest binary rig-guest is missing"),
            std::string::npos);
}

}  // namespace
}  // namespace rig::vm
