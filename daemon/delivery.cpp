#include "daemon/delivery.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "daemon/crash_point.h"
#include "daemon/outbound.h"
#include "templates/composer.h"
#include "transport/curl_util.h"
#include "transport/smtp.h"

namespace ticketd::daemon {

std::int64_t backoff_seconds(std::int64_t attempts, const Config& config) {
  std::int64_t d = config.outbox.backoff_seconds;
  for (std::int64_t i = 1; i < attempts && d < config.outbox.backoff_max_seconds; ++i) d *= 2;
  return std::min(d, config.outbox.backoff_max_seconds);
}

namespace {

std::string with_code(int code, const std::string& error) {
  return code ? std::to_string(code) + " " + error : error;
}

// Defers the row, or buries it when this was its last attempt.
void defer_or_bury(store::OutboxRow& row, const Config& config, std::int64_t now) {
  if (row.attempts >= config.outbox.max_attempts) {
    row.state = "dead";
    row.next_attempt_at.reset();
    row.last_error += " (gave up after " + std::to_string(row.attempts) + " attempts)";
  } else {
    row.state = "deferred";
    row.next_attempt_at = now + backoff_seconds(row.attempts, config);
  }
}

}  // namespace

AttemptResult next_state(store::OutboxRow row, const std::vector<std::string>& attempted,
                         const Attempt& attempt, const Config& config, std::int64_t now) {
  AttemptResult out;
  if (attempt.kind == Attempt::transport) {
    // Our configuration is at fault, not the mail: no attempt is charged.
    row.state = "deferred";
    row.last_error = with_code(attempt.code, attempt.error);
    row.next_attempt_at = now + backoff_seconds(std::max<std::int64_t>(row.attempts, 1), config);
    out.row = std::move(row);
    return out;
  }
  ++row.attempts;
  if (attempt.kind != Attempt::delivered) {
    const bool temp = attempt.kind == Attempt::temporary;
    for (const auto& a : attempted)
      out.recipients.push_back({a, temp ? "deferred" : "failed", attempt.code, attempt.error});
    row.last_error = with_code(attempt.code, attempt.error);
    if (temp) {
      defer_or_bury(row, config, now);
    } else {
      row.state = "dead";
      row.next_attempt_at.reset();
    }
    out.row = std::move(row);
    return out;
  }
  bool any_sent = false, any_deferred = false;
  std::string failures;
  for (const auto& r : attempt.recipients) {
    any_sent |= r.status == "sent";
    any_deferred |= r.status == "deferred";
    if (r.status != "sent")
      failures += (failures.empty() ? "" : "; ") + r.address + ": " + with_code(r.code, r.error);
  }
  out.recipients = attempt.recipients;
  row.last_error = failures;
  if (any_deferred) {
    defer_or_bury(row, config, now);
  } else if (any_sent) {
    row.state = "sent";
    row.sent_at = now;
    row.next_attempt_at.reset();
  } else {
    row.state = "dead";
    row.next_attempt_at.reset();
  }
  out.row = std::move(row);
  return out;
}

}  // namespace ticketd::daemon

