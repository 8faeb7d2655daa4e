// ticketd daemon: output that people read on a terminal. Mail is written by
// strangers, and a subject, a name or an attachment name can carry escape
// sequences (ESC ] 0 ; ... BEL retitles a window; CSI sequences move the
// cursor, recolour or hide text, some terminals answer them). ticketctl's
// tables and views go through this filter: control characters other than
// newline and tab, DEL, and the C1 controls U+0080..U+009F are written as
// visible escapes ("\x1b", "\u009b"). JSON output needs none of it (the
// encoder escapes them already).
#pragma once

#include <ostream>
#include <streambuf>

namespace ticketd::daemon {

class TerminalSafeBuf : public std::streambuf {
 public:
  explicit TerminalSafeBuf(std::streambuf* out) : out_(out) {}
  ~TerminalSafeBuf() override;

 protected:
  int_type overflow(int_type ch) override;
  int sync() override;

 private:
  std::streambuf* out_;
  bool pending_c2_ = false;  // a 0xC2 lead byte waits for its continuation
};

// Puts a TerminalSafeBuf in front of `os` for as long as it lives.
class TerminalSafeScope {
 public:
  explicit TerminalSafeScope(std::ostream& os) : os_(os), buf_(os.rdbuf()) { os_.rdbuf(&buf_); }
  ~TerminalSafeScope() {
    os_.flush();
    os_.rdbuf(buf_.target());
  }
  TerminalSafeScope(const TerminalSafeScope&) = delete;
  TerminalSafeScope& operator=(const TerminalSafeScope&) = delete;

 private:
  struct Buf : TerminalSafeBuf {
    explicit Buf(std::streambuf* out) : TerminalSafeBuf(out), target_(out) {}
    std::streambuf* target() const { return target_; }
    std::streambuf* target_;
  };
  std::ostream& os_;
  Buf buf_;
};

}  // namespace ticketd::daemon
