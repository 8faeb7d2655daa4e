// TemplateSet: reading the template files, checking them, and rendering them
// with kainjow::mustache (Debian's libkainjow-mustache-dev, header-only).
#include "templates/render.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "parser/reply_strip.h"

namespace ticketd::templates {

namespace {

namespace mus = kainjow::mustache;

constexpr TemplatePart kParts[] = {TemplatePart::subject, TemplatePart::text, TemplatePart::html};
// Templates are a few hundred bytes; a bigger file is a mistake (a wrong path).
constexpr std::uintmax_t kMaxTemplateBytes = 64 * 1024;

// ---- values ----------------------------------------------------------------

// Subjects: a run of control characters (CR, LF, TAB, NUL, ...) becomes one
// space, so "x\r\nBcc: y" can never start a header line.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_run = false;
  for (const char c : s) {
    const bool control = static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    if (control && !in_run) out.push_back(' ');
    if (!control) out.push_back(c);
    in_run = control;
  }
  return out;
}

std::string keep(std::string_view s) { return std::string(s); }

using Clean = std::string (*)(std::string_view);

// "" is false in our data, so {{#ticket.team}}...{{/ticket.team}} means "if set"
// (kainjow treats every string, even "", as true).
mus::data value(std::string s) { return s.empty() ? mus::data(false) : mus::data(s); }

mus::data person(const PersonData& p, Clean clean) {
  mus::data d;
  d.set("name", value(clean(p.name)));
  d.set("address", value(clean(p.address)));
  return d;
}

mus::data ticket(const TicketData& t, Clean clean) {
  mus::data d;
  d.set("number", value(clean(t.number)));
  d.set("tag", value(clean(t.tag.empty() && !t.number.empty() ? "[#" + t.number + "]" : t.tag)));
  d.set("subject", value(clean(t.subject)));
  d.set("state", value(clean(t.state)));
  d.set("priority", value(clean(t.priority)));
  d.set("team", value(clean(t.team)));
  d.set("assignee_name", value(clean(t.assignee_name)));
  d.set("first_response_due", value(clean(display_time(t.first_response_due))));
  d.set("resolution_due", value(clean(display_time(t.resolution_due))));
  d.set("status_line", value(clean(t.status_line.empty() ? status_line(t) : t.status_line)));
  return d;
}

// At most `max` bytes, cut at a UTF-8 character boundary.
std::string cut_text(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + " […]";
}

mus::data thread(const std::vector<EntryData>& entries, const TemplateSettings& settings,
                 Clean clean) {
  mus::data list{mus::data::type::list};
  const std::size_t skip =
      entries.size() > settings.thread_entries ? entries.size() - settings.thread_entries : 0;
  for (std::size_t i = skip; i < entries.size(); ++i) {
    const EntryData& e = entries[i];
    mus::data d;
    d.set("from_name", value(clean(e.from_name)));
    d.set("from_address", value(clean(e.from_address)));
    d.set("at", value(clean(display_time(e.at))));
    d.set("direction", value(clean(e.direction)));
    d.set("text", value(clean(cut_text(e.text, settings.entry_text_bytes))));
    d.set("inbound", mus::data(e.direction == "in"));
    list.push_back(d);
  }
  return list;
}

// Keep in step with kTopVars in render_check.cpp.
mus::data to_mustache(const TemplateData& t, const TemplateSettings& settings, Clean clean) {
  mus::data d;
  d.set("ticket", ticket(t.ticket, clean));
  d.set("requester", person(t.requester, clean));
  d.set("agent", person(t.agent, clean));
  d.set("support", person(t.support, clean));
  d.set("new_text", value(clean(t.new_text)));
  d.set("detail", value(clean(t.detail)));
  d.set("reply_instructions", value(clean(t.reply_instructions)));
  d.set("reply_marker", value(std::string(parser::kReplyMarker)));
  d.set("is_new_ticket", mus::data(t.is_new_ticket));
  d.set("has_thread", mus::data(!t.thread.empty() && settings.thread_entries > 0));
  d.set("thread", thread(t.thread, settings, clean));
  return d;
}

// ---- output ----------------------------------------------------------------

// HTML escaping with line breaks kept as <br> (clients ignore white-space CSS
// unevenly; Outlook's Word engine drops pre-wrap). &#39; rather than &apos;,
// which HTML 4 clients do not know.
std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    switch (s[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += "<br>\n";
        break;
      case '\n':
        out += "<br>\n";
        break;
      default:
        out.push_back(s[i]);
    }
  }
  return out;
}

