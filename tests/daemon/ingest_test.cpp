// The inbound pipeline against a real SQLite file: new tickets, threading,
// dedupe, Message-ID reuse, quarantine, locks.
#include "daemon/ingest.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "daemon/apply.h"
#include "parser/parse.h"
#include "store/store.h"

using namespace ticketd;
namespace fs = std::filesystem;

namespace {

struct Mail {
  std::string from = "Karen Jones <karen@example.com>";
  std::string to = "support@example.com";
  std::string cc;
  std::string subject = "Locked out after password change";
  std::string message_id = "<k1@mail.example>";
  std::string in_reply_to;
  std::string references;
  std::string body = "Hi, I changed my password and now I cannot log in.\n";
  std::string extra;  // more header lines

  std::string bytes() const {
    std::string s;
    if (!extra.empty()) s += extra;
    s += "From: " + from + "\nTo: " + to + "\n";
    if (!cc.empty()) s += "Cc: " + cc + "\n";
    s += "Subject: " + subject + "\nDate: Tue, 24 Nov 2026 09:15:00 +0100\n";
    if (!message_id.empty()) s += "Message-ID: " + message_id + "\n";
    if (!in_reply_to.empty()) s += "In-Reply-To: " + in_reply_to + "\n";
    if (!references.empty()) s += "References: " + references + "\n";
    s += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body;
    return s;
  }
};

// The references SQLite no longer checks (schema 9: the event log; 14: the
// rows a mail's transaction writes beside its ticket and mail), as queries
// that count the rows whose parent is missing.
const std::pair<const char*, const char*> kOrphans[] = {
    {"events whose ticket or mail does not exist",
     "SELECT COUNT(*) FROM events e WHERE (e.ticket_id IS NOT NULL AND NOT EXISTS "
     "(SELECT 1 FROM tickets t WHERE t.id = e.ticket_id)) OR (e.message_row IS NOT NULL "
     "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_row))"},
    {"messages whose ticket or raw mail does not exist",
     "SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = "
     "m.ticket_id) OR (m.raw_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM raw_mail r WHERE "
     "r.id = m.raw_id))"},
    {"outbox rows whose ticket or source mail does not exist",
     "SELECT COUNT(*) FROM outbox o WHERE (o.ticket_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
     "FROM tickets t WHERE t.id = o.ticket_id)) OR (o.source_message IS NOT NULL AND NOT EXISTS "
     "(SELECT 1 FROM messages m WHERE m.id = o.source_message))"},
    {"outbox recipients whose outbox row does not exist",
     "SELECT COUNT(*) FROM outbox_recipients r WHERE NOT EXISTS (SELECT 1 FROM outbox o "
     "WHERE o.id = r.outbox_id)"},
    {"participants or agent tokens whose ticket does not exist",
     "SELECT (SELECT COUNT(*) FROM participants p WHERE NOT EXISTS (SELECT 1 FROM tickets t "
     "WHERE t.id = p.ticket_id)) + (SELECT COUNT(*) FROM agent_tokens a WHERE NOT EXISTS "
     "(SELECT 1 FROM tickets t WHERE t.id = a.ticket_id))"},
};

class Ingest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ticketd-ingest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_.store.path = (dir_ / "t.db").string();
    config_.store.busy_timeout_ms = 100;
    config_.support.address = "support@example.com";
    store_ = std::make_unique<store::Store>(config_.store.path, 100);
    ingestor_ =
        std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  }
  void TearDown() override {
    // Schemas 9 and 14 leave the references of the rows a mail writes
    // unchecked by SQLite: after every test, each one's parent exists.
    if (store_) {
      for (const auto& [what, sql] : kOrphans) {
        auto st = store_->db().prepare(sql);
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.i64(0), 0) << what;
      }
    }
    ingestor_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  daemon::IngestOutcome ingest(const std::string& raw) {
    auto r = ingestor_->ingest({raw, static_cast<std::int64_t>(raw.size()), false}, now_++);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().detail);
    return r.value_or(daemon::IngestOutcome{});
  }
  std::vector<store::EventRow> events(const std::string& number) {
    return store_->events(store_->find_ticket(number)->id);
  }
  static bool has_event(const std::vector<store::EventRow>& ev, const std::string& kind,
                        const std::string& needle = "") {
    for (const auto& e : ev)
      if (e.kind == kind && e.detail.find(needle) != std::string::npos) return true;
    return false;
  }

  fs::path dir_;
  daemon::Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<daemon::Ingestor> ingestor_;
  std::int64_t now_ = 1'800'000'000;
};

TEST_F(Ingest, DurabilityPragmas) {
  EXPECT_EQ(store_->pragma("journal_mode"), "wal");
  EXPECT_EQ(store_->pragma("synchronous"), "2");  // FULL
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(store_->pragma("page_size"), "8192");  // a new store
}

// A store created with SQLite's default 4 KiB pages keeps them and works.
TEST_F(Ingest, AStoreWithFourKibPagesKeepsThem) {
  ingestor_.reset();
  store_.reset();
  const std::string path = (dir_ / "old.db").string();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; VACUUM;", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  store_ = std::make_unique<store::Store>(path, 100);
  ingestor_ =
      std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(store_->pragma("page_size"), "4096");
  EXPECT_EQ(ingest(Mail{}.bytes()).result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(ingest(Mail{.subject = "Printer", .message_id = "<k2@mail.example>"}.bytes()).result,
            daemon::IngestResult::new_ticket);
  EXPECT_EQ(store_->list_tickets(std::nullopt).size(), 2u);
}

// Several processes opening one new store at once (the MTA delivering two
// mails in pipe mode on first use, or ticketctl beside a starting daemon):
// one creates the schema, the others wait for its lock and find it made.
// Reading the schema version outside the lock made a second one fail with
// "table raw_mail already exists".
TEST_F(Ingest, ProcessesOpeningOneNewStoreAtOnceAllSucceed) {
  constexpr int kRounds = 12;
  constexpr int kProcesses = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = (dir_ / ("new-" + std::to_string(round) + ".db")).string();
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
      const pid_t child = ::fork();
      ASSERT_GE(child, 0);
      if (child == 0) {
        ::close(gate[1]);
        char c;
        while (::read(gate[0], &c, 1) > 0) {
        }  // the parent closing its end lets every child go at once
        try {
          store::Store s(path, 5000);
          ::_exit(s.pragma("user_version") == std::to_string(store::kSchemaVersion) ? 0 : 2);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "child: %s\n", e.what());  // in the test's output
          ::_exit(1);
        }
      }
      children.push_back(child);
    }
    ::close(gate[0]);
    ::close(gate[1]);
    int failed = 0;
    for (const pid_t child : children) {
      int status = 0;
      ::waitpid(child, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    }
    ASSERT_EQ(failed, 0) << "round " << round << ": processes that could not open the new store";
    store::Store opened(path, 100);
    EXPECT_EQ(opened.pragma("integrity_check"), "ok");
    EXPECT_EQ(opened.pragma("journal_mode"), "wal");
  }
}

// Mails of 1 MiB and more are streamed into the database in pieces (store:
// write_blob); the bytes read back must be the bytes given. An attachment is
// not stored beside the raw mail that holds it: read back, it is decoded again
// from each raw mail, byte for byte.
TEST_F(Ingest, BigMailAndAttachmentStoredWhole) {
  std::string data;
  for (std::uint32_t i = 0; data.size() < (3u << 20); ++i)
    data += static_cast<char>((i * 7919u) % 251u);
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (std::size_t i = 0; i + 2 < data.size(); i += 3) {
    const auto u = [&](std::size_t k) { return static_cast<unsigned char>(data[k]); };
    const std::uint32_t q = (u(i) << 16) | (u(i + 1) << 8) | u(i + 2);
    for (int s = 18; s >= 0; s -= 6) b64 += kB64[(q >> s) & 63];
    if (b64.size() % 77 == 76) b64 += '\n';
  }
  data.resize(data.size() / 3 * 3);
  auto mail = [&](const char* id) {
    return std::string("From: Karen Jones <karen@example.com>\nTo: support@example.com\n") +
           "Subject: The scan\nMessage-ID: " + id +
           "\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
           "Content-Type: text/plain\n\nattached\n--b\nContent-Type: application/pdf; "
           "name=scan.pdf\nContent-Transfer-Encoding: base64\n\n" +
           b64 + "\n--b--\n";
  };
  const std::string first = mail("<big1@mail.example>");
  // The attachment is not decoded beside the raw mail before it is stored
  // (bench/memory): hashed, measured, and left in the raw bytes.
  const daemon::PreparedMail prepared =
      daemon::prepare_mail({first, static_cast<std::int64_t>(first.size()), false}, config_);
  ASSERT_EQ(prepared.msg.attachments.size(), 1u);
  EXPECT_TRUE(prepared.msg.attachments[0].lazy);
  EXPECT_TRUE(prepared.msg.attachments[0].data.empty());
  EXPECT_EQ(prepared.msg.attachments[0].size, data.size());
  ASSERT_EQ(ingest(first).result, daemon::IngestResult::new_ticket);
  ASSERT_EQ(ingest(mail("<big2@mail.example>")).result, daemon::IngestResult::new_ticket);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(config_.store.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  auto blobs = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
      out.emplace_back(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                       static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    return out;
  };
  // The raw bytes are in the raw spool (schema 16), the row says where.
  EXPECT_EQ(blobs("SELECT data FROM raw_mail WHERE length(data) > 0").size(), 0u);
  std::vector<std::string> raws;
  for (auto st = store_->db().prepare("SELECT id FROM raw_mail ORDER BY id"); st.step();)
    raws.push_back(store_->raw_bytes(st.i64(0)).value().bytes);
  ASSERT_EQ(raws.size(), 2u);
  EXPECT_TRUE(raws[0] == first) << "raw mail differs (" << raws[0].size() << " bytes)";
  EXPECT_TRUE(blobs("SELECT data FROM blobs").empty());  // the raw mail holds it
  sqlite3_close(db);
  std::vector<std::int64_t> rows;
  for (auto st = store_->db().prepare("SELECT id FROM messages ORDER BY id"); st.step();)
    rows.push_back(st.i64(0));
  ASSERT_EQ(rows.size(), 2u);
  for (const std::int64_t row : rows) {
    const auto atts = store_->attachments_with_data(row);
    ASSERT_TRUE(atts.has_value()) << atts.error();
    ASSERT_EQ(atts->size(), 1u);
    EXPECT_EQ((*atts)[0].filename, "scan.pdf");
    EXPECT_EQ((*atts)[0].size, data.size());
    EXPECT_TRUE((*atts)[0].data == data)
        << "attachment differs (" << (*atts)[0].data.size() << " bytes)";
  }
}

// A blob written a piece at a time must be given exactly its length: content
// shorter or longer than the zeroblob is an error, never a blob padded with
// zeros or cut short (content made in pieces that disagrees with its size).
TEST_F(Ingest, BlobPiecesMustFillTheBlobExactly) {
  store::Db& db = store_->db();
  db.exec("CREATE TABLE t(b BLOB)");
  db.exec("INSERT INTO t(rowid, b) VALUES(1, zeroblob(6)), (2, zeroblob(6)), (3, zeroblob(6))");
  using Sink = std::function<void(std::string_view)>;
  db.write_blob_pieces("t", "b", 1, 6, [](const Sink& sink) {
    sink("abc");
    sink("");
    sink("def");
  });
  EXPECT_THROW(db.write_blob_pieces("t", "b", 2, 6, [](const Sink& sink) { sink("abcde"); }),
               store::Error);
  EXPECT_THROW(db.write_blob_pieces("t", "b", 3, 6,
                                    [](const Sink& sink) {
                                      sink("abcd");
                                      sink("efg");
                                    }),
               store::Error);
  auto st = db.prepare("SELECT b FROM t WHERE rowid = 1");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.blob(0), "abcdef");
}

