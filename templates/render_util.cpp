// Small pure helpers of the template renderer: file names, the status line,
// time formatting and the sample data load() test-renders with.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "templates/render.h"

namespace ticketd::templates {

namespace {

std::string_view part_name(TemplatePart part) {
  switch (part) {
    case TemplatePart::subject:
      return "subject";
    case TemplatePart::text:
      return "text";
    case TemplatePart::html:
      return "html";
  }
  return "?";
}

bool digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// After "YYYY-MM-DDTHH:MM": optional ":SS" and ".fraction", then a UTC zone.
bool utc_tail(std::string_view rest) {
  if (rest.size() >= 3 && rest[0] == ':' && digits_at(rest, 1, 2)) rest.remove_prefix(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') rest.remove_prefix(1);
  }
  return rest == "Z" || rest == "z" || rest == "+00:00" || rest == "+0000";
}

}  // namespace

std::string template_file_name(std::string_view name, TemplatePart part) {
  return std::string(name) + "." + std::string(part_name(part)) + ".mustache";
}

std::string display_time(std::string_view iso) {
  const bool shape = iso.size() >= 16 && digits_at(iso, 0, 4) && iso[4] == '-' &&
                     digits_at(iso, 5, 2) && iso[7] == '-' && digits_at(iso, 8, 2) &&
                     (iso[10] == 'T' || iso[10] == 't' || iso[10] == ' ') &&
                     digits_at(iso, 11, 2) && iso[13] == ':' && digits_at(iso, 14, 2);
  if (!shape || !utc_tail(iso.substr(16))) return std::string(iso);
  return std::string(iso.substr(0, 10)) + " " + std::string(iso.substr(11, 5)) + " UTC";
}

std::string iso8601_utc(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{epoch_seconds}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string status_line(const TicketData& t) {
  std::string out;
  const auto add = [&out](std::string_view part) {
    if (part.empty()) return;
    if (!out.empty()) out += " · ";
    out += part;
  };
  add(t.number);
  add(t.state);
  if (!t.priority.empty()) add("priority " + t.priority);
  if (!t.team.empty()) add("team " + t.team);
  add(t.assignee_name.empty() ? std::string("unassigned") : "assigned to " + t.assignee_name);
  if (!t.first_response_due.empty()) {
    add("first response due " + display_time(t.first_response_due));
  }
  if (!t.resolution_due.empty()) add("resolution due " + display_time(t.resolution_due));
  return out;
}

TemplateData sample_template_data(bool full) {
  TemplateData d;
  if (!full) return d;  // every optional field empty, is_new_ticket false, no thread
  const std::string hostile = "<script>alert(1)</script> & \"q\" 'a' Grüße 日本";
  d.ticket = {"TD-1001",
              "[#TD-1001]",
              "Printer " + hostile + "\r\nBcc: x@evil.example",
              "open",
              "high",
              "IT & <Facilities>",
              "Nick O'Moss",
              "2026-11-27T14:00:00Z",
              "2026-11-29T09:30:00Z",
              ""};
  d.requester = {"Karen \"K\" <Müller> & Co", "karen@example.com"};
  d.agent = {"Nick O'Moss", "nick@example.com"};
  d.support = {"Help <Desk> & Co", "support@example.com"};
  d.new_text = "Hello " + hostile + "\r\nsecond line: 5 > 3\n\nthird — ok";
  d.detail = "line 1: #asign nick: unknown command <#asign> & more";
  d.is_new_ticket = true;
  d.thread = {
      {"Karen \"K\" <Müller>", "karen@example.com", "2026-11-26T09:15:00Z", "in",
       "First <i>mail</i> & more\nsecond line"},
      {"Nick O'Moss", "nick@example.com", "2026-11-26T10:00:00Z", "out",
       "Answer with \"quotes\" & <tags>"},
  };
  d.reply_instructions = "Keep [#TD-1001] & <this> in the subject.";
  return d;
}

}  // namespace ticketd::templates
