#include "store/sqlite_malloc.h"

#include <sanitizer/asan_interface.h>  // no-op macros in a build without ASan
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace ticketd::store {

namespace {

// Debian builds SQLite without lookaside (SQLITE_OMIT_LOOKASIDE), the
// per-connection cache SQLite normally keeps for the small objects a
// statement makes and drops at every step: cursors, records, values. Each
// of them then went to glibc's malloc, ~170 allocations a stored mail.
// This allocator keeps freed small blocks on per-thread lists, the way
// lookaside would (per connection), so those come back in a few
// instructions. A connection is used by one thread at a time, but not
// always the same one (the checkpointer's runs on a new thread each time):
// a block freed on another thread simply joins that thread's lists.
//
// Every block carries an 8-byte header with its usable size (SQLite asks
// for it: xSize). SQLite needs 8-byte alignment; glibc gives 16, so the
// payload is 8-aligned.
constexpr std::size_t kHeader = 8;
constexpr std::size_t kGrain = 16;
constexpr std::size_t kSmallMax = 1024;  // larger blocks go straight to malloc
constexpr std::size_t kClasses = kSmallMax / kGrain + 1;
// Cached bytes a thread keeps at most; beyond, a freed block goes back to
// malloc. A statement's churn is a few KiB; the bound keeps an idle daemon
// (bench/memory: <= 20 MiB) from holding what a drain left behind.
constexpr std::size_t kMaxCachedBytes = 256u << 10;

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible: usable until the thread is gone, also from other
// thread_local destructors. `dead` is set once the lists were handed back.
struct Cache {
  FreeBlock* head[kClasses];
  std::size_t cached_bytes;
  bool dead;
};
thread_local Cache cache{};

struct CacheFlusher {
  ~CacheFlusher() {
    for (std::size_t c = 0; c < kClasses; ++c) {
      FreeBlock*& h = cache.head[c];
      while (h) {
        FreeBlock* b = h;
        ASAN_UNPOISON_MEMORY_REGION(b, c * kGrain);
        h = b->next;
        std::free(reinterpret_cast<char*>(b) - kHeader);
      }
    }
    cache.cached_bytes = 0;
    cache.dead = true;
  }
};
thread_local CacheFlusher flusher;

std::size_t round_size(std::size_t n) { return (n + kGrain - 1) / kGrain * kGrain; }

std::size_t& size_of(void* p) {
  return *reinterpret_cast<std::size_t*>(static_cast<char*>(p) - kHeader);
}

void* raw_alloc(std::size_t usable) {
  void* block = std::malloc(usable + kHeader);
  if (!block) return nullptr;
  *static_cast<std::size_t*>(block) = usable;
  return static_cast<char*>(block) + kHeader;
}

void* x_malloc(int n) {
  if (n <= 0) return nullptr;
  const std::size_t size = round_size(static_cast<std::size_t>(n));
  if (size <= kSmallMax && !cache.dead) {
    (void)&flusher;  // constructs the flusher on this thread's first use
    FreeBlock*& h = cache.head[size / kGrain];
    if (h) {
      FreeBlock* b = h;
      ASAN_UNPOISON_MEMORY_REGION(b, size);
      h = b->next;
      cache.cached_bytes -= size;
      return b;
    }
  }
  return raw_alloc(size);
}

void x_free(void* p) {
  if (!p) return;
  const std::size_t size = size_of(p);
  if (size <= kSmallMax && !cache.dead && cache.cached_bytes + size <= kMaxCachedBytes) {
    (void)&flusher;
    FreeBlock* b = static_cast<FreeBlock*>(p);
    b->next = cache.head[size / kGrain];
    cache.head[size / kGrain] = b;
    cache.cached_bytes += size;
    // Under ASan a cached block is poisoned: a use after free (a column's
    // text read after its statement moved on) is still reported.
    ASAN_POISON_MEMORY_REGION(b, size);
    return;
  }
  std::free(static_cast<char*>(p) - kHeader);
}

int x_size(void* p) { return p ? static_cast<int>(size_of(p)) : 0; }

void* x_realloc(void* p, int n) {
  if (!p) return x_malloc(n);
  if (n <= 0) {
    x_free(p);
    return nullptr;
  }
  const std::size_t old = size_of(p);
  const std::size_t size = round_size(static_cast<std::size_t>(n));
  if (size <= old && (old <= kSmallMax || size > kSmallMax / 2)) return p;
  if (old > kSmallMax && size > kSmallMax) {
    void* block = std::realloc(static_cast<char*>(p) - kHeader, size + kHeader);
    if (!block) return nullptr;
    *static_cast<std::size_t*>(block) = size;
    return static_cast<char*>(block) + kHeader;
  }
  void* q = x_malloc(n);
  if (!q) return nullptr;
  std::memcpy(q, p, old < size ? old : size);
  x_free(p);
  return q;
}

int x_roundup(int n) {
  return n <= 0 ? n : static_cast<int>(round_size(static_cast<std::size_t>(n)));
}
int x_init(void*) { return SQLITE_OK; }
void x_shutdown(void*) {}

}  // namespace

bool install_sqlite_allocator() {
  static const sqlite3_mem_methods methods = {x_malloc,  x_free, x_realloc,  x_size,
                                              x_roundup, x_init, x_shutdown, nullptr};
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
}

std::size_t sqlite_allocator_cached_bytes() { return cache.dead ? 0 : cache.cached_bytes; }

}  // namespace ticketd::store