TEST_F(Ingest, NewMailOpensTicket) {
  auto out = ingest(Mail{}.bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(out.ticket, "TD-1001");
  auto t = store_->find_ticket("TD-1001");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->state, "new");
  EXPECT_EQ(t->requester.address, "karen@example.com");
  EXPECT_EQ(t->requester.name, "Karen Jones");
  EXPECT_EQ(t->messages, 1);
  EXPECT_EQ(t->token.size(), 5u + 26u);  // "1001-" and the HMAC
  EXPECT_TRUE(has_event(events("TD-1001"), "created", "no thread evidence"));
  EXPECT_EQ(ingest(Mail{.message_id = "<k2@mail.example>", .body = "other\n"}.bytes()).ticket,
            "TD-1002");
}

TEST_F(Ingest, ReplyByInReplyTo) {
  ingest(Mail{}.bytes());
  auto out = ingest(Mail{.subject = "Re: Locked out",
                         .message_id = "<k2@mail.example>",
                         .in_reply_to = "<k1@mail.example>",
                         .body = "More details.\n"}
                        .bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::reply);
  EXPECT_EQ(out.ticket, "TD-1001");
  EXPECT_EQ(store_->find_ticket("TD-1001")->messages, 2);
  EXPECT_TRUE(has_event(events("TD-1001"), "message_added", "In-Reply-To <k1@mail.example>"));
}

// A mail's new text is stored as a length when it is the start of its text
// (schema 7), as itself otherwise, and reads back the same either way.
TEST_F(Ingest, NewTextReadsBackWhetherStoredAsLengthOrText) {
  ingest(Mail{.body = "Grüße, the printer on floor 3 is jammed.\n"}.bytes());
  ingest(Mail{.subject = "Re: Locked out",
              .message_id = "<k2@mail.example>",
              .in_reply_to = "<k1@mail.example>",
              .body = "Still jammed.\n\nOn Tue, Karen wrote:\n> Grüße, the printer\n"}
             .bytes());
  const auto thread = store_->thread(store_->find_ticket("TD-1001")->id);
  ASSERT_EQ(thread.size(), 2u);
  EXPECT_EQ(thread[0].text, "Grüße, the printer on floor 3 is jammed.\n");
  EXPECT_EQ(thread[0].new_text, "Grüße, the printer on floor 3 is jammed.");
  EXPECT_EQ(thread[1].new_text.find("Still jammed."), 0u);
  EXPECT_EQ(thread[1].new_text.find("wrote:"), std::string::npos);
  EXPECT_NE(thread[1].text.find("wrote:"), std::string::npos);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(config_.store.path.c_str(), &db), SQLITE_OK);
  auto one = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  };
  // Both were prefixes: kept once, as lengths in bytes (not characters).
  EXPECT_EQ(one("SELECT COUNT(*) FROM messages WHERE new_text = '' AND new_text_len > 0"), "2");
  EXPECT_EQ(one("SELECT new_text_len FROM messages WHERE id = 1"),
            std::to_string(thread[0].new_text.size()));
  // A row as schema 6 wrote it (new_text in full, no length) and one whose
  // new text is not the start of its text read back as stored.
  EXPECT_EQ(sqlite3_exec(db,
                         "UPDATE messages SET new_text = 'older row', new_text_len = NULL "
                         "WHERE id = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(store_->thread(store_->find_ticket("TD-1001")->id)[1].new_text, "older row");
}

TEST_F(Ingest, ReplyByReferencesOnly) {
  ingest(Mail{}.bytes());
  auto out = ingest(Mail{.subject = "Re: Locked out",
                         .message_id = "<k2@mail.example>",
                         .references = "<old@x.example> <k1@mail.example>",
                         .body = "again\n"}
                        .bytes());
  EXPECT_EQ(out.ticket, "TD-1001");
  EXPECT_TRUE(has_event(events("TD-1001"), "message_added", "References"));
}

TEST_F(Ingest, ReplyBySubjectTagFromRequester) {
  ingest(Mail{}.bytes());
  auto out = ingest(Mail{.subject = "Re: [#TD-1001] Locked out",
                         .message_id = "<k3@other.example>",
                         .body = "typed a new mail with the tag\n"}
                        .bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::reply);
  EXPECT_EQ(out.ticket, "TD-1001");
}

TEST_F(Ingest, CcCollaboratorRepliesOntoTicket) {
  ingest(Mail{.cc = "Nick Moss <nick@example.com>, support@example.com"}.bytes());
  auto out = ingest(Mail{.from = "Nick Moss <nick@example.com>",
                         .message_id = "<n1@mail.example>",
                         .in_reply_to = "<k1@mail.example>",
                         .body = "Same here\n"}
                        .bytes());
  EXPECT_EQ(out.ticket, "TD-1001");
  EXPECT_EQ(store_->find_ticket("TD-1001")->requester.address, "karen@example.com");
}

TEST_F(Ingest, StrangerWithVictimsTagAndReferencesGetsNewTicket) {
  ingest(Mail{}.bytes());
  const std::size_t victim_events = events("TD-1001").size();
  const std::size_t victim_outbox = store_->outbox(store_->find_ticket("TD-1001")->id).size();
  auto out = ingest(Mail{.from = "Mallory <mallory@evil.example>",
                         .subject = "Re: [#TD-1001] Locked out",
                         .message_id = "<m1@evil.example>",
                         .in_reply_to = "<k1@mail.example>",
                         .references = "<k1@mail.example>",
                         .body = "Please change the recovery address to mallory@evil.example\n"}
                        .bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(out.ticket, "TD-1002");
  // The new ticket does not carry the victim's tag in its subject.
  EXPECT_EQ(store_->find_ticket("TD-1002")->subject, "Re: Locked out");
  auto ev = events("TD-1002");
  EXPECT_TRUE(has_event(ev, "created", "not a participant of TD-1001")) << ev[0].detail;
  // The victim's ticket is untouched.
  auto victim = store_->find_ticket("TD-1001");
  EXPECT_EQ(victim->messages, 1);
  EXPECT_EQ(victim->requester.address, "karen@example.com");
  EXPECT_EQ(store_->events(victim->id).size(), victim_events);
  // ... and nothing was written to anyone about it.
  EXPECT_EQ(store_->outbox(victim->id).size(), victim_outbox);
  for (const auto& row : store_->outbox(victim->id))
    for (const auto& to : row.to) EXPECT_NE(to, "mallory@evil.example");
}

TEST_F(Ingest, ReplyTokenThreadsAndForgedTokenIsIgnored) {
  ingest(Mail{}.bytes());
  const std::string token = store_->find_ticket("TD-1001")->token;
  EXPECT_EQ(token, "1001-" + daemon::reply_token("0123456789abcdef0123456789abcdef", "TD-1001"));
  auto out = ingest(Mail{.from = "Karen Jones <karen.jones@home.example>",
                         .to = "support+" + token + "@example.com",
                         .subject = "Re: your ticket",
                         .message_id = "<k9@home.example>",
                         .body = "from my home address\n"}
                        .bytes());
  EXPECT_EQ(out.ticket, "TD-1001");
  std::string forged = token;  // the digits kept, the HMAC altered
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  auto out2 = ingest(Mail{.from = "Mallory <mallory@evil.example>",
                          .to = "support+" + forged + "@example.com",
                          .message_id = "<m2@evil.example>",
                          .body = "guessing\n"}
                         .bytes());
  EXPECT_EQ(out2.result, daemon::IngestResult::new_ticket);
  EXPECT_TRUE(has_event(events(out2.ticket), "created", "unknown reply token"));
}

TEST_F(Ingest, SameMailTwiceIsOneEntry) {
  const std::string raw = Mail{}.bytes();
  EXPECT_EQ(ingest(raw).result, daemon::IngestResult::new_ticket);
  auto again = ingest(raw);
  EXPECT_EQ(again.result, daemon::IngestResult::duplicate);
  EXPECT_EQ(again.ticket, "TD-1001");
  EXPECT_EQ(store_->find_ticket("TD-1001")->messages, 1);
  EXPECT_EQ(store_->list_tickets(std::nullopt).size(), 1u);
  EXPECT_TRUE(has_event(events("TD-1001"), "duplicate"));
}

TEST_F(Ingest, SameMailByAnotherRouteIsOneEntry) {
  ingest(Mail{}.bytes());
  auto again = ingest(Mail{.extra = "Received: from relay2.example by mx.example\n"}.bytes());
  EXPECT_EQ(again.result, daemon::IngestResult::duplicate);
  EXPECT_EQ(store_->find_ticket("TD-1001")->messages, 1);
}

// The same bytes twice are one mail whichever way the first was kept: a
// mail stored under its Message-ID is found by it and its raw mail's hash
// (no index of hashes written for it, schema 13); one no message row names
// by a Message-ID (none, quarantined, a copy by another route kept as raw)
// by its hash in raw_unkeyed.
TEST_F(Ingest, RawDuplicatesAreFoundByMessageIdOrByHash) {
  auto unkeyed = [&] {
    auto st = store_->db().prepare("SELECT COUNT(*) FROM raw_unkeyed");
    st.step();
    return st.i64(0);
  };
  auto twice = [&](const std::string& raw, daemon::IngestResult first, std::int64_t keyed_after,
                   const std::string& ticket) {
    EXPECT_EQ(ingest(raw).result, first);
    EXPECT_EQ(unkeyed(), keyed_after);
    const auto again = ingest(raw);
    EXPECT_EQ(again.result, daemon::IngestResult::duplicate);
    EXPECT_NE(again.detail.find("same raw mail"), std::string::npos) << again.detail;
    EXPECT_EQ(again.ticket, ticket);
    EXPECT_EQ(unkeyed(), keyed_after);  // a duplicate keeps no raw mail
  };
  twice(Mail{}.bytes(), daemon::IngestResult::new_ticket, 0, "TD-1001");
  twice(Mail{.subject = "ERP down", .message_id = ""}.bytes(), daemon::IngestResult::new_ticket, 1,
        "TD-1002");
  // The same Message-ID and content by another route: its raw mail kept,
  // named by no message row.
  twice(Mail{.extra = "Received: from relay2.example by mx.example\n"}.bytes(),
        daemon::IngestResult::duplicate, 2, "");
  twice(Mail{.from = "undisclosed", .message_id = "<q1@mail.example>"}.bytes(),
        daemon::IngestResult::quarantined, 3, "");
  // The same Message-ID on other bytes is not a raw duplicate.
  const auto other =
      ingest(Mail{.from = "Cliff Tucker <cliff@example.com>", .body = "Other.\n"}.bytes());
  EXPECT_NE(other.result, daemon::IngestResult::duplicate);
  EXPECT_EQ(store_->list_tickets(std::nullopt).size(), 3u);
}

TEST_F(Ingest, ReusedMessageIdWithOtherContentIsKept) {
  ingest(Mail{}.bytes());
  auto out = ingest(Mail{.from = "Cliff Tucker <cliff@example.com>",
                         .subject = "ERP down",
                         .body = "The ERP is down for sales.\n"}
                        .bytes());
  EXPECT_NE(out.result, daemon::IngestResult::duplicate);
  EXPECT_EQ(out.ticket, "TD-1002");
  EXPECT_EQ(store_->find_ticket("TD-1002")->messages, 1);
  EXPECT_TRUE(has_event(events("TD-1002"), "message_id_reused", "k1@mail.example"));
}

TEST_F(Ingest, MailWithoutSenderIsQuarantined) {
  Mail m;
  m.from = "undisclosed";
  auto out = ingest(m.bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  auto q = store_->quarantined();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].reason, "no_sender");
  EXPECT_TRUE(store_->list_tickets(std::nullopt).empty());
  // The same bytes again: recognised, not quarantined twice.
  EXPECT_EQ(ingest(m.bytes()).result, daemon::IngestResult::duplicate);
  EXPECT_EQ(store_->quarantined().size(), 1u);
}

TEST_F(Ingest, OwnMailComingBackIsNoTicket) {
  config_.guard.our_message_id_domain = "ticketd.example.com";
  auto out = ingest(Mail{.from = "IT Support <support@example.com>",
                         .message_id = "<TD-1001.acknowledgement.00ff@ticketd.example.com>"}
                        .bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  EXPECT_EQ(store_->quarantined().at(0).reason, "own_mail");
  // A forwarded copy under another From but with our Message-ID: also ours.
  ingest(Mail{.from = "Relay <relay@example.com>",
              .message_id = "<TD-1002.agent_alert.01@ticketd.example.com>",
              .body = "x\n"}
             .bytes());
  EXPECT_EQ(store_->quarantined().size(), 2u);
  EXPECT_TRUE(store_->list_tickets(std::nullopt).empty());
  EXPECT_TRUE(store_->outbox(std::nullopt).empty());
}

TEST_F(Ingest, GarbageIsQuarantined) {
  static constexpr char kGarbage[] = "\x00\x01\x02 this is not a mail";
  auto out = ingest(std::string(kGarbage, sizeof kGarbage - 1));
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  EXPECT_EQ(store_->quarantined().at(0).reason, "no_headers");
}

TEST_F(Ingest, OversizedMailIsQuarantinedNotParsed) {
  config_.limits.max_message_bytes = 2048;
  std::string raw = Mail{.body = std::string(4096, 'x') + "\n"}.bytes();
  auto out = ingest(raw);
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  auto q = store_->quarantined();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].reason, "too_big");
  EXPECT_EQ(q[0].size, static_cast<std::int64_t>(raw.size()));
}

