// ticketd daemon: the IMAP poller of one [[mailbox]] — every mail in the
// folder is fetched in batches (BODY.PEEK: \Seen is never relied on nor set),
// stored in one transaction per batch (each mail a savepoint, with the
// mailbox position), and only after that commit moved to the processed
// folder (or flagged). Between passes it waits
// with IDLE (polling without it). Runs on its own thread with its own store
// connection; the daemon's loop owns it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/ingest.h"
#include "store/store.h"
#include "transport/imap.h"

namespace ticketd::daemon {

struct PassResult {
  bool ok = true;
  transport::ImapErrorKind error_kind = transport::ImapErrorKind::connection;
  std::string error;  // never a secret
  int stored = 0, duplicates = 0, quarantined = 0, moved = 0;
};

// How one pass splits `n` mails into the chunks it lists, fetches and stores
// (each at most `batch`): the pipeline's stages overlap only from the
// second chunk on, so the first chunks grow (first, 3 x first, ..., then
// `batch`) and the last ones shrink in the same steps. The first store then
// waits for a small fetch instead of a full batch, and the move of the last
// chunk, which nothing overlaps, is a small one.
std::vector<std::size_t> plan_pass_chunks(std::size_t n, std::size_t batch, std::size_t first);

class Poller {
 public:
  // `nudge` is called (from this poller's thread) after mail was committed.
  // `imap` comes from imap_config() (secrets already read).
  Poller(std::shared_ptr<const Config> config, const Config::Mailbox& mailbox,
         transport::ImapConfig imap, std::string secret, std::function<void()> nudge);
  ~Poller();

  // One pass over the folder: connect and select when needed, ingest
  // everything there, move or flag what was stored. Stops early (after the
  // mail in hand) once stop() was called.
  PassResult pass();

  // pass(), then IDLE, in a loop until stop(); failures back off (capped,
  // one log line per state change). `fatal` is called when retrying cannot
  // help (a certificate that does not verify and no ca_file to fix it).
  void run(const std::function<void(const std::string&)>& fatal);

  // Any thread: finish the mail in hand and return from run().
  void stop();

  const std::string& name() const { return mailbox_.name; }

 private:
  PassResult connect_and_select();
  // A fetched batch, parsed (on the IMAP side of the pipeline).
  struct Fetched {
    std::vector<transport::FetchedMail> mails;
    std::vector<PreparedMail> prepared;  // views into `mails`
  };
  // Work of a pass: UIDs of a chunk whose sizes are not listed yet
  // (!sized), or of a batch planned from a listed chunk.
  struct Work {
    std::vector<std::uint32_t> uids;
    bool sized = false;
  };
  // What one step of the IMAP side brings: the next batch, fetched and
  // parsed, and the mails of its chunk that are over the size limit.
  struct Step {
    std::optional<transport::ImapError> error;
    std::vector<transport::UidSize> oversized;
    std::unique_ptr<Fetched> parsed;
    // Where the IMAP side's time went (the batch debug line).
    std::chrono::steady_clock::duration listing{}, fetching{}, parsing{};
  };
  enum class Stored { all, some, spoiled };
  bool store_batch(const Fetched& batch, std::uint32_t uidvalidity, PassResult& r,
                   std::vector<std::uint32_t>& done);
  Stored store_attempt(const Fetched& batch, std::uint32_t uidvalidity, bool savepoints,
                       PassResult& r, std::vector<std::uint32_t>& done);
  void mark_processed(std::vector<std::uint32_t>& uids, const std::string& folder, PassResult& r,
                      std::future<void>* synced = nullptr);
  void quarantine_oversized(const transport::UidSize& m, PassResult& r);
  void sleep_for(std::chrono::seconds s);

  std::shared_ptr<const Config> config_;
  Config::Mailbox mailbox_;
  std::string secret_;
  std::function<void()> nudge_;
  store::Store store_;
  bool deferred_sync_ = false;        // store_'s commits wait for mark_processed()'s sync
  store::Checkpointer checkpointer_;  // the log copied off the store thread
  Ingestor ingestor_;
  transport::ImapClient imap_;
  std::atomic<bool> stop_{false};
  std::string down_;  // the error while the mailbox is unreachable; "" when up
  std::uint64_t failures_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  // The log's copy at the end of a pass, still running after it; last, so
  // that it is joined before the store and checkpointer it uses go away.
  std::future<void> last_copy_;
};

// The IMAP client settings of `mailbox`, its secret read from its file.
std::expected<transport::ImapConfig, std::string> imap_config(const Config& config,
                                                              const Config::Mailbox& mailbox);

}  // namespace ticketd::daemon
