// The pipeline registry: the one place a task is chosen, from a config or from a run directory.
#include <algorithm>

#include <gtest/gtest.h>

#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/registry.h"

using namespace alloyml;
using namespace alloyml::tasks;
using config::Json;

TEST(PipelineRegistry, ConfigChoosesByTaskThenClaimedModel) {
  const auto& r = pipelines();
  EXPECT_EQ(r.for_config(Json::object()).task(), "classification");
  EXPECT_EQ(r.for_config(Json{{"task", "gfa"}}).task(), "gfa");
  EXPECT_EQ(r.for_config(Json{{"task", "springback"}, {"model", {{"name", "linear"}}}}).task(), "springback");
  EXPECT_EQ(r.for_config(Json{{"model", {{"name", "glcm_svm"}}}}).model_name(), "glcm_svm");
  EXPECT_TRUE(r.for_config(Json{{"model", {{"name", "resnet18"}}}}).model_name().empty());
  // An unknown task falls back to the default, whose schema then names the bad key.
  EXPECT_EQ(r.for_config(Json{{"task", "nope"}}).task(), "classification");
}

TEST(PipelineRegistry, RunChoosesByModelJson) {
  run::Run run;
  run.model = Json{{"task", "classification"}, {"arch", "glcm_svm"}, {"model", {{"name", "glcm_svm"}}}};
  EXPECT_EQ(pipelines().for_run(run).model_name(), "glcm_svm");
  run.model = Json{{"task", "springback"}, {"arch", "gabp"}};
  EXPECT_EQ(pipelines().for_run(run).task(), "springback");
  run.model = Json::object();  // no task in model.json: the config's
  run.config = Json{{"task", "gfa"}};
  EXPECT_EQ(pipelines().for_run(run).task(), "gfa");
}

TEST(PipelineRegistry, ListsEveryTaskOnceAndTheirCommands) {
  EXPECT_EQ(pipelines().task_names(), (std::vector<std::string>{"classification", "springback", "gfa", "cyclegan", "pretrain"}));
  EXPECT_EQ(pipelines().claimed_models("classification"),
            (std::vector<std::string>{"glcm_svm", "gabor_svm", "gabor_knn", "lbp_svm", "hog_svm"}));
  EXPECT_EQ(pipelines().for_weight_files().task(), "classification");
  std::vector<std::string> names;
  for (const auto& c : augment_commands()) names.push_back(c.name);
  for (const char* n : {"preprocess", "synth", "mosaic", "springback", "springback-saturation", "gfa", "composition",
                        "cyclegan-train", "cyclegan-translate"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "a subcommand name is used twice";
  const std::string keys = list_config_keys();
  for (const char* t : {"Task \"classification\"", "Task \"springback\"", "Task \"gfa\"", "Task \"cyclegan\""})
    EXPECT_NE(keys.find(t), std::string::npos) << t;
}
