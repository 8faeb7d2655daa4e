#include "parser/message.h"

#include "parser/mime.h"

namespace ticketd::parser {

std::string_view defect_name(DefectKind kind) {
  switch (kind) {
    case DefectKind::mbox_from_line:
      return "mbox_from_line";
    case DefectKind::header_too_big:
      return "header_too_big";
    case DefectKind::too_many_headers:
      return "too_many_headers";
    case DefectKind::bad_header_line:
      return "bad_header_line";
    case DefectKind::missing_boundary:
      return "missing_boundary";
    case DefectKind::unterminated_multipart:
      return "unterminated_multipart";
    case DefectKind::too_deep:
      return "too_deep";
    case DefectKind::too_many_parts:
      return "too_many_parts";
    case DefectKind::attachment_too_big:
      return "attachment_too_big";
    case DefectKind::message_too_big:
      return "message_too_big";
    case DefectKind::too_many_addresses:
      return "too_many_addresses";
    case DefectKind::too_many_params:
      return "too_many_params";
    case DefectKind::bad_encoded_word:
      return "bad_encoded_word";
    case DefectKind::unknown_charset:
      return "unknown_charset";
    case DefectKind::charset_mismatch:
      return "charset_mismatch";
    case DefectKind::invalid_utf8:
      return "invalid_utf8";
    case DefectKind::undeclared_8bit:
      return "undeclared_8bit";
    case DefectKind::bad_base64:
      return "bad_base64";
    case DefectKind::bad_quoted_printable:
      return "bad_quoted_printable";
    case DefectKind::bad_content_type:
      return "bad_content_type";
    case DefectKind::bad_address:
      return "bad_address";
    case DefectKind::bad_date:
      return "bad_date";
    case DefectKind::nul_byte:
      return "nul_byte";
  }
  return "unknown";
}

std::string_view auto_kind_name(AutoKind kind) {
  switch (kind) {
    case AutoKind::none:
      return "none";
    case AutoKind::delivery_report:
      return "delivery_report";
    case AutoKind::auto_reply:
      return "auto_reply";
    case AutoKind::read_receipt:
      return "read_receipt";
    case AutoKind::feedback_report:
      return "feedback_report";
    case AutoKind::bulk:
      return "bulk";
    case AutoKind::auto_generated:
      return "auto_generated";
  }
  return "unknown";
}

std::string_view evidence_kind_name(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::header:
      return "header";
    case EvidenceKind::sender:
      return "sender";
    case EvidenceKind::structure:
      return "structure";
    case EvidenceKind::subject:
      return "subject";
  }
  return "unknown";
}

void add_defect(Defects& defects, DefectKind kind, std::string_view detail) {
  for (const auto& d : defects)
    if (d.kind == kind) return;
  defects.push_back({kind, std::string(detail.substr(0, 60))});
}

const std::string* Message::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

}  // namespace ticketd::parser
