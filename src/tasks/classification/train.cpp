// alloyml-train for image classification: data -> split -> CNN -> trainer -> evaluation -> report.
#include <array>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/run/callbacks.h"
#include "alloyml/run/summary.h"
#include "dataset.h"
#include "classification_pipeline.h"
#include "report.h"
#include "alloyml/tasks/config.h"
#include "alloyml/train/export.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

// Bits of the 512-bit hash two images may differ in and still count as near-identical (a re-saved
// or slightly brightened copy: about 4; the closest two different NEU images: 41).
constexpr int kNearDuplicateBits = 24;

std::vector<double> resolve_class_weights(const train::LossOptions& loss, const std::vector<int>& counts) {
  if (loss.class_weights == "none") return {};
  if (loss.class_weights == "custom") {
    if (loss.class_weight_values.size() != counts.size())
      throw InputError("loss.class_weight_values has " + std::to_string(loss.class_weight_values.size()) +
                       " values for " + std::to_string(counts.size()) + " classes");
    return loss.class_weight_values;
  }
  // "balanced": n / (k * n_c), as scikit-learn's class_weight='balanced'.
  double n = 0;
  for (int c : counts) n += c;
  std::vector<double> w;
  for (int c : counts) w.push_back(c > 0 ? n / (static_cast<double>(counts.size()) * c) : 0.0);
  return w;
}

config::Json normalization_json(const data::TransformOptions& t) {
  return {{"scaling", t.scaling}, {"mean", t.mean}, {"std", t.std}};
}

// The teacher of a distillation run (distill.teacher): a trained classifier of the same classes
// that reads images as the student does (it sees the student's batch).
TeacherSetup resolve_teacher(const ClassificationOptions& o, const std::vector<std::string>& class_names,
                             const std::string& source) {
  TeacherSetup t;
  t.distill = o.distill;
  if (o.distill.teacher.empty()) return t;
  const std::string where = source + ": distill.teacher '" + o.distill.teacher + "'";
  Run run;
  try {
    run = run::open_run(o.distill.teacher);
  } catch (const InputError& e) {
    throw InputError(where + ": " + e.what());
  }
  if (run.task() != kClassificationTask || !run.model.contains("model"))
    throw InputError(where + " is a '" + run.task() + "' run; a teacher must be an image classifier");
  if (run.class_names != class_names)
    throw InputError(where + " knows the classes " + join(run.class_names) + " but the data has " + join(class_names));
  const auto& tr = o.data.transform;
  if (run.model.value("channels", tr.channels) != tr.channels ||
      (run.model.contains("normalization") && run.model["normalization"] != normalization_json(tr)))
    throw InputError(where + " reads images with other channels or normalisation (its model.json: " +
                     run.model["normalization"].dump() + ", " + std::to_string(run.model.value("channels", 0)) +
                     " channel(s)); it must see the student's batch as it was trained to");
  if (run.model.value("input_size", tr.size) != tr.size)
    spdlog::warn("the teacher was trained at {} px, the student trains at {} px; the teacher sees the student's images",
                 run.model.value("input_size", 0), tr.size);
  t.model = model_options(run);
  t.checkpoint = run.checkpoint();
  spdlog::info("distilling from {} ({}, {})", o.distill.teacher, t.model.name, fs::path(t.checkpoint).filename().string());
  return t;
}

}  // namespace

void write_model_json(const RunPaths& paths, const models::ModelOptions& model, const ClassificationOptions& o,
                      const std::vector<std::string>& class_names) {
  const auto& t = o.data.transform;
  config::Json j;
  j["arch"] = model.name;
  j["class_names"] = class_names;
  j["input_size"] = t.size;
  j["resize"] = t.resize;
  j["channels"] = t.channels;
  j["normalization"] = normalization_json(t);
  if (t.um_per_px > 0) {  // the physical scale the model was trained at, and where each image's came from
    j["um_per_px"] = t.um_per_px;
    j["scale_column"] = o.data.scale_column;
  }
  j["model"] = to_json(model);
  run::write_model_json(paths, kClassificationTask, j);
}

