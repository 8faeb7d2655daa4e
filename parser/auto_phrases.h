// ticketd parser, internal to auto_class.cpp: the words mail systems write —
// subjects of bounces, out-of-office replies and receipts in the languages
// their systems use, and the sentences their reports open with. Pure tables
// and matching; no I/O. Each table entry names the system that writes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parser/message.h"

namespace ticketd::parser::phrases {

// How much a phrase says on its own.
enum class Weight {
  strong,  // only machines write it ("Undeliverable: ...", "Automatic reply: ...")
  weak,    // a person might write it too; counts when another kind of evidence agrees
  hint,    // never makes a mail automatic; only tells which kind an automatic mail is
};

struct Hit {
  AutoKind kind;
  Weight weight;
};

// The decoded subject's verdict; nullopt when it says nothing. A subject a
// person answers or forwards ("Re:", "AW:", "Fwd:", ...) never matches.
std::optional<Hit> subject_hit(std::string_view subject);

// The machine sentence found in `text` (the start of the body, ASCII
// lower-cased, whitespace runs squeezed to one space), and what it reports.
struct TextHit {
  AutoKind kind;
  std::string_view phrase;
};
std::optional<TextHit> text_hit(std::string_view text);

// A help desk's, CRM's or shop's acknowledgement sentence near the start of
// `text` (as for text_hit), or nullopt. A hint only: a person writes these too.
std::optional<std::string_view> acknowledgement_text(std::string_view text);

// An Outlook "reply with template" rule: the subject is an absence phrase and
// nothing else ("Out of Office", "Afwezig tot 11 maart", "Absence du bureau"),
// and the body (as for text_hit) speaks of an absence too. Returns the body's
// phrase. No header marks these mails; neither half alone is enough.
std::optional<std::string_view> absence_template(std::string_view subject, std::string_view text);
// The subject half of absence_template alone.
bool absence_subject(std::string_view subject);

}  // namespace ticketd::parser::phrases
