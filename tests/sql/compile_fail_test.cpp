// Compile-failure tests: each tests/sql/compile_fail/*.cpp must fail to
// compile with the one-line message named on its first line ("// expect: ...");
// control_compiles.cpp must compile. The compiler is invoked on the file with
// the public include path, as a user's build would (-fsyntax-only).
//
// The compiler is $RETORT_CXX if set, else the compiler family that built
// this test (g++ or clang++).
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path source_root() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

std::string compiler() {
  if (const char* cxx = std::getenv("RETORT_CXX")) return cxx;
#if defined(__clang__)
  return "clang++";
#else
  return "g++";
#endif
}

struct Outcome {
  int status;
  std::string output;
};

Outcome run(const std::string& cmd) {
  Outcome o{0, {}};
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) o.output += buf.data();
  o.status = pclose(pipe);
  return o;
}

std::vector<std::string> cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(source_root() / "tests/sql/compile_fail")) {
    if (e.path().extension() == ".cpp") out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class CompileFail : public ::testing::TestWithParam<std::string> {};

TEST_P(CompileFail, FailsWithReadableMessage) {
  fs::path file = source_root() / "tests/sql/compile_fail" / (GetParam() + ".cpp");
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string tag = "// expect: ";
  ASSERT_EQ(first.rfind(tag, 0), 0u) << file << " must start with '" << tag << "'";
  std::string expected = first.substr(tag.size());
  std::string cmd = compiler() + " -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Wno-unused-variable -I" +
                    (source_root() / "include").string() + " " + file.string();
  auto start = std::chrono::steady_clock::now();
  Outcome o = run(cmd);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (expected == "OK") {
    EXPECT_EQ(o.status, 0) << cmd << "\n" << o.output;
    EXPECT_EQ(o.output, "") << "warnings in a user TU:\n" << o.output;
    EXPECT_LT(secs, 15.0) << "a user TU including retort/sql.hpp should compile in seconds";
    std::cout << "[ info ] control TU compiled in " << secs << " s\n";
    return;
  }
  EXPECT_NE(o.status, 0) << "expected a compile error, but it compiled: " << cmd;
  EXPECT_NE(o.output.find(expected), std::string::npos)
      << "expected message: " << expected << "\ncompiler output:\n" << o.output;
  // The first error the user sees is the message itself.
  auto first_error = o.output.find("error");
  ASSERT_NE(first_error, std::string::npos);
  auto line_end = o.output.find('\n', first_error);
  EXPECT_NE(o.output.substr(first_error, line_end - first_error).find("retort::sql:"), std::string::npos)
      << "the first error line should carry the retort message:\n" << o.output;
}

INSTANTIATE_TEST_SUITE_P(Cases, CompileFail, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
