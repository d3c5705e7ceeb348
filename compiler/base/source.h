// Source files and ranges, shared by every compiler phase.
#ifndef RIG_COMPILER_BASE_SOURCE_H
#define RIG_COMPILER_BASE_SOURCE_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

namespace rig {

// An llvm::SourceMgr buffer id (1-based); 0 means "no file".
using FileId = uint32_t;

// A half-open byte range [begin, end) in one file.
struct SourceRange {
  FileId file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != 0; }
  // The range covering both (same file assumed).
  static SourceRange join(SourceRange a, SourceRange b) {
    if (!a.valid()) return b;
    if (!b.valid()) return a;
    return {a.file, a.begin < b.begin ? a.begin : b.begin,
            a.end > b.end ? a.end : b.end};
  }
};

struct LineCol {
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, in bytes
};

// Owns the text of every file of a compilation (the suite, its imports, the
// stdlib modules) and maps offsets to lines. Imported files remember where
// they were imported from, so diagnostics can show the chain.
class SourceFiles {
 public:
  SourceFiles();
  ~SourceFiles();
  SourceFiles(const SourceFiles&) = delete;
  SourceFiles& operator=(const SourceFiles&) = delete;

  // Adds a buffer; `includedFrom` is the import statement's range, if any.
  FileId add(std::string path, std::string text, SourceRange includedFrom = {});
  // Reads a file from disk (or its overlay); an error message on failure.
  llvm::Expected<FileId> load(llvm::StringRef path,
                              SourceRange includedFrom = {});
  // `load` of the file at `realPath` (as llvm::sys::fs::real_path gives it)
  // reads `text` instead of the disk: an editor's unsaved buffer. `text`
  // must outlive the loads.
  void overlay(std::string realPath, llvm::StringRef text);

  llvm::StringRef path(FileId file) const;
  llvm::StringRef text(FileId file) const;
  unsigned count() const;
  LineCol lineCol(FileId file, uint32_t offset) const;
  LineCol begin(SourceRange r) const { return lineCol(r.file, r.begin); }
  LineCol end(SourceRange r) const { return lineCol(r.file, r.end); }
  llvm::StringRef slice(SourceRange r) const {
    return text(r.file).substr(r.begin, r.end - r.begin);
  }
  SourceRange includedFrom(FileId file) const;

  llvm::SourceMgr& manager() { return mgr_; }
  const llvm::SourceMgr& manager() const { return mgr_; }
  llvm::SMLoc toSMLoc(FileId file, uint32_t offset) const;

 private:
  llvm::SourceMgr mgr_;
  std::vector<std::string> paths_;  // index = FileId - 1
  std::vector<SourceRange> includedFrom_;
  std::map<std::string, llvm::StringRef> overlays_;
  // Byte offset of the start of each line, per file (index = FileId - 1):
  // lineCol is a binary search, whatever the length of the line.
  std::vector<std::vector<uint32_t>> lineStarts_;
};

}  // namespace rig

#endif