TEST_F(Ingest, LockedDatabaseIsTemporaryAndNothingIsWritten) {
  store::Db other(config_.store.path, 0);
  other.exec("BEGIN IMMEDIATE");
  const std::string raw = Mail{}.bytes();
  auto r = ingestor_->ingest({raw, static_cast<std::int64_t>(raw.size()), false}, now_);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().temporary);
  other.exec("ROLLBACK");
  EXPECT_TRUE(store_->list_tickets(std::nullopt).empty());
  // Retried later (as the MTA does), the mail is stored.
  EXPECT_EQ(ingest(raw).result, daemon::IngestResult::new_ticket);
}

TEST_F(Ingest, AttachmentsAreStoredWithHash) {
  std::string raw =
      "From: Alex Kamal <alex@example.com>\nTo: support@example.com\nSubject: Camera dead\n"
      "Message-ID: <a1@example.com>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n"
      "Camera shows a black screen.\n--XX\nContent-Type: application/octet-stream; "
      "name=\"log.txt\"\n"
      "Content-Transfer-Encoding: base64\n\naGVsbG8=\n--XX--\n";
  ingest(raw);
  auto t = store_->find_ticket("TD-1001");
  auto thread = store_->thread(t->id);
  ASSERT_EQ(thread.size(), 1u);
  ASSERT_EQ(thread[0].attachments.size(), 1u);
  EXPECT_EQ(thread[0].attachments[0].filename, "log.txt");
  EXPECT_EQ(thread[0].attachments[0].size, 5u);
  EXPECT_EQ(thread[0].attachments[0].sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
}

// Schema 15: an attachment's content is read from its raw mail. A blob that a
// store of schema 14 or before kept is read first; an attachment its raw mail
// does not hold (a raw mail changed behind the store's back) is an error that
// names it, never an empty attachment relayed as if it were the file.
TEST_F(Ingest, AttachmentContentComesFromTheRawMailOrAnOldBlob) {
  const auto mail = [](std::string_view b64) {
    return std::string(
               "From: Alex Kamal <alex@example.com>\nTo: support@example.com\nSubject: Camera\n"
               "Message-ID: <a1@example.com>\nMIME-Version: 1.0\n"
               "Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n"
               "Camera shows a black screen.\n--XX\nContent-Type: application/octet-stream; "
               "name=\"log.txt\"\nContent-Transfer-Encoding: base64\n\n") +
           std::string(b64) + "\n--XX--\n";
  };
  ingest(mail("aGVsbG8="));  // "hello"
  const std::int64_t row = store_->thread(store_->find_ticket("TD-1001")->id)[0].id;
  const auto read = [&] { return store_->attachments_with_data(row); };
  auto got = read();
  ASSERT_TRUE(got.has_value()) << got.error();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].data, "hello");

  const std::string sha = (*got)[0].sha256;
  auto blob = store_->db().prepare("INSERT INTO blobs(sha256, data) VALUES(?1, ?2)");
  blob.bind(1, sha).bind_blob(2, "hello, from a blob");
  blob.run();
  got = read();
  ASSERT_TRUE(got.has_value()) << got.error();
  EXPECT_EQ((*got)[0].data, "hello, from a blob");

  store_->db().exec("DELETE FROM blobs");
  // Bytes in the raw spool (schema 16) that are not the ones stored: an
  // error naming the segment, never a wrong attachment.
  const std::string seg = dir_.string() + "/t.db-raw/00000001.seg";
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.put('f');  // "From:" -> "from:"
  }
  got = read();
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().find(seg), std::string::npos) << got.error();
  EXPECT_NE(got.error().find("does not match its SHA-256"), std::string::npos) << got.error();

  // A raw mail kept in its row (schema 15 and before) whose bytes changed
  // behind the store's back, its hash with them.
  const std::string changed = mail("aGVsbG8gYWdhaW4=");  // "hello again"
  auto raw = store_->db().prepare(
      "UPDATE raw_mail SET data = ?1, sha256 = ?2, spool_segment = NULL, spool_offset = NULL, "
      "spool_size = NULL");
  const std::string changed_sha = parser::sha256_hex(changed);
  raw.bind_blob(1, changed).bind(2, changed_sha);
  raw.run();
  got = read();
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().find("\"log.txt\""), std::string::npos) << got.error();
  EXPECT_NE(got.error().find(sha), std::string::npos) << got.error();
}

