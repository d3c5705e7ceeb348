// The rig language server (LSP 3.17): one thread, one loop. Edits are
// debounced: a didChange schedules a check a little later (ServerOptions),
// and a newer change pushes it back; a request on a changed document checks
// it first.
#ifndef RIG_LSP_SERVER_H
#define RIG_LSP_SERVER_H

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "llvm/Support/JSON.h"
#include "lsp/analysis.h"
#include "lsp/transport.h"

namespace rig::lsp {

struct ServerOptions {
  AnalysisOptions analysis;
  // The wait after a change is twice the document's last check time, within
  // these bounds: a small spec is re-checked almost at once, a big one
  // waits for the end of a burst of keystrokes instead of falling behind.
  int minDebounceMs = 5;
  int maxDebounceMs = 200;
};

class Server {
 public:
  Server(Transport& transport, ServerOptions options);
  // Serves until `exit` (or end of input); returns the process exit code
  // (0 after shutdown, 1 otherwise, as the protocol says).
  int run();

  // One message (a JSON-RPC body); public for unit tests.
  void handle(llvm::StringRef body);

 private:
  using Clock = std::chrono::steady_clock;
  struct Document {
    std::string path;
    std::string text;
    int64_t version = 0;
    std::shared_ptr<Analysis> analysis;  // null: not checked since the change
    std::shared_ptr<Analysis> lastGood;  // the latest that parsed
    std::optional<Clock::time_point> due;  // a debounced check
    Clock::duration lastCheck{};
  };

  void request(llvm::StringRef method, const llvm::json::Value& id,
               const llvm::json::Object* params);
  void notification(llvm::StringRef method, const llvm::json::Object* params);
  llvm::json::Value answer(llvm::StringRef method,
                           const llvm::json::Object* params, bool& known);

  Document* document(const llvm::json::Object* params);
  const Analysis& checked(Document& doc);
  void publish(const std::string& uri, Document& doc);
  void recheckImporters(const std::string& path);
  void runDueChecks();
  int msUntilNextCheck() const;

  Transport& transport_;
  ServerOptions options_;
  std::map<std::string, Document> docs_;  // by URI
  bool shutdown_ = false;
  bool exit_ = false;
};

}  // namespace rig::lsp

#endif
