// ticketd templates: the composer — an outgoing mail (already rendered text
// and HTML) to RFC 5322 bytes. Pure: no I/O, no clock (the Date is passed in),
// no randomness (MIME boundaries derive from the Message-ID). The outbox
// worker calls it; its output must re-parse with our own parser to exactly the
// intended headers, body and attachments.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ticketd::templates {

struct MailAddress {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // addr-spec, ASCII: dot-atom local part (≤ 64) '@' host name, ≤ 254 in all
};

struct OutgoingAttachment {
  std::string filename;      // UTF-8, may be empty; RFC 2231 (plus an ASCII fallback)
                             // when not short plain ASCII; any byte allowed (CR and
                             // LF go out percent-encoded, never raw)
  std::string content_type;  // "application/pdf"; anything but type/subtype tokens, and
                             // message/* or multipart/* (no base64 allowed, RFC 2046),
                             // is sent as application/octet-stream
  std::string data;          // raw bytes (base64-encoded in the mail)
};

struct OutgoingMail {
  MailAddress from;
  std::optional<MailAddress> reply_to;
  std::vector<MailAddress> to, cc;  // Bcc is envelope-only and never part of the bytes
  std::string subject;              // UTF-8
  // Message ids without <>: 1..250 printable ASCII characters, no spaces or <>.
  std::string message_id;               // required
  std::string in_reply_to;              // may be empty
  std::vector<std::string> references;  // oldest first
  std::int64_t date = 0;       // seconds since the epoch; written as RFC 5322 date in UTC (+0000)
  std::string auto_submitted;  // "", "auto-replied" or "auto-generated" (RFC 3834)
  std::string text;            // the text/plain part, UTF-8, LF line ends
  std::optional<std::string> html;  // the text/html part, UTF-8
  std::vector<OutgoingAttachment> attachments;
  // e.g. {"X-Ticketd-Ticket", "TD-1001"}. Names: ftext, ≤ 64 characters, not one
  // the composer writes (nor Bcc, Sender, Content-*, Resent-*...). Values are
  // written as they are when printable ASCII (folded at single spaces), else as
  // RFC 2047 encoded words — so a non-ASCII value must be unstructured text.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

enum class ComposeErrorKind {
  header_injection,  // CR, LF or NUL in a value that becomes a header
  bad_address,       // an address that is not a plain addr-spec, or a bad message id
  missing_field,     // no From, no recipient, or no Message-ID
  bad_header_name,   // an extra header name outside RFC 5322 ftext, or a reserved one
};

struct ComposeError {
  ComposeErrorKind kind;
  // Which field, never its value: "subject", "from.name", "to[1].address",
  // "reply_to.address", "message_id", "references[2]", "auto_submitted",
  // "extra_headers[0].name", "attachments[0].content_type"; for missing_field
  // "from", "to" (no To and no Cc) or "message_id".
  std::string detail;
};

// The mail as CRLF-terminated RFC 5322 bytes:
//  - Date, From, Reply-To, To, Cc, Subject, Message-ID, In-Reply-To, References,
//    Auto-Submitted (when set), MIME-Version, extra headers; no Bcc;
//  - display names as atoms, a quoted string, or (non-ASCII, controls, "=?",
//    longer than 66) RFC 2047 encoded words; the subject as it is when it is
//    printable ASCII that folds within 78 columns, else wholly as encoded words
//    (UTF-8, B or Q, each ≤ 75 characters, never splitting a UTF-8 character);
//    header lines folded at ≤ 78 characters where possible, never over 998;
//    folds only at single spaces, so re-parsing gives back every space run;
//  - body: text only → text/plain; text + html → multipart/alternative;
//    attachments → multipart/mixed around that. UTF-8; quoted-printable for
//    text and HTML always (lines ≤ 76; also escapes a leading "." or "From "
//    and trailing blanks, which relays mangle); base64 for attachments; no
//    bare CR or LF anywhere. Boundaries: "=_alt_" / "=_mix_" + a hash of the
//    Message-ID ("=_" cannot occur in QP or base64; checked anyway);
//  - deterministic: the same mail gives the same bytes (a resend after a crash
//    is byte-identical);
//  - any CR, LF or NUL in a value that becomes a header (attachment content
//    types included) is an error (header_injection), never silently stripped.
//    Attachment file names are the exception: they are always percent-encoded
//    when not plain ASCII, so they cannot inject (and a hostile name on a
//    forwarded attachment cannot block the mail).
// What a reader cannot get back: leading/trailing blanks and tabs of header
// text (RFC 5322 folding whitespace); CR line ends in the text (become LF).
// Our parser also reads an empty text beside HTML as "no text" (it uses the
// HTML's text instead) and a "begin 644 name" uuencoded block in the text as
// an attachment.
std::expected<std::string, ComposeError> compose(const OutgoingMail& mail);

}  // namespace ticketd::templates
