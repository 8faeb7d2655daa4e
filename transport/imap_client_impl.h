// ticketd transport (internal): the state behind ImapClient, shared by its
// source files (imap_client.cpp: session and mailbox; imap_fetch.cpp: search,
// fetch, flags, move; imap_idle.cpp: IDLE and interrupt).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "transport/imap.h"
#include "transport/imap_connection.h"

namespace ticketd::transport {

struct ImapClient::Impl {
  explicit Impl(ImapConfig c);
  ~Impl();

  ImapConfig config;
  ImapStats stats;
  std::unique_ptr<imap::Connection> conn;  // null when not connected
  std::vector<std::string> capabilities;   // upper case
  std::vector<std::string> permanent_flags;
  MailboxInfo mailbox;
  bool selected = false;
  int wake_fd = -1;  // eventfd: interrupt() writes, idle() polls and drains

  bool has(std::string_view capability) const;
  // The live connection, or a connection error when there is none.
  ImapResult<imap::Connection*> session();
  // Passes `r` through; a connection or protocol error also closes the session,
  // since the stream can no longer be trusted to be in step.
  template <typename T>
  ImapResult<T> checked(ImapResult<T> r) {
    if (!r && (r.error().kind == ImapErrorKind::connection ||
               r.error().kind == ImapErrorKind::protocol)) {
      conn.reset();
      selected = false;
    }
    return r;
  }
  // The selected mailbox, or a `rejected` error when select() has not succeeded.
  ImapResult<imap::Connection*> mailbox_session();
};

namespace imap {

inline std::vector<std::uint32_t> sorted_unique(std::span<const std::uint32_t> uids) {
  std::vector<std::uint32_t> out(uids.begin(), uids.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Calls fn for consecutive slices of at most `n` UIDs; stops at the first error.
template <typename Fn>
ImapResult<void> for_each_chunk(const std::vector<std::uint32_t>& uids, std::size_t n, Fn&& fn) {
  n = std::max<std::size_t>(n, 1);
  for (std::size_t i = 0; i < uids.size(); i += n) {
    const std::span<const std::uint32_t> chunk(uids.data() + i, std::min(n, uids.size() - i));
    if (auto r = fn(chunk); !r) return r;
  }
  return {};
}

}  // namespace imap
}  // namespace ticketd::transport
