// The gfa config: every default comes from GfaOptions, so the schema and the code agree.
#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/gfa/options.h"

using namespace alloyml;
using namespace alloyml::tasks;
using config::Json;

TEST(GfaOptions, ResolvedDefaultsAreTheStructDefaults) {
  const Json resolved = resolve_config(Json{{"task", "gfa"}, {"data", {{"csv", "a.csv"}}}}, "test");
  const GfaOptions o = gfa_options(resolved);
  const GfaOptions d;
  EXPECT_EQ(o.data.csv, "a.csv");
  EXPECT_EQ(o.data.formula_column, "auto");
  EXPECT_EQ(o.encoding.kind, d.encoding.kind);
  EXPECT_EQ(o.encoding.properties, d.encoding.properties);
  EXPECT_EQ(o.loss.target_transform, d.loss.target_transform);
  EXPECT_EQ(o.loss.lds.bins, d.loss.lds.bins);
  EXPECT_EQ(o.cv_folds, d.cv_folds);
  EXPECT_EQ(o.ensemble_members, d.ensemble_members);
  EXPECT_EQ(o.design_top, d.design_top);
  EXPECT_EQ(o.model.name, d.model.name);
  EXPECT_EQ(o.optim.lr, d.optim.lr);
  EXPECT_EQ(o.train.monitor, gfa_monitors().front());
  EXPECT_EQ(o.train.monitor_mode, "min");  // val_rmse is declared an error
  EXPECT_EQ(o.data.split.val, d.data.split.val);
}

TEST(GfaOptions, CrossKeyChecksNameTheKey) {
  const Json user{{"task", "gfa"}, {"data", {{"csv", "a.csv"}}}, {"cv", {{"folds", 1}}}};
  try {
    resolve_config(user, "cfg.json");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cfg.json: key 'cv.folds'"), std::string::npos) << e.what();
  }
}
