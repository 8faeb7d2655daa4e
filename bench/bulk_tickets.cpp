// bulk_tickets: fills a ticketd store with N existing tickets for bench/growth
// — the rows a help desk accumulates over years, written directly with
// SQLite in big transactions through the real schema (store::Store creates
// or migrates it, so every index and trigger the daemon has is there and
// maintained). Per ticket: its first mail (raw bytes, message, attachment
// row now and then), the agent's answer, sometimes a customer reply, the
// requester and the agent as participants, an agent token, tags, events,
// and the acknowledgement and the answer in the outbox (sent) with their
// recipients. Most tickets are closed, as in a desk that has run for years;
// a few hundred are still being worked.
//
//   bulk_tickets DB COUNT [--prefix TD-] [--first-number 1000] [--seed N]
//
// Numbers continue after the store's highest ticket. Not for production
// stores: it writes with synchronous=OFF and prints the rate.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace {

using ticketd::store::Db;
using ticketd::store::Stmt;

struct Options {
  std::string db;
  std::int64_t count = 0;
  std::string prefix = "TD-";
  std::int64_t first_number = 1000;
  std::uint64_t seed = 1;
};

constexpr const char* kAgents[] = {"nick.moss@example.com", "priya.shah@example.com"};
constexpr const char* kAgentNames[] = {"Nick Moss", "Priya Shah"};
constexpr const char* kTeams[] = {"it", "desktop", "accounts"};
constexpr const char* kWords[] = {
    "printer", "laptop", "password", "login",   "vpn",    "outlook", "invoice", "account",
    "screen",  "camera", "monitor",  "network", "wifi",   "server",  "backup",  "update",
    "license", "report", "meeting",  "phone",   "please", "help",    "cannot",  "error",
    "again",   "today",  "after",    "since",   "the",    "is",      "not",     "working"};
constexpr const char* kFirst[] = {"karen", "cliff", "alex",  "maria", "tom", "anna", "jonas", "li",
                                  "priya", "omar",  "sofia", "ben",   "eva", "raj",  "nina"};
constexpr const char* kLast[] = {"jones", "tucker", "kamal", "lopez",  "berger", "smith",
                                 "meyer", "chen",   "shah",  "haddad", "rossi",  "ng"};

// splitmix64's finaliser: a sender number to well-spread bits.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string hex_of(std::uint64_t v, int chars) {
  static constexpr char d[] = "0123456789abcdef";
  std::string s(static_cast<std::size_t>(chars), '0');
  for (int i = chars - 1; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = d[v & 15];
  return s;
}

constexpr const char* kDomains[] = {"example.org", "example.net", "customer.test", "acme.test",
                                    "contoso.test"};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t next() { return rng_(); }
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(rng_() % n); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::string hex(int chars) {
    static constexpr char d[] = "0123456789abcdef";
    std::string s(chars, '0');
    for (char& c : s) c = d[rng_() & 15];
    return s;
  }
  std::string base32(int chars) {
    static constexpr char d[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string s(chars, 'a');
    for (char& c : s) c = d[rng_() & 31];
    return s;
  }
  std::string words(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += kWords[rng_() % std::size(kWords)];
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string_view> pos;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bulk_tickets: %s needs a value\n", argv[i]);
        std::exit(64);
      }
      return argv[++i];
    };
    if (a == "--help") {
      std::puts("usage: bulk_tickets DB COUNT [--prefix TD-] [--first-number 1000] [--seed N]");
      std::exit(0);
    }
    if (a == "--version") {
      std::puts("bulk_tickets " TICKETD_VERSION);
      std::exit(0);
    }
    if (a == "--prefix")
      o.prefix = value();
    else if (a == "--first-number")
      o.first_number = std::stoll(value());
    else if (a == "--seed")
      o.seed = std::stoull(value());
    else
      pos.push_back(a);
  }
  if (pos.size() != 2) {
    std::fprintf(stderr,
                 "usage: bulk_tickets DB COUNT [--prefix TD-] [--first-number 1000] [--seed N]\n");
    std::exit(64);
  }
  o.db = pos[0];
  o.count = std::stoll(std::string(pos[1]));
  return o;
}

