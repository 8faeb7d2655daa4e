// The MIME half of the composer: header folding and the body entities.
#include "templates/composer_mime.h"

#include <algorithm>
#include <vector>

#include "templates/encode.h"

namespace ticketd::templates::detail {

namespace {

// Longest file name written as one plain quoted parameter; longer or
// non-ASCII names get RFC 2231 (with an ASCII fallback of this size beside it).
constexpr std::size_t kPlainFilenameMax = 60;
// Percent-encoded characters per RFC 2231 section: " filename*12*=" + 60 + ";" < 78.
constexpr std::size_t kSectionMax = 60;

bool is_printable_ascii(char c) { return c >= 0x20 && c < 0x7F; }

// RFC 2045 token character (no tspecials, space or controls).
bool is_mime_token_char(char c) {
  return c > 0x20 && c < 0x7F &&
         std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

bool is_mime_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_mime_token_char);
}

// "type/subtype"; anything else (a stored type from a broken incoming mail,
// with spaces or parameters) is sent as application/octet-stream so that one
// odd attachment cannot make the whole reply unsendable. So are message/* and
// multipart/*: RFC 2046 forbids base64 for them, and attachments are base64.
std::string content_type_of(std::string_view type) {
  const std::size_t slash = type.find('/');
  if (slash == std::string_view::npos) return "application/octet-stream";
  std::string top(type.substr(0, slash));
  for (char& c : top) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const bool composite = top == "message" || top == "multipart";
  if (composite || !is_mime_token(top) || !is_mime_token(type.substr(slash + 1)))
    return "application/octet-stream";
  return std::string(type);
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Printable ASCII that cannot be taken for encoded words and, quoted, fits
// " filename=" + it + ";" within 78 columns.
bool is_plain_filename(std::string_view name) {
  return quoted(name).size() <= kPlainFilenameMax + 2 &&
         std::all_of(name.begin(), name.end(), is_printable_ascii) &&
         name.find("=?") == std::string_view::npos;
}

// For readers without RFC 2231: safe ASCII, one '_' per other character,
// shortened to kPlainFilenameMax keeping a short extension.
std::string ascii_fallback(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view(" .,_+()-").find(static_cast<char>(c)) != std::string_view::npos;
    out.push_back(keep ? static_cast<char>(c) : '_');
    while (c >= 0xC0 && i + 1 < name.size() &&
           (static_cast<unsigned char>(name[i + 1]) & 0xC0) == 0x80)
      ++i;  // the rest of this UTF-8 character
  }
  if (out.size() <= kPlainFilenameMax) return out;
  const std::size_t dot = out.rfind('.');
  const std::string ext = dot != std::string::npos && out.size() - dot <= 10 ? out.substr(dot) : "";
  return out.substr(0, kPlainFilenameMax - ext.size()) + ext;
}

// The encoded filename as RFC 2231 values: one "filename*=" when it fits a
// line, else numbered sections, never cutting a %XX triple.
std::vector<std::string> rfc2231_filename(std::string_view name) {
  const std::string value = "utf-8''" + percent_encode(name);
  if (value.size() <= kSectionMax) return {"filename*=" + value};
  std::vector<std::string> sections;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t end = std::min(pos + kSectionMax, value.size());
    if (end < value.size() && value[end - 1] == '%')
      end -= 1;
    else if (end < value.size() && value[end - 2] == '%')
      end -= 2;
    sections.push_back("filename*" + std::to_string(sections.size()) +
                       "*=" + value.substr(pos, end - pos));
    pos = end;
  }
  return sections;
}

void add_params(HeaderLine& h, std::string_view first, const std::vector<std::string>& params) {
  h.add(params.empty() ? std::string(first) : std::string(first) + ";");
  for (std::size_t i = 0; i < params.size(); ++i)
    h.add(i + 1 < params.size() ? params[i] + ";" : params[i]);
}

MimeEntity text_entity(std::string_view subtype, std::string_view text) {
  // Quoted-printable always, even for plain ASCII: it keeps lines ≤ 76, and
  // escapes trailing blanks, leading dots and "From " that relays mangle.
  return {"Content-Type: text/" + std::string(subtype) +
              "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n",
          encode_quoted_printable(text)};
}

