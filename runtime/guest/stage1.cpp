#include "runtime/guest/stage1.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/guest/agent.h"
#include "runtime/guest/manifest.h"
#include "runtime/guest/net.h"
#include "runtime/guest/shell.h"
#include "runtime/guest/sys.h"
#include "runtime/protocol/wire.h"

namespace rig::guest {
namespace {

const std::string kNewRoot = "/newroot";
const std::string kState =
    "/.rig";  // inside the new root: lowers, uppers, config
const char* kDefaultInit = "/usr/lib/systemd/systemd";

[[noreturn]] void die(const std::string& what) {
  say("stage 1 failed: " + what);
  say("powering off");
  ::sync();
  ::reboot(RB_POWER_OFF);
  for (;;) ::pause();
}

void check(bool ok, const std::string& error) {
  if (!ok) die(error);
}

void mountOrDie(const std::string& source, const std::string& target,
                const char* type, unsigned long flags,
                const std::string& data) {
  std::string error;
  check(makeDirs(target, 0755, error), error);
  if (::mount(source.c_str(), target.c_str(), type, flags,
              data.empty() ? nullptr : data.c_str()) != 0)
    die(std::string("cannot mount ") + type + " at " + target + ": " +
        errnoText(errno));
}

void openConsole() {
  int fd = ::open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) return;
  for (int i = 0; i < 3; ++i) ::dup2(fd, i);
  if (fd > 2) ::close(fd);
}

std::string fmtSeconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", s);
  return b;
}

struct BootOptions {
  NinePOptions ninep;
  std::string init = kDefaultInit;
  bool agent = true;
  std::string stateDevice;  // rig.state=: the disk holding the writable layer
};

BootOptions readCommandLine() {
  BootOptions o;
  std::string text, error;
  readWholeFile("/proc/cmdline", text, error);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(" \n", pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    auto value = [&](const char* key) -> const char* {
      size_t n = std::char_traits<char>::length(key);
      return word.compare(0, n, key) == 0 ? word.c_str() + n : nullptr;
    };
    if (const char* v = value("rig.9p_cache=")) o.ninep.cache = v;
    if (const char* v = value("rig.9p_msize=")) o.ninep.msize = std::atol(v);
    if (const char* v = value("rig.init=")) o.init = v;
    if (const char* v = value("rig.agent=")) o.agent = std::string(v) != "0";
    if (const char* v = value("rig.state=")) o.stateDevice = v;
  }
  return o;
}

void loadModules() {
  std::string order, error;
  if (!readWholeFile("/modules/order", order, error)) {
    say("no /modules/order: loading no kernel modules");
    return;
  }
  size_t pos = 0;
  while (pos < order.size()) {
    size_t end = order.find('\n', pos);
    if (end == std::string::npos) end = order.size();
    std::string name = order.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty() || name[0] == '#') continue;
    std::string path = name[0] == '/' ? name : "/modules/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      say("cannot open module " + path + ": " + errnoText(errno));
      continue;
    }
    if (::syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
      say("cannot load module " + name + ": " + errnoText(errno));
    ::close(fd);
  }
}

// Every password locked: the host's hashes never reach a guest, and the file
// stays (PAM needs it to know the users).
std::string lockPasswords(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t first = line.find(':');
    if (first != std::string::npos) {
      size_t second = line.find(':', first + 1);
      line = line.substr(0, first + 1) + "!" +
             (second == std::string::npos ? "" : line.substr(second));
    }
    out += line + "\n";
  }
  return out;
}

