#include "parser/attachment_name.h"

#include <unordered_set>

#include "parser/charset.h"
#include "parser/mime.h"

namespace ticketd::parser {

namespace {

// A made-up stem longer than this is cut (a forwarded mail's Subject can be long).
constexpr std::size_t kMaxStemBytes = 120;
// Content-Description is used as a stem only when it reads like a short name.
constexpr std::size_t kMaxDescriptionBytes = 100;

struct TypeName {
  std::string_view type, stem, ext;
};

// Zammad names nameless parts of its eight types (delivery-status, text/plain,
// text/html, video/quicktime, image/jpeg|jpg|png|gif) this way and everything
// else "file"; the rest of this table follows the same pattern for types a help
// desk meets often, so that the name has an extension people can open.
constexpr TypeName kTypeNames[] = {
    {"message/delivery-status", "delivery-status", "txt"},
    {"message/global-delivery-status", "delivery-status", "txt"},
    {"message/disposition-notification", "disposition-notification", "txt"},
    {"message/global-disposition-notification", "disposition-notification", "txt"},
    {"message/feedback-report", "feedback-report", "txt"},
    {"text/rfc822-headers", "headers", "txt"},
    {"text/global-headers", "headers", "txt"},
    {"text/plain", "document", "txt"},
    {"text/html", "document", "html"},
    {"text/csv", "document", "csv"},
    {"text/calendar", "invite", "ics"},  // Outlook's own name for its meeting requests
    {"application/pdf", "document", "pdf"},
    {"application/ms-tnef", "winmail", "dat"},
    {"application/pgp-signature", "signature", "asc"},
    {"application/pkcs7-signature", "smime", "p7s"},  // RFC 8551's names
    {"application/x-pkcs7-signature", "smime", "p7s"},
    {"application/pkcs7-mime", "smime", "p7m"},
    {"application/x-pkcs7-mime", "smime", "p7m"},
    {"image/jpeg", "image", "jpg"},
    {"image/jpg", "image", "jpg"},  // not registered, but Apple Mail writes it
    {"image/pjpeg", "image", "jpg"},
    {"image/png", "image", "png"},
    {"image/gif", "image", "gif"},
    {"image/bmp", "image", "bmp"},
    {"image/tiff", "image", "tif"},
    {"image/webp", "image", "webp"},
    {"image/heic", "image", "heic"},
    {"image/svg+xml", "image", "svg"},
    {"video/quicktime", "video", "mov"},
    {"video/mp4", "video", "mp4"},
    {"audio/mpeg", "audio", "mp3"},
};

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Returns `s` without control characters, with '/' and '\' as '_', trimmed and
// cut to kMaxStemBytes at a character boundary.
std::string clean_stem(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    out.push_back(c == '/' || c == '\\' ? '_' : c);
  }
  out = std::string(trim(out));
  if (out.size() > kMaxStemBytes) {
    std::size_t cut = kMaxStemBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out = std::string(trim(out));
  }
  return out;
}

DisplayName made_up(std::string_view stem, std::string_view ext) {
  return {clean_stem(stem), std::string(ext), true};
}

// Splits a file name at its last dot ("a.b.jpg" -> "a.b" + "jpg") so a counter
// lands before the extension.
DisplayName made_up_file_name(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return made_up(name, {});
  return made_up(name.substr(0, dot), name.substr(dot + 1));
}

// Returns the description when it reads like a name: one line, short, no path
// separators; else "".
std::string_view usable_description(std::string_view description) {
  std::string_view d = trim(description);
  if (d.empty() || d.size() > kMaxDescriptionBytes) return {};
  for (char c : d) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '/' || c == '\\') return {};
  }
  return d;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns the last path segment of a Content-Location URI or path, query and
