// ticketd templates, internal to the composer: folded header fields and the
// MIME body (text, HTML, attachments) of an outgoing mail. composer.cpp
// validates the mail first and writes the top-level header with these; nothing
// else includes this file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "templates/composer.h"

namespace ticketd::templates::detail {

inline constexpr std::size_t kFoldAt = 78;    // RFC 5322 2.1.1: SHOULD
inline constexpr std::size_t kMaxLine = 998;  // RFC 5322 2.1.1: MUST
inline constexpr std::size_t kMaxWord = 75;   // RFC 2047 2: one encoded word
inline constexpr std::size_t kMinWord = 20;   // smallest word holding any UTF-8 character

// One header field built from unbreakable tokens separated by single spaces.
// Folding puts CRLF before such a space, so unfolding (dropping CR and LF)
// gives back exactly the tokens joined by single spaces.
class HeaderLine {
 public:
  explicit HeaderLine(std::string_view name);

  // Appends `token` after one space; folds first when the line would pass 78
  // characters and already holds a token. A token is never split, so a token
  // longer than a line makes a long line (callers keep tokens under 998).
  void add(std::string_view token);

  // Appends `utf8` as RFC 2047 encoded words (each ≤ 75 characters), the first
  // sized to the room left on the current line. Nothing for an empty text.
  void add_words(std::string_view utf8);

  // Characters a token may have to fit on the current line after its space.
  std::size_t room() const;

  // The field, ending in CRLF.
  std::string take() &&;

 private:
  std::string text_;
  std::size_t line_length_ = 0;
  bool line_has_token_ = false;
};

// A MIME entity: its Content-* header lines (each ending in CRLF) and its body.
struct MimeEntity {
  std::string headers;
  std::string body;
};

// The mail's body as one entity: text/plain alone, multipart/alternative when
// there is HTML, multipart/mixed around that when there are attachments.
// Boundaries derive from the Message-ID and are checked against the content.
// Expects a validated mail (no CR, LF or NUL in attachment names or types).
MimeEntity mime_body(const OutgoingMail& mail);

}  // namespace ticketd::templates::detail
