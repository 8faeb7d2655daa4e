// ImapClient on the selected mailbox: search, fetch, flag and move by UID.
#include "transport/imap_client_impl.h"

namespace ticketd::transport {

using imap::Connection;
using imap::Response;

namespace {

ImapError config_error(std::string detail) {
  return ImapError{ImapErrorKind::config, false, std::move(detail)};
}

ImapResult<std::vector<std::uint32_t>> search(ImapClient::Impl& s, const std::string& criteria) {
  auto conn = s.mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  std::vector<std::uint32_t> uids;
  auto on = [&](Response&& r) -> ImapResult<void> {
    if (r.name != "SEARCH") return {};
    auto found = imap::parse_search(r);
    if (!found)
      return std::unexpected((*conn)->error(ImapErrorKind::protocol, true, found.error().detail));
    uids.insert(uids.end(), found->begin(), found->end());
    return {};
  };
  // Whatever arrives from here on may be newer than this search's answer.
  (*conn)->clear_new_mail();
  auto r = (*conn)->run_ok("UID SEARCH " + criteria, on);
  if (!r) return std::unexpected(r.error());
  return imap::sorted_unique(uids);
}

// One UID FETCH; `on_fetch` gets each parsed FETCH reply for a UID in `uids`.
template <typename OnFetch>
ImapResult<void> uid_fetch(Connection& conn, std::span<const std::uint32_t> uids,
                           std::string_view items, OnFetch&& on_fetch) {
  auto on = [&](Response&& r) -> ImapResult<void> {
    if (r.name != "FETCH") return {};
    auto f = imap::parse_fetch(std::move(r));
    if (!f)
      return std::unexpected(
          conn.error(ImapErrorKind::protocol, true, "FETCH: " + f.error().detail));
    // Unsolicited FETCH (another client changed flags) may name other messages.
    if (f->uid && std::binary_search(uids.begin(), uids.end(), *f->uid)) on_fetch(std::move(*f));
    return {};
  };
  auto r = conn.run("UID FETCH " + imap::format_uid_set(uids) + " " + std::string(items), on);
  if (!r) return std::unexpected(r.error());
  // Mail expunged by another client meanwhile: the rest was delivered (RFC 5530).
  if (r->name == "OK" || (r->name == "NO" && r->code == "EXPUNGEISSUED")) return {};
  return std::unexpected(conn.rejection("UID FETCH", *r));
}

// MOVE or COPY; when the target is missing (TRYCREATE), creates it and tries once more.
ImapResult<void> run_to_folder(ImapClient& client, Connection& conn, const std::string& command,
                               std::string_view folder) {
  auto r = conn.run(command, {});
  if (r && r->name == "NO" && r->code == "TRYCREATE") {
    if (auto c = client.create_folder(folder); !c) return c;
    r = conn.run(command, {});
  }
  if (!r) return std::unexpected(r.error());
  if (r->name != "OK") return std::unexpected(conn.rejection(imap::command_name(command), *r));
  return {};
}

}  // namespace

ImapResult<std::vector<std::uint32_t>> ImapClient::search_uids_since(std::uint32_t last_uid) {
  if (last_uid == UINT32_MAX) return std::vector<std::uint32_t>{};
  auto r = impl_->checked(search(*impl_, "UID " + std::to_string(last_uid + 1) + ":*"));
  // "n:*" always includes the highest UID, even when it is below n (RFC 3501 6.4.8).
  if (r) std::erase_if(*r, [&](std::uint32_t uid) { return uid <= last_uid; });
  return r;
}

ImapResult<std::vector<std::uint32_t>> ImapClient::search_uids_without(std::string_view keyword) {
  if (!imap::is_valid_flag(keyword) || keyword.starts_with('\\')) {
    return std::unexpected(config_error("not a keyword: " + std::string(keyword)));
  }
  return impl_->checked(search(*impl_, "UNKEYWORD " + std::string(keyword)));
}

ImapResult<std::vector<UidSize>> ImapClient::fetch_sizes(std::span<const std::uint32_t> uids) {
  auto conn = impl_->mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  std::vector<UidSize> out;
  auto r = imap::for_each_chunk(
      imap::sorted_unique(uids), impl_->config.limits.uids_per_command, [&](auto chunk) {
        return uid_fetch(**conn, chunk, "(UID RFC822.SIZE)", [&](imap::FetchData&& f) {
          if (f.size) out.push_back({*f.uid, *f.size});
        });
      });
  if (!r) return std::unexpected(impl_->checked(r).error());
  std::sort(out.begin(), out.end(),
            [](const UidSize& a, const UidSize& b) { return a.uid < b.uid; });
  return out;
}

namespace {

// Whole mails or their header blocks, by UID, ascending, without setting \Seen.
ImapResult<std::vector<FetchedMail>> fetch_section(ImapClient::Impl& impl,
                                                   std::span<const std::uint32_t> uids,
                                                   std::string_view items) {
  auto conn = impl.mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  std::vector<FetchedMail> out;
  auto r = imap::for_each_chunk(imap::sorted_unique(uids), impl.config.limits.fetch_batch_count,
                                [&](auto chunk) {
                                  ++impl.stats.fetch_commands;
                                  return uid_fetch(**conn, chunk, items, [&](imap::FetchData&& f) {
                                    if (f.body) out.push_back({*f.uid, std::move(*f.body)});
                                  });
                                });
  if (!r) return std::unexpected(impl.checked(r).error());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.uid < b.uid; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.uid == b.uid; }),
            out.end());
  return out;
}

}  // namespace