// fragment dropped, percent-decoded when that gives UTF-8; "" when there is none
// (a bare host, "cid:" and "mid:" references, a path ending in '/').
std::string location_segment(std::string_view location) {
  std::string_view v = trim(location);
  if (v.size() >= 2 &&
      ((v.front() == '"' && v.back() == '"') || (v.front() == '<' && v.back() == '>')))
    v = trim(v.substr(1, v.size() - 2));
  v = v.substr(0, v.find_first_of("?#"));
  if (istarts_with(v, "cid:") || istarts_with(v, "mid:")) return {};
  if (const std::size_t scheme = v.find("://"); scheme != std::string_view::npos) {
    const std::size_t path = v.find('/', scheme + 3);
    if (path == std::string_view::npos) return {};  // "https://host": no file in it
    v = v.substr(path);
  }
  const std::size_t sep = v.find_last_of("/\\");
  if (sep != std::string_view::npos) v = v.substr(sep + 1);
  std::string decoded;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && hex_value(v[i + 1]) >= 0 && hex_value(v[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex_value(v[i + 1]) * 16 + hex_value(v[i + 2])));
      i += 2;
    } else {
      decoded.push_back(v[i]);
    }
  }
  if (!is_valid_utf8(decoded)) decoded = v;
  if (decoded == "." || decoded == "..") return {};
  return decoded;
}

}  // namespace

std::string DisplayName::str() const { return ext.empty() ? stem : stem + "." + ext; }

DisplayName display_name(const PartNameSources& part) {
  if (!trim(part.given).empty()) return {part.given, {}, false};

  const std::string_view description = usable_description(part.description);
  if (part.content_type == "message/rfc822" || part.content_type == "message/global") {
    if (std::string stem = clean_stem(part.carried_subject); !stem.empty())
      return {stem, "eml", true};
    if (!description.empty()) return made_up(description, "eml");
    return made_up("forwarded message", "eml");
  }

  if (std::string segment = location_segment(part.location); !segment.empty()) {
    DisplayName name = made_up_file_name(segment);
    if (!name.stem.empty()) return name;
  }

  const std::size_t at = part.content_id.find('@');
  const std::string_view cid_local = at == std::string::npos
                                         ? std::string_view{}
                                         : std::string_view(part.content_id).substr(0, at);
  if (const std::size_t dot = cid_local.rfind('.'); dot != std::string_view::npos && dot > 0) {
    const std::string_view ext = cid_local.substr(dot + 1);
    bool file_like = ext.size() >= 2 && ext.size() <= 6;
    for (char c : ext) file_like = file_like && is_alnum(c);
    if (DisplayName name = made_up(cid_local.substr(0, dot), ext); file_like && !name.stem.empty())
      return name;
  }

  for (const TypeName& t : kTypeNames) {
    if (part.content_type != t.type) continue;
    if (description.empty()) return made_up(t.stem, t.ext);
    // Outlook describes an image by its file name ("image001.jpg"): no second extension.
    const std::string ext_with_dot = "." + std::string(t.ext);
    std::string_view stem = description;
    if (iends_with(stem, ext_with_dot)) stem.remove_suffix(ext_with_dot.size());
    if (DisplayName name = made_up(stem, t.ext); !name.stem.empty()) return name;
    return made_up(t.stem, t.ext);
  }

  if (DisplayName name = made_up(cid_local, {}); !name.stem.empty()) return name;
  return made_up("file", {});
}

std::vector<std::string> numbered_names(const std::vector<DisplayName>& names) {
  std::unordered_set<std::string> taken;
  for (const DisplayName& n : names)
    if (!n.made_up) taken.insert(n.str());
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const DisplayName& n : names) {
    std::string name = n.str();
    if (n.made_up) {
      const char last = n.stem.empty() ? '\0' : n.stem.back();
      const std::string sep = last >= '0' && last <= '9' ? "-" : "";
      for (std::size_t i = 1; taken.contains(name); ++i)
        name = n.stem + sep + std::to_string(i) + (n.ext.empty() ? "" : "." + n.ext);
      taken.insert(name);
    }
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace ticketd::parser