// ---- the worker ----
namespace ticketd::daemon {

namespace {

using transport::SmtpStatus;

Attempt attempt_of(const transport::SmtpSendResult& r) {
  Attempt a;
  a.code = r.code;
  a.error = r.error;
  switch (r.status) {
    case SmtpStatus::ok:
      a.kind = Attempt::delivered;
      break;
    case SmtpStatus::temporary:
      a.kind = Attempt::temporary;
      break;
    case SmtpStatus::permanent:
      a.kind = Attempt::permanent;
      break;
    case SmtpStatus::auth:
    case SmtpStatus::tls_verify:
    case SmtpStatus::config:
      a.kind = Attempt::transport;
      a.error = std::string(transport::smtp_status_name(r.status)) + ": " + r.error;
      break;
  }
  for (const auto& rc : r.recipients) {
    const char* st = rc.status == SmtpStatus::ok          ? "sent"
                     : rc.status == SmtpStatus::permanent ? "failed"
                                                          : "deferred";
    a.recipients.push_back({rc.address, st, rc.code, rc.reply});
  }
  return a;
}

std::string ticket_number(store::Store& s, const store::OutboxRow& row) {
  if (!row.ticket_id) return "-";
  auto t = s.ticket_by_id(*row.ticket_id);
  return t ? t->number : "-";
}

// What claim_and_freeze() found: the row belongs to another sender, or its
// mail (bytes + envelope sender), or why that mail cannot be built at all.
struct Claimed {
  bool mine = false;
  std::expected<std::pair<std::string, std::string>, std::string> mail;
};

// Claims `row` for this sender and freezes its bytes and envelope at its
// first attempt (every resend is then the same mail), in ONE transaction:
// both must be durable before SMTP, and one commit is one fsync less on the
// path from a customer's mail to its acknowledgement.
Claimed claim_and_freeze(store::Store& store, const Config& config, std::string_view secret,
                         const templates::TemplateSet& set, const store::OutboxRow& row,
                         std::int64_t now, std::int64_t lease, const std::string& me) {
  Claimed c{false, std::unexpected(std::string())};
  auto tx = store.begin();
  if (!tx.claim_outbox(row.id, now, now + lease, me)) return c;  // rolled back
  c.mine = true;
  if (auto f = store.outbox_frozen(row.id)) {
    c.mail = std::move(*f);
  } else if (auto built = build_mail(store, config, secret, set, row, now); !built) {
    c.mail = std::unexpected(built.error());
  } else if (auto bytes = templates::compose(built->mail); !bytes) {
    c.mail = std::unexpected("compose: " + bytes.error().detail);
  } else {
    tx.freeze_outbox(row.id, *bytes, built->envelope_from, now);
    c.mail = std::pair{std::move(*bytes), std::move(built->envelope_from)};
  }
  tx.commit();
  return c;
}

using Millis = std::chrono::milliseconds;

Millis since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t);
}

// Writes one attempt's outcome, with its events, in one transaction. `smtp`:
// how long the server took (connecting included), for the `sent` line.
void record(store::Store& store, const Config& config, const store::OutboxRow& before,
            const std::vector<std::string>& attempted, const Attempt& attempt, std::int64_t now,
            DeliveryPass& pass, Millis smtp = Millis(0)) {
  const auto started = std::chrono::steady_clock::now();
  AttemptResult res = next_state(before, attempted, attempt, config, now);
  const store::OutboxRow& row = res.row;
  const std::string number = ticket_number(store, row);
  auto tx = store.begin();
  tx.record_attempt(row, res.recipients, now);
  for (const auto& r : res.recipients)
    if (r.status == "failed")
      tx.mark_failing(r.address, now + config.guard.failing_address_seconds,
                      "refused by the SMTP server: " + std::to_string(r.code));
  const std::string what = row.kind + " <" + row.message_id + ">";
  if (row.state == "dead" && row.ticket_id)
    tx.add_event(*row.ticket_id, now, "outbox_dead", "ticketd",
                 what + " will not be sent: " + row.last_error + " (ticketctl outbox retry " +
                     std::to_string(row.id) + ")");
  else if (row.state == "sent" && !row.last_error.empty() && row.ticket_id)
    tx.add_event(*row.ticket_id, now, "delivery_failure", "ticketd",
                 what + " sent, but refused for " + row.last_error);
  tx.commit();
  if (row.state == "sent") {
    ++pass.sent;
    // smtp_ms: connect (when new) to the server's 250; record_ms: from then
    // to this line, the commit that marks the row sent (bench/latency).
    spdlog::info(
        "sent stage=deliver ticket={} kind={} message_id=<{}> to={} attempts={} smtp_ms={} "
        "record_ms={}",
        number, row.kind, row.message_id, fmt::join(attempted, ","), row.attempts, smtp.count(),
        since(started).count());
  } else if (row.state == "deferred") {
    ++pass.deferred;
    spdlog::warn(
        "deferred stage=deliver ticket={} kind={} message_id=<{}> attempts={} retry_in={}s "
        "error=\"{}\"",
        number, row.kind, row.message_id, row.attempts, row.next_attempt_at.value_or(now) - now,
        row.last_error);
  } else {
    ++pass.dead;
    spdlog::error("dead stage=deliver ticket={} kind={} message_id=<{}> attempts={} error=\"{}\"",
                  number, row.kind, row.message_id, row.attempts, row.last_error);
  }
}