// Schema 16: a raw mail's bytes are written once, to the raw spool beside
// the database (t.db-raw/, 0700; segments 0600), never to the database or its
// log; the row says where they are, and they read back as they came.
TEST_F(Ingest, RawMailIsWrittenOnceToTheSpoolAndReadsBack) {
  std::vector<std::string> mails;
  for (int i = 0; i < 3; ++i)
    mails.push_back(Mail{.subject = "Printer " + std::to_string(i),
                         .message_id = "<p" + std::to_string(i) + "@mail.example>",
                         .extra = "X-Spool-Marker: only-in-the-raw-" + std::to_string(i) + "\n"}
                        .bytes());
  for (const auto& m : mails) EXPECT_EQ(ingest(m).result, daemon::IngestResult::new_ticket);
  const std::string spool = dir_.string() + "/t.db-raw";
  struct stat st {};
  ASSERT_EQ(::stat(spool.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((spool + "/00000001.seg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::size_t total = 0;
  for (const auto& m : mails) total += m.size();
  EXPECT_EQ(static_cast<std::size_t>(st.st_size), total);

  auto rows = store_->db().prepare(
      "SELECT id, length(data), spool_segment, spool_offset, spool_size FROM raw_mail ORDER BY id");
  std::size_t i = 0;
  std::int64_t offset = 0;
  while (rows.step()) {
    ASSERT_LT(i, mails.size());
    EXPECT_EQ(rows.i64(1), 0);  // nothing in the row
    EXPECT_EQ(rows.i64(2), 1);
    EXPECT_EQ(rows.i64(3), offset);
    EXPECT_EQ(rows.i64(4), static_cast<std::int64_t>(mails[i].size()));
    offset += rows.i64(4);
    const auto back = store_->raw_bytes(rows.i64(0));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->bytes, mails[i]);
    EXPECT_FALSE(back->truncated);
    ++i;
  }
  EXPECT_EQ(i, mails.size());
  EXPECT_FALSE(store_->raw_bytes(999));
  // The marker is a header the parsed text does not keep: only the raw
  // bytes carry it, and they are in the database's files nowhere.
  for (const char* file : {"/t.db", "/t.db-wal"}) {
    std::ifstream f(dir_.string() + file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("only-in-the-raw-"), std::string::npos) << file;
  }
  std::ifstream f(spool + "/00000001.seg", std::ios::binary);
  const std::string seg((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(seg.find("only-in-the-raw-2"), std::string::npos);
}

// A mail whose transaction rolls back leaves its bytes in the spool, named by
// no row; the next mail is appended after them and reads back intact. A
// missing or short segment is an error that names the file.
TEST_F(Ingest, SpoolBytesOfARolledBackMailAreDeadSpaceAndDamageIsNamed) {
  const std::string lost = Mail{.subject = "Never committed"}.bytes();
  {
    auto tx = store_->begin();
    tx.put_raw(parser::sha256_hex(lost), lost, static_cast<std::int64_t>(lost.size()), false, now_);
  }  // rolled back
  {
    auto n = store_->db().prepare("SELECT COUNT(*) FROM raw_mail");
    n.step();
    EXPECT_EQ(n.i64(0), 0);
  }
  const std::string kept = Mail{.message_id = "<kept@mail.example>"}.bytes();
  ASSERT_EQ(ingest(kept).result, daemon::IngestResult::new_ticket);
  auto row = store_->db().prepare("SELECT id, spool_offset FROM raw_mail");
  ASSERT_TRUE(row.step());
  const std::int64_t id = row.i64(0);
  EXPECT_EQ(row.i64(1), static_cast<std::int64_t>(lost.size()));
  row.reset();
  EXPECT_EQ(store_->raw_bytes(id)->bytes, kept);

  const std::string seg = dir_.string() + "/t.db-raw/00000001.seg";
  fs::resize_file(seg, lost.size() + kept.size() - 1);
  try {
    store_->raw_bytes(id);
    ADD_FAILURE() << "a short segment read";
  } catch (const store::Error& e) {
    EXPECT_NE(std::string(e.what()).find(seg + " is short"), std::string::npos) << e.what();
  }
  fs::remove(seg);
  try {
    store_->raw_bytes(id);
    ADD_FAILURE() << "a missing segment read";
  } catch (const store::Error& e) {
    EXPECT_NE(std::string(e.what()).find(seg), std::string::npos) << e.what();
  }
}

// A full segment takes no more mail: the writer moves to the next number,
// and so does a second writer (another process) that still had the full one
// open. Every mail reads back from where its place says.
TEST(RawSpool, FullSegmentsRollOverForEveryWriter) {
  const fs::path dir = fs::temp_directory_path() / ("ticketd-spool-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  store::RawSpool a((dir / "s-raw").string(), 100);
  store::RawSpool b((dir / "s-raw").string(), 100);
  std::vector<std::pair<store::RawSpool::Place, std::string>> put;
  const auto add = [&](store::RawSpool& w, std::string bytes) {
    put.emplace_back(w.append(bytes), bytes);
    w.sync();
  };
  add(a, std::string(60, 'a'));
  add(b, std::string(30, 'b'));   // b finds a's bytes: after them, in segment 1
  add(a, std::string(30, 'c'));   // 120 > 100: segment 2
  add(b, std::string(50, 'd'));   // b had segment 1 open, full: on to 2, after c
  add(b, std::string(250, 'e'));  // 2 is full: 3; bigger than a segment, alone in it
  add(a, std::string(10, 'f'));   // a is at 2, not full: after d
  add(a, std::string(20, 'g'));   // 2 is full: 3 is too, on to 4
  const std::pair<std::int64_t, std::int64_t> want[] = {{1, 0}, {1, 60}, {2, 0}, {2, 30},
                                                        {3, 0}, {2, 80}, {4, 0}};
  ASSERT_EQ(put.size(), std::size(want));
  for (std::size_t i = 0; i < put.size(); ++i) {
    EXPECT_EQ(put[i].first.segment, want[i].first) << i;
    EXPECT_EQ(put[i].first.offset, want[i].second) << i;
    EXPECT_EQ(a.read(put[i].first, static_cast<std::int64_t>(put[i].second.size())), put[i].second)
        << i;
  }
  fs::remove_all(dir);
}

}  // namespace

namespace {

// Rules that refuse a mail: it is kept in the quarantine with the reason, a
// rejection notice is queued (never for spam, never to an automatic sender).
class IngestRules : public Ingest {
 protected:
  void use_rules(std::vector<lifecycle::Rule> rules) {
    auto set = lifecycle::RuleSet::compile(std::move(rules));
    ASSERT_TRUE(set.has_value()) << set.error();
    config_.rules = std::make_shared<const lifecycle::RuleSet>(std::move(*set));
  }
};

TEST_F(IngestRules, RejectQuarantinesAndQueuesNotice) {
  lifecycle::Rule r;
  r.name = "no sales pitches";
  r.conditions.push_back({lifecycle::ConditionField::subject, "", "special offer", false});
  r.actions.reject = "This address is for IT support only.";
  use_rules({r});
  auto out = ingest(Mail{.subject = "Special offer on toner"}.bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  ASSERT_EQ(store_->quarantined().size(), 1u);
  EXPECT_EQ(store_->quarantined()[0].reason, "rejected");
  EXPECT_NE(store_->quarantined()[0].detail.find("no sales pitches"), std::string::npos);
  EXPECT_TRUE(store_->list_tickets(std::nullopt).empty());
  auto rows = store_->outbox(std::nullopt);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "rejection");
  EXPECT_EQ(rows[0].to, std::vector<std::string>{"karen@example.com"});
  EXPECT_EQ(rows[0].detail, "This address is for IT support only.");
}

TEST_F(IngestRules, SpamIsQuarantinedSilently) {
  lifecycle::Rule r;
  r.name = "pills";
  r.conditions.push_back({lifecycle::ConditionField::body, "", "cheap pills", false});
  r.actions.spam = true;
  use_rules({r});
  auto out = ingest(Mail{.body = "Buy cheap pills now\n"}.bytes());
  EXPECT_EQ(out.result, daemon::IngestResult::quarantined);
  EXPECT_EQ(store_->quarantined().at(0).reason, "spam");
  EXPECT_TRUE(store_->outbox(std::nullopt).empty());
}

TEST_F(IngestRules, RejectedAutoReplyGetsNoNotice) {
  lifecycle::Rule r;
  r.name = "reject all";
  r.actions.reject = "no";
  use_rules({r});
  ingest(Mail{.extra = "Auto-Submitted: auto-replied\n"}.bytes());
  EXPECT_EQ(store_->quarantined().size(), 1u);
  EXPECT_TRUE(store_->outbox(std::nullopt).empty());
}

}  // namespace

// The IMAP poller's position commits with the mail, and only with it.
TEST_F(Ingest, MailboxPositionCommitsWithTheMail) {
  Mail m;
  auto r = ingestor_->ingest({m.bytes(), 0, false}, now_++,
                             [](store::Tx& tx) { tx.set_mailbox_position("support", 77, 5, 1); });
  ASSERT_TRUE(r.has_value());
  auto pos = store_->mailbox_position("support");
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->uidvalidity, 77);
  EXPECT_EQ(pos->last_uid, 5);
  // A lower UID never moves it back; a new UIDVALIDITY starts over.
  m.message_id = "<k2@mail.example>";
  ASSERT_TRUE(ingestor_->ingest({m.bytes(), 0, false}, now_++, [](store::Tx& tx) {
    tx.set_mailbox_position("support", 77, 3, 2);
  }));
  EXPECT_EQ(store_->mailbox_position("support")->last_uid, 5);
  m.message_id = "<k3@mail.example>";
  ASSERT_TRUE(ingestor_->ingest({m.bytes(), 0, false}, now_++, [](store::Tx& tx) {
    tx.set_mailbox_position("support", 78, 2, 3);
  }));
  EXPECT_EQ(store_->mailbox_position("support")->uidvalidity, 78);
  EXPECT_EQ(store_->mailbox_position("support")->last_uid, 2);
  // A transaction that fails takes the position with it: the mail and its
  // position are one commit.
  m.message_id = "<k4@mail.example>";
  auto failing = ingestor_->ingest({m.bytes(), 0, false}, now_++, [](store::Tx& tx) {
    tx.set_mailbox_position("support", 78, 9, 4);
    throw store::Error(SQLITE_IOERR, "disk gone (test)");
  });
  EXPECT_FALSE(failing.has_value());
  EXPECT_EQ(store_->mailbox_position("support")->last_uid, 2);
  EXPECT_TRUE(store_->why("k4@mail.example").empty());
}

// Two senders (the daemon's worker and a cron `ticketd deliver`) never hold one row.
TEST_F(Ingest, OutboxRowsAreClaimedByOneSender) {
  ingest(Mail{}.bytes());
  auto due = store_->due_outbox(now_, 10);
  ASSERT_FALSE(due.empty());
  const auto id = due.front().id;
  {
    auto tx = store_->begin();
    EXPECT_TRUE(tx.claim_outbox(id, now_, now_ + 100));
    EXPECT_FALSE(tx.claim_outbox(id, now_, now_ + 100));  // the second sender
    tx.commit();
  }
  for (const auto& r : store_->due_outbox(now_, 10)) EXPECT_NE(r.id, id);
  // An expired claim (the sender crashed) is due again; an attempt releases it.
  bool due_later = false;
  for (const auto& r : store_->due_outbox(now_ + 101, 10)) due_later |= r.id == id;
  EXPECT_TRUE(due_later);
  auto row = *store_->outbox_row(id);
  row.state = "deferred";
  row.attempts = 1;
  row.next_attempt_at = now_;
  auto tx = store_->begin();
  tx.record_attempt(row, {}, now_);
  tx.commit();
  bool released = false;
  for (const auto& r : store_->due_outbox(now_, 10)) released |= r.id == id;
  EXPECT_TRUE(released);
}

// The token is HMAC-SHA256(secret, number) in base32 (RFC 4648, lower case,
// 26 characters); values from Python's hmac/base64. The keyed context is
// cached per thread: a different secret between calls must re-key it.
TEST(ReplyToken, IsTheHmacOfTheNumberAndFollowsTheSecret) {
  const std::string a = "0123456789abcdef0123456789abcdef";
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(daemon::reply_token(a, "TD-1001"), "ijciok32tv6773al42yftnfmwx");
    EXPECT_EQ(daemon::reply_token("another secret", "TD-1001"), "p5klsu5parbwh4h3bsjiby6p43");
    EXPECT_EQ(daemon::reply_token(a, "TD-1002/nick@example.com"), "poe7uj66i5cdlfzh4r2rjuycyn");
    EXPECT_EQ(daemon::reply_token(a, "TD-1002/nick@example.com"), "poe7uj66i5cdlfzh4r2rjuycyn");
    // A key of one SHA-256 block, one longer than a block (hashed first),
    // and a message of several blocks.
    EXPECT_EQ(daemon::reply_token(a + a, "TD-1001"), "pxru3vanm76uwdf4pafua5ad25");
    EXPECT_EQ(daemon::reply_token(std::string(100, 'k'), "TD-1001"), "6zzq27in6xasxnujkij2zlw3rb");
    EXPECT_EQ(daemon::reply_token("s", std::string(200, 'x')), "m2opoba3hb6ubl46vfrdrsp2m7");
  }
  // The number's digits lead (the token index grows at its end), the HMAC follows.
  EXPECT_EQ(daemon::ticket_token(a, "TD-1001"), "1001-ijciok32tv6773al42yftnfmwx");
  EXPECT_EQ(daemon::agent_token(a, "TD-1002", "Nick@Example.com"),
            "1002-poe7uj66i5cdlfzh4r2rjuycyn");
  EXPECT_EQ(daemon::numbered_token("NODIGITS", "mac"), "mac");
}

// Message-IDs draw their randomness from a per-thread pool: a forked child
// must draw its own, not repeat the bytes its parent uses next.
TEST(MessageIds, AForkedChildDoesNotRepeatItsParentsRandomness) {
  auto random_part = [](const std::string& id) { return id.substr(0, id.find('@')); };
  const std::string first = daemon::new_message_id("TD-1001", "acknowledgement", "example.com");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = daemon::new_message_id("TD-1001", "acknowledgement", "example.com");
    const ssize_t wrote = ::write(fds[1], id.data(), id.size());
    ::_exit(wrote == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string in_child(256, '\0');
  const ssize_t got = ::read(fds[0], in_child.data(), in_child.size());
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_GT(got, 0);
  in_child.resize(static_cast<std::size_t>(got));
  const std::string next = daemon::new_message_id("TD-1001", "acknowledgement", "example.com");
  EXPECT_NE(random_part(in_child), random_part(next));
  EXPECT_NE(random_part(first), random_part(next));
  EXPECT_TRUE(in_child.starts_with("TD-1001.acknowledgement."));
}

namespace {

// A new ticket is written once with what the rules and assignment decide
// (Tx::create_ticket), not inserted and then updated: the stored row, the
// open-per-assignee count its trigger keeps, the tags and collaborators
// must be what the decisions say. The shipped example's rules and teams.
class IngestExample : public Ingest {
 protected:
  void SetUp() override {
    Ingest::SetUp();
    const std::string db = config_.store.path;
    config_ = daemon::load_config(std::string(TICKETD_SOURCE_DIR) + "/ticketd.example.toml");
    config_.store.path = db;
    ingestor_ =
        std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  }
  // Opens the store again (after it was closed and changed from outside),
  // with an ingestor on it.
  void reopen() {
    store_ = std::make_unique<store::Store>(config_.store.path, 100);
    ingestor_ =
        std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  }
  std::int64_t open_of(const std::string& agent) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(config_.store.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT open FROM open_by_assignee WHERE assignee = ?1", -1, &st,
                       nullptr);
    sqlite3_bind_text(st, 1, agent.c_str(), -1, SQLITE_TRANSIENT);
    const std::int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }
};

TEST_F(IngestExample, ANewTicketIsStoredWithItsDecisionsInOneRow) {
  const std::int64_t at = now_;
  auto out = ingest(Mail{.cc = "Boss <boss@example.com>, karen@example.com, BOSS@example.com",
                         .subject = "ERP down for everybody in sales"}
                        .bytes());
  ASSERT_EQ(out.result, daemon::IngestResult::new_ticket);
  auto t = store_->find_ticket(out.ticket);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->team, "it");
  EXPECT_EQ(t->assignee, "nick.moss@example.com");
  EXPECT_EQ(t->state, "open");
  EXPECT_EQ(t->priority, "urgent");
  EXPECT_EQ(t->tags, std::vector<std::string>{"outage"});
  EXPECT_EQ(t->first_response_due, at + 60 * 60);
  EXPECT_EQ(t->resolution_due, at + 8 * 3600);
  EXPECT_FALSE(t->first_response_at);
  // The requester is no collaborator of their own ticket; a Cc given twice is one.
  ASSERT_EQ(t->collaborators.size(), 1u);
  EXPECT_EQ(t->collaborators[0].address, "boss@example.com");
  EXPECT_TRUE(has_event(events(out.ticket), "collaborator", "answers: boss@example.com"));
  EXPECT_FALSE(has_event(events(out.ticket), "collaborator", "karen"));
  EXPECT_TRUE(has_event(events(out.ticket), "assigned", "nick.moss@example.com"));
  EXPECT_EQ(open_of("nick.moss@example.com"), 1);
  // The same view as a read-back gives; the next ticket counts on.
  {
    auto tx = store_->begin();  // rolled back when it goes
    const lifecycle::TicketView v = tx.ticket_view(t->id);
    EXPECT_EQ(v.state, lifecycle::State::open);
    EXPECT_EQ(v.state_since, at);
    EXPECT_FALSE(v.first_response_overdue_noted);
  }
  ingest(Mail{.subject = "Outage again", .message_id = "<k2@mail.example>"}.bytes());
  EXPECT_EQ(open_of("nick.moss@example.com"), 2);
}

}  // namespace

namespace {

// Schema 10 made four tables WITHOUT ROWID; this turns a store back into
// schema 9's (rowid tables, recipients in rowid order) for the migration
// tests that start from an older store.
constexpr const char* kBackTo9 = R"sql(
CREATE TABLE p9(ticket_id INTEGER NOT NULL REFERENCES tickets(id), address TEXT NOT NULL,
  name TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY(ticket_id, address));
INSERT INTO p9 SELECT ticket_id, address, name, role FROM participants;
DROP TABLE participants;
ALTER TABLE p9 RENAME TO participants;
CREATE TABLE t9(ticket_id INTEGER NOT NULL REFERENCES tickets(id), tag TEXT NOT NULL,
  PRIMARY KEY(ticket_id, tag));
INSERT INTO t9 SELECT ticket_id, tag FROM ticket_tags;
DROP TABLE ticket_tags;
ALTER TABLE t9 RENAME TO ticket_tags;
CREATE TABLE a9(token TEXT PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  agent TEXT NOT NULL);
INSERT INTO a9 SELECT token, ticket_id, agent FROM agent_tokens;
DROP TABLE agent_tokens;
ALTER TABLE a9 RENAME TO agent_tokens;
CREATE TABLE r9(outbox_id INTEGER NOT NULL REFERENCES outbox(id), address TEXT NOT NULL,
  role TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', code INTEGER, error TEXT,
  auto_at INTEGER, PRIMARY KEY(outbox_id, address));
INSERT INTO r9 SELECT outbox_id, address, role, status, code, error, auto_at
  FROM outbox_recipients ORDER BY outbox_id, pos;
DROP TABLE outbox_recipients;
ALTER TABLE r9 RENAME TO outbox_recipients;
CREATE INDEX outbox_recipients_auto ON outbox_recipients(address, auto_at)
  WHERE auto_at IS NOT NULL;
DROP INDEX tickets_open_by_requester;
CREATE INDEX tickets_by_requester ON tickets(requester_address, state);
PRAGMA user_version = 9;
)sql";

// Runs `sql` on the store at `path` on a connection of its own (the
// migration tests turn a store back into an older schema with it).
::testing::AssertionResult run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  const std::string error = sqlite3_errmsg(db);
  sqlite3_close(db);
  if (rc != SQLITE_OK) return ::testing::AssertionFailure() << error << " in: " << sql;
  return ::testing::AssertionSuccess();
}

// Schema 12's event log back into schema 11's table (each event a row, in
// order).
constexpr const char* kBackTo11 = R"sql(
DROP VIEW events;
INSERT INTO events_before_12(ticket_id, at, kind, actor, detail, message_row)
  SELECT l.ticket_id, l.at, e.value ->> 0, l.actor, e.value ->> 1, l.message_row
  FROM event_log l, json_each(l.items) e ORDER BY l.id, e.key;
DROP TABLE event_log;
ALTER TABLE events_before_12 RENAME TO events;
PRAGMA user_version = 11;
)sql";

