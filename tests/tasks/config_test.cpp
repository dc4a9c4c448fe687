#include <gtest/gtest.h>

#include <filesystem>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"
#include "alloyml/tasks/config.h"
#include "alloyml/core/option_json.h"
#include "alloyml/core/text.h"
#include "alloyml/tasks/classification/options.h"
#include "alloyml/tasks/cyclegan/options.h"
#include "alloyml/tasks/gfa/options.h"
#include "alloyml/tasks/pretrain/options.h"
#include "alloyml/tasks/springback/options.h"
#include "test_util.h"

using alloyml::InputError;
using alloyml::config::Json;
using alloyml::tasks::resolve_config;

namespace {

Json minimal() { return Json{{"version", 1}, {"data", {{"root", "/some/folder"}}}}; }

std::string error_of(const Json& cfg) {
  try {
    resolve_config(cfg, "cfg.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Lists where a schema's default for a struct's key differs from the struct's own default.
struct DefaultsDiffer {
  const alloyml::config::Schema& schema;
  std::string prefix;
  std::vector<std::string>& out;
  template <class T>
  void operator()(T& member, const alloyml::options::Key& k) {
    if (k.internal) return;
    const auto* f = schema.find(prefix + k.name);
    const Json want = alloyml::options::detail::value_json(member, k);
    if (!f)
      out.push_back(prefix + k.name + ": not in the schema");
    else if (f->default_value != want)
      out.push_back(prefix + k.name + ": schema " + f->default_value.dump() + ", struct " + want.dump());
  }
};

template <class Options, class Visit = alloyml::options::VisitKeys>
void diff_defaults(const alloyml::config::Schema& s, const std::string& prefix, Options o, std::vector<std::string>& out,
                   Visit visit = {}) {
  DefaultsDiffer d{s, prefix, out};
  visit(d, o);
}

}  // namespace

// Each option is declared once (issue 41): the default a task's schema writes into a config is
// the default of the options struct the task starts from, key by key.
TEST(Config, EverySchemaDefaultIsTheStructDefault) {
  namespace t = alloyml::tasks;
  auto image = [](auto& v, auto& o) { alloyml::train::visit_image_train_keys(v, o); };
  auto classifier = [](auto& v, auto& o) { alloyml::models::visit_classifier_keys(v, o); };
  std::vector<std::string> differ;
  {
    const t::ClassificationOptions d;
    const auto& s = t::classification_schema();
    diff_defaults(s, "runtime.", d.runtime, differ);
    diff_defaults(s, "model.", d.model, differ);
    diff_defaults(s, "model.", d.model, differ, classifier);
    diff_defaults(s, "transfer.", d.transfer, differ);
    diff_defaults(s, "optim.", d.optim, differ);
    diff_defaults(s, "schedule.", d.schedule, differ);
    diff_defaults(s, "train.", d.train, differ);
    diff_defaults(s, "train.", d.train, differ, image);
    diff_defaults(s, "loss.", d.loss, differ);
    diff_defaults(s, "distill.", d.distill, differ);
    diff_defaults(s, "data.", d.data, differ);
    diff_defaults(s, "input.", d.data.transform, differ, [](auto& v, auto& o) { alloyml::data::visit_input_keys(v, o); });
    diff_defaults(s, "augment.", d.data.transform, differ,
                  [](auto& v, auto& o) { alloyml::data::visit_augment_keys(v, o); });
  }
  {
    const t::GfaOptions d;
    const auto& s = t::gfa_schema();
    diff_defaults(s, "runtime.", d.runtime, differ);
    diff_defaults(s, "model.", d.model, differ);
    diff_defaults(s, "transfer.", d.transfer, differ);
    diff_defaults(s, "optim.", d.optim, differ);
    diff_defaults(s, "schedule.", d.schedule, differ);
    diff_defaults(s, "train.", d.train, differ);
    diff_defaults(s, "", d, differ);
  }
  {
    const t::CycleGanOptions d = t::cyclegan_defaults();
    const auto& s = t::cyclegan_schema();
    diff_defaults(s, "runtime.", d.runtime, differ);
    diff_defaults(s, "optim.", d.optim, differ);
    diff_defaults(s, "schedule.", d.schedule, differ);
    diff_defaults(s, "train.", d.train, differ);
    diff_defaults(s, "", d, differ);
  }
  {
    const t::PretrainOptions d = t::pretrain_defaults();
    const auto& s = t::pretrain_schema();
    diff_defaults(s, "runtime.", d.runtime, differ);
    diff_defaults(s, "model.", d.model, differ);
    diff_defaults(s, "moco.", d.moco, differ);
    diff_defaults(s, "probe.", d.probe, differ);
    diff_defaults(s, "optim.", d.optim, differ);
    diff_defaults(s, "schedule.", d.schedule, differ);
    diff_defaults(s, "train.", d.train, differ);
    diff_defaults(s, "input.", d.data.transform, differ, [](auto& v, auto& o) { alloyml::data::visit_input_keys(v, o); });
    // Pretraining takes part of the shared sections; what it takes keeps the struct's defaults.
    diff_defaults(s, "data.", d.data, differ, [](auto& v, auto& o) {
      auto only = alloyml::options::only_keys(v, {"scale_column", "workers", "prefetch", "cache"});
      alloyml::data::visit_keys(only, o);
    });
    diff_defaults(s, "augment.", d.data.transform, differ, [](auto& v, auto& o) {
      auto some = alloyml::options::all_keys_but(v, {"mosaic", "fusion", "test_time"});
      alloyml::data::visit_augment_keys(some, o);
    });
  }
  diff_defaults(t::springback_schema(), "", t::SpringbackOptions{}, differ);
  EXPECT_TRUE(differ.empty()) << alloyml::join(differ, "\n");
}

TEST(Config, DefaultsAreFilledIn) {
  const Json r = resolve_config(minimal(), "cfg.json");
  EXPECT_EQ(r["train"]["epochs"], 10);
  EXPECT_EQ(r["optim"]["name"], "adam");
  EXPECT_EQ(r["data"]["split"]["val"], 0.15);
  EXPECT_EQ(r["data"]["root"], "/some/folder");
  EXPECT_EQ(r["version"], 1);
}

TEST(Config, UnknownKeyNamesFileAndPathAndSuggestsClosest) {
  Json c = minimal();
  c["train"]["epocs"] = 3;
  const std::string msg = error_of(c);
  EXPECT_NE(msg.find("cfg.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'train.epocs'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'train.epochs'"), std::string::npos) << msg;
}

TEST(Config, UnknownSectionIsAnError) {
  Json c = minimal();
  c["optimiser"] = {{"lr", 0.1}};
  EXPECT_NE(error_of(c).find("did you mean 'optim'"), std::string::npos) << error_of(c);
}

TEST(Config, WrongTypeNamesKeyAndExpectedType) {
  Json c = minimal();
  c["train"]["batch_size"] = "big";
  const std::string msg = error_of(c);
  EXPECT_NE(msg.find("'train.batch_size' must be an integer"), std::string::npos) << msg;
}

TEST(Config, OutOfRangeValueIsAnError) {
  Json c = minimal();
  c["optim"]["lr"] = -1;
  EXPECT_NE(error_of(c).find("'optim.lr' must be in"), std::string::npos) << error_of(c);
}

TEST(Config, ChoiceOutsideTheListIsAnError) {
  Json c = minimal();
  c["optim"]["name"] = "adagrad";
  EXPECT_NE(error_of(c).find("must be one of {adam, adamw, sgd}"), std::string::npos) << error_of(c);
}

TEST(Config, UnknownModelSuggestsClosestName) {
  Json c = minimal();
  c["model"]["name"] = "resnet5O";
  EXPECT_NE(error_of(c).find("did you mean 'resnet50'"), std::string::npos) << error_of(c);
}

TEST(Config, NewerVersionIsRejected) {
  Json c = minimal();
  c["version"] = 99;
  EXPECT_NE(error_of(c).find("'version'"), std::string::npos);
}

TEST(Config, MeanLengthMustMatchChannels) {
  Json c = minimal();
  c["input"]["channels"] = 3;
  c["input"]["mean"] = {0.5, 0.5};
  EXPECT_NE(error_of(c).find("input.mean"), std::string::npos);
}

TEST(Config, MissingDataSourceIsAnError) {
  EXPECT_NE(error_of(Json{{"version", 1}}).find("data.root"), std::string::npos);
}

TEST(Config, OverrideParsesJsonElseString) {
  Json c = minimal();
  alloyml::config::apply_override(c, "train.epochs=5");
  alloyml::config::apply_override(c, "data.root=/tmp/x y");
  alloyml::config::apply_override(c, "model.stages=[3,4]");
  alloyml::config::apply_override(c, "augment.rotate90=true");
  const Json r = resolve_config(c, "cfg.json");
  EXPECT_EQ(r["train"]["epochs"], 5);
  EXPECT_EQ(r["data"]["root"], "/tmp/x y");
  EXPECT_EQ(r["model"]["stages"], Json::array({3, 4}));
  EXPECT_EQ(r["augment"]["rotate90"], true);
}

TEST(Config, OverrideWithoutEqualsIsAnError) {
  Json c = minimal();
  EXPECT_THROW(alloyml::config::apply_override(c, "train.epochs"), InputError);
}

TEST(Config, OverrideThroughAValueIsAnError) {
  Json c = minimal();
  c["train"]["epochs"] = 3;
  EXPECT_THROW(alloyml::config::apply_override(c, "train.epochs.x=1"), InputError);
}

TEST(Config, SyntaxErrorNamesFileLineAndColumn) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "bad.json", "{\n  \"train\": {\n    \"epochs\": 3,,\n  }\n}\n");
  try {
    alloyml::config::load_json_file(dir / "bad.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json:3:"), std::string::npos) << e.what();
  }
}

