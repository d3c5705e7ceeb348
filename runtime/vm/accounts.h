// The guest's users and groups: the host's /etc/passwd and /etc/group plus
// the node's `user` and `group` blocks (language.md section 4).
//
// - A user or group the host already has keeps its id unless the block sets
//   one; the block's other settings (home, shell, groups, password) apply.
// - A new system user gets the highest free id below 1000 (as useradd -r);
//   a new normal user the lowest free id from 1000; a new group the lowest
//   free gid from 1000. "Free" means unused as a uid and as a gid, so a new
//   user's private group can share its number.
// - Every password is locked (`!`); the host's hashes are never copied. A
//   block's `password` is hashed with crypt(3) (the library's default method).
#ifndef RIG_RUNTIME_VM_ACCOUNTS_H
#define RIG_RUNTIME_VM_ACCOUNTS_H

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/plan/plan.h"

namespace rig::vm {

struct PasswdEntry {
  std::string name;
  int64_t uid = 0;
  int64_t gid = 0;
  std::string gecos;
  std::string home;
  std::string shell;
  std::string hash = "!";  // shadow field
};

struct GroupEntry {
  std::string name;
  int64_t gid = 0;
  std::vector<std::string> members;
};

// A home directory the guest must have.
struct HomeDir {
  std::string path;
  uint32_t mode = 0700;
  int64_t uid = 0;
  int64_t gid = 0;
};

struct Accounts {
  std::vector<PasswdEntry> users;  // host order, then new users
  std::vector<GroupEntry> groups;
  std::vector<HomeDir> homes;  // for the node's users only

  const PasswdEntry* user(llvm::StringRef name) const;
  const GroupEntry* group(llvm::StringRef name) const;
  // A user name or a decimal uid; error names the unknown one.
  llvm::Expected<int64_t> resolveUid(llvm::StringRef nameOrId) const;
  llvm::Expected<int64_t> resolveGid(llvm::StringRef nameOrId) const;
};

// `hostPasswd` and `hostGroup` are the texts of the host's files.
llvm::Expected<Accounts> mergeAccounts(llvm::StringRef hostPasswd,
                                       llvm::StringRef hostGroup,
                                       llvm::ArrayRef<plan::User> users,
                                       llvm::ArrayRef<plan::Group> groups);

std::string renderPasswd(const Accounts& a);
std::string renderGroup(const Accounts& a);
std::string renderShadow(const Accounts& a);
std::string renderGshadow(const Accounts& a);

llvm::Expected<std::string> hashPassword(llvm::StringRef plain);

}  // namespace rig::vm

#endif
