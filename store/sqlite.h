// ticketd store: a thin RAII wrapper over the SQLite C API (connection and
// prepared statement). Failures throw store::Error with the SQLite code and
// whether retrying later may help (busy, locked, full, read-only, I/O).
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ticketd::store {

class Error : public std::runtime_error {
 public:
  Error(int code, std::string what);
  int code() const { return code_; }
  // True when the same operation may succeed later (busy, locked, disk full,
  // read-only file, I/O error, cannot open): the mail must stay with the sender.
  bool temporary() const;

 private:
  int code_;
};

class Stmt;

class Db {
 public:
  Db() = default;
  // Opens (creating if missing) the database file read-write. Throws Error.
  explicit Db(const std::string& path, int busy_timeout_ms, bool read_only = false);
  ~Db();
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql);
  // A statement for `sql`, compiled once per connection and kept: the Stmt
  // hands it back (reset, bindings cleared) when it goes out of scope.
  // Compiling costs more than running most of our statements (a mail runs
  // ~30 of them), so the ingest path would otherwise spend most of its time
  // in sqlite3_prepare. The same SQL in use twice at once (nested loops)
  // gets a second, uncached statement.
  Stmt prepare(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* handle() const { return db_; }
  // Writes `data` into the zeroblob of table.column at `rowid` in 1 MiB
  // pieces: a big mail is not copied into one SQLite record
  // (which would double its memory for the length of the INSERT).
  void write_blob(const char* table, const char* column, std::int64_t rowid, std::string_view data);
  // The same for content made a piece at a time: `fill` hands each piece to
  // the sink it is given, in order. The pieces must add up to `size`, the
  // blob's length (zeroblob): a shorter or longer content is an error.
  void write_blob_pieces(
      const char* table, const char* column, std::int64_t rowid, std::int64_t size,
      const std::function<void(const std::function<void(std::string_view)>&)>& fill);
  [[noreturn]] void fail(int rc, std::string_view context) const;

 private:
  struct Cached {
    sqlite3_stmt* st = nullptr;
    bool in_use = false;
  };
  // Lookup by content without building a std::string (heterogeneous find).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Cache = std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>>;
  // The last statement prepared from each address, checked by content: most
  // SQL is a literal, whose address finds its entry without hashing it
  // (hashing and copying the text was ~1.5% of storing a mail). Entries of
  // an unordered_map keep their address as it grows.
  struct Recent {
    const char* sql = nullptr;
    Cache::value_type* entry = nullptr;
  };
  static constexpr std::size_t kRecent = 64;
  void drop_cache();
  sqlite3* db_ = nullptr;
  Cache cache_;
  std::array<Recent, kRecent> recent_{};
};

class Stmt {
 public:
  // `in_use` is the cache entry's flag when the statement is a cached one
  // (reset and handed back on destruction), nullptr when Stmt owns it.
  Stmt(const Db& db, sqlite3_stmt* st, bool* in_use = nullptr)
      : db_(&db), st_(st), in_use_(in_use) {}
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_), in_use_(o.in_use_) {
    o.st_ = nullptr;
    o.in_use_ = nullptr;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, std::string_view v);  // text; the view must outlive step()
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  // Text is bound without a copy (SQLITE_STATIC): a temporary would dangle.
  Stmt& bind(int i, std::string&& v) = delete;
  Stmt& bind_blob(int i, std::string_view v);
  Stmt& bind_null(int i);
  Stmt& bind(int i, const std::optional<std::string>& v) {
    return v ? bind(i, std::string_view(*v)) : bind_null(i);
  }

  // Returns true when a row is available, false when done. Throws Error.
  bool step();
  void run() {
    while (step()) {
    }
  }
  void reset();

  std::int64_t i64(int col) const { return sqlite3_column_int64(st_, col); }
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::string blob(int col) const;  // bytes as stored, NULs included
  bool is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

 private:
  const Db* db_;
  sqlite3_stmt* st_;
  bool* in_use_;
};

}  // namespace ticketd::store
