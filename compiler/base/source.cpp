#include "compiler/base/source.h"

#include <algorithm>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace rig {

SourceFiles::SourceFiles() = default;
SourceFiles::~SourceFiles() = default;

FileId SourceFiles::add(std::string path, std::string text,
                        SourceRange includedFrom) {
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(text, path);
  llvm::SMLoc includeLoc;
  if (includedFrom.valid())
    includeLoc = toSMLoc(includedFrom.file, includedFrom.begin);
  unsigned id = mgr_.AddNewSourceBuffer(std::move(buffer), includeLoc);
  paths_.push_back(std::move(path));
  includedFrom_.push_back(includedFrom);
  std::vector<uint32_t> starts{0};
  llvm::StringRef added = mgr_.getMemoryBuffer(id)->getBuffer();
  for (size_t i = added.find('\n'); i != llvm::StringRef::npos;
       i = added.find('\n', i + 1))
    starts.push_back(static_cast<uint32_t>(i + 1));
  lineStarts_.push_back(std::move(starts));
  return id;
}

llvm::Expected<FileId> SourceFiles::load(llvm::StringRef path,
                                         SourceRange includedFrom) {
  if (!overlays_.empty()) {
    llvm::SmallString<256> real;
    if (!llvm::sys::fs::real_path(path, real))
      if (auto it = overlays_.find(std::string(real)); it != overlays_.end())
        return add(path.str(), it->second.str(), includedFrom);
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read `%s`: %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  return add(path.str(), (*buffer)->getBuffer().str(), includedFrom);
}

void SourceFiles::overlay(std::string realPath, llvm::StringRef text) {
  overlays_[std::move(realPath)] = text;
}

llvm::StringRef SourceFiles::path(FileId file) const {
  return paths_[file - 1];
}

llvm::StringRef SourceFiles::text(FileId file) const {
  return mgr_.getMemoryBuffer(file)->getBuffer();
}

unsigned SourceFiles::count() const { return paths_.size(); }

llvm::SMLoc SourceFiles::toSMLoc(FileId file, uint32_t offset) const {
  const char* start = mgr_.getMemoryBuffer(file)->getBufferStart();
  return llvm::SMLoc::getFromPointer(start + offset);
}

LineCol SourceFiles::lineCol(FileId file, uint32_t offset) const {
  // Lines end at '\n' only (llvm::SourceMgr also breaks columns at a lone
  // '\r'); columns count bytes from 1.
  const std::vector<uint32_t>& starts = lineStarts_[file - 1];
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  unsigned line = static_cast<unsigned>(it - starts.begin());  // >= 1
  return {line, offset - starts[line - 1] + 1};
}

SourceRange SourceFiles::includedFrom(FileId file) const {
  return includedFrom_[file - 1];
}

}  // namespace rig