// Secrets and host-only settings in the host's /etc, rewritten (never
// deleted) before the node config lands on top.
void neutralizeHostEtc(const std::string& root) {
  std::string error, text;
  for (const char* file : {"/etc/shadow", "/etc/gshadow"}) {
    std::string path = root + file;
    if (!readWholeFile(path, text, error)) continue;
    check(writeWholeFile(path, lockPasswords(text), 0640, error), error);
  }
  // The host's disks are not the guest's: an fstab entry would stall boot.
  check(writeWholeFile(root + "/etc/fstab",
                       "# rig: the host's fstab does not apply in a guest\n",
                       0644, error),
        error);
  struct stat st;
  if (::stat((root + "/etc/crypttab").c_str(), &st) == 0)
    check(writeWholeFile(root + "/etc/crypttab", "", 0644, error), error);
  if (DIR* dir = ::opendir((root + "/etc/ssh").c_str())) {
    std::vector<std::string> keys;
    while (struct dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name.rfind("ssh_host_", 0) == 0 && name.size() > 4 &&
          name.compare(name.size() - 4, 4, "_key") == 0)
        keys.push_back(root + "/etc/ssh/" + name);
    }
    ::closedir(dir);
    for (const std::string& key : keys)
      check(writeWholeFile(key, "", 0600, error), error);
  }
  if (::stat((root + "/etc/ssl/private").c_str(), &st) == 0 &&
      S_ISDIR(st.st_mode))
    mountOrDie("tmpfs", root + "/etc/ssl/private", "tmpfs",
               MS_NOSUID | MS_NODEV, "mode=0700");
}

// In a container (`inContainer`), systemd-nspawn has already mounted /dev,
// /proc, /sys and /run and made the merged-usr links.
void makeRootTree(const std::string& root, bool inContainer) {
  std::string error;
  struct Dir {
    const char* path;
    mode_t mode;
  };
  for (Dir d : {Dir{"/dev", 0755},
                {"/proc", 0555},
                {"/sys", 0555},
                {"/run", 0755},
                {"/tmp", 01777},
                {"/var/tmp", 01777},
                {"/root", 0700},
                {"/home", 0755},
                {"/var/lib", 0755},
                {"/var/log", 0755},
                {"/var/cache", 0755},
                {"/var/spool", 0755},
                {"/srv", 0755},
                {"/mnt", 0755},
                {"/media", 0755},
                {"/opt", 0755}}) {
    std::string path = root + d.path;
    if (inContainer &&
        (std::string(d.path) == "/dev" || std::string(d.path) == "/proc" ||
         std::string(d.path) == "/sys" || std::string(d.path) == "/run"))
      continue;
    check(makeDirs(path, 0755, error), error);
    if (::chmod(path.c_str(), d.mode) != 0)
      die("cannot chmod " + path + ": " + errnoText(errno));
  }
  for (auto [link, target] : {std::pair{"/bin", "usr/bin"},
                              {"/sbin", "usr/sbin"},
                              {"/lib", "usr/lib"},
                              {"/lib64", "usr/lib64"},
                              {"/lib32", "usr/lib32"},
                              {"/libx32", "usr/libx32"},
                              {"/var/run", "../run"},
                              {"/var/lock", "../run/lock"}}) {
    std::string linkPath = root + link;
    std::string targetPath = parentDir(linkPath) + "/" + target;
    struct stat st;
    if (std::string(link).rfind("/lib", 0) == 0 &&
        std::string(link) != "/lib" && ::stat(targetPath.c_str(), &st) != 0)
      continue;  // no /usr/lib32 on this host
    if (::symlink(target, linkPath.c_str()) != 0 && errno != EEXIST)
      die("cannot create symlink " + linkPath + ": " + errnoText(errno));
  }
}

