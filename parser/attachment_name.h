// ticketd parser: the names people see for attachments. The sender's file name
// when there is one; else a name made from what the part says about itself
// (the carried mail's Subject, Content-Location, Content-ID, Content-Description,
// its type), much as Zammad's e-mail parser does (so a mail reads the same in
// both help desks). Pure. Called by parse.cpp. Names are display-only: they
// never become a file-system path (attachments are stored by id), so given names
// are kept as written and only made-up ones are cleaned.
//
// A carried message (message/rfc822: a forward, a bounce's returned mail, a
// spam report's original) is one attachment, "<its Subject>.eml", and its own
// attachments stay inside it, as in Zammad (none of the ten carried messages in
// nine mails of its corpus has its inner parts listed). Listing them beside the .eml
// would store their bytes twice, send them twice when an agent's answer or a
// customer's reply is relayed with its attachments, and put a bounced mail's
// files (ours) or a spam payload on the ticket as if the sender had attached
// them. Whoever wants the inner files parses the .eml (it is a whole mail).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ticketd::parser {

// What one MIME part says about its name. Everything decoded to UTF-8 except
// `location`, which is the raw (unfolded) Content-Location value.
struct PartNameSources {
  std::string given;            // Content-Disposition filename, else Content-Type name=
  std::string content_type;     // lower-case type/subtype
  std::string location;         // Content-Location
  std::string content_id;       // without <>
  std::string description;      // Content-Description
  std::string carried_subject;  // message/rfc822 and message/global: the carried mail's Subject
};

// A display name. A made-up one keeps stem and extension apart so that a
// counter can go between them ("document" "1" ".html").
struct DisplayName {
  std::string stem;  // the whole name when ext is empty
  std::string ext;   // without the dot
  bool made_up = false;

  // Returns stem, or stem + "." + ext.
  std::string str() const;
};

// Returns the display name of one part, from the first of:
//  1. `given` (not blank), as written;
//  2. a carried message: its Subject + ".eml", else Content-Description + ".eml",
//     else "forwarded message.eml";
//  3. the last path segment of Content-Location (percent-decoded, no query);
//  4. a Content-ID whose local part looks like a file name
//     ("image001.jpg@01D3…" -> "image001.jpg", Outlook's inline images);
//  5. a name from the type: Content-Description (if it is a short, one-line
//     name) or a word for the type ("image", "document", "video", …) plus the
//     type's extension ("image.jpg", "Delivery report.txt");
//  6. the Content-ID's local part ("32497.1617621278.2@host" -> "32497.1617621278.2");
//  7. "file".
// A made-up name is at most 120 bytes, without control characters, '/' or '\'.
DisplayName display_name(const PartNameSources& part);

// Returns the names of one mail's attachments, in order. Given names stay as
// written, repeats included (mail102 of the Zammad corpus attaches one
// screenshot twice: both keep the sender's name). A made-up name already used
// by any given name or by an earlier attachment gets the first free counter,
// as Zammad numbers them: "document.html", "document1.html"; after a stem that
// ends in a digit, with a dash: "image001.jpg", "image001-1.jpg".
std::vector<std::string> numbered_names(const std::vector<DisplayName>& names);

}  // namespace ticketd::parser
