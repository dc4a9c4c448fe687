// The config of self-supervised pretraining: its schema (MoCo v2's defaults, scaled to a CPU) and
// typed options.
#include "alloyml/tasks/pretrain/options.h"

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::f;
using config::Json;
using config::nullable;
using config::ranged;
using config::Type;

// What pretraining takes of the shared data and augment sections: no labels, so no split, layout
// or label pattern, and no class-wise mixing or test-time views.
const std::vector<std::string> kDataKeys{"scale_column", "workers", "prefetch", "cache"};
const std::vector<std::string> kAugmentKeysLeftOut{"mosaic", "fusion", "test_time"};

template <class V>
void visit_pretrain_data_keys(V& v, data::DataOptions& d) {
  auto only = options::only_keys(v, kDataKeys);
  data::visit_keys(only, d);
}

template <class V>
void visit_pretrain_augment_keys(V& v, data::TransformOptions& t) {
  auto some = options::all_keys_but(v, kAugmentKeysLeftOut);
  data::visit_augment_keys(some, t);
}

config::Schema build_pretrain_schema() {
  const PretrainOptions d = pretrain_defaults();
  config::Schema s;
  add_common_keys(s);
  s.add(f("data.sources", Type::StringList, Json::array(),
          "folders (searched recursively) and CSV manifests (first column: path) of unlabelled images; their union "
          "is learnt from"));
  options::add_keys(s, "data.", d.data, [](auto& v, auto& o) { visit_pretrain_data_keys(v, o); });
  options::add_keys(s, "input.", d.data.transform, [](auto& v, auto& t) { data::visit_input_keys(v, t); });
  s.add(nullable(f("input.mean", Type::NumberList, nullptr, "per-channel mean; default ImageNet's")));
  s.add(ranged(nullable(f("input.std", Type::NumberList, nullptr, "per-channel std; default ImageNet's")), 1e-6, {}));
  options::add_keys(s, "augment.", d.data.transform, [](auto& v, auto& t) { visit_pretrain_augment_keys(v, t); });
  add_model_keys(s, d.model, {});
  options::add_keys(s, "moco.", d.moco);
  options::add_keys(s, "probe.", d.probe);
  add_training_keys(s, d.optim, d.schedule, d.train, {"train_loss"});
  return s;
}

}  // namespace

PretrainOptions pretrain_defaults() {
  PretrainOptions o;
  auto& t = o.data.transform;
  t.size = 128;
  t.resize = 160;
  // MoCo v2's augmentation (Chen et al. 2020, Sec. 2), for grey micrographs: a random resized
  // crop of 20-100 % of the area, intensity jitter in place of colour jitter, blur, and every flip
  // and quarter turn (a micrograph has no up).
  t.augment.crop_area = 0.2;
  t.augment.hflip = 0.5;
  t.augment.vflip = 0.5;
  t.augment.rotate90 = true;
  t.augment.brightness = 0.4;
  t.augment.contrast = 0.4;
  t.augment.blur = 1.5;
  o.optim.name = "sgd";
  o.optim.lr = 0.03;
  o.optim.momentum = 0.9;
  o.optim.weight_decay = 1e-4;
  o.schedule.name = "cosine";
  o.train.epochs = 200;
  o.train.batch_size = 64;
  o.train.monitor = "none";
  return o;
}

const config::Schema& pretrain_schema() {
  static const config::Schema schema = build_pretrain_schema();
  return schema;
}

void check_pretrain_config(const config::Json& c, const std::string& source) {
  if (c["data"]["sources"].empty())
    throw InputError(source + ": set data.sources: a list of folders or CSV manifests of the images to learn from");
  check_input_keys(c, source);
  const int batch = c["train"]["batch_size"].get<int>();
  if (batch < 2)
    throw InputError(source + ": key 'train.batch_size' must be at least 2 for contrastive pretraining, got " +
                     std::to_string(batch));
  const int splits = c["moco"]["bn_splits"].get<int>();
  if (splits > batch / 2)
    throw InputError(source + ": key 'moco.bn_splits' (" + std::to_string(splits) + ") leaves fewer than 2 images per " +
                     "batch-norm group of a " + std::to_string(batch) + "-image batch; lower it or raise train.batch_size");
  if (!c["probe"]["group_by"].is_null() && c["probe"]["data"].is_null())
    throw InputError(source + ": probe.group_by is set but probe.data is not (the labelled images to probe with)");
}

PretrainOptions pretrain_options(const config::Json& c) {
  PretrainOptions o = pretrain_defaults();
  static_cast<CommonOptions&>(o) = common_options(c);
  o.sources = c["data"]["sources"].get<std::vector<std::string>>();
  o.data = options::read_keys(c["data"], "data", o.data, [](auto& v, auto& d) { visit_pretrain_data_keys(v, d); });
  o.data.transform = transform_options(c["input"], c["augment"]);
  o.model = model_options(c["model"]);
  o.model.in_channels = o.data.transform.channels;
  o.moco = options::read_keys(c["moco"], "moco", o.moco);
  o.probe = options::read_keys(c["probe"], "probe", o.probe);
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  return o;
}

}  // namespace alloyml::tasks
