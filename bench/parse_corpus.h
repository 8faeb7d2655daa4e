// The mails the parser benchmarks read: the shared corpus (CORPUS_DIR,
// default ../shared/corpus) and our own tests/data, split into two mixes and
// replicated in memory to a fixed size so every run parses the same bytes.
//   everyday     mails of at most 64 KiB: what people write, small inline images
//   attachments  the larger ones: mails carrying documents and pictures
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ticketd::bench {

struct Mix {
  std::string name;
  std::vector<std::string> distinct;           // the mails as read
  std::vector<const std::string*> replicated;  // distinct, repeated to ~target bytes
  std::size_t bytes = 0;                       // of replicated
};

// Reads *.box and *.eml under each directory (recursively). Returns the two
// mixes, each replicated to about target_bytes. Directories that do not exist
// are named on stderr and skipped.
std::vector<Mix> load_mixes(const std::vector<std::string>& dirs, std::size_t target_bytes);

// CORPUS_DIR/zammad (default ../shared/corpus relative to the repository)
// and tests/data of the repository at root.
std::vector<std::string> default_dirs(const std::string& root);

constexpr std::size_t kEverydayMax = 64 * 1024;

}  // namespace ticketd::bench
