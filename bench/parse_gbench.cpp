// Parser throughput under Google Benchmark: the full parse over each mix of
// bench/parse_corpus.h (replicated to ~64 MB), bytes and items per second.
// The corpus is read once, before the first benchmark runs.
#include <benchmark/benchmark.h>

#include "bench/parse_corpus.h"
#include "parser/parse.h"

namespace {

const std::vector<ticketd::bench::Mix>& mixes() {
  static const auto m =
      ticketd::bench::load_mixes(ticketd::bench::default_dirs(TICKETD_SOURCE_DIR), 64'000'000);
  return m;
}

void BM_parse(benchmark::State& state, int which) {
  const auto& mix = mixes()[static_cast<std::size_t>(which)];
  if (mix.replicated.empty()) {
    state.SkipWithError("no mails in this mix (CORPUS_DIR?)");
    return;
  }
  for (auto _ : state)
    for (const std::string* m : mix.replicated)
      benchmark::DoNotOptimize(ticketd::parser::parse_message(*m));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * mix.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * mix.replicated.size()));
}

BENCHMARK_CAPTURE(BM_parse, everyday, 0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_parse, attachments, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