// The recipients still to try: not yet sent, not refused for good.
std::vector<std::string> open_recipients(store::Store& store, const store::OutboxRow& row) {
  std::vector<std::string> out;
  for (const auto& r : store.recipient_status(row.id))
    if (r.status != "sent" && r.status != "failed") out.push_back(r.address);
  return out;
}

}  // namespace

std::expected<transport::SmtpConfig, std::string> smtp_config(const Config& config) {
  const auto& s = config.smtp;
  transport::SmtpConfig c;
  c.url = s.url;
  c.username = s.username;
  c.ca_file = s.ca_file;
  c.allow_plaintext_loopback = s.tls == "none";
  c.timeout = std::chrono::seconds(s.timeout_seconds);
  c.connect_timeout = std::chrono::seconds(std::min<std::int64_t>(s.timeout_seconds, 30));
  for (auto [file, target] : {std::pair{&s.password_file, &c.password},
                              std::pair{&s.oauth2_token_file, &c.oauth2_bearer}}) {
    if (file->empty()) continue;
    auto secret = transport::read_secret_file(*file);
    if (!secret) return std::unexpected(config.file + ": smtp: " + secret.error());
    *target = std::move(*secret);
  }
  c.debug = [](std::string_view line) { spdlog::debug("smtp stage=deliver {}", line); };
  if (auto ok = transport::check_smtp_config(c); !ok)
    return std::unexpected(config.file + ": smtp.url: " + ok.error());
  return c;
}

DeliveryPass deliver_due(store::Store& store, const Config& config, std::string_view secret,
                         const templates::TemplateSet& set, transport::SmtpClient& smtp,
                         std::int64_t now, const std::atomic<bool>* stop) {
  DeliveryPass pass;
  const auto rows = store.due_outbox(now, config.outbox.batch);
  pass.due = static_cast<int>(rows.size());
  std::optional<Attempt> connection_down;  // once the server is unreachable, defer the rest
  // A claim outlives any one SMTP exchange; a crashed sender's claim expires,
  // or is released at once when its process is gone (same host, same store).
  const std::int64_t lease = 2 * config.smtp.timeout_seconds + 60;
  const std::string me = std::to_string(::getpid());
  {
    auto tx = store.begin();
    const int released = tx.release_claims_of_dead([&](std::string_view owner) {
      std::error_code ec;
      return owner == me || std::filesystem::exists("/proc/" + std::string(owner) + "/exe", ec);
    });
    tx.commit();
    if (released > 0)
      spdlog::warn(
          "claims_released stage=deliver rows={}: their sender is gone (a crash); "
          "sent again with the same Message-ID",
          released);
  }
  for (const auto& row : rows) {
    if (stop && *stop) break;
    Claimed claimed = claim_and_freeze(store, config, secret, set, row, now, lease, me);
    if (!claimed.mine) continue;  // another sender (a cron `deliver` beside the daemon) has it
    const std::vector<std::string> rcpts = open_recipients(store, row);
    auto& mail = claimed.mail;
    if (!mail) {
      record(store, config, row, rcpts, {Attempt::permanent, 0, mail.error(), {}}, now, pass);
      continue;
    }
    if (connection_down) {
      record(store, config, row, rcpts, *connection_down, now, pass);
      continue;
    }
    if (rcpts.empty()) {  // every recipient settled by an earlier attempt
      record(store, config, row, {}, {Attempt::delivered, 0, "", {}}, now, pass);
      continue;
    }
    crash_point("after_outbox_row");
    const auto sending = std::chrono::steady_clock::now();
    const auto result = smtp.send({mail->second, rcpts}, mail->first);
    if (result.ok()) crash_point("after_smtp_250");
    const Millis took = since(sending);
    Attempt a = attempt_of(result);
    // Nothing reached the server (connect, greeting, TLS, auth): the same
    // would happen to every other row of this pass.
    if (a.kind == Attempt::transport ||
        (a.kind == Attempt::temporary && result.phase <= transport::SmtpPhase::auth)) {
      connection_down = a;
      connection_down->recipients.clear();
      smtp.reset();
    }
    record(store, config, row, rcpts, a, now, pass, took);
  }
  return pass;
}

}  // namespace ticketd::daemon