TEST(Config, ShippedConfigsResolve) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(alloyml::testing::source_dir() + "/configs")) {
    if (e.path().extension() != ".json") continue;
    const auto task = alloyml::config::load_json_file(e.path().string()).value("task", std::string("classification"));
    const std::vector<std::string> overrides =
        task == "classification" ? std::vector<std::string>{"data.root=/x", "model.pretrained=null"} : std::vector<std::string>{};
    EXPECT_NO_THROW(alloyml::tasks::load_config(e.path().string(), overrides)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 10);
}

TEST(Config, ExtendsLaysAFileOverTheConfigItNames) {
  alloyml::testing::TempDir dir;
  std::filesystem::create_directories(dir / "sub");
  alloyml::config::write_json_file(dir / "base.json", Json{{"version", 1},
                                                            {"data", {{"root", "/some/folder"}}},
                                                            {"model", {{"name", "resnet34"}, {"dropout", 0.5}}},
                                                            {"train", {{"epochs", 7}}}});
  alloyml::config::write_json_file(dir / "sub/child.json",
                                   Json{{"extends", "../base.json"}, {"model", {{"name", "sarsn34"}}}});
  const Json r = alloyml::tasks::load_config(dir / "sub/child.json", {"train.batch_size=4"});
  EXPECT_EQ(r["model"]["name"], "sarsn34");    // the child's
  EXPECT_EQ(r["model"]["dropout"], 0.5);       // the base's, same section
  EXPECT_EQ(r["train"]["epochs"], 7);
  EXPECT_EQ(r["train"]["batch_size"], 4);      // --set last
  EXPECT_FALSE(r.contains("extends"));
  // A missing base, and a circle, are errors naming the file.
  alloyml::config::write_json_file(dir / "lost.json", Json{{"extends", "nowhere.json"}});
  EXPECT_THROW(
      {
        try {
          alloyml::tasks::load_config(dir / "lost.json", {});
        } catch (const InputError& e) {
          EXPECT_NE(std::string(e.what()).find("lost.json: key 'extends' names"), std::string::npos) << e.what();
          throw;
        }
      },
      InputError);
  alloyml::config::write_json_file(dir / "a.json", Json{{"extends", "b.json"}});
  alloyml::config::write_json_file(dir / "b.json", Json{{"extends", "a.json"}});
  EXPECT_THROW(alloyml::tasks::load_config(dir / "a.json", {}), InputError);
}