ClassifierSetup classifier_setup(const ClassificationOptions& o, const data::ImageSet& set,
                                 const std::vector<size_t>& train_idx, const train::ResolvedRuntime& runtime,
                                 const std::string& source) {
  const data::DataOptions& dopt = o.data;
  const train::TrainOptions& topt = o.train;
  ClassifierSetup setup;
  setup.model = o.model;
  if (setup.model.num_classes == 0) setup.model.num_classes = static_cast<int>(set.class_names.size());
  if (setup.model.num_classes != static_cast<int>(set.class_names.size()))
    throw InputError(source + ": model.num_classes is " + std::to_string(setup.model.num_classes) + " but the data has " +
                     std::to_string(set.class_names.size()) + " classes (" + join(set.class_names) + ")");
  setup.model.in_channels = dopt.transform.channels;
  setup.optim = o.optim;
  setup.loss = o.loss;
  setup.transfer = o.transfer;
  if (!setup.model.pretrained.empty()) {
    const std::string profile = setup.model.weights_profile == "auto" ? models::weights_profile_of(setup.model.pretrained)
                                                                      : setup.model.weights_profile;
    setup.model.ceil_stem_pool = profile == "cadene";
  }
  std::vector<int> train_counts(set.class_names.size(), 0);
  for (size_t i : train_idx) ++train_counts[static_cast<size_t>(set.samples[i].label)];
  setup.class_weights = resolve_class_weights(setup.loss, train_counts);
  setup.class_names = set.class_names;
  setup.train_counts.assign(train_counts.begin(), train_counts.end());
  setup.teacher = resolve_teacher(o, set.class_names, source);
  setup.device = runtime.device;
  setup.seed = o.seed;
  setup.precision = runtime.precision;
  setup.sync_bn = topt.sync_bn;
  setup.channels_last = topt.channels_last == "on" || (topt.channels_last == "auto" && dopt.transform.size >= 128);
  return setup;
}

