// Runs a fuzz target over seed files without libFuzzer, so the seed corpus
// (and every crash turned regression file) is an ordinary test under g++ and
// ASan/UBSan. Usage: replay FILE_OR_DIR...; exit 1 if the target returned
// non-zero for any input (a property check failed).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static int run_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

int main(int argc, char** argv) {
  int files = 0, bad = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path arg(argv[i]);
    if (fs::is_directory(arg)) {
      for (const auto& e : fs::recursive_directory_iterator(arg)) {
        if (!e.is_regular_file() || e.path().extension() == ".json") continue;
        ++files;
        if (run_file(e.path()) != 0) {
          ++bad;
          std::fprintf(stderr, "property failed: %s\n", e.path().c_str());
        }
      }
    } else {
      ++files;
      if (run_file(arg) != 0) ++bad;
    }
  }
  std::printf("%d passed, %d failed\n", files - bad, bad);
  return bad == 0 && files > 0 ? 0 : 1;
}
