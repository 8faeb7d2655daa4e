// Parser throughput and memory, side by side with mimetic (MIME structure
// only, no charset or encoded-word work) in the same process over the same
// mails. Prints messages/s, MB/s and peak RSS. Usage:
//   parse_bench [--rounds N] [--big-mb M] FILE_OR_DIR...
// Not a test: figures vary by machine; tests never assert speed.
#include <mimetic/mimetic.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "parser/parse.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

template <typename F>
double seconds(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string big_mail(std::size_t mb) {
  std::string raw =
      "From: Alex Kamal <alex@example.com>\r\nTo: support@example.com\r\nSubject: big\r\n"
      "Message-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
      "see attachment\r\n--b\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::size_t lines = mb * 1024 * 1024 / 57;
  std::string line;
  for (int i = 0; i < 76; ++i)
    line += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7) % 64];
  raw.reserve(lines * 78 + 512);
  for (std::size_t i = 0; i < lines; ++i) raw += line + "\r\n";
  raw += "--b--\r\n";
  return raw;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 20;
  std::size_t big_mb = 25;
  std::vector<std::string> mails;
  std::size_t bytes = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help") {
      std::puts("parse_bench [--rounds N] [--big-mb M] FILE_OR_DIR...");
      return 0;
    }
    if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      continue;
    }
    if (a == "--big-mb" && i + 1 < argc) {
      big_mb = std::strtoul(argv[++i], nullptr, 10);
      continue;
    }
    if (fs::is_directory(a)) {
      for (const auto& e : fs::recursive_directory_iterator(a))
        if (e.is_regular_file() &&
            (e.path().extension() == ".box" || e.path().extension() == ".eml"))
          mails.push_back(slurp(e.path()));
    } else {
      mails.push_back(slurp(a));
    }
  }
  for (const auto& m : mails) bytes += m.size();
  if (!mails.empty()) {
    std::printf("%zu mails, %.2f MB, %d rounds\n", mails.size(), bytes / 1e6, rounds);
    std::size_t sink = 0;
    double t_ours = seconds([&] {
      for (int r = 0; r < rounds; ++r)
        for (const auto& m : mails) sink += ticketd::parser::parse_message(m).text.size();
    });
    double t_mimetic = seconds([&] {
      for (int r = 0; r < rounds; ++r)
        for (const auto& m : mails) {
          mimetic::MimeEntity me(m.begin(), m.end());
          sink += me.body().size();
        }
    });
    const double total = static_cast<double>(bytes) * rounds;
    std::printf("%-34s %10s %10s\n", "", "msgs/s", "MB/s");
    std::printf("%-34s %10.0f %10.1f\n", "ticketd parse (full: charsets, text)",
                mails.size() * rounds / t_ours, total / t_ours / 1e6);
    std::printf("%-34s %10.0f %10.1f\n", "mimetic (structure only, baseline)",
                mails.size() * rounds / t_mimetic, total / t_mimetic / 1e6);
    if (sink == 42) std::puts("");
  }
  if (big_mb > 0) {
    std::string raw = big_mail(big_mb);
    long before = peak_rss_kb();
    std::size_t att = 0;
    double t = seconds([&] {
      auto m = ticketd::parser::parse_message(raw);
      att = m.attachments.empty() ? 0 : m.attachments[0].size;
    });
    long after = peak_rss_kb();
    std::printf(
        "big mail: %.1f MB raw, attachment %.1f MB, parsed in %.3f s (%.0f MB/s); "
        "peak RSS %.1f MB before, %.1f MB after (%.2fx the mail)\n",
        raw.size() / 1e6, att / 1e6, t, raw.size() / t / 1e6, before / 1024.0, after / 1024.0,
        after * 1024.0 / raw.size());
  }
  return 0;
}
