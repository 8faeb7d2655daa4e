#include "parser/parse.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "parser/attachment_name.h"
#include "parser/auto_class.h"
#include "parser/charset.h"
#include "parser/codec.h"
#include "parser/header_text.h"
#include "parser/html_text.h"
#include "parser/mime.h"
#include "parser/reply_strip.h"

namespace ticketd::parser {

namespace {

// Fetched once: OpenSSL 3 looks the algorithm up on every EVP_sha256() use,
// which costs more than hashing a small attachment (and a mail takes
// several: its raw bytes, its content, each attachment).
const EVP_MD* sha256_md() {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kSha256 ? kSha256 : EVP_sha256();
}

std::string lower_hex(const unsigned char* md, unsigned int len) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, sha256_md(), nullptr);
  return lower_hex(md, len);
}

void attachment_content(const Attachment& a, const std::function<void(std::string_view)>& sink) {
  if (a.dropped) return;
  if (!a.lazy) {
    if (!a.data.empty()) sink(a.data);
    return;
  }
  decode_in_pieces(a.encoded, a.base64, sink);
}

namespace {

// What the parser needs to know about one MIME entity.
struct PartInfo {
  std::string type;  // lower-case type/subtype
  ContentValue ctype;
  std::string charset;
  std::string encoding;     // lower-case Content-Transfer-Encoding
  std::string disposition;  // lower-case, may be empty
  std::string filename;     // given: Content-Disposition filename, else Content-Type name=
  std::string content_id;
  std::string location;     // Content-Location, unfolded (names a nameless part)
  std::string description;  // Content-Description, unfolded, not decoded yet

  bool is_text_body_type() const { return type == "text/plain" || type == "text/html"; }
  bool is_attachment_disposition() const { return disposition == "attachment"; }
};

// Text is stored with LF line ends: CRLF (the wire form) and a bare CR (old
// Mac mailers; QP-encoded CRs in some web forms) both become LF. In place, linear.
// The stretches between CRs move with memmove (a byte at a time, this was
// a tenth of parse_bench's time).
void normalize_newlines(std::string& s) {
  char* const p = s.data();
  const std::size_t n = s.size();
  const void* first = std::memchr(p, '\r', n);
  if (!first) return;
  std::size_t w = static_cast<std::size_t>(static_cast<const char*>(first) - p);
  std::size_t r = w;  // p[r] is a CR
  while (r < n) {
    if (r + 1 < n && p[r + 1] == '\n')
      ++r;  // the LF that follows moves with the stretch below
    else
      p[w++] = '\n', ++r;
    const void* cr = r < n ? std::memchr(p + r, '\r', n - r) : nullptr;
    const std::size_t end = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - p) : n;
    std::memmove(p + w, p + r, end - r);
    w += end - r;
    r = end;
  }
  s.resize(w);
}

enum class Mode {
  body,       // text leaves become the body
  html_only,  // inside a non-chosen alternative: HTML is kept as the html copy
  attach,     // everything is an attachment
};

class Walker {
 public:
  Walker(Message& msg, const ParseLimits& limits, CharsetConverter& conv)
      : msg_(msg), limits_(limits), conv_(conv) {}