TEST(Config, ExtendsChainsAreBounded) {
  alloyml::testing::TempDir dir;
  const int n = alloyml::config::kMaxExtendsChain;
  for (int k = 0; k <= n; ++k) {  // c0 -> c1 -> ... -> cN: one file more than followed
    Json j{{"seed", k}};
    if (k < n) j["extends"] = "c" + std::to_string(k + 1) + ".json";
    alloyml::config::write_json_file(dir / ("c" + std::to_string(k) + ".json"), j);
  }
  EXPECT_EQ(alloyml::config::load_config_chain(dir / "c1.json")["seed"], 1);  // exactly the limit: followed
  try {
    alloyml::config::load_config_chain(dir / "c0.json");
    FAIL() << "a chain past the limit was followed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c" + std::to_string(n) + ".json: 'extends' chains more than 16 configs"),
              std::string::npos)
        << e.what();
  }
  alloyml::config::write_json_file(dir / "nul.json", Json{{"extends", std::string("c1.json\0x", 9)}});
  EXPECT_THROW(alloyml::config::load_config_chain(dir / "nul.json"), InputError);
}

TEST(Config, EveryShippedConfigResolves) {
  const auto root = std::filesystem::path(alloyml::testing::source_dir()) / "configs";
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".json") continue;
    EXPECT_NO_THROW(alloyml::tasks::load_config(e.path().string(), {})) << e.path();
    ++n;
  }
  EXPECT_GT(n, 10);
}

