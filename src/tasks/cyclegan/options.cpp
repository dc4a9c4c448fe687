// The config of CycleGAN: its schema (defaults from Zhu et al.'s public code) and typed options.
#include "alloyml/tasks/cyclegan/options.h"

#include <tuple>

#include "alloyml/core/error.h"
#include "alloyml/core/option_json.h"
#include "alloyml/core/text.h"
#include "alloyml/tasks/schema_parts.h"

namespace alloyml::tasks {
namespace {

using config::Json;

config::Schema build_cyclegan_schema() {
  const CycleGanOptions d = cyclegan_defaults();
  config::Schema s;
  add_common_keys(s);
  options::add_keys(s, "", d);
  for (auto [key, role, names] : {std::tuple{"model.generator", "generator", models::generator_names()},
                                  std::tuple{"model.discriminator", "discriminator", models::discriminator_names()}}) {
    config::Field& family = s.at(key);  // the registry's families of that role
    family.doc = std::string(role) + " family: " + join(names, ", ");
    family.choices = names;
  }
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
  static const config::Schema schema = build_cyclegan_schema();
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
  o = options::read_keys(c, "", o);
  auto& t = o.data.transform;
  t.mean.assign(static_cast<size_t>(t.channels), 0.5);  // [0, 1] -> [-1, 1], the generators' tanh
  t.std.assign(static_cast<size_t>(t.channels), 0.5);
  o.g.in_channels = o.g.out_channels = t.channels;
  o.d.in_channels = t.channels;
  o.optim = optim_options(c["optim"]);
  o.schedule = schedule_options(c["schedule"]);
  o.train = train_options(c["train"]);
  return o;
}

}  // namespace alloyml::tasks
