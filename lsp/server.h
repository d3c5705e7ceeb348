// The rig language server (LSP 3.17): one thread, one loop. Edits are
// debounced: a didChange after a pause is checked at once, one in a burst
// schedules a check a little later (ServerOptions) that the next change
// pushes back; a request on a changed document checks it first.
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
  // A change after a pause is checked at once; one that follows another
  // closely waits twice the document's last check time, within these
  // bounds, so a burst of keystrokes makes one check at its end instead of
  // a queue of stale ones.
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
    std::shared_ptr<Analysis> analysis;    // null: not checked since the change
    std::shared_ptr<Analysis> lastGood;    // the latest that parsed
    std::optional<Clock::time_point> due;  // a debounced check
    Clock::duration lastCheck{};
    std::optional<Clock::time_point> lastChange;
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