// A CycleGAN config with only its two domains takes the public code's defaults (Zhu et al. 2017:
// train_options.py and cycle_gan_model.py), and its cross-key checks name the key.
TEST(Config, CycleGanDefaultsAreThePublicCodes) {
  Json user = {{"task", "cyclegan"}, {"data", {{"domain_a", "a"}, {"domain_b", "b"}}}};
  const auto o = alloyml::tasks::cyclegan_options(resolve_config(user, "gan.json"));
  EXPECT_EQ(o.generator, "resnet_generator");
  EXPECT_EQ(o.discriminator, "patchgan");
  EXPECT_EQ(o.g.ngf, 64);
  EXPECT_EQ(o.g.blocks, 9);
  EXPECT_EQ(o.d.ndf, 64);
  EXPECT_EQ(o.d.layers, 3);
  EXPECT_DOUBLE_EQ(o.lambda_cycle, 10.0);
  EXPECT_DOUBLE_EQ(o.lambda_identity, 0.5);
  EXPECT_EQ(o.pool_size, 50);
  EXPECT_EQ(o.optim.name, "adam");
  EXPECT_DOUBLE_EQ(o.optim.lr, 2e-4);
  EXPECT_DOUBLE_EQ(o.optim.beta1, 0.5);
  EXPECT_DOUBLE_EQ(o.optim.beta2, 0.999);
  EXPECT_EQ(o.schedule.name, "linear_decay");
  EXPECT_DOUBLE_EQ(o.schedule.constant_epochs, 100);
  EXPECT_EQ(o.train.epochs, 200);
  EXPECT_EQ(o.train.batch_size, 1);
  EXPECT_EQ(o.train.monitor, "none");
  EXPECT_EQ(o.data.transform.size, 256);
  EXPECT_EQ(o.data.transform.resize, 286);
  EXPECT_TRUE(o.data.transform.augment.random_crop);
  EXPECT_EQ(o.data.transform.mean, std::vector<double>(3, 0.5));  // [0, 1] -> [-1, 1]
  user["input"] = {{"channels", 1}};
  const auto grey = alloyml::tasks::cyclegan_options(resolve_config(user, "gan.json"));
  EXPECT_EQ(grey.g.in_channels, 1);
  EXPECT_EQ(grey.g.out_channels, 1);
  EXPECT_EQ(grey.d.in_channels, 1);
  EXPECT_EQ(grey.data.transform.std, std::vector<double>(1, 0.5));
  user["input"] = {{"size", 250}};
  try {
    resolve_config(user, "gan.json");
    FAIL() << "a size the generator cannot halve twice was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("input.size' must be a multiple of 4"), std::string::npos) << e.what();
  }
  user["input"] = {{"size", 64}};
  user["model"] = {{"generator", "patchgan"}};
  EXPECT_THROW(resolve_config(user, "gan.json"), InputError);  // a discriminator is no generator
}
