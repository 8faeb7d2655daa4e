// ticketd parser: the new text of a reply without the quoted history. Pure.
// Patterns, in order: our own marker line (kReplyMarker), then Gmail/Apple
// "On <date>, <name> wrote:", Outlook "-----Original Message-----" and its
// "From: ... Sent: ..." header block, "________________________________"
// separator lines followed by From:, German/French variants ("Am ... schrieb",
// "Le ... a écrit"), and a trailing block of "> " quoted lines.
#pragma once

#include <string>
#include <string_view>

namespace ticketd::parser {

// The line ticketd puts at the top of every mail it sends; everything from this
// line down is history.
inline constexpr std::string_view kReplyMarker = "##- Please type your reply above this line -##";

// Returns the text above the first history marker, trailing blank lines and
// whitespace removed. When nothing is found, returns `text` trimmed. When the
// mail is nothing but quote (e.g. top is empty), returns "" — callers keep the
// full text anyway.
std::string strip_quoted_reply(std::string_view text);

}  // namespace ticketd::parser