  PartInfo part_info(const HeaderBlock& hb, std::string_view default_type) {
    PartInfo info;
    if (const HeaderField* f = hb.find("Content-Type")) {
      info.ctype = parse_content_value(unfold(f->value), conv_, msg_.defects, limits_.max_params);
      info.type = info.ctype.value;
      if (info.type.find('/') == std::string::npos) {
        // "Content-Type: text" (old Pine) or junk: read as plain text.
        add_defect(msg_.defects, DefectKind::bad_content_type, info.type.substr(0, 60));
        info.type = info.type == "text" ? "text/plain" : std::string(default_type);
      }
      if (const std::string* cs = info.ctype.param("charset")) info.charset = to_lower(trim(*cs));
    } else {
      info.type = default_type;
    }
    if (const HeaderField* f = hb.find("Content-Transfer-Encoding"))
      info.encoding = to_lower(trim(unfold(f->value)));
    if (const HeaderField* f = hb.find("Content-Disposition")) {
      ContentValue cd =
          parse_content_value(unfold(f->value), conv_, msg_.defects, limits_.max_params);
      info.disposition = cd.value;
      if (const std::string* fn = cd.param("filename")) info.filename = *fn;
    }
    if (info.filename.empty())
      if (const std::string* n = info.ctype.param("name")) info.filename = *n;
    if (const HeaderField* f = hb.find("Content-ID")) {
      std::string_view id = trim(f->value);
      if (!id.empty() && id.front() == '<') id.remove_prefix(1);
      if (!id.empty() && id.back() == '>') id.remove_suffix(1);
      info.content_id = std::string(trim(id));
    }
    if (const HeaderField* f = hb.find("Content-Location")) info.location = unfold(f->value);
    if (const HeaderField* f = hb.find("Content-Description")) info.description = unfold(f->value);
    return info;
  }

  // Returns what `info` says about its part's name, for display_name().
  PartNameSources name_sources(const PartInfo& info) {
    PartNameSources src;
    src.given = info.filename;
    src.content_type = info.type;
    src.location = info.location;
    src.content_id = info.content_id;
    if (!info.description.empty()) {
      Defects ignored;  // a display name's decoding problems say nothing about the mail
      src.description = decode_header_text(info.description, conv_, ignored);
    }
    return src;
  }

  static bool uuencoded(const PartInfo& info) {
    return info.encoding == "x-uuencode" || info.encoding == "uuencode" || info.encoding == "x-uue";
  }

  // Decodes the transfer encoding of `body` into `out`.
  void decode_body(const PartInfo& info, std::string_view body, std::string& out) {
    if (info.encoding == "base64") {
      decode_base64(body, out, msg_.defects);
    } else if (info.encoding == "quoted-printable") {
      decode_quoted_printable(body, out, msg_.defects);
    } else if (uuencoded(info)) {
      decode_uuencode_body(body, out, msg_.defects);
    } else {
      out.append(body);
    }
  }

  // Appends an attachment named `name`, or by display_name() from `info`. Its
  // final name is set by number_attachment_names() once the whole mail is read.
  void add_attachment(const PartInfo& info, std::string data,
                      std::optional<DisplayName> name = std::nullopt) {
    Attachment& a = push_attachment(info, sha256_hex(data), data.size(), std::move(name));
    if (!a.dropped) a.data = std::move(data);
  }

