#include "runtime/vm/accounts.h"

#include <crypt.h>

#include <set>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/support/error.h"

namespace rig::vm {
namespace {

bool parseId(llvm::StringRef s, int64_t& out) {
  return !s.empty() && !s.getAsInteger(10, out) && out >= 0;
}

std::string join(llvm::ArrayRef<std::string> items, llvm::StringRef sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

}  // namespace

const PasswdEntry* Accounts::user(llvm::StringRef name) const {
  for (auto& u : users)
    if (u.name == name) return &u;
  return nullptr;
}

const GroupEntry* Accounts::group(llvm::StringRef name) const {
  for (auto& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

llvm::Expected<int64_t> Accounts::resolveUid(llvm::StringRef nameOrId) const {
  int64_t id;
  if (parseId(nameOrId, id)) return id;
  if (auto* u = user(nameOrId)) return u->uid;
  return failure("unknown user `" + nameOrId +
                 "`: neither the host nor the node defines it");
}

llvm::Expected<int64_t> Accounts::resolveGid(llvm::StringRef nameOrId) const {
  int64_t id;
  if (parseId(nameOrId, id)) return id;
  if (auto* g = group(nameOrId)) return g->gid;
  return failure("unknown group `" + nameOrId +
                 "`: neither the host nor the node defines it");
}

llvm::Expected<std::string> hashPassword(llvm::StringRef plain) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn(nullptr, 0, nullptr, 0, salt, sizeof salt))
    return failure("crypt_gensalt failed");
  struct crypt_data data {};
  const char* h = crypt_r(plain.str().c_str(), salt, &data);
  if (!h || h[0] == '*') return failure("crypt failed");
  return std::string(h);
}

llvm::Expected<Accounts> mergeAccounts(llvm::StringRef hostPasswd,
                                       llvm::StringRef hostGroup,
                                       llvm::ArrayRef<plan::User> users,
                                       llvm::ArrayRef<plan::Group> groups) {
  Accounts a;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  hostPasswd.split(lines, '\n', -1, false);
  for (auto line : lines) {
    llvm::SmallVector<llvm::StringRef, 8> f;
    line.split(f, ':');
    if (f.size() < 7 || line.startswith("#")) continue;
    PasswdEntry e;
    e.name = f[0].str();
    if (!parseId(f[2], e.uid) || !parseId(f[3], e.gid)) continue;
    e.gecos = f[4].str();
    e.home = f[5].str();
    e.shell = f[6].str();
    a.users.push_back(e);
  }
  lines.clear();
  hostGroup.split(lines, '\n', -1, false);
  for (auto line : lines) {
    llvm::SmallVector<llvm::StringRef, 8> f;
    line.split(f, ':');
    if (f.size() < 4 || line.startswith("#")) continue;
    GroupEntry g;
    g.name = f[0].str();
    if (!parseId(f[2], g.gid)) continue;
    llvm::SmallVector<llvm::StringRef, 8> members;
    f[3].split(members, ',', -1, false);
    for (auto m : members) g.members.push_back(m.str());
    a.groups.push_back(g);
  }

  auto idTaken = [&](int64_t id) {
    for (auto& u : a.users)
      if (u.uid == id) return true;
    for (auto& g : a.groups)
      if (g.gid == id) return true;
    return false;
  };
  auto allocate = [&](bool system) -> llvm::Expected<int64_t> {
    if (system) {
      for (int64_t id = 999; id >= 100; --id)
        if (!idTaken(id)) return id;
      return failure("no free system id left in 100..999");
    }
    for (int64_t id = 1000; id < 60000; ++id)
      if (!idTaken(id)) return id;
    return failure("no free id left in 1000..59999");
  };
  auto findGroup = [&](llvm::StringRef name) -> GroupEntry* {
    for (auto& g : a.groups)
      if (g.name == name) return &g;
    return nullptr;
  };
  auto findUser = [&](llvm::StringRef name) -> PasswdEntry* {
    for (auto& u : a.users)
      if (u.name == name) return &u;
    return nullptr;
  };

  for (const plan::Group& spec : groups) {
    if (GroupEntry* g = findGroup(spec.name)) {
      if (spec.gid && *spec.gid != g->gid) {
        for (auto& u : a.users)
          if (u.gid == g->gid) u.gid = *spec.gid;
        g->gid = *spec.gid;
      }
      continue;
    }
    GroupEntry g;
    g.name = spec.name;
    if (spec.gid) {
      g.gid = *spec.gid;
    } else {
      auto id = allocate(false);
      if (!id) return id.takeError();
      g.gid = *id;
    }
    a.groups.push_back(g);
  }

  for (const plan::User& spec : users) {
    PasswdEntry* u = findUser(spec.name);
    bool isNew = !u;
    // `group`: the primary group. A new user's group of its own name is
    // made when missing, as without `group`.
    std::optional<int64_t> primaryGid;
    if (!spec.group.empty()) {
      if (GroupEntry* g = findGroup(spec.group))
        primaryGid = g->gid;
      else if (spec.group != spec.name || !isNew)
        return failure("user `" + spec.name + "`: its group `" + spec.group +
                       "` exists neither on the host nor in the node");
    }
    if (isNew) {
      PasswdEntry e;
      e.name = spec.name;
      if (spec.uid) {
        e.uid = *spec.uid;
      } else {
        auto id = allocate(spec.system);
        if (!id) return id.takeError();
        e.uid = *id;
      }
      e.home = spec.system ? "/" : "/home/" + spec.name;
      e.shell = spec.system ? "/usr/sbin/nologin" : "/bin/sh";
      if (primaryGid) {
        e.gid = *primaryGid;
      } else if (GroupEntry* g = findGroup(spec.name)) {
        e.gid = g->gid;
      } else {
        GroupEntry pg;
        pg.name = spec.name;
        bool gidFree = true;
        for (auto& other : a.groups)
          if (other.gid == e.uid) gidFree = false;
        if (gidFree) {
          pg.gid = e.uid;
        } else {
          auto id = allocate(spec.system);
          if (!id) return id.takeError();
          pg.gid = *id;
        }
        e.gid = pg.gid;
        a.groups.push_back(pg);
      }
      a.users.push_back(e);
      u = &a.users.back();
    } else {
      if (spec.uid) u->uid = *spec.uid;
      if (primaryGid) u->gid = *primaryGid;
    }
    if (!spec.home.empty()) u->home = spec.home;
    if (!spec.shell.empty()) u->shell = spec.shell;
    if (spec.password) {
      auto h = hashPassword(*spec.password);
      if (!h) return h.takeError();
      u->hash = *h;
    }
    for (auto& name : spec.groups) {
      GroupEntry* g = findGroup(name);
      if (!g)
        return failure("user `" + spec.name + "`: group `" + name +
                       "` exists neither on the host nor in the node");
      if (std::find(g->members.begin(), g->members.end(), spec.name) ==
          g->members.end())
        g->members.push_back(spec.name);
    }
    // Homes that are never made: `create_home = false`, `/`, /nonexistent
    // and paths in the host's /usr or the kernel's and systemd's file
    // systems (docs/language.md, "Users and groups").
    llvm::StringRef home = u->home;
    bool makeHome = spec.createHome && home.startswith("/") && home != "/" &&
                    home != "/nonexistent" && !home.startswith("/usr/") &&
                    !home.startswith("/run/") && !home.startswith("/proc/") &&
                    !home.startswith("/sys/") && !home.startswith("/dev/");
    if (makeHome)
      a.homes.push_back(
          {u->home, u->uid < 1000 ? 0755u : 0700u, u->uid, u->gid});
  }
  return a;
}

std::string renderPasswd(const Accounts& a) {
  std::string out;
  for (auto& u : a.users)
    out += u.name + ":x:" + std::to_string(u.uid) + ":" +
           std::to_string(u.gid) + ":" + u.gecos + ":" + u.home + ":" +
           u.shell + "\n";
  return out;
}

std::string renderGroup(const Accounts& a) {
  std::string out;
  for (auto& g : a.groups)
    out += g.name + ":x:" + std::to_string(g.gid) + ":" + join(g.members, ",") +
           "\n";
  return out;
}

std::string renderShadow(const Accounts& a) {
  std::string out;
  for (auto& u : a.users) out += u.name + ":" + u.hash + ":::::::\n";
  return out;
}

std::string renderGshadow(const Accounts& a) {
  std::string out;
  for (auto& g : a.groups) out += g.name + ":!::" + join(g.members, ",") + "\n";
  return out;
}

}  // namespace rig::vm
