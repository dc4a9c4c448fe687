#include "alloyml/tasks/config.h"

#include <algorithm>
#include <filesystem>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/tasks/registry.h"

namespace alloyml::tasks {
namespace {

using config::Json;

std::vector<double> numbers(const Json& v) { return v.get<std::vector<double>>(); }

}  // namespace

config::Json resolve_config(const config::Json& user, const std::string& source) {
  const Pipeline& pipeline = pipelines().for_config(user);
  Json resolved = pipeline.schema().resolve(user, source);
  pipeline.check(resolved, source);
  return resolved;
}

config::Json load_user_config(const std::string& path) { return config::load_config_chain(path); }

config::Json load_config(const std::string& path, const std::vector<std::string>& overrides) {
  Json user = load_user_config(path);
  for (const auto& o : overrides) config::apply_override(user, o);
  return resolve_config(user, path);
}

data::TransformOptions transform_options(const Json& input, const Json& augment) {
  data::TransformOptions t;
  t.size = input["size"];
  t.resize = input["resize"];
  t.channels = input["channels"];
  t.scaling = input["scaling"];
  // ImageNet statistics by default; for one channel their average.
  const std::vector<double> mean3{0.485, 0.456, 0.406}, std3{0.229, 0.224, 0.225};
  auto pick = [&](const Json& v, const std::vector<double>& def3) {
    std::vector<double> out = v.is_null() ? def3 : numbers(v);
    if (v.is_null() && t.channels == 1) out = {(def3[0] + def3[1] + def3[2]) / 3};
    if (out.size() == 1) out.assign(static_cast<size_t>(t.channels), out[0]);
    return out;
  };
  t.mean = pick(input["mean"], mean3);
  t.std = pick(input["std"], std3);
  auto& a = t.augment;
  a.random_crop = augment["random_crop"];
  a.hflip = augment["hflip"];
  a.vflip = augment["vflip"];
  a.rotate90 = augment["rotate90"];
  a.rotate_deg = augment["rotate_deg"];
  a.brightness = augment["brightness"];
  a.contrast = augment["contrast"];
  a.mosaic = augment.value("mosaic", a.mosaic);
  a.fusion = augment.value("fusion", a.fusion);
  a.scale = augment.value("scale", a.scale);
  a.blur = augment.value("blur", a.blur);
  t.test_time = augment.value("test_time", std::string("none"));
  return t;
}

std::string text_or(const Json& v, const std::string& fallback) { return v.is_null() ? fallback : v.get<std::string>(); }

CommonOptions common_options(const Json& c) {
  CommonOptions o;
  o.name = text_or(c["name"]);
  o.seed = c["seed"];
  o.report = c["output"]["report"];
  o.runtime = runtime_options(c["runtime"]);
  return o;
}

data::SplitOptions split_options(const Json& s) {
  data::SplitOptions o;
  o.val = s["val"];
  o.test = s["test"];
  o.seed = s["seed"];
  o.by = s.value("by", o.by);
  if (s.contains("group_by") && s["group_by"].is_string()) o.group_by = s["group_by"];
  return o;
}

data::DataOptions data_options(const Json& resolved) {
  const Json& d = resolved["data"];
  data::DataOptions o;
  o.root = text_or(d["root"]);
  o.train = text_or(d["train"]);
  o.val = text_or(d["val"]);
  o.test = text_or(d["test"]);
  o.layout = d["layout"];
  o.label_pattern = d["label_pattern"];
  o.split = split_options(d["split"]);
  o.workers = d["workers"];
  o.prefetch = d["prefetch"];
  o.cache = d["cache"];
  o.transform = transform_options(resolved["input"], resolved["augment"]);
  return o;
}

models::ModelOptions model_options(const Json& m) {
  // A run's model.json holds the keys of the version that trained it: a key added since takes its
  // default (what that version did), so older runs still evaluate and predict.
  models::ModelOptions o;
  o.name = m.at("name").get<std::string>();
  o.num_classes = m.value("num_classes", 0);
  o.in_channels = m.value("in_channels", o.in_channels);
  o.width = m.value("width", o.width);
  o.dropout = m.value("dropout", o.dropout);
  o.multiscale.stages = m.value("stages", o.multiscale.stages);
  o.head.hidden = m.value("hidden", o.head.hidden);
  o.head.kind = m.value("head", o.head.kind);
  if (m.contains("pretrained") && !m["pretrained"].is_null()) o.pretrained = m["pretrained"];
  o.weights_profile = m.value("weights_profile", std::string("auto"));
  o.allow_partial = m.value("allow_partial", false);
  o.ceil_stem_pool = m.value("ceil_stem_pool", false);
  return o;
}

train::TransferOptions transfer_options(const Json& s) {
  train::TransferOptions o;
  o.freeze_epochs = s["freeze_epochs"];
  o.backbone_lr_mult = s["backbone_lr_mult"];
  o.freeze_bn = s["freeze_bn"];
  return o;
}

Json to_json(const models::ModelOptions& o) {
  return Json{{"name", o.name},
              {"num_classes", o.num_classes},
              {"in_channels", o.in_channels},
              {"width", o.width},
              {"dropout", o.dropout},
              {"stages", o.multiscale.stages},
              {"hidden", o.head.hidden},
              {"head", o.head.kind},
              {"pretrained", o.pretrained.empty() ? Json() : Json(o.pretrained)},
              {"weights_profile", o.weights_profile},
              {"allow_partial", o.allow_partial},
              {"ceil_stem_pool", o.ceil_stem_pool}};
}

train::OptimOptions optim_options(const Json& s) {
  train::OptimOptions o;
  o.name = s["name"];
  o.lr = s["lr"];
  o.weight_decay = s["weight_decay"];
  o.momentum = s["momentum"];
  o.nesterov = s["nesterov"];
  o.beta1 = s["beta1"];
  o.beta2 = s["beta2"];
  return o;
}

train::ScheduleOptions schedule_options(const Json& s) {
  train::ScheduleOptions o;
  o.name = s["name"];
  o.step_size = s["step_size"];
  o.gamma = s["gamma"];
  o.milestones = s["milestones"].get<std::vector<int>>();
  o.warmup_epochs = s["warmup_epochs"];
  o.min_lr_ratio = s["min_lr_ratio"];
  o.constant_epochs = s.value("constant_epochs", o.constant_epochs);
  return o;
}

train::LossOptions loss_options(const Json& s) {
  train::LossOptions o;
  o.label_smoothing = s["label_smoothing"];
  o.name = s.value("name", o.name);
  o.beta = s.value("beta", o.beta);
  o.class_weights = s["class_weights"];
  o.class_weight_values = numbers(s["class_weight_values"]);
  return o;
}

train::TrainOptions train_options(const Json& s) {
  train::TrainOptions o;
  o.epochs = s["epochs"];
  o.batch_size = s["batch_size"];
  o.eval_batch_size = s["eval_batch_size"];
  o.monitor = s["monitor"];
  const std::string mode = s["monitor_mode"];
  o.monitor_mode = eval::monitor_mode(o.monitor, mode);
  o.early_stopping_patience = s["early_stopping_patience"];
  o.log_interval_s = s["log_interval_s"];
  o.channels_last = s.value("channels_last", std::string("auto"));
  o.sync_bn = s.value("sync_bn", false);
  return o;
}

train::RuntimeOptions runtime_options(const Json& s) {
  train::RuntimeOptions o;
  o.device = s["device"];
  o.precision = s["precision"];
  o.threads = s["threads"];
  o.dist_timeout_s = s["dist_timeout_s"];
  o.dist_overlap = s["dist_overlap"];
  return o;
}

}  // namespace alloyml::tasks
