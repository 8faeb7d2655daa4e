// Framing and tokenizing of server responses (RFC 3501 section 9 "response").
#include "transport/imap_protocol.h"

#include <algorithm>
#include <charconv>

namespace ticketd::transport::imap {
namespace {

constexpr int kMaxListDepth =
    64;  // FETCH data nests 2-3 deep; a hostile server must not blow the stack

std::unexpected<ProtocolError> fail(std::string detail) {
  return std::unexpected(ProtocolError{std::move(detail)});
}

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = upper(c);
  return out;
}

// The N of a line ending in "{N}" or "{N+}" (also "~{N}"), nothing for other lines.
std::expected<std::optional<std::size_t>, ProtocolError> literal_length(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  std::size_t end = line.size() - 1;
  if (end > 0 && line[end - 1] == '+') --end;
  std::size_t begin = end;
  while (begin > 0 && line[begin - 1] >= '0' && line[begin - 1] <= '9') --begin;
  if (begin == end || begin == 0 || line[begin - 1] != '{') return std::nullopt;
  std::size_t n = 0;
  auto [ptr, ec] = std::from_chars(line.data() + begin, line.data() + end, n);
  if (ec != std::errc{} || ptr != line.data() + end) return fail("literal length out of range");
  return n;
}

std::string excerpt(std::string_view s) {
  std::string out(s.substr(0, 40));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return upper(x) == upper(y); });
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t n = 0;
  if (text.empty() || text.size() > 20) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

// ---- ResponseReader ---------------------------------------------------------

void ResponseReader::release() {
  if (!handed_out_) return;
  handed_out_ = false;
  compact();
}

void ResponseReader::feed(std::string_view bytes) {
  release();
  buf_.append(bytes);
}

void ResponseReader::compact() {
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = line_start_ = scan_ = 0;
  } else if (start_ > (64u << 10) && start_ * 2 > buf_.size()) {
    // Erasing only when the dead prefix is large and the larger half keeps
    // the cost linear in the bytes read.
    buf_.erase(0, start_);
    line_start_ -= start_;
    scan_ -= start_;
    start_ = 0;
  }
}

std::expected<std::optional<std::string_view>, ProtocolError> ResponseReader::next() {
  release();
  for (;;) {
    if (literal_end_ != 0) {
      if (buf_.size() < literal_end_) return std::nullopt;
      line_start_ = scan_ = literal_end_;
      literal_end_ = 0;
    }
    const std::size_t nl = buf_.find('\n', scan_);
    const std::size_t line_end = nl == std::string::npos ? buf_.size() : nl;
    if (line_end - line_start_ > max_line_) {
      return fail("response line longer than " + std::to_string(max_line_) + " bytes");
    }
    if (nl == std::string::npos) {
      scan_ = buf_.size();
      return std::nullopt;
    }
    std::size_t content_end = nl;
    if (content_end > line_start_ && buf_[content_end - 1] == '\r') --content_end;
    auto literal =
        literal_length(std::string_view(buf_).substr(line_start_, content_end - line_start_));
    if (!literal) return std::unexpected(literal.error());
    if (*literal) {
      if (**literal > max_literal_) {
        return fail("literal of " + std::to_string(**literal) + " bytes exceeds the limit of " +
                    std::to_string(max_literal_));
      }
      if (nl + 1 - start_ > max_literal_ + max_line_) return fail("response too large");
      literal_end_ = nl + 1 + **literal;
      continue;
    }
    const std::string_view out = std::string_view(buf_).substr(start_, nl + 1 - start_);
    start_ = line_start_ = scan_ = nl + 1;
    handed_out_ = true;  // compacted at the next call, when `out` is no longer read
    return out;
  }
}

// ---- Tokenizer --------------------------------------------------------------

namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  bool at_line_end() const { return pos_ >= s_.size() || s_[pos_] == '\r' || s_[pos_] == '\n'; }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_spaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  // Up to a space or the line end (tags, names, status words).
  std::string_view word() {
    const std::size_t begin = pos_;
    while (!at_line_end() && s_[pos_] != ' ') ++pos_;
    return s_.substr(begin, pos_ - begin);
  }
  std::string_view rest_of_line() {
    const std::size_t begin = pos_;
    while (!at_line_end()) ++pos_;
    return s_.substr(begin, pos_ - begin);
  }
  std::expected<void, ProtocolError> values(std::vector<Value>& out, int depth, bool in_list);
  void status_text(Response& r);

 private:
  std::expected<Value, ProtocolError> quoted();
  std::expected<Value, ProtocolError> literal();
  Value atom();
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::expected<void, ProtocolError> Lexer::values(std::vector<Value>& out, int depth, bool in_list) {
  for (;;) {
    skip_spaces();
    if (at_line_end()) {
      if (in_list) return fail("unterminated list");
      return {};
    }
    const char c = peek();
    if (c == ')') {
      if (!in_list) return fail("unbalanced ')'");
      ++pos_;
      return {};
    }
    if (c == '(') {
      if (depth >= kMaxListDepth) return fail("lists nested too deeply");
      ++pos_;
      Value list{Value::Kind::list, {}, {}};
      if (auto r = values(list.items, depth + 1, true); !r) return r;
      out.push_back(std::move(list));
      continue;
    }
    std::expected<Value, ProtocolError> v =
        c == '"' ? quoted()
        : (c == '{' || (c == '~' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{'))
            ? literal()
            : std::expected<Value, ProtocolError>(atom());
    if (!v) return std::unexpected(v.error());
    out.push_back(std::move(*v));
  }
}

std::expected<Value, ProtocolError> Lexer::quoted() {
  Value v{Value::Kind::string, {}, {}};
  ++pos_;  // opening quote
  while (pos_ < s_.size()) {
    const char c = s_[pos_++];
    if (c == '"') return v;
    if (c == '\r' || c == '\n') break;
    if (c == '\\' && pos_ < s_.size()) {
      v.text.push_back(s_[pos_++]);  // quoted-specials: \" and \\ (others kept as sent)
      continue;
    }
    v.text.push_back(c);
  }
  return fail("unterminated quoted string");
}

std::expected<Value, ProtocolError> Lexer::literal() {
  if (peek() == '~') ++pos_;  // literal8 (RFC 3516) frames the same way
  const std::size_t close = s_.find('}', pos_);
  if (close == std::string_view::npos) return fail("unterminated literal length");
  std::string_view digits = s_.substr(pos_ + 1, close - pos_ - 1);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  auto n = parse_number(digits);
  if (!n) return fail("bad literal length '" + excerpt(digits) + "'");
  pos_ = close + 1;
  if (peek() == '\r') ++pos_;
  if (peek() != '\n') return fail("literal length not at the end of a line");
  ++pos_;
  if (s_.size() - pos_ < *n) return fail("literal shorter than announced");
  Value v{Value::Kind::string, std::string(s_.substr(pos_, *n)), {}};
  pos_ += *n;
  return v;
}

// An atom; a "[...]" inside (BODY[HEADER.FIELDS (A B)]) is part of it, spaces included.
Value Lexer::atom() {
  const std::size_t begin = pos_;
  while (!at_line_end()) {
    const char c = s_[pos_];
    if (c == ' ' || c == '(' || c == ')') break;
    if (c == '[') {
      const std::size_t close = s_.find(']', pos_);
      const std::size_t eol = s_.find_first_of("\r\n", pos_);
      if (close != std::string_view::npos && close < eol) {
        pos_ = close + 1;
        continue;
      }
    }
    ++pos_;
  }
  std::string text(s_.substr(begin, pos_ - begin));
  if (iequals(text, "NIL")) return Value{Value::Kind::nil, {}, {}};
  return Value{Value::Kind::atom, std::move(text), {}};
}

// resp-text: ["[" code [SP args] "]" SP] text
void Lexer::status_text(Response& r) {
  skip_spaces();
  if (peek() == '[') {
    const std::size_t close = s_.find(']', pos_);
    const std::size_t eol = s_.find_first_of("\r\n", pos_);
    if (close != std::string_view::npos && close < eol) {
      std::string_view inner = s_.substr(pos_ + 1, close - pos_ - 1);
      const std::size_t sp = inner.find(' ');
      r.code = to_upper(inner.substr(0, sp));
      if (sp != std::string_view::npos) r.code_args = std::string(inner.substr(sp + 1));
      pos_ = close + 1;
      skip_spaces();
    }
  }
  r.text = std::string(rest_of_line());
}

}  // namespace

bool Response::is_status() const {
  return name == "OK" || name == "NO" || name == "BAD" || name == "BYE" || name == "PREAUTH";
}

std::expected<Response, ProtocolError> parse_response(std::string_view raw) {
  Lexer lx(raw);
  Response r;
  if (lx.peek() == '+') {
    r.kind = ResponseKind::continuation;
    lx.word();
    lx.skip_spaces();
    r.text = std::string(lx.rest_of_line());
    return r;
  }
  std::string_view tag = lx.word();
  if (tag.empty()) return fail("empty response line");
  if (tag == "*") {
    r.kind = ResponseKind::untagged;
  } else {
    r.kind = ResponseKind::tagged;
    r.tag = std::string(tag);
  }
  lx.skip_spaces();
  std::string_view first = lx.word();
  if (auto n = parse_number(first); n && r.kind == ResponseKind::untagged) {
    if (*n > UINT32_MAX) return fail("message number out of range");
    r.number = static_cast<std::uint32_t>(*n);
    lx.skip_spaces();
    first = lx.word();
  }
  if (first.empty()) return fail("response without a name: '" + excerpt(raw) + "'");
  r.name = to_upper(first);
  if (r.is_status()) {
    lx.status_text(r);
    return r;
  }
  if (r.kind == ResponseKind::tagged)
    return fail("tagged response is not OK/NO/BAD: " + excerpt(raw));
  if (auto v = lx.values(r.data, 0, false); !v) return std::unexpected(v.error());
  return r;
}

// ---- Data readers -----------------------------------------------------------

namespace {

std::expected<std::uint64_t, ProtocolError> number_of(const Value& v, std::string_view what) {
  auto n = v.kind == Value::Kind::atom ? parse_number(v.text) : std::nullopt;
  if (!n) return fail(std::string(what) + " is not a number");
  return *n;
}

std::expected<void, ProtocolError> fetch_item(std::string_view key, Value&& v, FetchData& out) {
  if (key == "UID") {
    auto n = number_of(v, "UID");
    if (!n || *n == 0 || *n > UINT32_MAX) return fail("bad UID in FETCH");
    out.uid = static_cast<std::uint32_t>(*n);
  } else if (key == "RFC822.SIZE") {
    auto n = number_of(v, "RFC822.SIZE");
    if (!n) return std::unexpected(n.error());
    out.size = *n;
  } else if (key == "BODY[]" || key == "BODY[HEADER]") {
    if (v.kind == Value::Kind::list) return fail(std::string(key) + " is a list");
    out.body = v.kind == Value::Kind::nil ? std::string() : std::move(v.text);
  } else if (key == "FLAGS") {
    if (v.kind != Value::Kind::list) return fail("FLAGS is not a list");
    out.flags.emplace();
    for (Value& f : v.items) out.flags->push_back(std::move(f.text));
  }
  return {};  // other items (MODSEQ, INTERNALDATE, ...) are not ours to read
}

}  // namespace

std::expected<FetchData, ProtocolError> parse_fetch(Response&& response) {
  if (response.name != "FETCH" || !response.number) return fail("not a FETCH response");
  if (response.data.size() != 1 || response.data[0].kind != Value::Kind::list) {
    return fail("FETCH data is not one list");
  }
  std::vector<Value>& items = response.data[0].items;
  if (items.size() % 2 != 0) return fail("FETCH data has an odd number of items");
  FetchData out;
  out.sequence = *response.number;
  for (std::size_t i = 0; i < items.size(); i += 2) {
    if (items[i].kind != Value::Kind::atom) return fail("FETCH item name is not an atom");
    if (auto r = fetch_item(to_upper(items[i].text), std::move(items[i + 1]), out); !r) {
      return std::unexpected(r.error());
    }
  }
  return out;
}

std::expected<std::vector<std::uint32_t>, ProtocolError> parse_search(const Response& response) {
  if (response.name != "SEARCH") return fail("not a SEARCH response");
  std::vector<std::uint32_t> out;
  out.reserve(response.data.size());
  for (const Value& v : response.data) {
    if (v.kind != Value::Kind::atom) continue;  // (MODSEQ n) with CONDSTORE
    auto n = parse_number(v.text);
    if (!n || *n == 0 || *n > UINT32_MAX) return fail("bad number in SEARCH: " + excerpt(v.text));
    out.push_back(static_cast<std::uint32_t>(*n));
  }
  return out;
}

std::vector<std::string> parse_capabilities(const Response& response) {
  std::vector<std::string> out;
  if (response.name == "CAPABILITY") {
    for (const Value& v : response.data) {
      if (v.kind == Value::Kind::atom) out.push_back(to_upper(v.text));
    }
  } else if (response.code == "CAPABILITY") {
    std::string_view args = response.code_args;
    while (!args.empty()) {
      const std::size_t sp = args.find(' ');
      if (sp != 0) out.push_back(to_upper(args.substr(0, sp)));
      if (sp == std::string_view::npos) break;
      args.remove_prefix(sp + 1);
    }
  }
  return out;
}

}  // namespace ticketd::transport::imap
