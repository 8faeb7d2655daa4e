#include "daemon/apply.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "daemon/ingest.h"
#include "lifecycle/guard.h"

namespace ticketd::daemon {

namespace {
// Counts forks, so that a child never reuses random bytes its parent drew
// (a getpid() per Message-ID was two system calls a new ticket).
std::atomic<unsigned> forks{0};
[[maybe_unused]] const bool fork_counted = [] {
  pthread_atfork(nullptr, nullptr, [] { forks.fetch_add(1, std::memory_order_relaxed); });
  return true;
}();
}  // namespace

std::string new_message_id(std::string_view number, std::string_view kind,
                           std::string_view domain) {
  // Unguessable (a Message-ID of ours in In-Reply-To is threading
  // evidence): OpenSSL's CSPRNG, drawn 512 bytes at a time per thread (a
  // call each was 8,000 instructions, two a new ticket).
  thread_local unsigned char pool[512];
  thread_local std::size_t used = sizeof pool;
  thread_local unsigned drawn_after = ~0u;  // forks before the pool was drawn
  unsigned char r[8];
  const unsigned now_forks = forks.load(std::memory_order_relaxed);
  if (used + sizeof r > sizeof pool || drawn_after != now_forks) {
    if (RAND_bytes(pool, sizeof pool) != 1)
      throw std::runtime_error("no random bytes for a Message-ID");
    used = 0;
    drawn_after = now_forks;
  }
  std::memcpy(r, pool + used, sizeof r);
  std::memset(pool + used, 0, sizeof r);  // each byte used once
  used += sizeof r;
  static constexpr char hex[] = "0123456789abcdef";
  std::string id(number);
  id += '.';
  id += kind;
  id += '.';
  for (unsigned char b : r) {
    id.push_back(hex[b >> 4]);
    id.push_back(hex[b & 15]);
  }
  id += '@';
  id += domain;
  return id;
}

std::string message_id_domain(const Config& config) {
  if (!config.guard.our_message_id_domain.empty()) return config.guard.our_message_id_domain;
  const std::string& support = config.support.address;
  return "ticketd." + support.substr(support.find('@') + 1);
}

std::string agent_token(std::string_view secret, std::string_view number, std::string_view agent) {
  return numbered_token(
      number, reply_token(secret, std::string(number) + "/" + store::lower_address(agent)));
}

int apply_decisions(ApplyContext& ctx, const lifecycle::TicketView& view,
                    const lifecycle::Decisions& d, std::string_view actor,
                    std::optional<std::int64_t> message_row, std::string_view in_reply_to,
                    bool columns_stored) {
  store::Tx& tx = ctx.tx;
  const auto& dir = ctx.config.directory;
  if (columns_stored)
    tx.apply_lists(view.id, d);
  else
    tx.apply_fields(view.id, d, ctx.now);
  if (d.assignee && !d.assignee->empty()) {
    const std::string team = d.team ? *d.team : view.team;
    if (!team.empty()) tx.set_last_assigned(team, store::lower_address(*d.assignee));
  }
  tx.add_events(view.id, ctx.now, d.events, actor, message_row);

  int queued = 0;
  const auto& guard = ctx.config.guard;
  for (const auto& n : d.notices) {
    const std::string kind(lifecycle::notice_kind_name(n.kind));
    // Every automatic mail to someone who is not one of our agents passes the
    // guard: own addresses, failing addresses, the per-recipient rate limit.
    // An agent's relayed answer is a person writing: only own/failing checks.
    auto allowed = [&](const std::string& address) -> bool {
      if (dir.agent(address)) return true;
      auto& known = ctx.known_history;
      lifecycle::RecipientHistory h =
          known && known->first == store::lower_address(address)
              ? known->second
              : tx.history(address, ctx.now - guard.rate_window_seconds);
      if (n.kind == lifecycle::NoticeKind::answer) h.auto_sent_in_window = 0;
      if (auto why = lifecycle::recipient_block_reason(address, h, guard, ctx.now)) {
        tx.add_event(view.id, ctx.now, "guard", actor,
                     "no " + kind + " to " + address + ": " + *why, message_row);
        return false;
      }
      return true;
    };
    store::OutboxRow row;
    row.ticket_id = view.id;
    row.kind = kind;
    row.template_name = n.template_name.empty() ? kind : n.template_name;
    row.detail = n.detail;
    row.source_message = message_row;
    row.in_reply_to = std::string(in_reply_to);
    row.created_at = ctx.now;
    for (const auto& a : n.to)
      if (allowed(a)) row.to.push_back(store::lower_address(a));
    for (const auto& a : n.cc)
      if (allowed(a)) row.cc.push_back(store::lower_address(a));
    if (row.to.empty() && row.cc.empty()) continue;
    row.message_id = new_message_id(view.number, kind, message_id_domain(ctx.config));
    tx.queue(row);
    ++queued;
    if (auto& known = ctx.known_history)
      for (const auto* list : {&row.to, &row.cc})
        if (std::find(list->begin(), list->end(), known->first) != list->end()) known.reset();
    // An agent who is written to about a ticket takes part in it, and gets a
    // reply token of their own: the path on which their commands count.
    for (const auto* list : {&row.to, &row.cc})
      for (const auto& a : *list)
        if (const lifecycle::Agent* agent = dir.agent(a)) {
          tx.add_participant(view.id, {agent->name, agent->address}, "agent");
          tx.add_agent_token(agent_token(ctx.secret, view.number, agent->address), view.id,
                             agent->address);
        }
    tx.add_event(
        view.id, ctx.now, "queued", actor,
        kind + " <" + row.message_id + "> to " +
            [&] {
              std::string s;
              for (const auto& a : row.to) s += (s.empty() ? "" : ", ") + a;
              for (const auto& a : row.cc) s += (s.empty() ? "" : ", ") + ("cc " + a);
              return s;
            }(),
        message_row);
  }
  return queued;
}

}  // namespace ticketd::daemon
