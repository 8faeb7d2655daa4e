// ImapClient: the session (connect, capabilities, logout) and the mailbox
// (select, create, noop).
#include <sys/eventfd.h>
#include <unistd.h>

#include <stdexcept>

#include "transport/imap_client_impl.h"

namespace ticketd::transport {

using imap::Connection;
using imap::Response;

std::string_view imap_error_kind_name(ImapErrorKind kind) {
  switch (kind) {
    case ImapErrorKind::connection:
      return "connection";
    case ImapErrorKind::auth:
      return "auth";
    case ImapErrorKind::tls_verify:
      return "tls_verify";
    case ImapErrorKind::protocol:
      return "protocol";
    case ImapErrorKind::rejected:
      return "rejected";
    case ImapErrorKind::config:
      return "config";
  }
  return "unknown";
}

ImapClient::Impl::Impl(ImapConfig c) : config(std::move(c)) {
  wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) throw std::runtime_error("imap: eventfd failed");  // start-up fault
}

ImapClient::Impl::~Impl() {
  conn.reset();
  if (wake_fd >= 0) ::close(wake_fd);
}

bool ImapClient::Impl::has(std::string_view capability) const {
  return std::any_of(capabilities.begin(), capabilities.end(),
                     [&](const std::string& c) { return imap::iequals(c, capability); });
}

ImapResult<Connection*> ImapClient::Impl::session() {
  if (!conn) return std::unexpected(ImapError{ImapErrorKind::connection, true, "not connected"});
  return conn.get();
}

ImapResult<Connection*> ImapClient::Impl::mailbox_session() {
  if (conn && !selected) {
    return std::unexpected(ImapError{ImapErrorKind::rejected, false, "no folder selected"});
  }
  return session();
}

namespace {

std::optional<std::uint32_t> u32(std::string_view text) {
  auto n = imap::parse_number(text);
  if (!n || *n > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(*n);
}

// "(\Answered \Seen \*)" → {"\Answered", "\Seen", "\*"}
std::vector<std::string> flag_list(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (c == '(' || c == ')' || c == ' ') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

ImapResult<std::vector<std::string>> read_capabilities(Connection& conn) {
  std::vector<std::string> caps;
  auto collect = [&](Response&& r) -> ImapResult<void> {
    auto found = imap::parse_capabilities(r);
    caps.insert(caps.end(), found.begin(), found.end());
    return {};
  };
  auto r = conn.run_ok("CAPABILITY", collect);
  if (!r) return std::unexpected(r.error());
  if (caps.empty()) {
    return std::unexpected(conn.error(ImapErrorKind::protocol, false, "CAPABILITY reply is empty"));
  }
  return caps;
}

}  // namespace

ImapClient::ImapClient(ImapConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
ImapClient::~ImapClient() = default;

bool ImapClient::connected() const { return impl_->conn != nullptr; }
const MailboxInfo& ImapClient::mailbox() const { return impl_->mailbox; }
ImapStats ImapClient::stats() const { return impl_->stats; }

ImapResult<void> ImapClient::connect() {
  Impl& s = *impl_;
  s.conn.reset();
  s.selected = false;
  auto conn = Connection::open(s.config, s.stats);
  if (!conn) return std::unexpected(conn.error());
  // curl read the greeting's and login's capabilities but does not hand them
  // out; they change after login anyway (RFC 3501 7.2.1), so ask again.
  auto caps = read_capabilities(**conn);
  if (!caps) return std::unexpected(caps.error());
  s.capabilities = std::move(*caps);
  s.conn = std::move(*conn);
  return {};
}

void ImapClient::logout() {
  Impl& s = *impl_;
  if (s.conn) {
    // BYE, then the tagged OK; a failure here changes nothing, we close anyway.
    if (auto tag = s.conn->send_command("LOGOUT")) {
      for (int i = 0; i < 8; ++i) {
        auto r = s.conn->read("LOGOUT");
        if (!r || r->kind == imap::ResponseKind::tagged) break;
      }
    }
  }
  s.conn.reset();
  s.selected = false;
}

namespace {

ImapResult<MailboxInfo> select_folder(ImapClient::Impl& s, std::string_view folder) {
  auto conn = s.session();
  if (!conn) return std::unexpected(conn.error());
  auto name = imap::quote(folder);
  if (!name)
    return std::unexpected(
        ImapError{ImapErrorKind::config, false, "folder: " + name.error().detail});
  MailboxInfo info;
  std::vector<std::string> permanent;
  bool got_permanent = false, bad_number = false;
  auto on = [&](Response&& r) -> ImapResult<void> {
    if (r.name == "EXISTS" && r.number) info.exists = *r.number;
    if (r.name != "OK") return {};
    if (r.code == "UIDVALIDITY" || r.code == "UIDNEXT") {
      auto n = u32(r.code_args);
      bad_number = bad_number || !n;
      (r.code == "UIDNEXT" ? info.uidnext : info.uidvalidity) = n.value_or(0);
    } else if (r.code == "PERMANENTFLAGS") {
      permanent = flag_list(r.code_args);
      got_permanent = true;
    }
    return {};
  };
  s.selected = false;
  auto r = (*conn)->run_ok("SELECT " + *name, on);
  if (!r) return std::unexpected(r.error());
  if (bad_number || info.uidvalidity == 0) {
    return std::unexpected(
        (*conn)->error(ImapErrorKind::protocol, false, "SELECT: no valid UIDVALIDITY"));
  }
  // No PERMANENTFLAGS at all means every flag is permanent (RFC 3501 7.1).
  info.keywords_allowed =
      !got_permanent || std::find(permanent.begin(), permanent.end(), "\\*") != permanent.end();
  info.has_idle = s.has("IDLE");
  info.has_move = s.has("MOVE");
  info.has_uidplus = s.has("UIDPLUS");
  s.permanent_flags = std::move(permanent);
  s.mailbox = info;
  s.selected = true;
  (*conn)->clear_new_mail();
  return info;
}

ImapResult<void> create(ImapClient::Impl& s, std::string_view folder) {
  auto conn = s.session();
  if (!conn) return std::unexpected(conn.error());
  auto name = imap::quote(folder);
  if (!name)
    return std::unexpected(
        ImapError{ImapErrorKind::config, false, "folder: " + name.error().detail});
  auto r = (*conn)->run("CREATE " + *name, {});
  if (!r) return std::unexpected(r.error());
  if (r->name != "OK" && r->code != "ALREADYEXISTS")
    return std::unexpected((*conn)->rejection("CREATE", *r));
  // Subscribed, so that a person's mail client shows the folder; optional.
  auto sub = (*conn)->run("SUBSCRIBE " + *name, {});
  if (!sub) return std::unexpected(sub.error());
  return {};
}

}  // namespace

ImapResult<MailboxInfo> ImapClient::select(std::string_view folder) {
  return impl_->checked(select_folder(*impl_, folder));
}

ImapResult<void> ImapClient::create_folder(std::string_view folder) {
  return impl_->checked(create(*impl_, folder));
}

ImapResult<bool> ImapClient::noop() {
  auto conn = impl_->session();
  if (!conn) return std::unexpected(conn.error());
  auto r = impl_->checked((*conn)->run_ok("NOOP", {}));
  if (!r) return std::unexpected(r.error());
  return (*conn)->new_mail();
}

}  // namespace ticketd::transport