ImapResult<std::vector<FetchedMail>> ImapClient::fetch(std::span<const std::uint32_t> uids) {
  // BODY.PEEK[]: the whole message without setting \Seen (RFC 3501 6.4.5).
  return fetch_section(*impl_, uids, "(UID BODY.PEEK[])");
}

ImapResult<std::vector<FetchedMail>> ImapClient::fetch_headers(
    std::span<const std::uint32_t> uids) {
  return fetch_section(*impl_, uids, "(UID BODY.PEEK[HEADER])");
}

ImapResult<std::vector<UidFlags>> ImapClient::fetch_flags(std::span<const std::uint32_t> uids) {
  auto conn = impl_->mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  std::vector<UidFlags> out;
  auto r = imap::for_each_chunk(
      imap::sorted_unique(uids), impl_->config.limits.uids_per_command, [&](auto chunk) {
        return uid_fetch(**conn, chunk, "(UID FLAGS)", [&](imap::FetchData&& f) {
          if (f.flags) out.push_back({*f.uid, std::move(*f.flags)});
        });
      });
  if (!r) return std::unexpected(impl_->checked(r).error());
  std::sort(out.begin(), out.end(),
            [](const UidFlags& a, const UidFlags& b) { return a.uid < b.uid; });
  return out;
}

ImapResult<void> ImapClient::add_flag(std::span<const std::uint32_t> uids, std::string_view flag) {
  if (!imap::is_valid_flag(flag))
    return std::unexpected(config_error("not a flag: " + std::string(flag)));
  auto conn = impl_->mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  const auto& permanent = impl_->permanent_flags;
  const bool listed = std::any_of(permanent.begin(), permanent.end(),
                                  [&](const std::string& f) { return imap::iequals(f, flag); });
  if (!flag.starts_with('\\') && !impl_->mailbox.keywords_allowed && !listed) {
    return std::unexpected(ImapError{ImapErrorKind::rejected, false,
                                     "the mailbox cannot keep the keyword " + std::string(flag)});
  }
  // .SILENT: no FETCH echo for each message.
  return impl_->checked(imap::for_each_chunk(
      imap::sorted_unique(uids), impl_->config.limits.uids_per_command,
      [&](auto chunk) -> ImapResult<void> {
        auto r = (*conn)->run_ok("UID STORE " + imap::format_uid_set(chunk) + " +FLAGS.SILENT (" +
                                     std::string(flag) + ")",
                                 {});
        if (!r) return std::unexpected(r.error());
        return {};
      }));
}

ImapResult<void> ImapClient::move(std::span<const std::uint32_t> uids, std::string_view folder) {
  auto conn = impl_->mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  auto name = imap::quote(folder);
  if (!name) return std::unexpected(config_error("folder: " + name.error().detail));
  const bool use_move = impl_->config.use_move && impl_->has("MOVE");
  // Plain EXPUNGE would also remove mail that another client marked \Deleted.
  if (!use_move && !impl_->has("UIDPLUS")) {
    return std::unexpected(
        ImapError{ImapErrorKind::rejected, false,
                  "the server has neither MOVE nor UIDPLUS; use the keyword mode"});
  }
  return impl_->checked(imap::for_each_chunk(
      imap::sorted_unique(uids), impl_->config.limits.uids_per_command,
      [&](auto chunk) -> ImapResult<void> {
        const std::string set = imap::format_uid_set(chunk);
        if (use_move) return run_to_folder(*this, **conn, "UID MOVE " + set + " " + *name, folder);
        if (auto r = run_to_folder(*this, **conn, "UID COPY " + set + " " + *name, folder); !r)
          return r;
        for (std::string command :
             {"UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE " + set}) {
          if (auto r = (*conn)->run_ok(command, {}); !r) return std::unexpected(r.error());
        }
        return {};
      }));
}

}  // namespace ticketd::transport
