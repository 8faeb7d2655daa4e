#include "parser/mime.h"

#include <cstring>

namespace ticketd::parser {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// One physical line of `s` starting at `pos`: returns its content without the
// line ending and advances `pos` past the ending (CRLF, LF or a bare CR).
std::string_view next_line(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  const char* base = s.data();
  const std::size_t n = s.size();
  const void* lf = std::memchr(base + start, '\n', n - start);
  std::size_t end = lf ? static_cast<const char*>(lf) - base : n;
  // A bare CR before the LF ends the line early (old Mac mail).
  const void* cr = std::memchr(base + start, '\r', end - start);
  if (cr) {
    std::size_t c = static_cast<const char*>(cr) - base;
    if (c + 1 < n && base[c + 1] == '\n') {
      pos = c + 2;
    } else {
      pos = c + 1;
    }
    return s.substr(start, c - start);
  }
  pos = lf ? end + 1 : n;
  return s.substr(start, end - start);
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (is_wsp(s[b]) || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (is_wsp(s[e - 1]) || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

const HeaderField* HeaderBlock::find(std::string_view name) const {
  for (const auto& f : fields)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

HeaderBlock split_header_block(std::string_view part, const ParseLimits& limits, Defects& defects) {
  HeaderBlock block;
  std::size_t pos = 0;
  bool capped = false, bad_line_seen = false;
  // Start/end offsets of the field being built, so folded values stay views.
  std::size_t field_start = std::string_view::npos, value_start = 0, field_end = 0;
  std::string_view field_name;
  auto flush = [&] {
    if (field_start == std::string_view::npos) return;
    std::string_view v = part.substr(value_start, field_end - value_start);
    while (!v.empty() && is_wsp(v.front())) v.remove_prefix(1);
    while (!v.empty() && (is_wsp(v.back()) || v.back() == '\r' || v.back() == '\n'))
      v.remove_suffix(1);
    if (block.fields.size() < limits.max_header_count) {
      block.fields.push_back({field_name, v});
    } else if (!capped) {
      capped = true;
      defects.push_back({DefectKind::too_many_headers, std::to_string(limits.max_header_count)});
    }
    field_start = std::string_view::npos;
  };
  bool size_capped = false;
  while (pos < part.size()) {
    const std::size_t line_start = pos;
    std::string_view line = next_line(part, pos);
    if (line.empty()) {  // blank line ends the header block
      flush();
      block.body = part.substr(pos);
      return block;
    }
    // The cap is on where a line ends: one 10 MB line is past it too.
    if (line_start + line.size() > limits.max_header_bytes) {
      if (!size_capped) {
        size_capped = true;
        flush();
        defects.push_back({DefectKind::header_too_big, std::to_string(limits.max_header_bytes)});
      }
      continue;  // skip to the end of the block; what is past the cap is not read
    }
    if (is_wsp(line.front())) {
      if (field_start != std::string_view::npos) field_end = line_start + line.size();
      continue;
    }
    const std::size_t colon = line.find(':');
    std::string_view name =
        colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
    bool valid_name = !name.empty();
    for (char c : name)
      if (c <= 32 || c >= 127) {
        valid_name = false;
        break;
      }
    if (!valid_name) {
      // Exchange/Lotus Notes fold some long X- headers without indenting the
      // continuation; keep such a line as part of the previous field.
      if (!bad_line_seen) {
        bad_line_seen = true;
        defects.push_back({DefectKind::bad_header_line, std::string(line.substr(0, 60))});
      }
      if (field_start != std::string_view::npos) field_end = line_start + line.size();
      continue;
    }
    flush();
    field_start = line_start;
    field_name = name;
    value_start = line_start + colon + 1;
    field_end = line_start + line.size();
  }
  flush();
  block.body = std::string_view{};
  return block;
}

std::string unfold(std::string_view value) {
  // Most values are one line: one copy. Otherwise the stretches between line
  // breaks are appended whole (a byte at a time, this was ~6% of parsing an
  // everyday mail: header values are unfolded at every look).
  if (value.empty()) return {};  // a default view's data() is null: no memchr on it
  const char* p = value.data();
  const char* const end = p + value.size();
  auto next_break = [end](const char* from) {
    const void* lf = std::memchr(from, '\n', static_cast<std::size_t>(end - from));
    const char* stop = lf ? static_cast<const char*>(lf) : end;
    const void* cr = std::memchr(from, '\r', static_cast<std::size_t>(stop - from));
    return cr ? static_cast<const char*>(cr) : stop;
  };
  const char* br = next_break(p);
  if (br == end) return std::string(value);
  std::string out;
  out.reserve(value.size());
  for (;;) {
    out.append(p, br);
    if (br == end) return out;
    p = br + 1;
    br = next_break(p);
  }
}

MultipartSplit split_multipart(std::string_view body, std::string_view boundary,
                               std::size_t max_parts) {
  MultipartSplit out;
  if (boundary.empty()) return out;
  std::string delim = "--";
  delim.append(boundary);
  // Finds the next delimiter line at or after `from`; returns its offset or npos.
  auto find_delim = [&](std::size_t from) {
    while (true) {
      std::size_t p = body.find(delim, from);
      if (p == std::string_view::npos) return p;
      if (p == 0 || body[p - 1] == '\n' || body[p - 1] == '\r') return p;
      from = p + 1;
    }
  };
  std::size_t d = find_delim(0);
  if (d == std::string_view::npos) return out;
  out.found_any = true;
  while (d != std::string_view::npos) {
    std::size_t after = d + delim.size();
    if (body.substr(after, 2) == "--") {
      out.closed = true;
      return out;
    }
    // Skip the rest of the delimiter line (transport padding).
    std::size_t line_end = after;
    while (line_end < body.size() && body[line_end] != '\n' && body[line_end] != '\r') ++line_end;
    if (line_end < body.size() && body[line_end] == '\r') ++line_end;
    if (line_end < body.size() && body[line_end] == '\n') ++line_end;
    std::size_t next = find_delim(line_end);
    std::size_t part_end = next == std::string_view::npos ? body.size() : next;
    // The line break before a delimiter belongs to the delimiter.
    if (next != std::string_view::npos) {
      if (part_end > line_end && body[part_end - 1] == '\n') --part_end;
      if (part_end > line_end && body[part_end - 1] == '\r') --part_end;
    }
    if (out.parts.size() >= max_parts) {
      out.truncated = true;
      return out;
    }
    out.parts.push_back(body.substr(line_end, part_end - line_end));
    d = next;
  }
  return out;
}

}  // namespace ticketd::parser
