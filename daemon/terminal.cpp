#include "daemon/terminal.h"

#include <cstdio>

namespace ticketd::daemon {

namespace {

void put_escape(std::streambuf* out, const char* format, unsigned value) {
  char buf[8];
  const int n = std::snprintf(buf, sizeof buf, format, value);
  out->sputn(buf, n);
}

}  // namespace

TerminalSafeBuf::~TerminalSafeBuf() {
  if (pending_c2_) out_->sputc(static_cast<char>(0xC2));
}

TerminalSafeBuf::int_type TerminalSafeBuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const auto c = static_cast<unsigned char>(traits_type::to_char_type(ch));
  if (pending_c2_) {
    pending_c2_ = false;
    if (c >= 0x80 && c <= 0x9F) {  // U+0080..U+009F: C1 controls (0x9B is CSI)
      put_escape(out_, "\\u%04x", c);
      return ch;
    }
    out_->sputc(static_cast<char>(0xC2));
  }
  if (c == 0xC2) {
    pending_c2_ = true;
  } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
    put_escape(out_, "\\x%02x", c);
  } else {
    out_->sputc(static_cast<char>(c));
  }
  return ch;
}

int TerminalSafeBuf::sync() { return out_->pubsync(); }

}  // namespace ticketd::daemon