int train_classifier(const ClassificationOptions& o, const TrainContext& ctx) {
  if (o.cv.folds > 0) return train_classifier_cv(o, ctx);
  const train::ResolvedRuntime runtime = *ctx.facts.runtime;
  // Data.
  const data::DataOptions& dopt = o.data;
  const train::TrainOptions& topt = o.train;
  data::ImageSet set;
  data::Split split;
  load_or_build_dataset(dopt, ctx.paths.split(), ctx.paths.model(), ctx.resume, set, split);
  if (dopt.transform.um_per_px > 0) data::require_scales(set, "data.scale_column '" + dopt.scale_column + "'");
  if (split.val.empty() && topt.monitor.rfind("val_", 0) == 0)
    throw InputError(ctx.source + ": there is no validation data (data.split.val is 0); set train.monitor to "
                              "train_loss or train_accuracy");

  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(dopt.workers));
  auto cache = std::make_shared<data::ImageCache>(set, dopt);
  if (dopt.cache) {
    std::vector<size_t> all(set.samples.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    cache->preload(all, *pool, !ctx.quiet);
  }
  const std::uint64_t seed = o.seed;
  const int eval_bs = topt.eval_batch_size > 0 ? topt.eval_batch_size : topt.batch_size;
  data::ImageLoader train_loader(set, split.train, dopt, topt.batch_size, true, seed, cache, pool);
  data::ImageLoader val_loader(set, split.val, dopt, eval_bs, false, seed, cache, pool);
  if (train_loader.num_samples() == 0) throw InputError(ctx.source + ": no readable training images");
  if (dist::world_size() > 1) {  // data-parallel: each worker its slice of every batch
    if (train_loader.num_samples() < static_cast<size_t>(dist::world_size()))
      throw InputError(ctx.source + ": " + std::to_string(train_loader.num_samples()) + " training images for " +
                       std::to_string(dist::world_size()) + " workers");
    train_loader.shard(dist::rank(), dist::world_size());
    val_loader.shard(dist::rank(), dist::world_size());
    spdlog::info("data-parallel over {} workers: {} images per step in all, {} per worker; batch norm {}",
                 dist::world_size(), topt.batch_size, topt.batch_size / dist::world_size(),
                 topt.sync_bn ? "synchronised (train.sync_bn)" : "per worker");
  }

  // Model and task.
  const ClassifierSetup setup = classifier_setup(o, set, split.train, runtime, ctx.source);
  if (dist::is_main()) write_model_json(ctx.paths, setup.model, o, set.class_names);

  auto task = make_classification_task(setup, train_loader, val_loader);
  const auto trained = run::run_training(*task, ctx.paths, topt, o.schedule, ctx.quiet, ctx.resume);
  const bool main = dist::is_main();
  const int workers = dist::world_size();
  const double collective_s = dist::collective_seconds();
  dist::leave();  // the other workers are done; rank 0 evaluates and writes the rest
  if (!main) return 0;

  // Final evaluation with the best checkpoint.
  const Run run = run::open_run(ctx.paths.dir);
  auto model = ClassifierModel::load(setup.model, run.checkpoint(), runtime.device, setup.channels_last);
  model->set_precision(runtime.precision);
  Json summary;
  summary["name"] = o.name;
  summary["model"] = setup.model.name;
  summary["parameters"] = model->parameter_count();
  summary["checkpoint"] = fs::path(run.checkpoint()).filename().string();
  summary["best_" + topt.monitor] = trained.best;
  summary["epochs_completed"] = trained.state.epoch;
  summary["stopped_early"] = trained.state.stop;
  eval::ClassificationMetrics shown;
  std::string shown_split;
  for (const auto& [name, idx] : {std::pair<std::string, const std::vector<size_t>*>{"val", &split.val}, {"test", &split.test}}) {
    if (idx->empty()) continue;
    data::ImageLoader loader(set, *idx, dopt, eval_bs, false, seed, cache, pool);
    const auto m = evaluate_classifier(*model, loader, set.class_names, false);
    summary[name] = eval::to_json(m);
    shown = m;
    shown_split = name;
  }
  if (!setup.teacher.checkpoint.empty()) {  // the teacher on the same held-out images, for comparison
    auto teacher = ClassifierModel::load(setup.teacher.model, setup.teacher.checkpoint, runtime.device, setup.channels_last);
    teacher->set_precision(runtime.precision);
    Json t;
    t["run"] = fs::absolute(o.distill.teacher).lexically_normal().string();
    t["model"] = setup.teacher.model.name;
    t["parameters"] = teacher->parameter_count();
    for (const auto& [name, idx] : {std::pair<std::string, const std::vector<size_t>*>{"val", &split.val}, {"test", &split.test}}) {
      if (idx->empty()) continue;
      data::ImageLoader loader(set, *idx, dopt, eval_bs, false, seed, cache, pool);
      t[name] = eval::to_json(evaluate_classifier(*teacher, loader, set.class_names, false));
    }
    summary["teacher"] = t;
  }
  // Near-identical images on both sides of the split flatter the held-out figures (tiles of one
  // micrograph, re-saved copies): counted by perceptual hash, warned, and kept in the summary.
  {
    std::vector<data::ImageHash> hashes(set.samples.size());
    data::Split readable;  // unreadable images are in no part
    for (auto [from, to] : {std::pair{&split.train, &readable.train}, {&split.val, &readable.val}, {&split.test, &readable.test}})
      for (size_t i : *from) {
        const cv::Mat img = cache->get(i);
        if (img.empty()) continue;
        hashes[i] = data::difference_hash(img);
        to->push_back(i);
      }
    const auto near = data::near_duplicates_across(hashes, readable, kNearDuplicateBits);
    Json pairs = Json::array();
    for (size_t k = 0; k < near.size() && k < 20; ++k)
      pairs.push_back({set.samples[near[k].first].path, set.samples[near[k].second].path});
    summary["near_duplicates_across_split"] = {{"count", near.size()}, {"max_hash_bits", kNearDuplicateBits}, {"examples", pairs}};
    if (!near.empty())
      spdlog::warn("{} held-out image(s) look almost identical to a training image (perceptual hash within {} bits; e.g. {} "
                   "and {}); the held-out figures may flatter the model: keep such images together with "
                   "data.split.group_by (listed in summary.json)",
                   near.size(), kNearDuplicateBits, set.samples[near[0].first].path, set.samples[near[0].second].path);
  }
  const auto skipped = record_unreadable(ctx.paths.split(), set, split, cache->failed_indices());
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary["train_images_per_s"] = trained.items_per_second;
  if (workers > 1)  // rank 0's view: the whole job's images per second, and its time in collectives
    summary["distributed"] = {{"workers", workers}, {"sync_bn", topt.sync_bn}, {"collective_s", collective_s},
                              {"train_s", trained.train_seconds}};
  summary = run::write_summary(ctx.paths, summary, ctx.facts);
  train::export_pth(setup.model, run.checkpoint(), ctx.paths.dir + "/model.pth");  // for Python users
  if (o.report && !shown_split.empty())
    write_classification_report(ctx.paths, summary, shown, shown_split);
  if (!shown_split.empty()) std::cout << eval::format_table(shown, "Results on the " + shown_split + " split of " + ctx.paths.dir);
  if (!skipped.empty()) spdlog::warn("{} unreadable image(s) were skipped (listed in summary.json)", skipped.size());
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), ctx.paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
