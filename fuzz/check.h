// A fuzz target's property check: when it fails, say which and abort, so
// libFuzzer keeps the input as a crash and the replay test fails on it.
// (libFuzzer reserves return values other than 0 and -1.)
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
