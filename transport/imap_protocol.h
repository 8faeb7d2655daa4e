// ticketd transport: the pure part of IMAP (RFC 3501) — framing server output
// into responses (lines with {N} literals), tokenizing them, reading FETCH and
// SEARCH data, and writing UID sets and quoted strings for commands.
// No I/O, no clock; the IMAP client (imap_*.cpp) and the unit tests call it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::transport::imap {

struct ProtocolError {
  std::string detail;  // what was malformed; never more than a short excerpt of input
};

// Cuts the byte stream from the server into whole responses: a line, and when
// it ends in {N} (or {N+}), N raw bytes and the rest of the line, repeatedly.
// Feed chunks as they arrive, in any sizes; the bytes are kept until taken.
class ResponseReader {
 public:
  ResponseReader(std::size_t max_line_bytes, std::size_t max_literal_bytes)
      : max_line_(max_line_bytes), max_literal_(max_literal_bytes) {}

  void feed(std::string_view bytes);
  // The next complete response (its raw bytes, up to and including the final
  // line end), nothing when more input is needed, or an error when a limit is
  // passed. After an error the stream cannot be resynchronised: drop it.
  // The bytes are the reader's own, valid until the next feed() or next():
  // parse them first (a copy of each response, a whole batch of mail, was
  // a malloc and a memcpy of every mail fetched).
  std::expected<std::optional<std::string_view>, ProtocolError> next();
  std::size_t buffered() const { return buf_.size() - start_; }

 private:
  void compact();
  void release();  // the response returned last is no longer referenced
  std::string buf_;
  bool handed_out_ = false;  // next() returned a view of buf_ not yet released
  std::size_t max_line_, max_literal_;
  std::size_t start_ = 0;        // first byte of the response being framed
  std::size_t line_start_ = 0;   // first byte of its current line segment
  std::size_t scan_ = 0;         // where the search for the line's LF goes on
  std::size_t literal_end_ = 0;  // >0: waiting until the buffer holds this many bytes
};

// One data item of a response. Strings (quoted or literal) are raw bytes.
struct Value {
  enum class Kind { atom, string, nil, list };
  Kind kind = Kind::atom;
  std::string text;          // atom text (may contain [..] sections) or string bytes
  std::vector<Value> items;  // Kind::list
};

enum class ResponseKind { untagged, tagged, continuation };

struct Response {
  ResponseKind kind = ResponseKind::untagged;
  std::string tag;                      // tagged responses only
  std::optional<std::uint32_t> number;  // "* 12 EXISTS" → 12
  std::string name;                     // upper case: OK NO BAD BYE PREAUTH EXISTS FETCH SEARCH ...
  std::string code;                     // status responses: "[UIDVALIDITY 7]" → UIDVALIDITY
  std::string code_args;                //                                     → "7"
  std::string text;                     // status text or the continuation's text
  std::vector<Value> data;              // everything after the name (not for status responses)

  bool is_status() const;  // OK, NO, BAD, BYE or PREAUTH
};

// Tokenizes one response as framed by ResponseReader.
std::expected<Response, ProtocolError> parse_response(std::string_view raw);

// "* n FETCH (...)" data. `body` is set only when BODY[] was in the reply (NIL → empty).
struct FetchData {
  std::uint32_t sequence = 0;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint64_t> size;
  std::optional<std::string> body;
  std::optional<std::vector<std::string>> flags;
};
// Takes the body out of `response` (moved, not copied).
std::expected<FetchData, ProtocolError> parse_fetch(Response&& response);

// "* SEARCH 3 4 9" → {3, 4, 9}; non-number items (e.g. a (MODSEQ n) list) are skipped.
std::expected<std::vector<std::uint32_t>, ProtocolError> parse_search(const Response& response);

// Atoms of a CAPABILITY response or of a [CAPABILITY ...] code, upper case.
std::vector<std::string> parse_capabilities(const Response& response);

std::optional<std::uint64_t> parse_number(std::string_view text);

// Sorted, duplicate-free, ranges joined: {9,1,2,3,5,10} → "1:3,5,9:10". Empty → "".
std::string format_uid_set(std::span<const std::uint32_t> uids);
// "1:3,5,9:10" (as servers write in COPYUID) → {1,2,3,5,9,10}; at most max_count UIDs.
std::expected<std::vector<std::uint32_t>, ProtocolError> parse_uid_set(std::string_view set,
                                                                       std::size_t max_count);

// A mailbox name or other astring as a quoted string: "a\"b". Only printable
// ASCII; anything else (CR, LF, NUL, 8-bit, which would need a literal or
// modified UTF-7) is refused.
std::expected<std::string, ProtocolError> quote(std::string_view text);

// A flag we may send: a system flag (\Seen ...) or a keyword atom ($TicketdProcessed).
bool is_valid_flag(std::string_view flag);

// Case-insensitive ASCII compare.
bool iequals(std::string_view a, std::string_view b);

}  // namespace ticketd::transport::imap
