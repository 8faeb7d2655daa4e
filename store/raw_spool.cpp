#include "store/raw_spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "store/sqlite.h"

namespace ticketd::store {

namespace {

[[noreturn]] void fail(std::string what, int err) {
  const int code = (err == ENOSPC || err == EDQUOT) ? SQLITE_FULL : SQLITE_IOERR;
  throw Error(code, std::move(what) + ": " + std::strerror(err));
}

void sync_fd_of(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    fail("opening " + path + " to sync it", err);
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) fail("fsync " + path, err);
}

std::string parent_of(const std::string& dir) {
  const auto slash = dir.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : dir.substr(0, slash);
}

}  // namespace

RawSpool::RawSpool(std::string dir, std::int64_t segment_bytes)
    : dir_(std::move(dir)), segment_bytes_(segment_bytes) {}

RawSpool::~RawSpool() {
  if (fd_ >= 0) ::close(fd_);
}

std::string RawSpool::segment_path(std::int64_t segment) const {
  char name[32];
  std::snprintf(name, sizeof name, "/%08lld.seg", static_cast<long long>(segment));
  return dir_ + name;
}

void RawSpool::sync_dir() const { sync_fd_of(dir_); }

std::int64_t RawSpool::last_segment() const {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) {
    const int err = errno;
    fail("opening " + dir_, err);
  }
  std::int64_t last = 0;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name(e->d_name);
    if (name.size() != 12 || !name.ends_with(".seg")) continue;
    std::int64_t n = 0;
    bool digits = true;
    for (char c : name.substr(0, 8)) {
      if (c < '0' || c > '9') digits = false;
      n = n * 10 + (c - '0');
    }
    if (digits && n > last) last = n;
  }
  ::closedir(d);
  return last;
}

void RawSpool::open_segment(std::int64_t segment) {
  const std::string path = segment_path(segment);
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  }
  if (fd < 0) {
    const int err = errno;
    fail("opening " + path, err);
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  segment_ = segment;
  // A segment's name must survive a power loss with the rows that name it.
  if (created) sync_dir();
}

off_t RawSpool::end_of_segment() const {
  const off_t end = ::lseek(fd_, 0, SEEK_END);
  if (end < 0) {
    const int err = errno;
    fail("seeking the end of " + segment_path(segment_), err);
  }
  return end;
}

RawSpool::Place RawSpool::append(std::string_view bytes) {
  if (fd_ < 0) {
    if (::mkdir(dir_.c_str(), 0700) == 0)
      sync_fd_of(parent_of(dir_));
    else if (const int err = errno; err != EEXIST)
      fail("creating " + dir_, err);
    open_segment(std::max<std::int64_t>(last_segment(), 1));
  }
  off_t end = end_of_segment();
  // A full segment takes no more mail: on to the next (another process may
  // be there already). What this one was given is synced first, so sync()
  // has one file to sync.
  while (end > 0 && end + static_cast<std::int64_t>(bytes.size()) > segment_bytes_) {
    sync();
    open_segment(segment_ + 1);
    end = end_of_segment();
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd_, bytes.data() + done, bytes.size() - done, end + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      // Best effort: what was written is dead space either way.
      [[maybe_unused]] const int rc = ::ftruncate(fd_, end);
      fail("writing " + std::to_string(bytes.size()) + " bytes to " + segment_path(segment_), err);
    }
    done += static_cast<std::size_t>(n);
  }
  dirty_ = true;
  return Place{segment_, end};
}

void RawSpool::sync() {
  if (!dirty_) return;
  if (::fdatasync(fd_) != 0) {
    const int err = errno;
    fail("fdatasync " + segment_path(segment_), err);
  }
  dirty_ = false;
}

std::string RawSpool::read(Place at, std::int64_t size) const {
  const std::string path = segment_path(at.segment);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == ENOENT ? SQLITE_CORRUPT : SQLITE_CANTOPEN,
                "opening " + path + " (raw mail at offset " + std::to_string(at.offset) +
                    "): " + std::strerror(err));
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                              static_cast<off_t>(at.offset) + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail("reading " + path, err);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != out.size())
    throw Error(SQLITE_CORRUPT, path + " is short: raw mail of " + std::to_string(size) +
                                    " bytes at offset " + std::to_string(at.offset) + ", only " +
                                    std::to_string(done) + " there");
  return out;
}

}  // namespace ticketd::store
