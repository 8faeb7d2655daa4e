#pragma once
// The raw mail of a store kept beside its database, in append-only segment
// files (schema 16), instead of in the database's rows. In a row, every byte
// of a mail was written twice: to the write-ahead log at commit, and again
// by the checkpoint's copy into the database (raw mail is ~55% of the bytes
// a drain writes). In a segment it is written once. The row (raw_mail) keeps
// the hash, the sizes and where the bytes are: segment number and offset.
//
// Durability: a row names bytes only once they are on disk. The store syncs
// what a transaction appended before it commits (Store::sync_raw, called by
// Tx::commit and Batch::commit), so a committed row never points at bytes a
// power loss could take. A transaction that rolls back (or a process killed
// before its commit) leaves its bytes in the segment, unnamed: a few bytes of
// dead space, never a row without its mail.
//
// Concurrency: appends happen only inside a write transaction (BEGIN
// IMMEDIATE), so one process at a time appends; each append writes at the
// segment's end as the file system reports it (another process may have
// appended since). A segment is closed to new mail once it holds its
// segment_bytes (1 GiB); every writer then moves to the next number, so they
// agree.
//
// Layout: <database>-raw/, mode 0700; segments NNNNNNNN.seg, mode 0600
// (raw mail is personal data). Back it up after the database: every row of
// the copy then names bytes the copied directory holds.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ticketd::store {

class RawSpool {
 public:
  static constexpr std::int64_t kDefaultSegmentBytes = std::int64_t{1} << 30;  // 1 GiB

  // Nothing is created until the first append.
  explicit RawSpool(std::string dir, std::int64_t segment_bytes = kDefaultSegmentBytes);
  ~RawSpool();
  RawSpool(const RawSpool&) = delete;
  RawSpool& operator=(const RawSpool&) = delete;

  struct Place {
    std::int64_t segment = 0;
    std::int64_t offset = 0;
  };
  // Writes `bytes` at the end of the current segment (a new one when it is
  // full). Not on disk until sync(). Throws Error (SQLITE_IOERR / SQLITE_FULL)
  // naming the file; then nothing it wrote is named by a row.
  Place append(std::string_view bytes);
  // Makes every append so far durable (fdatasync; a new segment's directory
  // entry was synced when it was created). Cheap when nothing was appended.
  void sync();
  // The `size` bytes at `at`. Throws Error naming the file when they are not
  // all there (a missing or short segment).
  std::string read(Place at, std::int64_t size) const;

  std::string segment_path(std::int64_t segment) const;

 private:
  void open_segment(std::int64_t segment);
  off_t end_of_segment() const;  // the segment's size: where the next append goes
  void sync_dir() const;
  std::int64_t last_segment() const;

  std::string dir_;
  std::int64_t segment_bytes_;
  int fd_ = -1;
  std::int64_t segment_ = 0;
  bool dirty_ = false;  // appended since the last sync
};

}  // namespace ticketd::store
