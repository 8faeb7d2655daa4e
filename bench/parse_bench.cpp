// Parser throughput, the plain driver: the full parse (headers, encoded words,
// charsets, body choice, HTML -> text, attachments decoded and hashed) over
// each mix of bench/parse_corpus.h replicated to ~64 MB in memory, side by
// side with mimetic (MIME structure only, no charset or encoded-word work) in
// the same process over the same bytes. Prints msgs/s and MB/s; --json prints
// the same as one JSON object for bench/parse. Also the peak RSS of parsing
// one big mail (--big-mb, 0 = skip). Not a test: figures vary by machine.
#include <mimetic/mimetic.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/parse_corpus.h"
#include "parser/parse.h"

namespace {

using Clock = std::chrono::steady_clock;

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

struct Rate {
  double msgs_per_s = 0;
  double mb_per_s = 0;
};

// Best of `rounds` passes over the mix (the least disturbed by the machine).
template <typename F>
Rate best_of(const ticketd::bench::Mix& mix, int rounds, F&& parse_one) {
  double best = 1e300;
  std::size_t sink = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    for (const std::string* m : mix.replicated) sink += parse_one(*m);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  if (sink == 42) std::puts("");  // keeps the work observable
  return {mix.replicated.size() / best, mix.bytes / best / 1e6};
}

// The same on two threads, each parsing half of the mix: what the daemon
// does with a fetched batch of 64 mails or more (daemon/poller.cpp), and
// what "2 cores" in the targets means. Each thread has its own converters.
template <typename F>
Rate best_of_two_threads(const ticketd::bench::Mix& mix, int rounds, F&& parse_one) {
  double best = 1e300;
  std::size_t sinks[2] = {0, 0};
  const std::size_t n = mix.replicated.size(), half = n / 2;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    std::thread other([&] {
      for (std::size_t i = half; i < n; ++i) sinks[1] += parse_one(*mix.replicated[i]);
    });
    for (std::size_t i = 0; i < half; ++i) sinks[0] += parse_one(*mix.replicated[i]);
    other.join();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  if (sinks[0] + sinks[1] == 42) std::puts("");
  return {n / best, mix.bytes / best / 1e6};
}

std::string big_mail(std::size_t mb) {
  std::string raw =
      "From: Alex Kamal <alex@example.com>\r\nTo: support@example.com\r\nSubject: big\r\n"
      "Message-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
      "see attachment\r\n--b\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::size_t lines = mb * 1000 * 1000 / 57;
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
  int rounds = 3;
  std::size_t mb = 64, big_mb = 0;
  bool json = false, baseline = true;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::puts(
          "parse_bench [--mb N] [--rounds N] [--big-mb M] [--json] [--no-baseline] [DIR...]\n"
          "  Parses each mix (everyday: mails <= 64 KiB; attachments: larger ones) of\n"
          "  the mails under DIR (default: $CORPUS_DIR/zammad and tests/data),\n"
          "  replicated to N MB (64), best of N rounds (3), with ticketd's parser and\n"
          "  with mimetic. --big-mb: also the peak RSS of parsing one M MB mail.");
      return 0;
    }
    if (a == "--version") {
      std::puts("parse_bench (ticketd)");
      return 0;
    }
    auto value = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "parse_bench: %s needs a value\n", a.c_str());
        std::exit(64);
      }
      return std::strtoul(argv[++i], nullptr, 10);
    };
    if (a == "--rounds")
      rounds = static_cast<int>(value());
    else if (a == "--mb")
      mb = value();
    else if (a == "--big-mb")
      big_mb = value();
    else if (a == "--json")
      json = true;
    else if (a == "--no-baseline")  // ours alone, for profiling
      baseline = false;
    else
      dirs.push_back(a);
  }
  if (dirs.empty()) dirs = ticketd::bench::default_dirs(TICKETD_SOURCE_DIR);
  auto mixes = ticketd::bench::load_mixes(dirs, mb * 1000 * 1000);

  std::string out = "{\"mixes\":[";
  for (const auto& mix : mixes) {
    if (mix.replicated.empty()) continue;
    Rate ours = best_of(mix, rounds, [](const std::string& m) {
      return ticketd::parser::parse_message(m).text.size();
    });
    Rate two = best_of_two_threads(mix, rounds, [](const std::string& m) {
      return ticketd::parser::parse_message(m).text.size();
    });
    Rate base = baseline ? best_of(mix, rounds,
                                   [](const std::string& m) {
                                     mimetic::MimeEntity me(m.begin(), m.end());
                                     return me.body().size();
                                   })
                         : Rate{};
    if (json) {
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "%s{\"mix\":\"%s\",\"distinct\":%zu,\"mails\":%zu,\"bytes\":%zu,"
                    "\"ours_msgs_s\":%.1f,\"ours_mb_s\":%.2f,\"ours2_msgs_s\":%.1f,"
                    "\"ours2_mb_s\":%.2f,\"mimetic_msgs_s\":%.1f,\"mimetic_mb_s\":%.2f}",
                    out.back() == '[' ? "" : ",", mix.name.c_str(), mix.distinct.size(),
                    mix.replicated.size(), mix.bytes, ours.msgs_per_s, ours.mb_per_s,
                    two.msgs_per_s, two.mb_per_s, base.msgs_per_s, base.mb_per_s);
      out += buf;
    } else {
      std::printf("%s: %zu distinct mails replicated to %zu (%.1f MB), best of %d\n",
                  mix.name.c_str(), mix.distinct.size(), mix.replicated.size(), mix.bytes / 1e6,
                  rounds);
      std::printf("  %-40s %10.0f msgs/s %8.1f MB/s\n", "ticketd parse (full)", ours.msgs_per_s,
                  ours.mb_per_s);
      std::printf("  %-40s %10.0f msgs/s %8.1f MB/s\n", "ticketd parse (full), 2 threads",
                  two.msgs_per_s, two.mb_per_s);
      std::printf("  %-40s %10.0f msgs/s %8.1f MB/s\n", "mimetic (structure only, baseline)",
                  base.msgs_per_s, base.mb_per_s);
    }
  }
  out += "]";
  if (big_mb > 0) {
    std::string raw = big_mail(big_mb);
    long before = peak_rss_kb();
    auto t0 = Clock::now();
    auto m = ticketd::parser::parse_message(raw);
    double t = std::chrono::duration<double>(Clock::now() - t0).count();
    long after = peak_rss_kb();
    const std::size_t att = m.attachments.empty() ? 0 : m.attachments[0].size;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  ",\"big\":{\"raw_bytes\":%zu,\"attachment_bytes\":%zu,\"seconds\":%.4f,"
                  "\"rss_before_kib\":%ld,\"rss_after_kib\":%ld}",
                  raw.size(), att, t, before, after);
    out += buf;
    if (!json)
      std::printf(
          "big mail: %.1f MB raw, attachment %.1f MB, parsed in %.3f s; peak RSS %.1f MB "
          "before, %.1f MB after\n",
          raw.size() / 1e6, att / 1e6, t, before / 1024.0, after / 1024.0);
  }
  out += "}";
  if (json) std::puts(out.c_str());
  return 0;
}