std::int64_t scalar(Db& db, const char* sql) {
  auto st = db.prepare(sql);
  return st.step() ? st.i64(0) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const auto t0 = std::chrono::steady_clock::now();
  ticketd::store::Store store(o.db, 5000);  // creates or migrates the real schema
  Db& db = store.db();
  // A generator, not the daemon: durability off, a large page cache so the
  // random-key indexes (hashes, tokens, Message-IDs) stay in memory.
  // No journal while generating (pages are written once, not to the WAL and
  // again by the checkpoint); back to WAL at the end, as the daemon wants it.
  db.exec("PRAGMA journal_mode=DELETE");
  db.exec("PRAGMA journal_mode=OFF");
  db.exec("PRAGMA locking_mode=EXCLUSIVE");
  db.exec("PRAGMA synchronous=OFF");
  db.exec("PRAGMA cache_size=-262144");
  db.exec("PRAGMA foreign_keys=OFF");

  // The explicit indexes are dropped and built again at the end (CREATE
  // INDEX sorts once; inserting a million random keys row by row is several
  // times slower). The UNIQUE/PRIMARY KEY ones stay and are filled as we go.
  std::vector<std::string> indexes;
  {
    auto st =
        db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
    std::vector<std::string> names;
    while (st.step()) {
      names.push_back(st.text(0));
      indexes.push_back(st.text(1));
    }
    for (const auto& n : names) db.exec(("DROP INDEX " + n).c_str());
  }

  const std::int64_t first_seq =
      std::max(scalar(db, "SELECT MAX(seq) FROM tickets"), o.first_number);
  Gen g(o.seed * 1000003 + static_cast<std::uint64_t>(first_seq));  // a second run: new keys
  const std::int64_t now = 1'760'000'000;
  const std::int64_t span = 3LL * 365 * 86400;  // three years of tickets
  const std::int64_t senders = std::max<std::int64_t>(1, o.count / 3);
  const std::int64_t live_from = o.count - std::min<std::int64_t>(o.count, 300);

  auto raw = db.prepare(
      "INSERT INTO raw_mail(sha256, size, truncated, received_at, data) VALUES(?1,?2,0,?3,?4)");
  auto ticket = db.prepare(
      "INSERT INTO tickets(seq, number, token, subject, state, requester_name, requester_address, "
      "created_at, updated_at, priority, team, assignee, state_since, first_response_at) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?9,?13)");
  auto part = db.prepare(
      "INSERT OR IGNORE INTO participants(ticket_id, address, name, role) VALUES(?1,?2,?3,?4)");
  auto msg = db.prepare(
      "INSERT INTO messages(ticket_id, raw_id, message_id, content_hash, direction, kind, "
      "from_name, from_address, subject, sent_at, at, text, new_text) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10,?11,?11)");
  auto att = db.prepare(
      "INSERT INTO attachments(message_row, filename, content_type, size, content_id, inline, "
      "sha256) VALUES(?1,?2,'application/pdf',?3,'',0,?4)");
  // One event_log row an event (the daemon writes the events of one mail's
  // transaction as one row; schema 12's `events` view reads both alike).
  auto ev = db.prepare(
      "INSERT INTO event_log(ticket_id, at, actor, message_row, items) "
      "VALUES(?1,?2,?4,?6,json_array(json_array(?3,?5)))");
  auto out = db.prepare(
      "INSERT INTO outbox(ticket_id, kind, template, message_id, in_reply_to, detail, "
      "source_message, state, attempts, created_at, sent_at, updated_at) "
      "VALUES(?1,?2,?2,?3,?4,'',?5,'sent',1,?6,?6,?6)");
  // auto_at: the time of an automatic mail (the guard's rate count, schema 8).
  auto rcpt = db.prepare(
      "INSERT OR IGNORE INTO outbox_recipients(outbox_id, address, role, status, code, auto_at) "
      "VALUES(?1,?2,'to','sent',250,?3)");
  auto token = db.prepare("INSERT INTO agent_tokens(token, ticket_id, agent) VALUES(?1,?2,?3)");
  auto tag = db.prepare("INSERT OR IGNORE INTO ticket_tags(ticket_id, tag) VALUES(?1,?2)");

  auto event = [&](std::int64_t t, std::int64_t at, const char* kind, const std::string& actor,
                   const std::string& detail, std::int64_t row) {
    ev.reset();
    ev.bind(1, t).bind(2, at).bind(3, kind).bind(4, actor).bind(5, detail);
    row ? ev.bind(6, row) : ev.bind_null(6);
    ev.run();
  };
  auto queue = [&](std::int64_t t, const char* kind, const std::string& id, const std::string& irt,
                   std::int64_t source, std::int64_t at, const std::string& to) {
    out.reset();
    out.bind(1, t).bind(2, kind).bind(3, id).bind(4, irt).bind(5, source).bind(6, at);
    out.run();
    const std::int64_t oid = db.last_insert_id();
    rcpt.reset();
    rcpt.bind(1, oid).bind(2, to);
    if (std::string_view(kind) == "answer")
      rcpt.bind_null(3);
    else
      rcpt.bind(3, at);
    rcpt.run();
  };

  constexpr std::int64_t kPerTx = 20000;
  db.exec("BEGIN");
  for (std::int64_t i = 0; i < o.count; ++i) {
    if (i > 0 && i % kPerTx == 0) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
    const std::int64_t seq = first_seq + 1 + i;
    const std::string number = o.prefix + std::to_string(seq);
    const std::int64_t created = now - span + span * i / std::max<std::int64_t>(o.count, 1);
    const std::int64_t s = g.below(senders);
    const std::string domain = kDomains[s % std::size(kDomains)];
    // A sender's address and name follow from its number: first.last.<hex>,
    // the hex from a hash, so that senders are spread over the address
    // indexes as real ones are and a new sender's entry lands among them
    // ("customer<n>" kept every old sender apart from the new ones, and
    // indexes keyed by address looked cheaper in a big store than they are).
    const std::uint64_t h = mix(static_cast<std::uint64_t>(s));
    const std::string first = kFirst[h % std::size(kFirst)];
    const std::string last = kLast[(h >> 8) % std::size(kLast)];
    const std::string sender = first + "." + last + "." + hex_of(h >> 16, 8) + "@" + domain;
    std::string name = first + " " + last;
    name[0] = static_cast<char>(name[0] - 32);
    name[first.size() + 1] = static_cast<char>(name[first.size() + 1] - 32);
    const std::string subject = g.words(3 + static_cast<int>(g.below(5)));
    const int a = static_cast<int>(g.below(2));
    const std::string agent = kAgents[a];
    const std::string mid = g.hex(16) + "@" + domain;
    const std::string body = g.words(20 + static_cast<int>(g.below(60)));
    const std::string mail = "From: " + name + " <" + sender + ">\r\nTo: support@example.com\r\n" +
                             "Subject: " + subject + "\r\nMessage-ID: <" + mid +
                             ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body +
                             "\r\n";
    const std::string sha = g.hex(64);
    raw.reset();
    raw.bind(1, sha).bind(2, static_cast<std::int64_t>(mail.size())).bind(3, created);
    raw.bind_blob(4, mail);
    raw.run();
    const std::int64_t raw_id = db.last_insert_id();

    // Live tickets (the last few hundred): new, open or pending; the rest
    // resolved long ago and closed.
    const bool live = i >= live_from;
    const char* state =
        live ? (g.chance(0.5) ? "open" : (g.chance(0.5) ? "new" : "pending")) : "closed";
    const std::int64_t updated = live ? created + 3600 : created + 8 * 86400;
    // The product's shape (daemon::ticket_token): the number's digits, '-', an HMAC.
    const std::string tok = std::to_string(seq) + "-" + g.base32(26);
    ticket.reset();
    ticket.bind(1, seq).bind(2, number).bind(3, tok).bind(4, subject).bind(5, state);
    ticket.bind(6, name).bind(7, sender).bind(8, created).bind(9, updated);
    ticket.bind(10, g.chance(0.1) ? "high" : "normal").bind(11, kTeams[g.below(3)]);
    ticket.bind(12, agent).bind(13, created + 1800);
    ticket.run();
    const std::int64_t t = db.last_insert_id();

    part.reset();
    part.bind(1, t).bind(2, sender).bind(3, name).bind(4, "requester");
    part.run();
    part.reset();
    part.bind(1, t).bind(2, agent).bind(3, kAgentNames[a]).bind(4, "agent");
    part.run();
    const std::string atok = std::to_string(seq) + "-" + g.base32(26);
    token.reset();
    token.bind(1, atok).bind(2, t).bind(3, agent);
    token.run();
    if (g.chance(0.3)) {
      tag.reset();
      tag.bind(1, t).bind(2, g.chance(0.5) ? "hardware" : "login");
      tag.run();
    }

    const std::string chash = g.hex(64);
    msg.reset();
    msg.bind(1, t).bind(2, raw_id).bind(3, mid).bind(4, chash).bind(5, "in").bind(6, "customer");
    msg.bind(7, name).bind(8, sender).bind(9, subject).bind(10, created).bind(11, body);
    msg.run();
    const std::int64_t m1 = db.last_insert_id();
    if (g.chance(0.05)) {
      const std::string fname = "scan-" + std::to_string(i) + ".pdf";
      const std::string asha = g.hex(64);
      att.reset();
      att.bind(1, m1).bind(2, fname).bind(3, 20000 + g.below(200000)).bind(4, asha);
      att.run();
    }
    event(t, created, "created", sender, "ticket " + number + " opened by " + sender, m1);
    const std::string ack_id = number + ".acknowledgement." + g.hex(16) + "@ticketd.example.com";
    queue(t, "acknowledgement", ack_id, mid, m1, created, sender);
    event(t, created, "queued", sender, "acknowledgement <" + ack_id + "> to " + sender, m1);

    // The agent's answer, relayed to the customer.
    const std::string answer_body = g.words(15 + static_cast<int>(g.below(40)));
    const std::string amid = g.hex(16) + "@example.com";
    const std::string re = "Re: " + subject;
    msg.reset();
    const std::string ahash = g.hex(64);
    msg.bind(1, t).bind_null(2).bind(3, amid).bind(4, ahash).bind(5, "in").bind(6, "agent");
    msg.bind(7, kAgentNames[a]).bind(8, agent).bind(9, re);
    msg.bind(10, created + 1800).bind(11, answer_body);
    msg.run();
    const std::int64_t m2 = db.last_insert_id();
    event(t, created + 1800, "message_added", agent, "reply token (agent)", m2);
    const std::string answer_id = number + ".answer." + g.hex(16) + "@ticketd.example.com";
    queue(t, "answer", answer_id, mid, m2, created + 1800, sender);
    if (g.chance(0.4)) {  // the customer writes back
      const std::string rmid = g.hex(16) + "@" + domain;
      const std::string rbody = g.words(10 + static_cast<int>(g.below(30)));
      msg.reset();
      const std::string rhash = g.hex(64);
      msg.bind(1, t).bind_null(2).bind(3, rmid).bind(4, rhash).bind(5, "in");
      msg.bind(6, "customer").bind(7, name).bind(8, sender).bind(9, re);
      msg.bind(10, created + 7200).bind(11, rbody);
      msg.run();
      event(t, created + 7200, "message_added", sender, "In-Reply-To", db.last_insert_id());
    }
    if (!live) event(t, updated, "state", "clock", "closed (resolved, auto-close after 7 days)", 0);
  }
  db.exec("COMMIT");
  for (const auto& sql : indexes) db.exec(sql.c_str());
  // The open tickets per assignee, as create_ticket and the update triggers
  // keep them (schema 8).
  db.exec(
      "DELETE FROM open_by_assignee; INSERT INTO open_by_assignee(assignee, open) "
      "SELECT assignee, COUNT(*) FROM tickets WHERE assignee <> '' AND state IN "
      "('new','open','pending') GROUP BY assignee");
  db.exec("PRAGMA locking_mode=NORMAL");
  db.exec("PRAGMA journal_mode=WAL");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("bulk_tickets: %lld tickets in %.1f s (%.0f tickets/s); store has %lld tickets\n",
              static_cast<long long>(o.count), s, o.count / s,
              static_cast<long long>(scalar(db, "SELECT COUNT(*) FROM tickets")));
  return 0;
}