  // A big attachment in base64 or not encoded at all (ParseLimits::
  // lazy_attachment_bytes): decoded a piece at a time to hash and measure it,
  // then left in the parsed bytes. Its defects are those decode_body finds.
  void add_lazy_attachment(const PartInfo& info, std::string_view body) {
    const bool base64 = info.encoding == "base64";
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, sha256_md(), nullptr) != 1) {
      EVP_MD_CTX_free(ctx);
      std::string data;  // no digest context: the plain way
      decode_body(info, body, data);
      add_attachment(info, std::move(data));
      return;
    }
    std::size_t size = 0;
    const bool bad = decode_in_pieces(body, base64, [&](std::string_view piece) {
      EVP_DigestUpdate(ctx, piece.data(), piece.size());
      size += piece.size();
    });
    if (bad) add_defect(msg_.defects, DefectKind::bad_base64, "");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    Attachment& a = push_attachment(info, lower_hex(md, len), size, std::nullopt);
    if (a.dropped) return;
    a.lazy = true;
    a.base64 = base64;
    a.encoded = body;
  }

  bool lazy_body(const PartInfo& info, std::string_view body) const {
    // base64, or what decode_body takes as it is
    return limits_.lazy_attachment_bytes > 0 && body.size() >= limits_.lazy_attachment_bytes &&
           info.encoding != "quoted-printable" && !uuencoded(info);
  }

  Attachment& push_attachment(const PartInfo& info, std::string sha256, std::size_t size,
                              std::optional<DisplayName> name) {
    Attachment a;
    names_.push_back(name ? std::move(*name) : display_name(name_sources(info)));
    a.filename = names_.back().str();
    a.content_type = info.type;
    a.content_id = info.content_id;
    a.inline_part =
        info.disposition == "inline" || (info.disposition.empty() && !info.content_id.empty());
    a.sha256 = std::move(sha256);
    a.size = size;
    if (size > limits_.max_attachment_bytes) {
      add_defect(msg_.defects, DefectKind::attachment_too_big,
                 a.filename + " " + std::to_string(size));
      a.dropped = true;
    }
    msg_.attachments.push_back(std::move(a));
    return msg_.attachments.back();
  }

  void add_text_piece(const PartInfo& info, std::string_view body) {
    std::string bytes;
    decode_body(info, body, bytes);
    if (info.type == "text/plain" && info.encoding != "x-uuencode" &&
        (bytes.starts_with("begin ") || bytes.find("\nbegin ") != std::string::npos)) {
      std::string rest;
      std::vector<UuFile> files;
      if (extract_uuencoded(bytes, rest, files, msg_.defects)) {
        bytes = std::move(rest);
        for (auto& f : files) {
          PartInfo fi;
          fi.type = "application/octet-stream";
          // The name is bytes of this text, in its charset (fuzz_message found
          // raw 8-bit names reaching Attachment::filename as invalid UTF-8).
          conv_.to_utf8(info.charset, f.filename, fi.filename, msg_.defects);
          add_attachment(fi, std::move(f.data));
        }
      }
    }
    std::string text;
    conv_.to_utf8(info.charset, bytes, text, msg_.defects);
    if (info.type == "text/html") {
      html_pieces_.push_back(pieces_.size());
    }
    pieces_.push_back(std::move(text));
  }

  void walk(std::string_view part, const HeaderBlock& hb, std::size_t depth, Mode mode,
            std::string_view default_type) {
    if (++part_count_ > limits_.max_parts) {
      add_defect(msg_.defects, DefectKind::too_many_parts, std::to_string(limits_.max_parts));
      return;
    }
    PartInfo info = part_info(hb, default_type);
    if (depth >= limits_.max_depth &&
        (info.type.starts_with("multipart/") || info.type == "message/rfc822")) {
      // Past the nesting cap the rest of the mail is read as plain text.
      add_defect(msg_.defects, DefectKind::too_deep, std::to_string(limits_.max_depth));
      info.type = "text/plain";
      info.encoding.clear();
    }
    if (info.type.starts_with("multipart/")) {
      walk_multipart(part, hb, info, depth, mode);
      return;
    }
    if (info.type == "message/rfc822" || info.type == "message/global") {
      std::string data;
      decode_body(info, hb.body, data);
      Defects inner_defects;
      HeaderBlock inner = split_header_block(data, limits_, inner_defects);
      note_carried_id(inner);
      // Kept whole as one .eml, its own attachments inside it (why: attachment_name.h).
      PartNameSources src = name_sources(info);
      if (const HeaderField* s = inner.find("Subject"))
        src.carried_subject = decode_header_text(s->value, conv_, inner_defects);
      add_attachment(info, std::move(data), display_name(src));
      return;
    }
    if (info.type == "text/rfc822-headers") {
      Defects ignored;
      HeaderBlock inner = split_header_block(hb.body, limits_, ignored);
      note_carried_id(inner);
      msg_.report_parts.push_back(info.type);
    }
    if (info.type == "message/delivery-status" || info.type == "message/global-delivery-status" ||
        info.type == "message/disposition-notification" ||
        info.type == "message/global-disposition-notification" ||
        info.type == "message/feedback-report") {
      // Machine-readable report fields: the class of the report whatever wraps
      // it (GroupWise and Lotus Notes nest them in multipart/mixed); an MDN
      // names the mail it is about in Original-Message-ID.
      msg_.report_parts.push_back(info.type);
      if (info.type.find("disposition") != std::string::npos) {
        std::string fields;
        decode_body(info, hb.body, fields);
        Defects ignored;
        HeaderBlock block = split_header_block(fields, limits_, ignored);
        if (const HeaderField* f = block.find("Original-Message-ID"))
          for (auto& id : parse_message_ids(unfold(f->value), 1))
            msg_.carried_message_ids.push_back(std::move(id));
      }
    }
    const bool nameless_inline = !info.is_attachment_disposition() && info.filename.empty();
    if (info.is_text_body_type() && nameless_inline) {
      if (mode == Mode::body) {
        // Apple Mail splits the text around inline images into several text/plain
        // parts: they are all body. A second HTML part is an attachment (Zammad does the same).
        if (info.type == "text/plain" || pieces_.empty()) {
          add_text_piece(info, hb.body);
          return;
        }
      } else if (mode == Mode::html_only && info.type == "text/html" && !html_alt_) {
        std::string bytes, text;
        decode_body(info, hb.body, bytes);
        conv_.to_utf8(info.charset, bytes, text, msg_.defects);
        html_alt_ = std::move(text);
        return;
      } else if (mode == Mode::html_only && info.type == "text/plain") {
        return;  // an alternative rendering of the text we already chose
      }
    }
    if (lazy_body(info, hb.body)) {
      add_lazy_attachment(info, hb.body);
      return;
    }
    std::string data;
    decode_body(info, hb.body, data);
    add_attachment(info, std::move(data));
  }

  void walk_multipart(std::string_view part, const HeaderBlock& hb, const PartInfo& info,
                      std::size_t depth, Mode mode) {
    (void)part;
    const std::string* boundary = info.ctype.param("boundary");
    PartInfo as_text = info;
    as_text.type = "text/plain";
    if (!boundary || boundary->empty()) {
      add_defect(msg_.defects, DefectKind::missing_boundary, info.type);
      walk_leaf_as_text(as_text, hb.body, mode);
      return;
    }
    const std::size_t budget =
        limits_.max_parts > part_count_ ? limits_.max_parts - part_count_ : 0;
    MultipartSplit split = split_multipart(hb.body, *boundary, budget);
    if (!split.found_any) {
      add_defect(msg_.defects, DefectKind::missing_boundary,
                 "boundary never appears: " + boundary->substr(0, 60));
      walk_leaf_as_text(as_text, hb.body, mode);
      return;
    }
    if (!split.closed && !split.truncated)
      add_defect(msg_.defects, DefectKind::unterminated_multipart, boundary->substr(0, 60));
    if (split.truncated)
      add_defect(msg_.defects, DefectKind::too_many_parts, std::to_string(limits_.max_parts));

    const std::string sub = info.type.substr(10);
    const std::string_view child_default = sub == "digest" ? "message/rfc822" : "text/plain";
    std::vector<HeaderBlock> kids;
    kids.reserve(split.parts.size());
    for (std::string_view p : split.parts)
      kids.push_back(split_header_block(p, limits_, msg_.defects));
    std::vector<std::string> kid_types;
    kid_types.reserve(kids.size());
    for (const auto& kid : kids) {
      const HeaderField* f = kid.find("Content-Type");
      if (!f) {
        kid_types.emplace_back(child_default);
        continue;
      }
      std::string v = to_lower(trim(unfold(f->value)));
      v.resize(std::min(v.size(), v.find(';')));
      kid_types.push_back(std::string(trim(v)));
    }
    auto kid_type = [&](std::size_t i) -> const std::string& { return kid_types[i]; };
    auto walk_kid = [&](std::size_t i, Mode m) {
      walk(split.parts[i], kids[i], depth + 1, m, child_default);
    };

    if (sub == "alternative" && mode == Mode::body) {
      // Prefer the plain text (if it has any content), else HTML, else a nested
      // multipart (related/mixed around the HTML).
      std::optional<std::size_t> chosen;
      for (std::size_t i = 0; i < kids.size() && !chosen; ++i)
        if (kid_type(i) == "text/plain" && !trim(kids[i].body).empty()) chosen = i;
      for (std::size_t i = kids.size(); i-- > 0 && !chosen;)
        if (kid_type(i).starts_with("multipart/")) {
          // Nested multipart that holds the HTML: only if there is no plain text.
          chosen = i;
        }
      for (std::size_t i = kids.size(); i-- > 0 && !chosen;)
        if (kid_type(i) == "text/html") chosen = i;
      if (!chosen && !kids.empty()) chosen = 0;
      for (std::size_t i = 0; i < kids.size(); ++i) {
        if (chosen && i == *chosen) {
          walk_kid(i, Mode::body);
          continue;
        }
        std::string t = kid_type(i);
        if (t == "text/html" || t.starts_with("multipart/")) {
          walk_kid(i, Mode::html_only);
        } else if (!t.starts_with("text/")) {
          walk_kid(i, Mode::attach);
        }
        // Other text/* alternatives (text/enriched, text/watch-html) are renderings
        // of the same content: skipped.
      }
      return;
    }
    if (sub == "related") {
      std::size_t root = 0;
      if (const std::string* start = info.ctype.param("start")) {
        std::string_view want = trim(*start);
        if (want.starts_with('<')) want.remove_prefix(1);
        if (want.ends_with('>')) want.remove_suffix(1);
        for (std::size_t i = 0; i < kids.size(); ++i)
          if (const HeaderField* f = kids[i].find("Content-ID"))
            if (trim(f->value).find(want) != std::string_view::npos) root = i;
      }
      for (std::size_t i = 0; i < kids.size(); ++i) walk_kid(i, i == root ? mode : Mode::attach);
      return;
    }
    if (sub == "report") {
      const std::string* rt = info.ctype.param("report-type");
      msg_.report_parts.push_back("multipart/report; report-type=" +
                                  (rt ? to_lower(trim(*rt)).substr(0, 40) : std::string()));
      for (std::size_t i = 0; i < kids.size(); ++i) walk_kid(i, i == 0 ? mode : Mode::attach);
      return;
    }
    if (sub == "signed") {
      for (std::size_t i = 0; i < kids.size(); ++i) walk_kid(i, i == 0 ? mode : Mode::attach);
      return;
    }
    if (sub == "encrypted") {
      for (std::size_t i = 0; i < kids.size(); ++i) walk_kid(i, Mode::attach);
      return;
    }
    for (std::size_t i = 0; i < kids.size(); ++i) walk_kid(i, mode);
  }

  void walk_leaf_as_text(const PartInfo& info, std::string_view body, Mode mode) {
    if (mode == Mode::body) {
      add_text_piece(info, body);
    } else {
      std::string data;
      decode_body(info, body, data);
      add_attachment(info, std::move(data));
    }
  }

  // A carried message's (forward, bounce) own Message-ID; a delivery report's
  // are the bounced mails (classify_automatic decides which).
  void note_carried_id(const HeaderBlock& inner) {
    if (const HeaderField* f = inner.find("Message-ID")) {
      for (auto& id : parse_message_ids(unfold(f->value), 1))
        msg_.carried_message_ids.push_back(std::move(id));
    }
  }

  // Gives made-up names that repeat a name of this mail a counter.
  void number_attachment_names() {
    std::vector<std::string> names = numbered_names(names_);
    for (std::size_t i = 0; i < names.size() && i < msg_.attachments.size(); ++i) {
      // Made-up names take bytes from raw header values (Content-Location,
      // Content-ID): whatever they were, a name is UTF-8 (fuzz_message).
      if (!is_valid_utf8(names[i])) {
        std::string repaired;
        append_repaired_utf8(names[i], repaired);
        names[i] = std::move(repaired);
      }
      msg_.attachments[i].filename = std::move(names[i]);
    }
  }

  // Joins the collected pieces into Message::text / html.
  void finish() {
    number_attachment_names();
    std::string text;
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      const bool is_html =
          std::find(html_pieces_.begin(), html_pieces_.end(), i) != html_pieces_.end();
      if (!text.empty() && !text.ends_with('\n')) text.push_back('\n');
      if (is_html) {
        if (!msg_.html) msg_.html = pieces_[i];
        text += html_to_text(pieces_[i]);
      } else {
        text += pieces_[i];
      }
    }
    if (!msg_.html && html_alt_) msg_.html = std::move(html_alt_);
    if (pieces_.empty() && msg_.html) text = html_to_text(*msg_.html);
    normalize_newlines(text);
    if (msg_.html) normalize_newlines(*msg_.html);  // stored with LF, like the text
    msg_.text = std::move(text);
    msg_.new_text = strip_quoted_reply(msg_.text);
  }

  CharsetConverter& conv() { return conv_; }

 private:
  Message& msg_;
  const ParseLimits& limits_;
  CharsetConverter& conv_;
  std::size_t part_count_ = 0;
  std::vector<std::string> pieces_;
  std::vector<std::size_t> html_pieces_;
  std::optional<std::string> html_alt_;
  std::vector<DisplayName> names_;  // one per msg_.attachments entry
};

