// ticketd parser: HTML to readable plain text in one pass (our own tokenizer
// and HTML 4 recovery rules; no network, no entity loading, no tree).
// Paragraphs and <br> become line breaks, lists get "- " / "1. " markers,
// links become "text <url>", script/style/head contents are dropped, entities
// decoded. Pure; never throws.
#pragma once

#include <string>
#include <string_view>

namespace ticketd::parser {

// `html` must already be UTF-8. Output: UTF-8 text, lines joined with '\n',
// at most two consecutive blank lines, trailing whitespace trimmed.
std::string html_to_text(std::string_view html);

}  // namespace ticketd::parser
