// The .pth reader and writer against files made by Debian's python3-torch (skipped without it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/weights/pth.h"
#include "test_util.h"

using alloyml::weights::read_state_dict;
using alloyml::weights::StateDict;

namespace {

const char* kPython = "/usr/bin/python3";

bool python_torch_available() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import torch' > /dev/null 2>&1") == 0;
  return ok;
}

std::string script() { return alloyml::testing::source_dir() + "/tests/weights/make_reference.py"; }

// Runs make_reference.py once per test binary into a shared folder.
const std::string& reference_dir() {
  static alloyml::testing::TempDir dir;
  static const bool made =
      std::system((std::string(kPython) + " " + script() + " " + dir.str() + " formats > /dev/null 2>&1").c_str()) == 0;
  EXPECT_TRUE(made);
  static const std::string path = dir.str();
  return path;
}

std::map<std::string, torch::Tensor> as_map(const StateDict& s) { return {s.begin(), s.end()}; }

std::string error_of(const std::string& path) {
  try {
    read_state_dict(path);
  } catch (const alloyml::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

#define REQUIRE_PYTHON_TORCH() \
  if (!python_torch_available()) GTEST_SKIP() << "python3-torch is not installed (scripts/setup.sh --peers)"

TEST(Pth, ReadsEveryTensorOfAPlainStateDictInOrder) {
  REQUIRE_PYTHON_TORCH();
  const auto state = read_state_dict(reference_dir() + "/formats.pth");
  std::ifstream expected(reference_dir() + "/expected.txt");
  size_t i = 0;
  for (std::string line; std::getline(expected, line); ++i) {
    std::istringstream ss(line);
    std::string name, dtype;
    ss >> name >> dtype;
    ASSERT_LT(i, state.size());
    EXPECT_EQ(state[i].first, name);
    const double sum = std::stod(line.substr(line.rfind(' ') + 1));
    EXPECT_NEAR(state[i].second.to(torch::kFloat64).sum().item<double>(), sum, 1e-6 * (1 + std::abs(sum))) << name;
  }
  EXPECT_EQ(i, state.size());
}

TEST(Pth, SharedStoragesOffsetsStridesAndDtypes) {
  REQUIRE_PYTHON_TORCH();
  auto s = as_map(read_state_dict(reference_dir() + "/formats.pth"));
  const auto base = torch::arange(24, torch::kFloat32).reshape({4, 6});
  EXPECT_TRUE(torch::equal(s["shared_whole"], base));
  EXPECT_TRUE(torch::equal(s["view_of_shared"], base.slice(0, 1, 3).slice(1, 2, 5)));
  EXPECT_TRUE(torch::equal(s["transposed"], base.t()));
  EXPECT_EQ(s["half"].scalar_type(), torch::kFloat16);
  EXPECT_EQ(s["double"].scalar_type(), torch::kFloat64);
  EXPECT_EQ(s["long"][2].item<int64_t>(), int64_t{1} << 40);
  EXPECT_EQ(s["long"][1].item<int64_t>(), -3);
  EXPECT_EQ(s["scalar"].dim(), 0);
  EXPECT_EQ(s["param"].sum().item<float>(), 2.0f);
}

TEST(Pth, UnwrapsCheckpointsAndDataParallelPrefixes) {
  REQUIRE_PYTHON_TORCH();
  const auto plain = read_state_dict(reference_dir() + "/formats.pth");
  for (const char* f : {"/wrapped.pth", "/dataparallel.pth"}) {
    const auto s = read_state_dict(reference_dir() + f);
    ASSERT_EQ(s.size(), plain.size()) << f;
    for (size_t i = 0; i < s.size(); ++i) EXPECT_EQ(s[i].first, plain[i].first) << f;
  }
}

TEST(Pth, ReadsTorchScriptArchives) {
  REQUIRE_PYTHON_TORCH();
  auto s = as_map(read_state_dict(reference_dir() + "/scripted.pt"));
  EXPECT_EQ(s.count("0.weight"), 1u);
  EXPECT_EQ(s.count("1.running_var"), 1u);
}

TEST(Pth, LegacyGarbageAndTruncatedFilesAreClearErrors) {
  REQUIRE_PYTHON_TORCH();
  EXPECT_NE(error_of(reference_dir() + "/legacy.pth").find("legacy"), std::string::npos);
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "garbage.pth", "this is not a weight file at all");
  EXPECT_NE(error_of(dir / "garbage.pth").find("not a PyTorch weight file"), std::string::npos);
  std::ifstream in(reference_dir() + "/formats.pth", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t keep : {bytes.size() / 2, bytes.size() - 30, size_t{100}}) {
    alloyml::testing::write_file(dir / "cut.pth", bytes.substr(0, keep));
    const std::string msg = error_of(dir / "cut.pth");
    EXPECT_NE(msg.find("cut.pth"), std::string::npos) << keep << ": " << msg;
  }
  EXPECT_NE(error_of(dir / "missing.pth").find("cannot open"), std::string::npos);
}

// Hostile or damaged archives (make_reference.py hostile): refused with the file and what is
// wrong, never a crash (they once overflowed the stack, read out of bounds, or took 2.2 GB).
TEST(Pth, HostileArchivesAreRefusedNamingTheFile) {
  REQUIRE_PYTHON_TORCH();
  const std::string dir = reference_dir();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"deep.pth", "containers nested deeper than 100 levels"},
      {"cycle.pth", "a container holds itself"},
      {"bomb.pth", "entry archive/data.pkl claims 83886083 bytes"},
      {"short_script.pt", "too few for its"},
      {"short_state.pth", "too few for its 4096 elements"},
  };
  for (const auto& [file, expected] : cases) {
    const std::string msg = error_of(dir + "/" + file);
    EXPECT_NE(msg.find(dir + "/" + file), std::string::npos) << file << ": " << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << file << ": " << msg;
  }
  // check_archive (what the checkpoint loader runs first) refuses the TorchScript damage too,
  // and passes the sound archives.
  EXPECT_THROW(alloyml::weights::check_archive(dir + "/short_script.pt"), alloyml::InputError);
  EXPECT_NO_THROW(alloyml::weights::check_archive(dir + "/scripted.pt"));
  EXPECT_NO_THROW(alloyml::weights::check_archive(dir + "/formats.pth"));
}

TEST(Pth, WrittenFilesLoadInPython) {
  REQUIRE_PYTHON_TORCH();
  const auto state = read_state_dict(reference_dir() + "/formats.pth");
  alloyml::testing::TempDir dir;
  alloyml::weights::write_state_dict(dir / "out.pth", state);
  // Round trip through our own reader ...
  auto back = as_map(read_state_dict(dir / "out.pth"));
  for (const auto& [k, v] : state) EXPECT_TRUE(torch::equal(back[k], v)) << k;
  // ... and through Python's torch.load.
  const std::string cmd = std::string(kPython) + " " + script() + " " + dir.str() + " check " + (dir / "out.pth") +
                          " > " + (dir / "check.txt") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << alloyml::testing::env_or("X", "") << cmd;
  std::ifstream check(dir / "check.txt");
  std::string first;
  std::getline(check, first);
  EXPECT_EQ(first.rfind("plain [3, 4] torch.float32", 0), 0u) << first;
}