std::vector<Address> addresses_of(const HeaderBlock& hb, std::string_view name,
                                  CharsetConverter& conv, Message& msg, const ParseLimits& limits) {
  std::vector<Address> out;
  for (const auto& f : hb.fields) {
    if (!iequals(f.name, name)) continue;
    auto list = parse_address_list(unfold(f.value), conv, msg.defects, limits.max_addresses);
    for (auto& a : list) {
      if (out.size() >= limits.max_addresses) break;
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::optional<std::string> subject_tag(std::string_view subject) {
  std::size_t p = 0;
  while ((p = subject.find("[#", p)) != std::string_view::npos) {
    std::size_t e = subject.find(']', p + 2);
    if (e == std::string_view::npos) return std::nullopt;
    std::string_view tag = trim(subject.substr(p + 2, e - p - 2));
    bool ok = !tag.empty() && tag.size() <= 64;
    for (char c : tag)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        ok = false;
    if (ok) return std::string(tag);
    p = e;
  }
  return std::nullopt;
}

void collect_plus_tokens(Message& msg) {
  auto add = [&](const std::vector<Address>& list) {
    for (const auto& a : list) {
      std::string_view addr = a.address;
      std::size_t at = addr.rfind('@');
      std::string_view local = addr.substr(0, at == std::string_view::npos ? addr.size() : at);
      std::size_t plus = local.find('+');
      if (plus == std::string_view::npos || plus + 1 >= local.size()) continue;
      std::string tok(local.substr(plus + 1));
      if (std::find(msg.keys.plus_tokens.begin(), msg.keys.plus_tokens.end(), tok) ==
          msg.keys.plus_tokens.end())
        msg.keys.plus_tokens.push_back(std::move(tok));
    }
  };
  add(msg.to);
  add(msg.cc);
  add(msg.delivered_to);
}

void parse_impl(std::string_view raw, const ParseLimits& limits, Message& msg) {
  // mbox exports and some MTAs' pipe delivery prepend an envelope "From " line.
  if (raw.starts_with("From ")) {
    std::size_t nl = raw.find('\n');
    raw.remove_prefix(nl == std::string_view::npos ? raw.size() : nl + 1);
    msg.defects.push_back({DefectKind::mbox_from_line, {}});
  }
  HeaderBlock hb = split_header_block(raw, limits, msg.defects);
  // One converter per thread: iconv descriptors are opened once per charset
  // and reused by every later mail (iconv_open costs more than a small mail).
  thread_local CharsetConverter converter;
  Walker walker(msg, limits, converter);
  CharsetConverter& conv = walker.conv();

  for (const auto& f : hb.fields) msg.headers.emplace_back(std::string(f.name), unfold(f.value));

  // The top part's charset is the best guess for raw 8-bit header bytes
  // (Chinese and Japanese mailers send raw GB2312 / Shift_JIS subjects).
  std::string top_charset;
  if (const HeaderField* ct = hb.find("Content-Type")) {
    Defects ignored;
    ContentValue v = parse_content_value(unfold(ct->value), conv, ignored, limits.max_params);
    if (const std::string* cs = v.param("charset")) top_charset = to_lower(trim(*cs));
  }

  auto from = addresses_of(hb, "From", conv, msg, limits);
  if (from.empty()) from = addresses_of(hb, "Sender", conv, msg, limits);
  // Spam tools write a junk or empty first sender ("From: [??????]" in one
  // header and the real one in a second; "\"x\" <>, y@z"): the first usable
  // address wins.
  auto usable = std::find_if(from.begin(), from.end(), [](const Address& a) {
    return a.address.find('@') != std::string::npos;
  });
  if (usable != from.end()) {
    msg.from = std::move(*usable);
  } else if (!from.empty()) {
    msg.from = std::move(from.front());
  }
  msg.to = addresses_of(hb, "To", conv, msg, limits);
  msg.cc = addresses_of(hb, "Cc", conv, msg, limits);
  msg.reply_to = addresses_of(hb, "Reply-To", conv, msg, limits);
  for (std::string_view h : {"Delivered-To", "X-Original-To", "Envelope-To"}) {
    auto list = addresses_of(hb, h, conv, msg, limits);
    for (auto& a : list) msg.delivered_to.push_back(std::move(a));
  }
  if (const HeaderField* f = hb.find("Return-Path")) {
    std::string v(trim(unfold(f->value)));
    if (v.starts_with('<')) v.erase(0, 1);
    if (v.ends_with('>')) v.pop_back();
    msg.return_path = std::string(trim(v));
  }
  if (const HeaderField* f = hb.find("Subject"))
    msg.subject = decode_header_text(f->value, conv, msg.defects, top_charset);
  if (const HeaderField* f = hb.find("Date")) {
    std::int64_t t = 0;
    if (parse_rfc5322_date(unfold(f->value), t)) {
      msg.date = t;
    } else {
      msg.defects.push_back({DefectKind::bad_date, std::string(trim(f->value)).substr(0, 60)});
    }
  }
  if (const HeaderField* f = hb.find("Message-ID")) {
    auto ids = parse_message_ids(unfold(f->value), 1);
    if (!ids.empty()) msg.keys.message_id = std::move(ids.front());
  }
  if (const HeaderField* f = hb.find("In-Reply-To")) {
    auto ids = parse_message_ids(unfold(f->value), 1);
    if (!ids.empty()) msg.keys.in_reply_to = std::move(ids.front());
  }
  if (const HeaderField* f = hb.find("References"))
    msg.keys.references = parse_message_ids(unfold(f->value), 500);
  msg.keys.subject_tag = subject_tag(msg.subject);
  collect_plus_tokens(msg);

  if (raw.size() > limits.max_message_bytes) {
    msg.defects.push_back({DefectKind::message_too_big, std::to_string(raw.size())});
  } else {
    walker.walk(raw, hb, 0, Mode::body, "text/plain");
    walker.finish();
  }
  classify_automatic(msg);
}

}  // namespace

Message parse_message(std::string_view raw, const ParseLimits& limits) {
  Message msg;
  try {
    parse_impl(raw, limits, msg);
  } catch (const std::exception& e) {
    // Only allocation failure can get here; keep what was parsed.
    msg.defects.push_back({DefectKind::message_too_big, std::string("aborted: ") + e.what()});
  }
  return msg;
}

}  // namespace ticketd::parser
