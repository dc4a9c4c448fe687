// The train / eval / predict commands through their library entry points, on synthetic data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "alloyml/core/config.h"
#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/tasks/commands.h"
#include "test_util.h"

namespace fs = std::filesystem;
using alloyml::config::Json;
using alloyml::testing::TempDir;

namespace {

class TrainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    alloyml::data::write_surface_defects(*dir_ / "data", 30, 48, 11);
    alloyml::testing::write_file(*dir_ / "data/crazing_999.png", "this is not an image");
    Json cfg = {{"version", 1},
                {"seed", 3},
                {"data", {{"root", *dir_ / "data"}, {"split", {{"val", 0.2}, {"test", 0.2}}}}},
                {"input", {{"size", 48}, {"channels", 1}, {"mean", {0.5}}, {"std", {0.25}}}},
                {"augment", {{"vflip", 0.5}, {"rotate90", true}}},
                {"model", {{"name", "resnet10"}, {"width", 16}}},
                {"optim", {{"lr", 0.003}}},
                {"schedule", {{"name", "cosine"}, {"warmup_epochs", 0.5}}},
                {"train", {{"epochs", 18}, {"batch_size", 16}}},
                {"output", {{"dir", *dir_ / "run"}}}};
    alloyml::config::write_json_file(*dir_ / "cfg.json", cfg);
    alloyml::tasks::TrainRequest req;
    req.config_path = *dir_ / "cfg.json";
    req.common.quiet = true;
    status_ = alloyml::tasks::run_train(req);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string run() { return *dir_ / "run"; }
  static TempDir* dir_;
  static int status_;
};
TempDir* TrainCommand::dir_ = nullptr;
int TrainCommand::status_ = -1;

}  // namespace

TEST_F(TrainCommand, WritesTheRunDirectory) {
  ASSERT_EQ(status_, 0);
  for (const char* f : {"config.json", "model.json", "checkpoints/last.pt", "checkpoints/best.pt", "metrics.jsonl",
                        "summary.json", "report.html", "train.log", "split.csv", "confusion.png", "loss.png", "model.pth"})
    EXPECT_TRUE(fs::exists(run() + "/" + f)) << f;
  const Json cfg = alloyml::config::load_json_file(run() + "/config.json");
  EXPECT_EQ(cfg["train"]["eval_batch_size"], 0);  // defaults were filled in
}

TEST_F(TrainCommand, TinyModelLearnsTheSyntheticDefects) {
  ASSERT_EQ(status_, 0);
  const Json s = alloyml::config::load_json_file(run() + "/summary.json");
  EXPECT_GE(s["test"]["accuracy"].get<double>(), 0.85) << s.dump(2);
  EXPECT_GE(s["val"]["accuracy"].get<double>(), 0.85);
}

TEST_F(TrainCommand, CorruptImageIsSkippedAndCounted) {
  ASSERT_EQ(status_, 0);
  const Json s = alloyml::config::load_json_file(run() + "/summary.json");
  EXPECT_EQ(s["skipped_images"], 1);
  EXPECT_NE(s["skipped"][0].get<std::string>().find("crazing_999.png"), std::string::npos);
}

TEST_F(TrainCommand, ExistingRunIsNotOverwrittenWithoutResume) {
  alloyml::tasks::TrainRequest req;
  req.config_path = *dir_ / "cfg.json";
  req.common.quiet = true;
  EXPECT_THROW(alloyml::tasks::run_train(req), alloyml::InputError);
}

TEST_F(TrainCommand, EvalReproducesTheTestAccuracy) {
  ASSERT_EQ(status_, 0);
  alloyml::tasks::EvalRequest req;
  req.run_dir = run();
  req.out_path = *dir_ / "eval.json";
  req.common.quiet = true;
  ASSERT_EQ(alloyml::tasks::run_eval(req), 0);
  const Json e = alloyml::config::load_json_file(*dir_ / "eval.json");
  const Json s = alloyml::config::load_json_file(run() + "/summary.json");
  EXPECT_DOUBLE_EQ(e["accuracy"].get<double>(), s["test"]["accuracy"].get<double>());
  EXPECT_EQ(e["confusion_matrix"].size(), 6u);
}

TEST_F(TrainCommand, PredictWritesOneRowPerImageAndMarksUnreadable) {
  ASSERT_EQ(status_, 0);
  alloyml::tasks::PredictRequest req;
  req.run_dir = run();
  req.input = *dir_ / "data";
  req.output = *dir_ / "pred.csv";
  req.task_options.set("topk", {"3"});
  req.common.quiet = true;
  ASSERT_EQ(alloyml::tasks::run_predict(req), 0);
  const auto t = alloyml::read_csv(*dir_ / "pred.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"path", "label", "score", "label_2", "score_2", "label_3", "score_3", "error"}));
  ASSERT_EQ(t.rows.size(), 181u);
  int correct = 0, unreadable = 0;
  for (const auto& r : t.rows) {
    if (!r[7].empty()) {
      ++unreadable;
      continue;
    }
    const std::string name = fs::path(r[0]).filename().string();
    correct += name.rfind(r[1] + "_", 0) == 0 ? 1 : 0;
    EXPECT_GE(std::stod(r[2]), std::stod(r[4]));
  }
  EXPECT_EQ(unreadable, 1);
  EXPECT_GE(correct, 150);
}