// Schema 13 back into 12: the raw mail's hash a UNIQUE key of raw_mail
// again (the table copied, as SQLite makes one), no raw_unkeyed.
constexpr const char* kBackTo12 = R"sql(
CREATE TABLE raw_mail_v12(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL, truncated INTEGER NOT NULL DEFAULT 0, received_at INTEGER NOT NULL,
  data BLOB NOT NULL);
INSERT INTO raw_mail_v12 SELECT id, sha256, size, truncated, received_at, data FROM raw_mail;
DROP TABLE raw_mail;
ALTER TABLE raw_mail_v12 RENAME TO raw_mail;
DROP TABLE raw_unkeyed;
PRAGMA user_version = 12;
)sql";

// Schema 14 back into 13: the references of the rows a mail writes checked
// by SQLite again (each column's text as schema 13 had it).
constexpr const char* kBackTo13 = R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_master SET sql = replace(replace(sql,
  'ticket_id INTEGER NOT NULL,', 'ticket_id INTEGER NOT NULL REFERENCES tickets(id),'),
  'raw_id INTEGER,', 'raw_id INTEGER REFERENCES raw_mail(id),')
  WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_master SET sql = replace(replace(sql,
  'ticket_id INTEGER,', 'ticket_id INTEGER REFERENCES tickets(id),'),
  'source_message INTEGER,', 'source_message INTEGER REFERENCES messages(id),')
  WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_master SET sql = replace(sql,
  'outbox_id INTEGER NOT NULL,', 'outbox_id INTEGER NOT NULL REFERENCES outbox(id),')
  WHERE type = 'table' AND name = 'outbox_recipients';
UPDATE sqlite_master SET sql = replace(sql,
  'ticket_id INTEGER NOT NULL,', 'ticket_id INTEGER NOT NULL REFERENCES tickets(id),')
  WHERE type = 'table' AND name IN ('participants', 'agent_tokens');
PRAGMA writable_schema=OFF;
PRAGMA user_version = 13;
)sql";

// Turns the store at `path` back into schema 15: each raw mail's bytes from
// the raw spool back into its row, the spool's columns dropped and its
// directory removed.
::testing::AssertionResult back_to_schema_15(const std::string& path) {
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>> rows;
  {
    store::Store s(path, 100);
    auto st = s.db().prepare(
        "SELECT id, spool_segment, spool_offset, spool_size FROM raw_mail "
        "WHERE spool_segment IS NOT NULL");
    while (st.step()) rows.emplace_back(st.i64(0), st.i64(1), st.i64(2), st.i64(3));
    for (const auto& [id, seg, off, size] : rows) {
      const std::string bytes = s.raw_spool()->read({seg, off}, size);
      auto up = s.db().prepare("UPDATE raw_mail SET data = ?2 WHERE id = ?1");
      up.bind(1, id).bind_blob(2, bytes);
      up.run();
    }
  }
  fs::remove_all(path + "-raw");
  return run_sql(path,
                 "ALTER TABLE raw_mail DROP COLUMN spool_segment;"
                 "ALTER TABLE raw_mail DROP COLUMN spool_offset;"
                 "ALTER TABLE raw_mail DROP COLUMN spool_size; PRAGMA user_version = 15;");
}

// Turns the store at `path` back into schema 13 (and kBackTo13).
::testing::AssertionResult back_to_schema_13(const std::string& path) {
  auto back = back_to_schema_15(path);
  return back ? run_sql(path, kBackTo13) : back;
}

// Turns the store at `path` back into schema 12 (and kBackTo12).
::testing::AssertionResult back_to_schema_12(const std::string& path) {
  auto back = back_to_schema_13(path);
  return back ? run_sql(path, kBackTo12) : back;
}

// Turns the store at `path` back into schema 11 (and kBackTo11).
::testing::AssertionResult back_to_schema_11(const std::string& path) {
  auto back = back_to_schema_12(path);
  return back ? run_sql(path, kBackTo11) : back;
}

// Turns the store at `path` back into schema 9 (and kBackTo9).
::testing::AssertionResult back_to_schema_9(const std::string& path) {
  auto back = back_to_schema_11(path);
  return back ? run_sql(path, kBackTo9) : back;
}