MimeEntity attachment_entity(const OutgoingAttachment& a) {
  std::vector<std::string> params;
  if (is_plain_filename(a.filename)) {
    if (!a.filename.empty()) params.push_back("filename=" + quoted(a.filename));
  } else {
    params.push_back("filename=" + quoted(ascii_fallback(a.filename)));
    for (auto& s : rfc2231_filename(a.filename)) params.push_back(std::move(s));
  }
  HeaderLine type("Content-Type");
  type.add(content_type_of(a.content_type));
  HeaderLine disposition("Content-Disposition");
  add_params(disposition, "attachment", params);
  return {std::move(type).take() + std::move(disposition).take() +
              "Content-Transfer-Encoding: base64\r\n",
          encode_base64_lines(a.data)};
}

bool occurs_in(std::string_view boundary, const std::vector<MimeEntity>& parts) {
  return std::any_of(parts.begin(), parts.end(), [&](const MimeEntity& p) {
    return p.headers.find(boundary) != std::string::npos ||
           p.body.find(boundary) != std::string::npos;
  });
}

// "=_" cannot occur in quoted-printable or base64 text, so the first candidate
// practically always wins; the check makes the guarantee independent of that.
// Different `kind`s keep a nested boundary from starting with its parent's.
std::string pick_boundary(std::string_view kind, std::string_view message_id,
                          const std::vector<MimeEntity>& parts) {
  for (unsigned salt = 0;; ++salt) {
    std::string seed(message_id);
    if (salt > 0) seed += "#" + std::to_string(salt);
    std::string boundary = "=_" + std::string(kind) + "_" + hash_hex(seed);
    if (!occurs_in(boundary, parts)) return boundary;
  }
}

MimeEntity multipart(std::string_view subtype, std::string_view message_id,
                     const std::vector<MimeEntity>& parts) {
  const std::string boundary = pick_boundary(subtype.substr(0, 3), message_id, parts);
  HeaderLine type("Content-Type");
  type.add("multipart/" + std::string(subtype) + ";");
  type.add("boundary=" + quoted(boundary));
  MimeEntity out{std::move(type).take(), {}};
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1),
  // so every part's body keeps its own final line break.
  for (const MimeEntity& p : parts)
    out.body += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body + "\r\n";
  out.body += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace

HeaderLine::HeaderLine(std::string_view name)
    : text_(std::string(name) + ":"), line_length_(name.size() + 1) {}

void HeaderLine::add(std::string_view token) {
  if (line_has_token_ && line_length_ + 1 + token.size() > kFoldAt) {
    text_ += "\r\n";
    line_length_ = 0;
  }
  text_ += ' ';
  text_ += token;
  line_length_ += 1 + token.size();
  line_has_token_ = true;
}

void HeaderLine::add_words(std::string_view utf8) {
  // With too little room the first word goes to the next line at full size;
  // right after the field name there is no fold to take, so it is made small.
  std::size_t first = kMaxWord;
  if (room() >= kMinWord || !line_has_token_) first = std::clamp(room(), kMinWord, kMaxWord);
  for (const std::string& word : encode_words(utf8, first, kMaxWord)) add(word);
}

std::size_t HeaderLine::room() const {
  return line_length_ + 1 < kFoldAt ? kFoldAt - line_length_ - 1 : 0;
}

std::string HeaderLine::take() && {
  text_ += "\r\n";
  return std::move(text_);
}

MimeEntity mime_body(const OutgoingMail& mail) {
  MimeEntity body = text_entity("plain", mail.text);
  if (mail.html)
    body = multipart("alternative", mail.message_id, {body, text_entity("html", *mail.html)});
  if (mail.attachments.empty()) return body;
  std::vector<MimeEntity> parts{std::move(body)};
  for (const OutgoingAttachment& a : mail.attachments) parts.push_back(attachment_entity(a));
  return multipart("mixed", mail.message_id, parts);
}

}  // namespace ticketd::templates::detail
