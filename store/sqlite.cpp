#include "store/sqlite.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "store/sqlite_malloc.h"

namespace ticketd::store {

Error::Error(int code, std::string what) : std::runtime_error(std::move(what)), code_(code) {}

bool Error::temporary() const {
  switch (code_ & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
      return true;
    default:
      return false;
  }
}

namespace {
// Process-wide settings, before SQLite initialises itself (afterwards
// sqlite3_config refuses; that is harmless). Debian's SQLite keeps memory
// statistics by default: a global mutex around every allocation, and it is
// built without lookaside, so a statement makes many (~4% of a drain's CPU):
// they come from per-thread lists (store/sqlite_malloc.h).
void configure_sqlite_once() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    install_sqlite_allocator();
    return true;
  }();
  (void)done;
}
// SQLite's message, and for I/O trouble what the system said: "disk I/O error"
// alone does not tell a full disk from a bad one (tests/daemon_it/fulldisk).
std::string describe(sqlite3* db, int rc, std::string msg) {
  const int primary = rc & 0xff;
  if (db && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL)) {
    if (const int err = sqlite3_system_errno(db); err != 0)
      msg += std::string(" (") + std::strerror(err) + ")";
  }
  return msg;
}
}  // namespace

Db::Db(const std::string& path, int busy_timeout_ms, bool read_only) {
  configure_sqlite_once();
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = describe(db_, rc, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(rc, "open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Db::~Db() {
  drop_cache();
  sqlite3_close_v2(db_);
}

Db::Db(Db&& other) noexcept
    : db_(other.db_), cache_(std::move(other.cache_)), recent_(other.recent_) {
  other.db_ = nullptr;
  other.cache_.clear();
  other.recent_ = {};
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    drop_cache();
    sqlite3_close_v2(db_);
    db_ = other.db_;
    cache_ = std::move(other.cache_);
    recent_ = other.recent_;
    other.db_ = nullptr;
    other.cache_.clear();
    other.recent_ = {};
  }
  return *this;
}

void Db::drop_cache() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.st);
  cache_.clear();
  recent_ = {};
}

void Db::fail(int rc, std::string_view context) const {
  throw Error(rc, std::string(context) + ": " +
                      describe(db_, rc, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = describe(db_, rc, err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    throw Error(rc, msg);
  }
}

Stmt Db::prepare(std::string_view sql) {
  Recent& recent = recent_[(reinterpret_cast<std::uintptr_t>(sql.data()) >> 3) % kRecent];
  Cache::value_type* found = nullptr;
  if (recent.entry && recent.sql == sql.data() && recent.entry->first == sql) {
    found = recent.entry;  // a heap string may have reused the address: the text decides
  } else if (auto it = cache_.find(sql); it != cache_.end()) {
    found = &*it;
    recent = {sql.data(), found};
  }
  if (found && !found->second.in_use) {
    found->second.in_use = true;
    return Stmt(*this, found->second.st, &found->second.in_use);
  }
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              found ? 0 : SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) fail(rc, "prepare");
  if (found || st == nullptr) return Stmt(*this, st);  // busy, or no statement
  auto [it, added] = cache_.emplace(std::string(sql), Cached{st, true});
  recent = {sql.data(), &*it};
  return Stmt(*this, st, &it->second.in_use);
}

Stmt::~Stmt() {
  if (in_use_ == nullptr) {
    sqlite3_finalize(st_);
    return;
  }
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  *in_use_ = false;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(st_, i, v); rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  if (int rc = sqlite3_bind_text64(st_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
      rc != SQLITE_OK)
    db_->fail(rc, "bind");
  return *this;
}

void Db::write_blob(const char* table, const char* column, std::int64_t rowid,
                    std::string_view data) {
  write_blob_pieces(table, column, rowid, static_cast<std::int64_t>(data.size()),
                    [&](const std::function<void(std::string_view)>& sink) { sink(data); });
}

void Db::write_blob_pieces(
    const char* table, const char* column, std::int64_t rowid, std::int64_t size,
    const std::function<void(const std::function<void(std::string_view)>&)>& fill) {
  sqlite3_blob* handle = nullptr;
  if (int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 1, &handle); rc != SQLITE_OK) {
    sqlite3_blob_close(handle);
    fail(rc, "opening a blob to write");
  }
  std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> blob(handle, &sqlite3_blob_close);
  std::int64_t at = 0;
  fill([&](std::string_view piece) {
    if (at + static_cast<std::int64_t>(piece.size()) > size)
      throw Error(SQLITE_ERROR, "writing a blob: the content is longer than the blob");
    constexpr std::size_t kPiece = 1u << 20;
    for (std::size_t k = 0; k < piece.size(); k += kPiece) {
      const std::size_t n = std::min(kPiece, piece.size() - k);
      if (int rc = sqlite3_blob_write(blob.get(), piece.data() + k, static_cast<int>(n),
                                      static_cast<int>(at));
          rc != SQLITE_OK)
        fail(rc, "writing a blob");
      at += static_cast<std::int64_t>(n);
    }
  });
  if (at != size) throw Error(SQLITE_ERROR, "writing a blob: the content is shorter than the blob");
  if (int rc = sqlite3_blob_close(blob.release()); rc != SQLITE_OK) fail(rc, "closing a blob");
}

Stmt& Stmt::bind_blob(int i, std::string_view v) {
  if (int rc = sqlite3_bind_blob64(st_, i, v.data(), v.size(), SQLITE_STATIC); rc != SQLITE_OK)
    db_->fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  if (int rc = sqlite3_bind_null(st_, i); rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(rc, "step");
}

void Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

std::string Stmt::blob(int col) const {
  const void* p = sqlite3_column_blob(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

}  // namespace ticketd::store
