// SQLite's memory allocator for ticketd: small blocks kept on per-thread
// lists (Debian's SQLite has no lookaside). See sqlite_malloc.cpp.
#pragma once
#include <cstddef>

namespace ticketd::store {

// Before SQLite initialises itself (the first Db does it). False when SQLite
// was already initialised: it then keeps its own allocator, which is fine.
bool install_sqlite_allocator();

// Bytes of freed blocks the calling thread keeps for reuse (<= 256 KiB).
std::size_t sqlite_allocator_cached_bytes();

}  // namespace ticketd::store
