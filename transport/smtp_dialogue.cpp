// The pure half of the SMTP client: reading the conversation, classifying
// how a send ended and building the result. No curl calls, only its codes.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "transport/smtp.h"

namespace ticketd::transport {
namespace {

std::string_view strip_eol(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// A reply line's code, or 0 when the line does not start with three digits.
int code_of(std::string_view line) {
  if (line.size() < 3 ||
      !std::all_of(line.begin(), line.begin() + 3, [](char c) { return c >= '0' && c <= '9'; }))
    return 0;
  return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

bool in_transaction(SmtpPhase phase) {
  return phase == SmtpPhase::mail || phase == SmtpPhase::rcpt || phase == SmtpPhase::data ||
         phase == SmtpPhase::message;
}

bool refused(int code) { return code < 200 || code >= 400; }

// Keeps the error short and on one line: it ends up in a log line and a DB row.
std::string one_line(std::string text) {
  constexpr std::size_t max_chars = 300;
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
  return text;
}

// Every RCPT was refused (curl gives up before DATA): temporary if any one of
// them may yet work, so the 4xx recipient is retried rather than buried.
const SmtpDialogue::Reply* deciding_rcpt(const SmtpDialogue& dialogue) {
  const auto& rcpt = dialogue.rcpt_replies();
  if (rcpt.empty() || !std::ranges::all_of(rcpt, [](const auto& r) { return refused(r.code); }))
    return nullptr;
  auto temp = std::ranges::find_if(rcpt, [](const auto& r) { return r.code / 100 == 4; });
  return temp != rcpt.end() ? &*temp : &rcpt.back();
}

}  // namespace

std::string_view smtp_status_name(SmtpStatus status) {
  switch (status) {
    case SmtpStatus::ok:
      return "ok";
    case SmtpStatus::temporary:
      return "temporary";
    case SmtpStatus::permanent:
      return "permanent";
    case SmtpStatus::auth:
      return "auth";
    case SmtpStatus::tls_verify:
      return "tls_verify";
    case SmtpStatus::config:
      return "config";
  }
  return "unknown";
}

std::string_view smtp_phase_name(SmtpPhase phase) {
  switch (phase) {
    case SmtpPhase::connect:
      return "connect";
    case SmtpPhase::greeting:
      return "greeting";
    case SmtpPhase::ehlo:
      return "EHLO";
    case SmtpPhase::starttls:
      return "STARTTLS";
    case SmtpPhase::auth:
      return "AUTH";
    case SmtpPhase::mail:
      return "MAIL";
    case SmtpPhase::rcpt:
      return "RCPT";
    case SmtpPhase::data:
      return "DATA";
    case SmtpPhase::message:
      return "message";
  }
  return "unknown";
}

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "::1" || host == "[::1]" || iequals(host, "localhost");
}

SmtpStatus status_of_reply(int code) {
  if (code >= 200 && code < 400) return SmtpStatus::ok;
  if (code >= 500 && code < 600) return SmtpStatus::permanent;
  return SmtpStatus::temporary;
}

SmtpStatus classify_failure(int curl_code, SmtpPhase phase, int reply_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
      return SmtpStatus::ok;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return SmtpStatus::auth;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
      return SmtpStatus::tls_verify;
    case CURLE_USE_SSL_FAILED:
      // "454 TLS not available due to temporary reason" is a hiccup; no
      // STARTTLS at all (or 5xx) means we would have to go plaintext: never.
      return reply_code / 100 == 4 ? SmtpStatus::temporary : SmtpStatus::tls_verify;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
      return SmtpStatus::config;
    default:
      break;
  }
  if (in_transaction(phase) && reply_code >= 400) return status_of_reply(reply_code);
  return SmtpStatus::temporary;  // connection refused, reset, timed out, handshake failed
}

void SmtpDialogue::command(std::string_view line) {
  line = strip_eol(line);
  // After "334 <challenge>" the next line is our SASL answer, not a command.
  if (phase_ == SmtpPhase::auth && last_.code == 334) return;
  const std::string_view verb = line.substr(0, line.find(' '));
  if (iequals(verb, "EHLO") || iequals(verb, "HELO")) {
    phase_ = SmtpPhase::ehlo;
  } else if (iequals(verb, "STARTTLS")) {
    phase_ = SmtpPhase::starttls;
  } else if (iequals(verb, "AUTH")) {
    phase_ = SmtpPhase::auth;
  } else if (iequals(verb, "MAIL") || iequals(verb, "RSET")) {
    phase_ = SmtpPhase::mail;
    rcpt_.clear();
  } else if (iequals(verb, "RCPT")) {
    phase_ = SmtpPhase::rcpt;
  } else if (iequals(verb, "DATA")) {
    phase_ = SmtpPhase::data;
  } else if (iequals(verb, "QUIT")) {
    quitting_ = true;  // its "221 Bye" must not hide the reply that mattered
  }
}

void SmtpDialogue::reply_line(std::string_view line) {
  line = strip_eol(line);
  const int code = code_of(line);
  if (quitting_ || code == 0 || (line.size() > 3 && line[3] == '-')) return;  // not a final line
  ++replies_;
  last_ = Reply{code, std::string(line)};
  if (phase_ == SmtpPhase::connect) phase_ = SmtpPhase::greeting;
  if (phase_ == SmtpPhase::rcpt) rcpt_.push_back(last_);
  // curl sends the mail after 354 without a debug line; the next reply is the verdict.
  if (phase_ == SmtpPhase::data && code == 354) phase_ = SmtpPhase::message;
}

SmtpSendResult summarize_send(int curl_code, std::string_view curl_error,
                              const SmtpDialogue& dialogue,
                              const std::vector<std::string>& recipients,
                              const Redactor& redactor) {
  SmtpSendResult out;
  out.phase = dialogue.phase();
  const auto& last = dialogue.last_reply();
  const SmtpDialogue::Reply* decisive = curl_code == CURLE_OK ? nullptr : deciding_rcpt(dialogue);
  if (curl_code == CURLE_OK) {
    out.status = SmtpStatus::ok;
    out.code = last.code;
  } else if (decisive) {
    out.status = status_of_reply(decisive->code);
    out.code = decisive->code;
    out.error = one_line(redactor.apply("RCPT: every recipient refused: " + decisive->line));
  } else {
    out.status = classify_failure(curl_code, out.phase, last.code);
    out.code = refused(last.code) ? last.code : 0;  // not the "354" before a lost verdict
    const bool server_said_no =
        dialogue.any_reply() && refused(last.code) && curl_code != CURLE_PEER_FAILED_VERIFICATION;
    const std::string why = server_said_no ? last.line : std::string(curl_error);
    out.error = one_line(redactor.apply(std::string(smtp_phase_name(out.phase)) + ": " + why));
  }
  const auto& rcpt = dialogue.rcpt_replies();
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    SmtpRecipientResult r{recipients[i], out.status, out.code, {}};
    if (i < rcpt.size() && refused(rcpt[i].code)) {
      r.status = status_of_reply(rcpt[i].code);
      r.code = rcpt[i].code;
      r.reply = one_line(redactor.apply(rcpt[i].line));
    } else if (i < rcpt.size() && dialogue.any_reply()) {
      r.reply = one_line(redactor.apply(last.line));  // "250 2.0.0 Ok: queued as …"
    }
    out.recipients.push_back(std::move(r));
  }
  return out;
}

}  // namespace ticketd::transport
