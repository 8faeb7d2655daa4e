// ticketd parser: the value a raw RFC 5322 mail becomes.
// Pure data, no I/O. Filled by parse_message() (parser/parse.h); read by the
// lifecycle (threading, loop guard), the store and ticketctl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::parser {

// Caps for hostile or broken input. Past a cap the parser records a defect and
// goes on (the rest is treated as plain text), never fails the whole mail.
struct ParseLimits {
  std::size_t max_message_bytes = 64u << 20;     // whole raw mail
  std::size_t max_header_bytes = 1u << 20;       // one header block
  std::size_t max_header_count = 5000;           // header fields per block
  std::size_t max_depth = 32;                    // multipart / rfc822 nesting
  std::size_t max_parts = 2000;                  // MIME leaves + containers
  std::size_t max_attachment_bytes = 50u << 20;  // one decoded attachment
  std::size_t max_addresses = 1000;              // per address header
  std::size_t max_params = 256;                  // Content-* parameters
  // An attachment whose body is at least this many bytes, in base64 or in an
  // encoding read as it is (anything but quoted-printable and uuencode), is
  // hashed and measured, not kept: its data stays empty and it points into
  // the parsed bytes instead, which the caller must then keep alive as long
  // as the Message (attachment_content() decodes it again). 0: every
  // attachment's data is kept (the Message owns all it needs).
  std::size_t lazy_attachment_bytes = 0;
};

// Named reasons for everything the parser tolerated or refused.
enum class DefectKind {
  mbox_from_line,          // leading "From " envelope line skipped
  header_too_big,          // header block past max_header_bytes
  too_many_headers,        // past max_header_count
  bad_header_line,         // a line in the header block without a colon
  missing_boundary,        // multipart without boundary parameter
  unterminated_multipart,  // no closing boundary
  too_deep,                // nesting past max_depth
  too_many_parts,          // past max_parts
  attachment_too_big,      // decoded attachment past max_attachment_bytes
  message_too_big,         // raw mail past max_message_bytes
  too_many_addresses,      // address list truncated
  too_many_params,         // parameter list truncated
  bad_encoded_word,        // RFC 2047 word that could not be decoded, kept as text
  unknown_charset,         // declared charset unknown to iconv, fallback used
  charset_mismatch,        // bytes invalid in declared charset, fallback used
  invalid_utf8,            // bytes repaired with U+FFFD
  undeclared_8bit,         // 8-bit bytes with no charset declared
  bad_base64,              // junk characters in base64 skipped
  bad_quoted_printable,    // malformed =XX sequences kept literally
  bad_content_type,        // unparseable Content-Type, text/plain assumed
  bad_address,             // address that could not be parsed cleanly
  bad_date,                // Date header unparseable
  nul_byte,                // NUL bytes in text removed
};

std::string_view defect_name(DefectKind kind);

struct Defect {
  DefectKind kind;
  std::string detail;  // short, human-readable, never the whole input
};

using Defects = std::vector<Defect>;

// Records a defect unless one of the same kind is already there: one entry
// names the problem, and a mail with a thousand broken headers must not grow a
// thousand entries. The detail is cut to 60 bytes.
void add_defect(Defects& defects, DefectKind kind, std::string_view detail);

struct Address {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // addr-spec as written (local@domain); domain lower-cased
};

struct Attachment {
  std::string filename;      // decoded, UTF-8; made up if the part has none (attachment_name.h)
  std::string content_type;  // lower-case type/subtype
  std::string content_id;    // without angle brackets, may be empty
  bool inline_part = false;  // Content-Disposition: inline (or cid-referenced)
  std::string sha256;        // lower-case hex of the decoded content
  std::size_t size = 0;      // decoded size in bytes (also when data was dropped)
  bool dropped = false;      // past max_attachment_bytes: data empty, size/sha256 kept
  std::string data;          // decoded content (empty when dropped or lazy)
  // Lazy (ParseLimits::lazy_attachment_bytes): data is empty and the content
  // is `encoded` (a view into the parsed bytes) decoded, base64 or as it is.
  bool lazy = false;
  bool base64 = false;
  std::string_view encoded;
};

