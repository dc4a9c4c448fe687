// The config of CycleGAN: its schema (defaults from Zhu et al.'s public code) and typed options.
#include "alloyml/tasks/cyclegan/options.h"

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::f;
using config::Field;
using config::Json;
using config::nullable;
using config::one_of;
using config::ranged;
using config::Type;

Field network_name(const std::string& key, const std::string& value, const std::string& role,
                   const std::vector<std::string>& names) {
  return one_of(f(key, Type::String, value, role + " family: " + join(names, ", ")), names);
}

config::Schema build_schema() {
  const CycleGanOptions d = cyclegan_defaults();
  const data::TransformOptions& in = d.data.transform;
  config::Schema s;
  add_common_keys(s);
  s.add(nullable(f("data.domain_a", Type::String, nullptr, "images of domain A (folder or CSV manifest; labels unused)")));
  s.add(nullable(f("data.domain_b", Type::String, nullptr, "images of domain B, unpaired with A")));
  s.add(ranged(f("data.workers", Type::Int, d.data.workers, "loader threads"), 1, 64));
  s.add(f("data.cache", Type::Bool, d.data.cache, "keep decoded images in memory"));
  s.add(ranged(f("input.size", Type::Int, in.size, "side of the square images the networks see (px, a multiple of 4)"), 16, 4096));
  s.add(ranged(f("input.resize", Type::Int, in.resize, "0: resize to size; else the shorter side to this, then crop"), 0, 8192));
  s.add(ranged(f("input.channels", Type::Int, in.channels, "1 (grayscale) or 3 (RGB)"), 1, 3));
  s.add(f("augment.random_crop", Type::Bool, in.augment.random_crop, "random instead of centre crop"));
  s.add(ranged(f("augment.hflip", Type::Number, in.augment.hflip, "horizontal flip probability"), 0, 1));
  s.add(ranged(f("augment.vflip", Type::Number, in.augment.vflip, "vertical flip probability"), 0, 1));
  s.add(f("augment.rotate90", Type::Bool, in.augment.rotate90, "random multiples of 90 degrees"));

  s.add(network_name("model.generator", d.generator, "generator", models::generator_names()));
  s.add(network_name("model.discriminator", d.discriminator, "discriminator", models::discriminator_names()));
  s.add(ranged(f("model.ngf", Type::Int, d.g.ngf, "generator filters of the first layer"), 1, 1024));
  s.add(ranged(f("model.blocks", Type::Int, d.g.blocks, "generator residual blocks (9 for 256 px, 6 below)"), 0, 64));
  s.add(f("model.dropout", Type::Bool, d.g.dropout, "dropout 0.5 in the generator's blocks"));
  s.add(one_of(f("model.norm", Type::String, d.g.norm, "generator normalisation: instance, batch or none"), {"instance", "batch", "none"}));
  s.add(f("model.stem_norm", Type::Bool, d.g.stem_norm, "normalise the generator's 7x7 stem (instance norm there hides a grey image's brightness)"));
  s.add(ranged(f("model.ndf", Type::Int, d.d.ndf, "discriminator filters of the first layer"), 1, 1024));
  s.add(ranged(f("model.layers", Type::Int, d.d.layers, "discriminator strided layers (3: the 70x70 PatchGAN)"), 1, 8));

  s.add(ranged(f("loss.cycle", Type::Number, d.lambda_cycle, "weight of each cycle-consistency loss (lambda)"), 0, 1000));
  s.add(ranged(f("loss.identity", Type::Number, d.lambda_identity, "identity loss weight, as a fraction of loss.cycle"), 0, 100));
  s.add(ranged(f("train.pool_size", Type::Int, d.pool_size, "generated images kept per discriminator (0: none)"), 0, 100000));
  s.add(ranged(f("output.grid_images", Type::Int, d.grid_images, "images per domain in each epoch's grid"), 0, 64));
  add_training_keys(s, d.optim, d.schedule, d.train, {});
  return s;
}

}  // namespace

CycleGanOptions cyclegan_defaults() {
  CycleGanOptions o;
  auto& t = o.data.transform;
  t.size = 256;
  t.resize = 286;
  t.channels = 3;
  t.scaling = "range";
  t.mean.assign(3, 0.5);  // [0, 1] -> [-1, 1], the range of the generators' tanh
  t.std.assign(3, 0.5);
  t.augment.random_crop = true;
  t.augment.hflip = 0.5;
  o.data.workers = 2;
  o.optim.name = "adam";
  o.optim.lr = 2e-4;
  o.optim.beta1 = 0.5;
  o.optim.beta2 = 0.999;
  o.schedule.name = "linear_decay";
  o.schedule.constant_epochs = 100;
  o.train.epochs = 200;
  o.train.batch_size = 1;
  o.train.monitor = "none";
  return o;
}

const config::Schema& cyclegan_schema() {
  static const config::Schema schema = build_schema();
  return schema;
}

void check_cyclegan_config(const config::Json& c, const std::string& source) {
  for (const char* key : {"domain_a", "domain_b"})
    if (c["data"][key].is_null())
      throw InputError(source + ": set data." + key + " (a folder or CSV of that domain's images)");
  const int channels = c["input"]["channels"].get<int>();
  if (channels == 2) throw InputError(source + ": key 'input.channels' must be 1 or 3, got 2");
  const int size = c["input"]["size"].get<int>();
  if (size % 4 != 0)
    throw InputError(source + ": key 'input.size' must be a multiple of 4 (the generator halves it twice), got " +
                     std::to_string(size));
  const int resize = c["input"]["resize"].get<int>();
  if (resize != 0 && resize < size)
    throw InputError(source + ": key 'input.resize' (" + std::to_string(resize) + ") is below input.size (" +
                     std::to_string(size) + "); use 0 or at least the size");
}

CycleGanOptions cyclegan_options(const config::Json& c) {
  CycleGanOptions o = cyclegan_defaults();
  static_cast<CommonOptions&>(o) = common_options(c);
  const Json& d = c["data"];
  o.domain_a = text_or(d["domain_a"]);
  o.domain_b = text_or(d["domain_b"]);
  o.data.workers = d["workers"];
  o.data.cache = d["cache"];
  auto& t = o.data.transform;
  t.size = c["input"]["size"];
  t.resize = c["input"]["resize"];
  t.channels = c["input"]["channels"];
  t.mean.assign(static_cast<size_t>(t.channels), 0.5);
  t.std.assign(static_cast<size_t>(t.channels), 0.5);
  const Json& a = c["augment"];
  t.augment.random_crop = a["random_crop"];
  t.augment.hflip = a["hflip"];
  t.augment.vflip = a["vflip"];
  t.augment.rotate90 = a["rotate90"];
  const Json& m = c["model"];
  o.generator = m["generator"];
  o.discriminator = m["discriminator"];
  o.g.in_channels = o.g.out_channels = t.channels;
  o.g.ngf = m["ngf"];
  o.g.blocks = m["blocks"];
  o.g.dropout = m["dropout"];
  o.g.norm = m["norm"];
  o.g.stem_norm = m["stem_norm"];
  o.d.in_channels = t.channels;
  o.d.ndf = m["ndf"];
  o.d.layers = m["layers"];
  o.lambda_cycle = c["loss"]["cycle"];
  o.lambda_identity = c["loss"]["identity"];
  o.pool_size = c["train"]["pool_size"];
  o.grid_images = c["output"]["grid_images"];
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  return o;
}

}  // namespace alloyml::tasks
