// ticketctl's filter for what people read on a terminal (daemon/terminal.h).
#include "daemon/terminal.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace ticketd::daemon {
namespace {

std::string through_filter(const std::string& in) {
  std::ostringstream sink;
  {
    TerminalSafeScope scope(sink);
    sink << in;
  }
  return sink.str();
}

TEST(TerminalSafe, ControlSequencesFromMailAreShownNotRun) {
  // A window-title OSC, a colour CSI, a bare CR that would overwrite the line,
  // the C1 CSI (U+009B), DEL and NUL.
  EXPECT_EQ(through_filter(std::string("a\x1b]0;pwned\x07"
                                       "b\x1b[31mred\rover\xc2\x9b"
                                       "2J\x7f") +
                           '\0' + "end"),
            "a\\x1b]0;pwned\\x07b\\x1b[31mred\\x0dover\\u009b2J\\x7f\\x00end");
}

TEST(TerminalSafe, TextNewlinesTabsAndUtf8PassUnchanged) {
  const std::string text = "Grüße 日本 🎉\n\tindented\n\xc2\xa0nbsp \xc2\xa9";
  EXPECT_EQ(through_filter(text), text);
  EXPECT_EQ(through_filter("ends in a lead byte \xc2"), "ends in a lead byte \xc2");
}

TEST(TerminalSafe, TheStreamGetsItsBufferBack) {
  std::ostringstream sink;
  std::streambuf* before = sink.rdbuf();
  { TerminalSafeScope scope(sink); }
  EXPECT_EQ(sink.rdbuf(), before);
  sink << "\x1b";
  EXPECT_EQ(sink.str(), "\x1b");
}

}  // namespace
}  // namespace ticketd::daemon