// The node's writable layer: its state disk (ext4, formatted on the host,
// kept across power cycles within the run), or a tmpfs without one. The
// device node appears once virtio_blk has probed the disk.
void mountRoot(const std::string& root, const std::string& device) {
  if (device.empty()) {
    mountOrDie("tmpfs", root, "tmpfs", 0, "mode=0755");
    return;
  }
  struct stat st;
  for (int i = 0; i < 500 && ::stat(device.c_str(), &st) != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // noinit_itable: mkfs left the inode tables lazy on a sparse image, which
  // reads as zeros; zeroing them would only fill the host's file.
  mountOrDie(device, root, "ext4", 0, "noinit_itable");
}

void switchRoot(const std::string& root) {
  for (const char* m : {"/dev", "/proc", "/sys"})
    if (::mount(m, (root + m).c_str(), nullptr, MS_MOVE, nullptr) != 0)
      die(std::string("cannot move ") + m +
          " into the new root: " + errnoText(errno));
  if (::chdir(root.c_str()) != 0)
    die("chdir " + root + ": " + errnoText(errno));
  if (::mount(".", "/", nullptr, MS_MOVE, nullptr) != 0)
    die("cannot move the new root to /: " + errnoText(errno));
  if (::chroot(".") != 0) die("chroot: " + errnoText(errno));
  if (::chdir("/") != 0) die("chdir /: " + errnoText(errno));
}

// The agent under its supervisor (agent.h), in a session of its own.
//
// Until the child's setsid() it is in PID 1's process group, the console's
// foreground group: when systemd, exec'd by PID 1 meanwhile, gives up the
// console (TIOCNOTTY), the kernel sends that group SIGHUP, which killed a
// child not yet in its own session (a container booted without its agent, 1
// boot in ~20 under load). SIGHUP is blocked across the fork; the child
// discards a pending one once it has its own session.
void forkAgent(bool inContainer) {
  sigset_t hup, previous;
  sigemptyset(&hup);
  sigaddset(&hup, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &hup, &previous);
  pid_t pid = ::fork();
  if (pid < 0) die("fork: " + errnoText(errno));
  if (pid != 0) {
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    return;
  }
  ::setsid();
  ::signal(SIGHUP, SIG_IGN);  // drops a SIGHUP pending from before setsid()
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  ::signal(SIGHUP, SIG_DFL);  // the commands the agent runs get the default
  if (!inContainer)
    superviseAgent([](std::string& error) { return runAgent("", error); });
  superviseAgent([](std::string& error) {
    // In the agent's process (the supervisor forks before any thread
    // starts): a restarted agent brings its shell socket back too.
    static std::once_flag shellStarted;
    std::call_once(shellStarted, [] {
      std::thread([] {
        std::string shellError;
        if (!runShellSocket(std::string(kContainerHost) + "/shell.sock",
                            shellError))
          say("shell socket: " + shellError);
      }).detach();
    });
    return runAgentOnSocket(std::string(kContainerHost) + "/agent.sock", error);
  });
}

[[noreturn]] void execInit(const std::string& init, int argc, char** argv) {
  std::vector<char*> args;
  std::string path = init;
  args.push_back(path.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(path.c_str(), args.data());
  die("cannot execute " + path + ": " + errnoText(errno));
}

bool gInContainer = false;

}  // namespace

bool mount9p(const std::string& tag, const std::string& target, bool readOnly,
             const NinePOptions& options, std::string& error) {
  if (!makeDirs(target, 0755, error)) return false;
  if (gInContainer) {
    // No 9p in a container: the host binds each share at kContainerShares/TAG.
    std::string source = std::string(kContainerShares) + "/" + tag;
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) !=
            0 ||
        (readOnly && ::mount(nullptr, target.c_str(), nullptr,
                             MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)) {
      error = "cannot bind the share `" + tag + "` from " + source + " at " +
              target + ": " + errnoText(errno) +
              " (is `--bind-ro=DIR:" + source +
              "` on the systemd-nspawn command line?)";
      return false;
    }
    return true;
  }
  std::string data =
      "trans=virtio,version=9p2000.L,msize=" + std::to_string(options.msize);
  if (!options.cache.empty()) data += ",cache=" + options.cache;
  unsigned long flags = readOnly ? MS_RDONLY : 0;
  if (::mount(tag.c_str(), target.c_str(), "9p", flags, data.c_str()) != 0) {
    int err = errno;
    error = "cannot mount 9p share `" + tag + "` at " + target + " (" + data +
            "): " + errnoText(err);
    if (err == ENOENT)
      error += " (no such mount_tag: is `-virtfs ...,mount_tag=" + tag +
               "` on the QEMU command line?)";
    return false;
  }
  return true;
}

static NinePOptions gNineP;