std::string one_value(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// Numbers are looked up by their sequence (no NOCASE index on number, schema
// 8); a prefix may end in digits, and case does not matter.
TEST(TicketNumbers, SequenceCandidatesAreTheSuffixesOfTheTrailingDigits) {
  using store::ticket_seq_candidates;
  EXPECT_EQ(ticket_seq_candidates("TD-1001"), (std::vector<std::int64_t>{1001, 1}));
  EXPECT_EQ(ticket_seq_candidates("T26-1001"), (std::vector<std::int64_t>{1001, 1}));
  EXPECT_EQ(ticket_seq_candidates("T261001"), (std::vector<std::int64_t>{261001, 61001, 1001, 1}));
  EXPECT_EQ(ticket_seq_candidates("TD-0105"), (std::vector<std::int64_t>{105, 5}));
  EXPECT_TRUE(ticket_seq_candidates("TD-").empty());
  EXPECT_TRUE(ticket_seq_candidates("").empty());
  // No overflow: a sequence has at most 18 digits.
  const auto big = ticket_seq_candidates("TD-99999999999999999999999");
  ASSERT_FALSE(big.empty());
  EXPECT_EQ(big.front(), 999'999'999'999'999'999);
}

TEST_F(Ingest, TicketNumbersAreFoundWhateverTheCaseAndPrefix) {
  config_.tickets.prefix = "Tk26";
  const auto first = ingest(Mail{}.bytes());
  ASSERT_EQ(first.ticket, "Tk261001");
  ASSERT_TRUE(store_->find_ticket("tK261001"));
  EXPECT_EQ(store_->find_ticket("TK261001")->number, "Tk261001");
  EXPECT_FALSE(store_->find_ticket("Tk2601001"));  // a leading 0 is another number
  EXPECT_FALSE(store_->find_ticket("Tk261002"));
  EXPECT_FALSE(store_->find_ticket("Tk1001"));
  // The subject tag threads with another case, through the same lookup.
  auto reply = ingest(Mail{.subject = "Re: [#TK261001] Locked out",
                           .message_id = "<k2@mail.example>",
                           .body = "Any news?\n"}
                          .bytes());
  EXPECT_EQ(reply.result, daemon::IngestResult::reply);
  EXPECT_EQ(reply.ticket, "Tk261001");
}

// `ticketctl why`: a mail's events, found by its ticket (no index by mail,
// schema 8), including the followed_up event on the closed ticket it follows.
TEST_F(Ingest, WhyFindsAMailsEventsOnItsTicketAndTheTicketItFollowsUp) {
  const auto first = ingest(Mail{}.bytes());
  ASSERT_EQ(first.result, daemon::IngestResult::new_ticket);
  {
    sqlite3* db = nullptr;
    sqlite3_open(config_.store.path.c_str(), &db);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE tickets SET state = 'closed'", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const auto again = ingest(Mail{.subject = "Re: Locked out",
                                 .message_id = "<k2@mail.example>",
                                 .in_reply_to = "<k1@mail.example>",
                                 .body = "It happened again.\n"}
                                .bytes());
  ASSERT_EQ(again.result, daemon::IngestResult::new_ticket);
  ASSERT_NE(again.ticket, first.ticket);
  const auto story = store_->why("k2@mail.example");
  ASSERT_EQ(story.size(), 1u);
  EXPECT_EQ(story[0].ticket, again.ticket);
  std::vector<std::string> kinds;
  for (const auto& e : story[0].events) kinds.push_back(e.kind);
  EXPECT_NE(std::ranges::find(kinds, "created"), kinds.end());
  EXPECT_NE(std::ranges::find(kinds, "followed_up"), kinds.end());
  // The first mail's story has its own events, none of the second's.
  const auto before = store_->why("k1@mail.example");
  ASSERT_EQ(before.size(), 1u);
  for (const auto& e : before[0].events) EXPECT_NE(e.kind, "followed_up");
  EXPECT_FALSE(before[0].events.empty());
  // Each story lists the mail it queued (its acknowledgement and the
  // agent's alert), and only that mail's: both tickets have some.
  for (const auto* st : {&story[0], &before[0]}) {
    std::vector<std::string> queued;
    for (const auto& row : st->queued) {
      EXPECT_EQ(row.source_message, st->message_row);
      queued.push_back(row.kind);
    }
    EXPECT_NE(std::ranges::find(queued, "acknowledgement"), queued.end()) << st->ticket;
    EXPECT_EQ(queued.size(), store_->outbox(store_->find_ticket(st->ticket)->id).size());
  }
}

// The guard's rate count: automatic mail to the address within the window,
// not an agent's answer, not mail before the window (outbox_recipients.auto_at).
TEST_F(Ingest, TheGuardCountsAutomaticMailInTheWindowOnly) {
  auto tx = store_->begin();
  auto queue = [&](const char* kind, std::int64_t at, const char* id) {
    store::OutboxRow row;
    row.kind = kind;
    row.template_name = kind;
    row.message_id = id;
    row.to = {"Karen@Example.com"};
    row.cc = {"boss@example.com"};
    row.created_at = at;
    tx.queue(row);
  };
  queue("acknowledgement", 1000, "a1@x");
  queue("acknowledgement", 2000, "a2@x");
  queue("answer", 2500, "a3@x");
  queue("closure", 3000, "a4@x");
  EXPECT_EQ(tx.history("karen@example.com", 1500).auto_sent_in_window, 2);
  EXPECT_EQ(tx.history("KAREN@example.com", 0).auto_sent_in_window, 3);
  EXPECT_EQ(tx.history("boss@example.com", 2001).auto_sent_in_window, 1);
  EXPECT_EQ(tx.history("nobody@example.com", 0).auto_sent_in_window, 0);
}

// The rate count reads automatic mail grouped by hour (schema 11): a window
// of one hour spans two, a longer one more, and mail of every hour after the
// window's start counts, however far (one seek an hour up to two days, then
// one range); the hour a window starts in counts only from its start.
TEST_F(Ingest, TheGuardCountsAutomaticMailAcrossTheHoursOfTheWindow) {
  auto tx = store_->begin();
  int n = 0;
  auto queue = [&](const char* kind, std::int64_t at) {
    store::OutboxRow row;
    row.kind = kind;
    row.template_name = kind;
    row.message_id = "<h" + std::to_string(++n) + "@x>";
    row.to = {"karen@example.com"};
    row.created_at = at;
    tx.queue(row);
  };
  const std::int64_t h = 3600;
  const std::int64_t t = 1'796'600'000;  // 12:53:20 UTC: mid-hour
  queue("acknowledgement", t - 2 * h);   // before every window below but the longest
  queue("acknowledgement", t - 10);      // the hour before t's
  queue("reminder", t + 5);              // t's hour
  queue("answer", t + 6);                // a person writing: never counted
  queue("closure", t + h + 1);           // the next hour
  queue("agent_alert", t + 3 * h);       // three hours on: only counted by the loop
  queue("rejection", t + 60 * h);        // stamped far ahead: the range past two days
  EXPECT_EQ(tx.history("karen@example.com", t).auto_sent_in_window, 4);
  EXPECT_EQ(tx.history("karen@example.com", t - 10).auto_sent_in_window, 5);
  EXPECT_EQ(tx.history("karen@example.com", t - 9).auto_sent_in_window, 4);
  EXPECT_EQ(tx.history("karen@example.com", t - 3 * h).auto_sent_in_window, 6);
  EXPECT_EQ(tx.history("karen@example.com", t + 2 * h).auto_sent_in_window, 2);
  EXPECT_EQ(tx.history("karen@example.com", t + 61 * h).auto_sent_in_window, 0);
  EXPECT_EQ(tx.history("zoe@example.com", t - 3 * h).auto_sent_in_window, 0);
}

// Schema 12: the events a transaction records one after the other for one
// ticket, mail, actor and time are one event_log row; the `events` view and
// the store's readers give them back one by one, in order, byte for byte
// (JSON escaping: quotes, backslashes, control characters, UTF-8, on both
// sides of the eight-byte steps); a read inside the transaction sees them;
// a transaction rolled back leaves none.
TEST_F(IngestExample, EventsOfATransactionAreOneRowAndReadBackAsTheyWere) {
  ingest(Mail{.subject = "ERP down"}.bytes());
  ingest(Mail{.subject = "printer down", .message_id = "<k2@mail.example>"}.bytes());
  const std::string path = config_.store.path;
  const auto one = store_->find_ticket("TD-1001")->id, two = store_->find_ticket("TD-1002")->id;
  const std::vector<std::string> details = {
      "plain",
      "",
      "rule \"hardware to desktop\": team=desktop",
      "back\\slash at the end\\",
      "12345678\"2345678\\",
      "1234567\"",
      "line one\nline two\r\n\ttabbed \x01\x1f end",
      "UTF-8: Grüße, 日本語, emoji 🎫, and \x7f",
      std::string(40, 'x') + "\"" + std::string(7, 'y') + "\\" + std::string(9, 'z'),
  };
  const auto rows = [&] { return one_value(path, "SELECT COUNT(*) FROM event_log"); };
  const std::string rows_before = rows();
  const std::size_t one_before = store_->events(one).size();
  {
    auto tx = store_->begin();
    for (const auto& d : details) tx.add_event(one, 500, "test", "karen@example.com", d);
    tx.add_event(two, 500, "test", "karen@example.com", "other ticket");
    tx.add_event(one, 500, "test", "karen@example.com", "after the other ticket");
    tx.add_event(one, 501, "test", "karen@example.com", "a second later");
    // Read inside the transaction: written first, so seen.
    EXPECT_EQ(store_->events(one).size(), one_before + details.size() + 2);
    tx.commit();
  }
  EXPECT_EQ(std::stoll(rows()), std::stoll(rows_before) + 4);  // one, two, one, one a second later
  const auto ev = store_->events(one);
  ASSERT_EQ(ev.size(), one_before + details.size() + 2);
  for (std::size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(ev[one_before + i].detail, details[i]) << i;
    EXPECT_EQ(ev[one_before + i].kind, "test");
    EXPECT_EQ(ev[one_before + i].actor, "karen@example.com");
    EXPECT_EQ(ev[one_before + i].at, 500);
  }
  EXPECT_EQ(ev[one_before + details.size()].detail, "after the other ticket");
  EXPECT_EQ(ev.back().detail, "a second later");
  EXPECT_EQ(ev.back().at, 501);
  EXPECT_EQ(store_->events(two).back().detail, "other ticket");
  // The view's ids keep the order across rows, and SQL on it reads the same.
  EXPECT_EQ(one_value(path, "SELECT detail FROM events WHERE ticket_id = " + std::to_string(one) +
                                " ORDER BY id DESC LIMIT 1"),
            "a second later");
  // More than one row holds (64 events): the next row goes on, in order.
  {
    auto tx = store_->begin();
    for (int i = 0; i < 70; ++i)
      tx.add_event(two, 700, "many", "clock", "event " + std::to_string(i));
    tx.commit();
  }
  EXPECT_EQ(std::stoll(rows()), std::stoll(rows_before) + 6);
  const auto many = store_->events(two);
  ASSERT_GE(many.size(), 70u);
  for (int i = 0; i < 70; ++i)
    EXPECT_EQ(many[many.size() - 70 + static_cast<std::size_t>(i)].detail,
              "event " + std::to_string(i));
  {
    auto tx = store_->begin();
    tx.add_event(one, 600, "test", "karen@example.com", "rolled back");
  }
  EXPECT_EQ(store_->events(one).size(), ev.size());
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM events WHERE detail = 'rolled back'"), "0");
}

// Schema 9: the event log's references are not checked by SQLite (the
// other tables' are), its rows are as they were, and a connection opened
// before the migration sees the new table too (schema_version was bumped).
TEST_F(IngestExample, Schema8StoreMigratesItsEventLogWithoutReferenceChecks) {
  ingest(Mail{.subject = "ERP down"}.bytes());
  const std::string path = config_.store.path;
  const std::string events_before = one_value(path, "SELECT COUNT(*) FROM events");
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_9(path));
  sqlite3* old = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &old), SQLITE_OK);
  const char* back_to_8 = R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_master SET sql = replace(replace(sql, 'ticket_id INTEGER,',
  'ticket_id INTEGER REFERENCES tickets(id),'), 'message_row INTEGER)',
  'message_row INTEGER REFERENCES messages(id))') WHERE type = 'table' AND name = 'events';