// CRLF and bare CR → LF; NUL dropped.
std::string lf_lines(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (s[i] != '\0') {
      out.push_back(s[i]);
    }
  }
  return out;
}

// A subject file's final line break is not part of the subject.
std::string drop_final_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

bool blank_line(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Text parts: at most one blank line in a row, none at the start, one final
// LF. kainjow drops the line of a standalone section tag only when the section
// renders; a skipped one leaves an empty line behind, and an admin's template
// should not have to dodge that.
std::string tidy_text(const std::string& lf_text) {
  std::string out;
  out.reserve(lf_text.size());
  bool pending_blank = false;
  for (std::size_t pos = 0; pos < lf_text.size();) {
    std::size_t nl = lf_text.find('\n', pos);
    if (nl == std::string::npos) nl = lf_text.size();
    const std::string_view line(lf_text.data() + pos, nl - pos);
    pos = nl + 1;
    if (blank_line(line)) {
      pending_blank = !out.empty();
      continue;
    }
    if (pending_blank) out.push_back('\n');
    pending_blank = false;
    out.append(line).push_back('\n');
  }
  return out;
}

std::string trim_spaces(std::string s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// The raw engine output of one part; the error is the engine's message.
std::expected<std::string, std::string> render_part(const std::string& source, TemplatePart kind,
                                                    const mus::data& data) {
  mus::mustache tmpl{source};
  if (!tmpl.is_valid()) return std::unexpected("syntax error: " + tmpl.error_message());
  if (kind == TemplatePart::html) {
    tmpl.set_custom_escape(escape_html);
  } else {
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // plain text: verbatim
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return std::unexpected("render error: " + tmpl.error_message());
  return out;
}

// ---- checking --------------------------------------------------------------

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Static checks of one file; the problem, or "".
std::string check_source(const std::string& source, TemplatePart kind) {
  if (!valid_utf8(source)) return "not valid UTF-8";
  if (auto problem = check_template_source(source, kind)) return *problem;
  mus::mustache tmpl{source};
  if (!tmpl.is_valid()) return "syntax error: " + tmpl.error_message();
  return {};
}

std::string expected_files_hint() {
  std::string out = "expected <name>.{subject,text,html}.mustache, name one of";
  for (const std::string_view name : kTemplateNames) out += " " + std::string(name);
  return out;
}

std::set<std::string> expected_files() {
  std::set<std::string> out;
  for (const std::string_view name : kTemplateNames) {
    for (const TemplatePart part : kParts) out.insert(template_file_name(name, part));
  }
  return out;
}

// ---- files -----------------------------------------------------------------

namespace fs = std::filesystem;

// Every entry of `dir` must be one of our file names: a typo'd override
// ("acknowledgment.text.mustache") would otherwise be silently ignored.
std::expected<std::set<std::string>, TemplateError> list_dir(const std::string& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return std::unexpected(TemplateError{dir, "cannot read directory: " + ec.message()});
  const std::set<std::string> known = expected_files();
  std::set<std::string> present;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!known.contains(name)) {
      return std::unexpected(TemplateError{
          it->path().string(), "unknown template file (" + expected_files_hint() + ")"});
    }
    present.insert(name);
  }
  if (ec) return std::unexpected(TemplateError{dir, "cannot read directory: " + ec.message()});
  return present;
}

std::expected<std::string, TemplateError> read_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return std::unexpected(TemplateError{path.string(), "missing template file"});
  if (size > kMaxTemplateBytes) {
    return std::unexpected(
        TemplateError{path.string(),
                      "template file larger than " + std::to_string(kMaxTemplateBytes) + " bytes"});
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) return std::unexpected(TemplateError{path.string(), "cannot read template file"});
  return buf.str();
}

}  // namespace

std::expected<TemplateSet, TemplateError> TemplateSet::load(
    const std::string& default_dir, const std::optional<std::string>& override_dir,
    const TemplateSettings& settings) {
  auto defaults = list_dir(default_dir);
  if (!defaults) return std::unexpected(defaults.error());
  std::set<std::string> overrides;
  if (override_dir) {
    auto listed = list_dir(*override_dir);
    if (!listed) return std::unexpected(listed.error());
    overrides = std::move(*listed);
  }
  std::map<std::string, Part> parts;
  for (const std::string& file : expected_files()) {
    const fs::path path =
        overrides.contains(file) ? fs::path(*override_dir) / file : fs::path(default_dir) / file;
    auto source = read_file(path);
    if (!source) return std::unexpected(source.error());
    parts[file] = Part{path.string(), std::move(*source)};
  }
  return build(parts, settings);
}