bool mountPreparedOverlay(const std::string& tag, const std::string& root,
                          const std::string& path, std::string& error) {
  std::string base = root + kState + "/overlay-" + tag;
  std::string lower = base + "/lower", upper = base + "/upper",
              work = base + "/work";
  struct stat st {};
  bool fresh = ::stat(upper.c_str(), &st) != 0;  // else kept from a boot
  if (!makeDirs(upper, 0755, error) || !makeDirs(work, 0755, error) ||
      !mount9p(tag, lower, true, gNineP, error) ||
      !makeDirs(root + path, 0755, error))
    return false;
  // The overlay's top directory is the upper one's: give it the owner and
  // mode of the step's output ($out, the step's user's), as on a host
  // (pg_basebackup as postgres makes directories in /var/lib/postgresql).
  if (fresh && (::stat(lower.c_str(), &st) != 0 ||
                ::chown(upper.c_str(), st.st_uid, st.st_gid) != 0 ||
                ::chmod(upper.c_str(), st.st_mode & 07777) != 0)) {
    error = "cannot give the overlay of `" + tag + "` at " + path +
            " its owner: " + errnoText(errno);
    return false;
  }
  std::string data =
      "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
  if (::mount("overlay", (root + path).c_str(), "overlay", 0, data.c_str()) !=
      0) {
    error = "cannot mount the overlay of `" + tag + "` at " + path + ": " +
            errnoText(errno);
    return false;
  }
  return true;
}

// The guest paths (under /usr) of every file and link in `tree`.
static void usrEntries(const std::string& tree, const std::string& guest,
                       std::vector<std::string>& out) {
  DIR* dir = ::opendir(tree.c_str());
  if (!dir) return;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::lstat((tree + "/" + name).c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode))
      usrEntries(tree + "/" + name, guest + "/" + name, out);
    else
      out.push_back(guest + "/" + name);
  }
  ::closedir(dir);
}

