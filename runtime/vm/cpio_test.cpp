#include "runtime/vm/cpio.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "gtest/gtest.h"
#include "runtime/host/process.h"

namespace rig::vm {
namespace {

TEST(Cpio, RoundTripsThroughOurReader) {
  CpioWriter w;
  w.addFile("init",
            std::string("\x7f"
                        "ELF\0binary",
                        10),
            0755);
  w.addDirectory("modules");
  w.addFile("modules/order", "a.ko\nb.ko\n");
  w.addSymlink("bin", "usr/bin");
  w.addCharDevice("dev/console", 0600, 5, 1);
  std::string archive = w.finish();
  EXPECT_EQ(archive.size() % 4, 0u);
  auto entries = readCpio(archive);
  ASSERT_TRUE(bool(entries)) << llvm::toString(entries.takeError());
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[0].name, "init");
  EXPECT_EQ((*entries)[0].mode, S_IFREG | 0755u);
  EXPECT_EQ((*entries)[0].data, std::string("\x7f"
                                            "ELF\0binary",
                                            10));
  EXPECT_EQ((*entries)[1].mode, S_IFDIR | 0755u);
  EXPECT_EQ((*entries)[2].data, "a.ko\nb.ko\n");
  EXPECT_EQ((*entries)[3].mode, S_IFLNK | 0777u);
  EXPECT_EQ((*entries)[3].data, "usr/bin");
  EXPECT_EQ((*entries)[4].mode, S_IFCHR | 0600u);
  EXPECT_EQ((*entries)[4].rdevMajor, 5u);
  EXPECT_EQ((*entries)[4].rdevMinor, 1u);
}

TEST(Cpio, IsDeterministic) {
  auto make = [] {
    CpioWriter w;
    w.addFile("a", "x");
    return w.finish();
  };
  EXPECT_EQ(make(), make());
}

TEST(Cpio, GnuCpioListsIt) {
  if (access("/usr/bin/cpio", X_OK) != 0)
    GTEST_FAIL() << "this test needs GNU cpio: apt-get install cpio";
  CpioWriter w;
  w.addFile("init", "#!/bin/sh\n", 0755);
  w.addDirectory("modules");
  w.addFile("modules/order", "virtio.ko\n");
  char path[] = "/tmp/rig-cpio-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string archive = w.finish();
  ASSERT_EQ(write(fd, archive.data(), archive.size()), ssize_t(archive.size()));
  close(fd);
  auto r =
      host::run({"/bin/sh", "-c", std::string("cpio -t --quiet < ") + path});
  unlink(path);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->status, 0);
  EXPECT_EQ(r->output, "init\nmodules\nmodules/order\n");
}

TEST(Cpio, RejectsGarbage) {
  auto r =
      readCpio("not an archive at all, certainly not one of 110 bytes....");
  ASSERT_FALSE(bool(r));
  EXPECT_NE(llvm::toString(r.takeError()).find("not a newc cpio archive"),
            std::string::npos);
}

}  // namespace
}  // namespace rig::vm
