// Runs a fuzz target over seed files without libFuzzer, so the seed corpus
// (and every crash turned regression file) is an ordinary test under g++ and
// ASan/UBSan. Usage: replay FILE_OR_DIR...; a failed property aborts (check.h);
// exit 1 if an argument is missing or no input was found.
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
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || e.path().extension() == ".json" || name.starts_with("."))
          continue;
        ++files;
        if (run_file(e.path()) != 0) {
          ++bad;
          std::fprintf(stderr, "property failed: %s\n", e.path().c_str());
        }
      }
    } else if (fs::is_regular_file(arg)) {
      ++files;
      if (run_file(arg) != 0) ++bad;
    } else {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      ++bad;
    }
  }
  std::printf("%d passed, %d failed\n", files - bad, bad);
  return bad == 0 && files > 0 ? 0 : 1;
}