bool overlayUsr(const std::string& usrTree, const std::string& root,
                std::string& error) {
  std::vector<std::string> entries, dirs;
  usrEntries(usrTree, "/usr", entries);
  for (const std::string& path : entries) {
    // The nearest directory the host's /usr has.
    std::string dir = parentDir(path);
    struct stat st;
    while (dir != "/usr" &&
           !(::stat((root + dir).c_str(), &st) == 0 && S_ISDIR(st.st_mode)))
      dir = parentDir(dir);
    dirs.push_back(dir);
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::vector<std::string> done;
  for (const std::string& dir : dirs) {
    // Below a directory overlaid already: writable.
    bool covered = false;
    for (const std::string& d : done)
      if (dir.compare(0, d.size() + 1, d + "/") == 0) covered = true;
    if (covered) continue;
    std::string name = dir.substr(1);
    for (char& c : name)
      if (c == '/') c = '-';
    std::string base = root + kState + "/usr-overlay/" + name;
    std::string upper = base + "/upper", work = base + "/work";
    if (!makeDirs(upper, 0755, error) || !makeDirs(work, 0755, error))
      return false;
    std::string target = root + dir;
    std::string data =
        "lowerdir=" + target + ",upperdir=" + upper + ",workdir=" + work;
    if (::mount("overlay", target.c_str(), "overlay", 0, data.c_str()) != 0) {
      error = "cannot overlay " + dir +
              " for the node's files there: " + errnoText(errno);
      return false;
    }
    done.push_back(dir);
  }
  return true;
}

bool mountDisk(const std::string& serial, const std::string& target,
               const std::string& fs, std::string& error) {
  std::string device;
  // The disk's driver may still be probing it: wait up to 5 s.
  for (int i = 0; i < 100 && device.empty(); ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    DIR* dir = ::opendir("/sys/block");
    if (!dir) break;
    while (struct dirent* e = ::readdir(dir)) {
      std::string name = e->d_name, text, ignored;
      if (name[0] == '.') continue;
      if (!readWholeFile("/sys/block/" + name + "/serial", text, ignored))
        continue;
      while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
      if (text == serial) device = "/dev/" + name;
    }
    ::closedir(dir);
  }
  if (device.empty()) {
    error = "no disk has the serial " + serial;
    return false;
  }
  if (!makeDirs(target, 0755, error)) return false;
  if (::mount(device.c_str(), target.c_str(), fs.c_str(), 0, "") != 0) {
    error = "cannot mount " + device + " (" + fs + "): " + errnoText(errno);
    return false;
  }
  return true;
}

void runStage1(int argc, char** argv) {
  ::umask(022);
  ::mkdir("/dev", 0755);
  ::mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  openConsole();
  mountOrDie("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  mountOrDie("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  protocol::writeAll(2, "\n");  // the firmware leaves the console mid-line
  double start = uptimeSeconds();
  say("stage 1 started at " + fmtSeconds(start) + " s uptime");
  BootOptions options = readCommandLine();
  gNineP = options.ninep;
  loadModules();
  double modulesDone = uptimeSeconds();

  const std::string& root = kNewRoot;
  std::string error;
  mountRoot(root, options.stateDevice);
  check(mount9p("usr", root + "/usr", true, gNineP, error), error);
  makeRootTree(root, false);

  std::string state = root + kState;
  check(makeDirs(state, 0700, error), error);
  ::chmod(state.c_str(), 0700);
  check(makeDirs(state + "/etc.upper", 0755, error) &&
            makeDirs(state + "/etc.work", 0755, error),
        error);
  check(mount9p("etc", state + "/etc.lower", true, gNineP, error), error);
  mountOrDie("overlay", root + "/etc", "overlay", 0,
             "lowerdir=" + state + "/etc.lower,upperdir=" + state +
                 "/etc.upper,workdir=" + state + "/etc.work");
  neutralizeHostEtc(root);

  std::string config = state + "/config";
  check(mount9p("rigcfg", config, true, gNineP, error), error);
  std::string manifestText;
  if (!readWholeFile(config + "/manifest", manifestText, error))
    die("node config: " + error);
  Manifest manifest;
  if (!parseManifest(manifestText, manifest, error))
    die("node config: " + error);
  check(bringUpInterface("lo", error), error);
  if (!applyManifest(manifest, config, root, error))
    die("node config: " + error);
  if (::umount(config.c_str()) != 0)
    say("cannot unmount the node config: " + errnoText(errno));
  ::rmdir(config.c_str());

  switchRoot(root);
  double done = uptimeSeconds();
  say("stage 1 done at " + fmtSeconds(done) + " s uptime (modules " +
      fmtSeconds(modulesDone - start) + " s, root " +
      fmtSeconds(done - modulesDone) + " s)");

  if (options.agent) forkAgent(false);
  execInit(options.init, argc, argv);
}

void runContainerStage1(int argc, char** argv) {
  // systemd-nspawn has built the root (RUNDIR/NODE/root, host /usr read-only, /etc an
  // overlay over the host's, the node config at kState/config, the agent's
  // socket directory at kContainerHost): what is left is stage 1's own
  // part, the same code as in a VM.
  ::umask(022);
  gInContainer = true;
  // When systemd-nspawn dies (SIGKILL of rig kills it), the container dies
  // with it: nothing else would stop it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  say("container stage 1 started");
  std::string error;
  // The host's kernel: a node must not be able to crash it (`echo c >
  // /proc/sysrq-trigger`), and systemd-nspawn leaves the file writable
  // (a kernel without CONFIG_MAGIC_SYSRQ has none).
  struct stat sysrq;
  if (::stat("/proc/sysrq-trigger", &sysrq) == 0 &&
      (::mount("/proc/sysrq-trigger", "/proc/sysrq-trigger", nullptr, MS_BIND,
               nullptr) != 0 ||
       ::mount(nullptr, "/proc/sysrq-trigger", nullptr,
               MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0))
    die("cannot make /proc/sysrq-trigger read-only: " + errnoText(errno));
  makeRootTree("", true);
  neutralizeHostEtc("");
  std::string config = kState + "/config";
  std::string manifestText;
  if (!readWholeFile(config + "/manifest", manifestText, error))
    die("node config: " + error);
  Manifest manifest;
  if (!parseManifest(manifestText, manifest, error))
    die("node config: " + error);
  check(bringUpInterface("lo", error), error);
  if (!applyManifest(manifest, config, "", error)) die("node config: " + error);
  say("container stage 1 done");
  forkAgent(true);
  // Everything after argv[0] (`container-init`) is systemd's argv.
  execInit(kDefaultInit, argc, argv);
}

}  // namespace rig::guest