// What kind of automatic mail this is (RFC 3834 and friends); none when a
// person wrote it. parser/auto_class.h says how it is decided.
enum class AutoKind {
  none,
  delivery_report,  // a delivery failure or delay notice (DSN, NDR, qmail/Exim text bounces)
  auto_reply,       // out of office, vacation, an autoresponder's acknowledgement
  read_receipt,     // a message disposition notification (RFC 3798)
  feedback_report,  // an abuse/spam complaint (ARF, RFC 5965)
  bulk,             // mailing list or newsletter (List-Id, Precedence: bulk/list)
  auto_generated,   // other machine mail: notifications, no-reply senders
};

// Where a piece of evidence was found.
enum class EvidenceKind {
  header,     // a header only machines write (Auto-Submitted, X-Failed-Recipients, ...)
  sender,     // Return-Path / From of a mail system (MAILER-DAEMON, postmaster, <>, no-reply)
  structure,  // multipart/report, message/delivery-status, a bounce's body text
  subject,    // a subject mail systems write ("Undeliverable:", "Automatic reply:")
};

struct AutoEvidence {
  EvidenceKind kind;
  std::string detail;  // what was seen, one line, short ("Auto-Submitted: auto-replied")
};

std::string_view evidence_kind_name(EvidenceKind kind);
std::string_view auto_kind_name(AutoKind kind);

// Everything threading needs, pulled out of the headers.
struct ThreadKeys {
  std::string message_id;                  // without <>; empty when absent
  std::string in_reply_to;                 // first msg-id of In-Reply-To, without <>
  std::vector<std::string> references;     // msg-ids of References, oldest first
  std::optional<std::string> subject_tag;  // text inside "[#...]" in the subject
  std::vector<std::string> plus_tokens;    // "+token" parts of recipient local parts
};

struct Message {
  Address from;
  std::vector<Address> to, cc, reply_to;
  std::vector<Address> delivered_to;       // Delivered-To / X-Original-To, for plus tokens
  std::optional<std::string> return_path;  // Return-Path address; "" for the null path <>
  std::string subject;                     // decoded UTF-8
  std::optional<std::int64_t> date;        // seconds since epoch, UTC
  ThreadKeys keys;
  std::string text;                 // chosen body, UTF-8 plain text
  std::string new_text;             // text without quoted history
  std::optional<std::string> html;  // the HTML body as UTF-8, if any
  std::vector<Attachment> attachments;
  AutoKind auto_kind = AutoKind::none;
  // Why auto_kind is what it is, strongest first; empty for a person's mail.
  // Weak evidence of a person's mail that was not enough is not listed.
  std::vector<AutoEvidence> auto_evidence;
  // Machine-readable report structure in this mail (outside the messages it
  // carries): "multipart/report; report-type=delivery-status",
  // "message/delivery-status", "text/rfc822-headers", ...
  std::vector<std::string> report_parts;
  // Message-IDs (without <>) of the messages this mail carries: attached
  // message/rfc822 parts, text/rfc822-headers, an MDN's Original-Message-ID.
  std::vector<std::string> carried_message_ids;
  // The mails a delivery, disposition or feedback report is about, without <>:
  // the carried ones, or for a bounce that quotes the original as text (qmail,
  // Exim), its Message-ID line. Empty for other mail.
  std::vector<std::string> bounced_message_ids;
  // Top-level header fields as written (name, unfolded raw value), in order.
  std::vector<std::pair<std::string, std::string>> headers;
  Defects defects;

  // First header value with this name (case-insensitive), raw (unfolded), or nullptr.
  const std::string* header(std::string_view name) const;
};

}  // namespace ticketd::parser