std::expected<TemplateSet, TemplateError> TemplateSet::from_sources(
    const std::map<std::string, std::string>& files, const TemplateSettings& settings) {
  const std::set<std::string> known = expected_files();
  std::map<std::string, Part> parts;
  for (const auto& [file, source] : files) {
    if (!known.contains(file)) {
      return std::unexpected(
          TemplateError{file, "unknown template file (" + expected_files_hint() + ")"});
    }
    parts[file] = Part{file, source};
  }
  for (const std::string& file : known) {
    if (!parts.contains(file)) return std::unexpected(TemplateError{file, "missing template file"});
  }
  return build(parts, settings);
}

// `parts` holds every expected file. Checks each statically, then test-renders.
std::expected<TemplateSet, TemplateError> TemplateSet::build(
    const std::map<std::string, Part>& parts, const TemplateSettings& settings) {
  TemplateSet set;
  set.settings_ = settings;
  for (const std::string_view name : kTemplateNames) {
    Template t;
    Part* slots[] = {&t.subject, &t.text, &t.html};
    for (std::size_t i = 0; i < std::size(kParts); ++i) {
      const Part& part = parts.at(template_file_name(name, kParts[i]));
      const std::string problem = check_source(part.source, kParts[i]);
      if (!problem.empty()) return std::unexpected(TemplateError{part.file, problem});
      *slots[i] = part;
    }
    set.templates_.emplace(std::string(name), std::move(t));
  }
  for (const std::string_view name : kTemplateNames) {
    if (auto err = set.test_render(set.templates_.at(std::string(name)))) {
      return std::unexpected(*err);
    }
  }
  return set;
}

// Renders `t` with both samples (awkward values; every optional value empty)
// and checks what a static look cannot: the subject is one non-empty line,
// the bodies carry the reply marker, the HTML shows no raw sample markup.
std::optional<TemplateError> TemplateSet::test_render(const Template& t) const {
  const std::string marker(parser::kReplyMarker);
  for (const bool full : {true, false}) {
    const TemplateData sample = sample_template_data(full);
    const mus::data subject_data = to_mustache(sample, settings_, one_line);
    const mus::data body_data = to_mustache(sample, settings_, keep);
    const auto subject = render_part(t.subject.source, TemplatePart::subject, subject_data);
    if (!subject) return TemplateError{t.subject.file, subject.error()};
    if (drop_final_newlines(*subject).find_first_of("\r\n") != std::string::npos) {
      return TemplateError{t.subject.file, "the subject renders to more than one line"};
    }
    if (trim_spaces(one_line(*subject)).empty()) {
      return TemplateError{t.subject.file, "the subject renders empty when optional values are"};
    }
    for (const Part* part : {&t.text, &t.html}) {
      const TemplatePart kind = part == &t.text ? TemplatePart::text : TemplatePart::html;
      const auto body = render_part(part->source, kind, body_data);
      if (!body) return TemplateError{part->file, body.error()};
      if (body->find(marker) == std::string::npos) {
        return TemplateError{part->file, "no reply marker line (use {{reply_marker}})"};
      }
      if (kind == TemplatePart::html && body->find("<script>") != std::string::npos) {
        return TemplateError{part->file, "a value is not HTML-escaped"};
      }
    }
  }
  return std::nullopt;
}

std::expected<RenderedMail, TemplateError> TemplateSet::render(std::string_view name,
                                                               const TemplateData& data) const {
  const auto it = templates_.find(name);
  if (it == templates_.end()) {
    return std::unexpected(TemplateError{std::string(name), "unknown template"});
  }
  const Template& t = it->second;
  RenderedMail mail;
  const auto subject =
      render_part(t.subject.source, TemplatePart::subject, to_mustache(data, settings_, one_line));
  if (!subject) return std::unexpected(TemplateError{t.subject.file, subject.error()});
  mail.subject = trim_spaces(one_line(*subject));
  if (mail.subject.empty()) {
    return std::unexpected(TemplateError{t.subject.file, "the subject renders empty"});
  }
  const mus::data body_data = to_mustache(data, settings_, keep);
  const auto text = render_part(t.text.source, TemplatePart::text, body_data);
  if (!text) return std::unexpected(TemplateError{t.text.file, text.error()});
  const auto html = render_part(t.html.source, TemplatePart::html, body_data);
  if (!html) return std::unexpected(TemplateError{t.html.file, html.error()});
  mail.text = tidy_text(lf_lines(*text));
  mail.html = lf_lines(*html);
  return mail;
}

std::vector<std::string> TemplateSet::names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : templates_) out.push_back(name);
  return out;
}

}  // namespace ticketd::templates
