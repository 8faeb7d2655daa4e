#include "bench/parse_corpus.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace ticketd::bench {

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replicate(Mix& mix, std::size_t target) {
  if (mix.distinct.empty()) return;
  while (mix.bytes < target)
    for (const auto& m : mix.distinct) {
      mix.replicated.push_back(&m);
      mix.bytes += m.size();
      if (mix.bytes >= target) break;
    }
}

}  // namespace

std::vector<std::string> default_dirs(const std::string& root) {
  const char* env = std::getenv("CORPUS_DIR");
  std::string corpus = env && *env ? env : root + "/../shared/corpus";
  return {corpus + "/zammad", root + "/tests/data"};
}

std::vector<Mix> load_mixes(const std::vector<std::string>& dirs, std::size_t target_bytes) {
  std::vector<Mix> mixes(2);
  mixes[0].name = "everyday";
  mixes[1].name = "attachments";
  for (const auto& d : dirs) {
    if (!fs::is_directory(d)) {
      std::fprintf(stderr, "parse bench: %s is not there; its mails are left out\n", d.c_str());
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(d))
      if (e.is_regular_file() && (e.path().extension() == ".box" || e.path().extension() == ".eml"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());  // the same order every run
    for (const auto& f : files) {
      std::string raw = slurp(f);
      (raw.size() <= kEverydayMax ? mixes[0] : mixes[1]).distinct.push_back(std::move(raw));
    }
  }
  for (auto& m : mixes) replicate(m, target_bytes);
  return mixes;
}

}  // namespace ticketd::bench