PRAGMA writable_schema=OFF;
PRAGMA user_version = 8;
)sql";
  ASSERT_EQ(sqlite3_exec(old, back_to_8, nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(old);
  sqlite3_close(old);
  // A connection of an older process, open while the new one migrates.
  ASSERT_EQ(sqlite3_open(path.c_str(), &old), SQLITE_OK);
  const char* orphan =
      "PRAGMA foreign_keys=ON; INSERT INTO events(ticket_id, at, kind, actor, detail) "
      "VALUES(999999, 0, 'test', 'test', 'no such ticket')";
  ASSERT_NE(sqlite3_exec(old, orphan, nullptr, nullptr, nullptr), SQLITE_OK);  // checked at 8
  store_ = std::make_unique<store::Store>(path, 100);
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  // The table of schema 8's events keeps them under its schema 12 name.
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM pragma_foreign_key_list('events_before_12')"),
            "0");
  EXPECT_NE(one_value(path, "SELECT COUNT(*) FROM pragma_foreign_key_list('attachments')"), "0");
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM events"), events_before);
  // The old connection re-reads the schema: the same insert, into that
  // table, is not refused now.
  const char* orphan_now =
      "PRAGMA foreign_keys=ON; INSERT INTO events_before_12(ticket_id, at, kind, actor, detail) "
      "VALUES(999999, 0, 'test', 'test', 'no such ticket')";
  EXPECT_EQ(sqlite3_exec(old, orphan_now, nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(old);
  EXPECT_EQ(sqlite3_exec(old, "DELETE FROM events_before_12 WHERE ticket_id = 999999", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(old);
  ingestor_ =
      std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  ingest(Mail{.subject = "ERP down again", .message_id = "<k2@mail.example>"}.bytes());
  EXPECT_EQ(one_value(path, "SELECT COUNT(DISTINCT ticket_id) FROM events"), "2");
}

// Schema 10: participants, tags, agent tokens and outbox recipients are
// stored in their primary key (WITHOUT ROWID). A store of schema 9 keeps
// every row, and each mail's recipients keep their order (to before cc, as
// written; the rowid gave it before, `pos` now): here the requester sorts
// after her collaborator, so an order by address would show.
TEST_F(IngestExample, Schema9StoreMigratesToTablesWithoutRowid) {
  ingest(Mail{.from = "Zoe Young <zoe@example.com>",
              .cc = "Amy Ames <amy@example.com>",
              .subject = "printer down"}
             .bytes());
  {
    auto tx = store_->begin();
    store::OutboxRow row;
    row.kind = row.template_name = "answer";
    row.message_id = "<answer-1@example.com>";
    row.to = {"zoe@example.com", "bob@example.com"};
    row.cc = {"amy@example.com"};
    row.created_at = now_;
    tx.queue(row);
    tx.commit();
  }
  const std::string path = config_.store.path;
  const std::string answer = "(SELECT id FROM outbox WHERE message_id = '<answer-1@example.com>')";
  auto counts = [&] {
    return one_value(path,
                     "SELECT (SELECT COUNT(*) FROM participants) || '/' || "
                     "(SELECT COUNT(*) FROM ticket_tags) || '/' || "
                     "(SELECT COUNT(*) FROM agent_tokens) || '/' || "
                     "(SELECT COUNT(*) FROM outbox_recipients)");
  };
  const std::string before = counts();
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_9(path));
  const std::string in_rowid_order =
      one_value(path,
                "SELECT group_concat(address, ' ') FROM (SELECT address FROM outbox_recipients "
                "WHERE outbox_id = " +
                    answer + " ORDER BY rowid)");
  EXPECT_EQ(in_rowid_order, "zoe@example.com bob@example.com amy@example.com");
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%WITHOUT ROWID%'"),
            "1");  // open_by_assignee only
  // The upgrade is announced before it starts and when it is done (ticketd
  // logs both: on a big store it holds the write lock for a while).
  static std::vector<std::string> notices;
  notices.clear();
  store::set_migration_notice([](std::int64_t from, std::int64_t to, double seconds, bool done) {
    notices.push_back(std::to_string(from) + "->" + std::to_string(to) +
                      (done ? (seconds >= 0 ? " done" : " bad time") : " start"));
  });
  store_ = std::make_unique<store::Store>(path, 100);
  const std::string to = std::to_string(store::kSchemaVersion);
  EXPECT_EQ(notices, (std::vector<std::string>{"9->" + to + " start", "9->" + to + " done"}));
  notices.clear();
  store::Store again(path, 100);                          // nothing left to upgrade
  store::Store fresh((dir_ / "fresh.db").string(), 100);  // created, not upgraded
  EXPECT_TRUE(notices.empty());
  store::set_migration_notice(nullptr);
  ingestor_ =
      std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(one_value(path,
                      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE "
                      "sql LIKE '%WITHOUT ROWID%' ORDER BY name)"),
            "agent_tokens open_by_assignee outbox_recipients participants raw_unkeyed ticket_tags");
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one_value(path, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(counts(), before);
  EXPECT_EQ(one_value(path,
                      "SELECT group_concat(address, ' ') FROM (SELECT address FROM "
                      "outbox_recipients WHERE outbox_id = " +
                          answer + " ORDER BY pos)"),
            in_rowid_order);
  // The outbox reads them in that order, and new mail is stored as before.
  const auto rows = store_->due_outbox(now_ + 1, 10);
  const auto it = std::ranges::find_if(
      rows, [](const store::OutboxRow& r) { return r.message_id == "<answer-1@example.com>"; });
  ASSERT_NE(it, rows.end());
  EXPECT_EQ(it->to, (std::vector<std::string>{"zoe@example.com", "bob@example.com"}));
  EXPECT_EQ(it->cc, (std::vector<std::string>{"amy@example.com"}));
  ingest(Mail{.from = "Zoe Young <zoe@example.com>",
              .subject = "scanner down",
              .message_id = "<z2@mail.example>"}
             .bytes());
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM tickets"), "2");
}

// Schema 11: the guard's counts move to indexes of open tickets and of
// automatic mail by hour; a store of schema 10 gets them, the counts are
// the same before and after, and the guard's statement reads them (its
// plan names them: were it to scan or read the old kind of index, the cost
// a mail would grow with the store again).
TEST_F(IngestExample, Schema10StoreMigratesTheGuardsIndexes) {
  ingest(Mail{.subject = "ERP down"}.bytes());
  ingest(Mail{.subject = "printer down", .message_id = "<k2@mail.example>"}.bytes());
  const std::string path = config_.store.path;
  auto guard_view = [&] {
    auto tx = store_->begin();
    const auto h = tx.history("karen@example.com", now_ - 3600);
    return std::to_string(h.auto_sent_in_window) + "/" + std::to_string(h.open_tickets);
  };
  const std::string before = guard_view();
  EXPECT_EQ(before, "2/2");  // two acknowledgements, two open tickets
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_11(path));
  ASSERT_TRUE(run_sql(path, R"sql(
DROP INDEX tickets_open_by_requester;
CREATE INDEX tickets_by_requester ON tickets(requester_address, state);
DROP INDEX outbox_recipients_auto_hourly;
CREATE INDEX outbox_recipients_auto ON outbox_recipients(address, auto_at)
  WHERE auto_at IS NOT NULL;
PRAGMA user_version = 10;
)sql"));
  reopen();
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(one_value(path,
                      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE "
                      "name LIKE 'tickets_%requester' OR name LIKE 'outbox_recipients_auto%' "
                      "ORDER BY name)"),
            "outbox_recipients_auto_hourly tickets_open_by_requester");
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(guard_view(), before);
  std::string plan;
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db,
                  "EXPLAIN QUERY PLAN "
                  "SELECT (SELECT COUNT(*) FROM outbox_recipients WHERE auto_at / 3600 = ?3 "
                  "AND address = ?1 AND auto_at >= ?2), "
                  "(SELECT COUNT(*) FROM tickets WHERE requester_address = ?1 AND state = 'open'), "
                  "(SELECT MAX(auto_at / 3600) FROM outbox_recipients WHERE auto_at IS NOT NULL)",
                  -1, &st, nullptr),
              SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
      plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + " | ";
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  EXPECT_NE(plan.find("COVERING INDEX outbox_recipients_auto_hourly (<expr>=? AND address=?"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("COVERING INDEX tickets_open_by_requester (requester_address=? AND state=?)"),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("SCAN"), plan.rfind("SCAN CONSTANT ROW")) << plan;  // no table scanned
  // A ticket that is closed leaves the open index; new mail goes on counting.
  EXPECT_NE(one_value(path,
                      "UPDATE tickets SET state = 'closed' WHERE number = 'TD-1001' "
                      "RETURNING id"),
            "");
  EXPECT_EQ(guard_view(), "2/1");
  ingest(Mail{.subject = "scanner down", .message_id = "<k3@mail.example>"}.bytes());
  EXPECT_EQ(guard_view(), "3/2");
}

// A store of schema 7 is migrated: rows written before get auto_at when
// their mail was automatic, the assignee counts go on without the insert
// trigger, and the dropped indexes are gone.
TEST_F(IngestExample, Schema7StoreMigratesItsRateCountsAndAssigneeCounts) {
  ingest(Mail{.subject = "ERP down"}.bytes());
  const std::string path = config_.store.path;
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_9(path));
  ASSERT_TRUE(run_sql(path, R"sql(
DROP INDEX outbox_recipients_auto;
ALTER TABLE outbox_recipients DROP COLUMN auto_at;
CREATE INDEX outbox_recipients_by_address ON outbox_recipients(address);
CREATE INDEX events_by_message ON events(message_row);
CREATE INDEX tickets_by_number_nocase ON tickets(number COLLATE NOCASE);
CREATE TRIGGER tickets_open_insert AFTER INSERT ON tickets
  WHEN NEW.assignee <> '' AND NEW.state IN ('new','open','pending') BEGIN
  INSERT INTO open_by_assignee(assignee, open) VALUES(NEW.assignee, 1)
    ON CONFLICT(assignee) DO UPDATE SET open = open + 1;
END;
PRAGMA user_version = 7;
)sql"));
  reopen();
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(one_value(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                      "('outbox_recipients_by_address', 'events_by_message', "
                      "'tickets_by_number_nocase', 'tickets_open_insert')"),
            "0");
  // The acknowledgement and the agent's alert are automatic: both rows got
  // their time; the guard counts the acknowledgement to Karen.
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM outbox_recipients WHERE auto_at IS NOT NULL"),
            one_value(path, "SELECT COUNT(*) FROM outbox_recipients"));
  {
    auto tx = store_->begin();
    EXPECT_EQ(tx.history("karen@example.com", 0).auto_sent_in_window, 1);
  }
  EXPECT_EQ(open_of("nick.moss@example.com"), 1);
  ingest(Mail{.subject = "ERP down again", .message_id = "<k2@mail.example>"}.bytes());
  EXPECT_EQ(open_of("nick.moss@example.com"), 2);  // counted once: no trigger left to double it
  {
    auto tx = store_->begin();
    EXPECT_EQ(tx.history("karen@example.com", 0).auto_sent_in_window, 2);
  }
}

// Schema 13: the raw mail's hash is no longer a UNIQUE key. Every mail of
// an older store stays found by its hash (raw_unkeyed holds them all), the
// index is gone (its pages freed, the file consistent), and what comes
// after is keyed as a new store keys it.
TEST_F(IngestExample, Schema12StoreMigratesItsRawHashes) {
  const std::string named = Mail{}.bytes();
  const std::string unnamed = Mail{.subject = "ERP down", .message_id = ""}.bytes();
  const std::string junk = Mail{.from = "undisclosed", .message_id = "<q1@mail.example>"}.bytes();
  EXPECT_EQ(ingest(named).result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(ingest(unnamed).result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(ingest(junk).result, daemon::IngestResult::quarantined);
  const std::string path = config_.store.path;
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_12(path));
  EXPECT_EQ(one_value(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'raw_mail' "
                      "AND type = 'index'"),
            "1");  // the UNIQUE constraint's
  reopen();
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one_value(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'raw_mail' "
                      "AND type = 'index'"),
            "0");
  EXPECT_EQ(one_value(path,
                      "SELECT instr(sql, 'UNIQUE') FROM sqlite_master "
                      "WHERE name = 'raw_mail'"),
            "0");
  EXPECT_NE(one_value(path, "PRAGMA freelist_count"), "0");  // the index's pages
  EXPECT_EQ(one_value(path,
                      "SELECT COUNT(*) FROM raw_unkeyed u JOIN raw_mail r "
                      "ON r.id = u.raw_id AND r.sha256 = u.sha256"),
            "3");
  for (const auto* raw : {&named, &unnamed, &junk}) {
    const auto again = ingest(*raw);
    EXPECT_EQ(again.result, daemon::IngestResult::duplicate);
    EXPECT_NE(again.detail.find("same raw mail"), std::string::npos) << again.detail;
  }
  // A new mail with a Message-ID is found by it, not keyed by hash.
  const std::string later = Mail{.subject = "VPN down", .message_id = "<k9@mail.example>"}.bytes();
  EXPECT_EQ(ingest(later).result, daemon::IngestResult::new_ticket);
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM raw_unkeyed"), "3");  // a duplicate keeps no raw
  EXPECT_EQ(ingest(later).result, daemon::IngestResult::duplicate);
}

// Migration 13 edits raw_mail's text and its automatic index together; a
// store whose table reads otherwise is refused (rolled back), never half
// edited into one SQLite calls malformed.
TEST_F(IngestExample, Schema12StoreWithAnotherRawMailTextIsRefusedIntact) {
  ingest(Mail{}.bytes());
  const std::string path = config_.store.path;
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_13(path));
  std::string other = kBackTo12;
  const std::string from = "sha256 TEXT NOT NULL UNIQUE", to = "sha256 TEXT UNIQUE NOT NULL";
  other.replace(other.find(from), from.size(), to);
  ASSERT_TRUE(run_sql(path, other.c_str()));
  try {
    reopen();
    ADD_FAILURE() << "migrated a raw_mail it does not know";
  } catch (const store::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot migrate to schema 13"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(one_value(path, "PRAGMA user_version"), "12");
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM raw_mail"), "1");
  EXPECT_EQ(one_value(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'raw_unkeyed'"), "0");
}

}  // namespace

// Schema 14: the rows a mail writes beside its ticket and mail (messages,
// outbox rows and their recipients, participants, agent tokens) are no
// longer checked by SQLite for their parent; the rare ones still are. A
// store of schema 13 keeps every row, and a connection opened before the
// migration reads the new schema (schema_version was bumped).
TEST_F(IngestExample, Schema13StoreMigratesWithoutTheMailRowsReferenceChecks) {
  const auto first = ingest(Mail{.cc = "Amy Ames <amy@example.com>"}.bytes());
  ASSERT_EQ(first.result, daemon::IngestResult::new_ticket);
  ingest(Mail{.subject = "Re: " + Mail{}.subject,
              .message_id = "<k2@mail.example>",
              .in_reply_to = "<k1@mail.example>"}
             .bytes());
  const std::string path = config_.store.path;
  const std::string tables[] = {"messages", "outbox", "outbox_recipients", "participants",
                                "agent_tokens"};
  auto rows = [&] {
    std::string out;
    for (const auto& t : tables) out += one_value(path, "SELECT COUNT(*) FROM " + t) + " ";
    return out;
  };
  auto references = [&] {
    std::string sum = "SELECT 0";
    for (const auto& t : tables)
      sum += " + (SELECT COUNT(*) FROM pragma_foreign_key_list('" + t + "'))";
    return one_value(path, sum);
  };
  const std::string before = rows();
  EXPECT_EQ(references(), "0");
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_13(path));
  ASSERT_EQ(references(), "7");  // schema 13's: messages 2, outbox 2, the other three 1 each
  sqlite3* old = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &old), SQLITE_OK);
  const char* orphan =
      "PRAGMA foreign_keys=ON; INSERT INTO participants(ticket_id, address, name, role) "
      "VALUES(999999, 'x@example.com', 'X', 'collaborator')";
  ASSERT_NE(sqlite3_exec(old, orphan, nullptr, nullptr, nullptr), SQLITE_OK);  // checked at 13
  reopen();
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  EXPECT_EQ(references(), "0");
  for (const char* kept : {"attachments", "ticket_tags", "quarantine", "tickets"})
    EXPECT_EQ(one_value(path, std::string("SELECT COUNT(*) FROM pragma_foreign_key_list('") + kept +
                                  "')"),
              "1")
        << kept;
  EXPECT_EQ(one_value(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one_value(path, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(rows(), before);
  // The old connection read the schema again: the same insert is not refused now.
  EXPECT_EQ(sqlite3_exec(old, orphan, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(old);
  EXPECT_EQ(sqlite3_exec(old, "DELETE FROM participants WHERE ticket_id = 999999", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(old);
  const auto later = ingest(Mail{.subject = "VPN down", .message_id = "<k3@mail.example>"}.bytes());
  EXPECT_EQ(later.result, daemon::IngestResult::new_ticket);
  EXPECT_NE(later.ticket, first.ticket);
}

// Round-robin through the store: each new ticket of the team goes to the
// member after the last one, which the store keeps (written only when it
// changes) and reads back for the next.
TEST_F(IngestExample, RoundRobinTakesTurnsThroughTheStore) {
  for (auto& team : config_.directory.teams)
    if (team.name == "desktop") team.mode = lifecycle::AssignMode::round_robin;
  ingestor_ =
      std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  std::vector<std::string> assignees;
  for (int i = 0; i < 5; ++i) {
    auto out = ingest(Mail{.from = "user" + std::to_string(i) + "@example.com",
                           .subject = "Broken laptop " + std::to_string(i),
                           .message_id = "<rr" + std::to_string(i) + "@mail.example>",
                           .body = "My laptop does not start.\n"}
                          .bytes());
    ASSERT_EQ(out.result, daemon::IngestResult::new_ticket);
    auto t = store_->find_ticket(out.ticket);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->team, "desktop");
    assignees.push_back(t->assignee);
  }
  EXPECT_EQ(assignees, (std::vector<std::string>{"nick.moss@example.com", "priya.shah@example.com",
                                                 "nick.moss@example.com", "priya.shah@example.com",
                                                 "nick.moss@example.com"}));
  EXPECT_EQ(
      one_value(config_.store.path, "SELECT last_agent FROM assignment WHERE team = 'desktop'"),
      "nick.moss@example.com");
  EXPECT_EQ(one_value(config_.store.path, "SELECT COUNT(*) FROM assignment"), "1");
}

namespace {

// A spool that cannot be written is an error that names the path and that
// a retry may cure (the mail stays with the sender: exit 75, not moved).
TEST(RawSpool, AnUnwritableSpoolIsATemporaryErrorNamingIt) {
  const fs::path dir =
      fs::temp_directory_path() / ("ticketd-spool-bad-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "file") << "not a directory"; }
  store::RawSpool spool((dir / "file" / "s-raw").string());
  try {
    spool.append("From: a@example.com\n\nhi\n");
    ADD_FAILURE() << "appended under a file";
  } catch (const store::Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "file" / "s-raw").string()), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("Not a directory"), std::string::npos) << e.what();
    EXPECT_TRUE(e.temporary());
  }
  spool.sync();  // nothing appended: nothing to sync, no error
  fs::remove_all(dir);
}

// A store of schema 15 keeps its raw mail in its rows: migrated, those read
// as before and find their duplicates; new mail goes to the spool.
TEST_F(Ingest, Schema15StoreKeepsItsRawMailInItsRowsAndSpoolsNewMail) {
  const std::string old_mail = Mail{}.bytes();
  ASSERT_EQ(ingest(old_mail).result, daemon::IngestResult::new_ticket);
  ingestor_.reset();
  store_.reset();
  ASSERT_TRUE(back_to_schema_15(config_.store.path));
  ASSERT_FALSE(fs::exists(config_.store.path + "-raw"));
  store_ = std::make_unique<store::Store>(config_.store.path, 100);
  ingestor_ =
      std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(store_->pragma("user_version"), std::to_string(store::kSchemaVersion));
  auto first = store_->db().prepare("SELECT id, length(data), spool_segment FROM raw_mail");
  ASSERT_TRUE(first.step());
  const std::int64_t id = first.i64(0);
  EXPECT_EQ(first.i64(1), static_cast<std::int64_t>(old_mail.size()));
  EXPECT_TRUE(first.is_null(2));
  first.reset();
  EXPECT_EQ(store_->raw_bytes(id)->bytes, old_mail);
  EXPECT_EQ(ingest(old_mail).result, daemon::IngestResult::duplicate);
  const std::string new_mail = Mail{.subject = "VPN", .message_id = "<v1@mail.example>"}.bytes();
  ASSERT_EQ(ingest(new_mail).result, daemon::IngestResult::new_ticket);
  auto second = store_->db().prepare("SELECT id, spool_segment FROM raw_mail WHERE id <> ?1");
  second.bind(1, id);
  ASSERT_TRUE(second.step());
  EXPECT_EQ(second.i64(1), 1);
  const std::int64_t id2 = second.i64(0);
  second.reset();
  EXPECT_EQ(store_->raw_bytes(id2)->bytes, new_mail);
}

}  // namespace
