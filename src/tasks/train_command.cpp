// alloyml-train for image classification: config -> run directory -> data -> trainer -> report.
#include <filesystem>
#include <iostream>

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/data/split.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/tasks/classification.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/glcm_svm.h"
#include "alloyml/tasks/report.h"
#include "alloyml/tasks/run_dir.h"
#include "alloyml/tasks/gfa.h"
#include "alloyml/tasks/springback.h"
#include "alloyml/tasks/shared.h"
#include "alloyml/train/callbacks.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

// Appends `part` (found with the train set's class list) to `set` and returns its indices.
std::vector<size_t> append(data::ImageSet& set, const data::ImageSet& part) {
  std::vector<size_t> idx;
  for (const auto& s : part.samples) {
    idx.push_back(set.samples.size());
    set.samples.push_back(s);
  }
  return idx;
}

void build_dataset(const data::DataOptions& d, data::ImageSet& set, data::Split& split) {
  if (d.train.empty()) {
    set = data::discover_images(d.root, d);
    split = data::stratified_split(set, d.split, data::duplicate_groups(set));
    return;
  }
  data::ImageSet train = data::discover_images(d.train, d);
  set = data::ImageSet{};
  set.class_names = train.class_names;
  set.source = d.train;
  if (d.val.empty()) {
    // Carve validation out of the explicit training source.
    data::SplitOptions carve = d.split;
    carve.test = 0;
    const auto s = data::stratified_split(train, carve, data::duplicate_groups(train));
    for (auto [from, to] : {std::pair{&s.train, &split.train}, std::pair{&s.val, &split.val}})
      for (size_t i : *from) {
        to->push_back(set.samples.size());
        set.samples.push_back(train.samples[i]);
      }
  } else {
    split.train = append(set, train);
    split.val = append(set, data::discover_images(d.val, d, set.class_names));
  }
  if (!d.test.empty()) split.test = append(set, data::discover_images(d.test, d, set.class_names));
}

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

void log_split(const data::ImageSet& set, const data::Split& split) {
  std::vector<std::array<int, 3>> per(set.class_names.size(), {0, 0, 0});
  const std::vector<size_t>* parts[] = {&split.train, &split.val, &split.test};
  for (int p = 0; p < 3; ++p)
    for (size_t i : *parts[p]) ++per[static_cast<size_t>(set.samples[i].label)][static_cast<size_t>(p)];
  spdlog::info("data: {} images in {} classes; train {}, val {}, test {}", set.samples.size(), set.class_names.size(),
               split.train.size(), split.val.size(), split.test.size());
  for (size_t c = 0; c < per.size(); ++c)
    spdlog::info("  {:<20} train {:>5}  val {:>5}  test {:>5}", set.class_names[c], per[c][0], per[c][1], per[c][2]);
}

}  // namespace

int run_train(const TrainRequest& req) {
  init_logging(req.common.quiet);
  const double t_start = train::monotonic_seconds();

  // Config, run directory.
  Json user;
  std::string source = req.config_path;
  if (!req.config_path.empty()) {
    user = config::load_json_file(req.config_path);
  } else if (req.resume && !req.out_dir.empty()) {
    source = req.out_dir + "/config.json";
    user = config::load_json_file(source);
  } else {
    throw InputError("--config is required (or --resume with --out RUN_DIR)");
  }
  if (!user.is_object()) throw InputError(source + ": a config must be a JSON object");
  for (const auto& o : req.overrides) config::apply_override(user, o);
  apply_common_flags(user, req.common);
  Json cfg = resolve_config(user, source);
  if (cfg["name"].is_null()) cfg["name"] = fs::path(source).stem().string();
  RunPaths paths;
  paths.dir = !req.out_dir.empty() ? req.out_dir
              : !cfg["output"]["dir"].is_null() ? cfg["output"]["dir"].get<std::string>()
                                                : "runs/" + cfg["name"].get<std::string>();
  cfg["output"]["dir"] = paths.dir;
  const bool has_checkpoint = fs::exists(paths.last()) || fs::exists(paths.checkpoints() + "/repeats.json") ||
                              fs::exists(paths.dir + "/folds");
  if (req.resume && !has_checkpoint)
    throw InputError(paths.dir + ": nothing to resume (no checkpoints/last.pt)");
  if (!req.resume && has_checkpoint)
    throw InputError(paths.dir + " already holds a run; continue it with --resume or choose another --out");
  fs::create_directories(paths.checkpoints());
  FileLogGuard file_log(paths.log());
  config::write_json_file(paths.config(), cfg);
  if (cfg["task"] == "springback") {
    // GA and Levenberg-Marquardt in double precision on one core: no device or precision to choose.
    spdlog::info("alloyml-train {} -> {} (springback: GA-BP in double precision on the CPU)", source, paths.dir);
    return train_springback(cfg, paths, req.resume, req.common.quiet, t_start);
  }
  cv::setNumThreads(1);  // the loader parallelises across images
  const train::ResolvedRuntime runtime = train::apply_runtime(runtime_options(cfg["runtime"]));
  spdlog::info("alloyml-train {} -> {} ({}, {} [{}], {} threads)", source, paths.dir, runtime.device, runtime.precision,
               runtime.reason, runtime.threads);
  if (cfg["task"] == "gfa") return train_gfa(cfg, paths, req.resume, req.common.quiet, t_start);

  // Data.
  const data::DataOptions dopt = data_options(cfg);
  const train::TrainOptions topt = train_options(cfg["train"]);
  data::ImageSet set;
  data::Split split;
  if (req.resume && fs::exists(paths.split())) {
    const Json model = config::load_json_file(paths.model());
    read_split(paths.split(), model["class_names"].get<std::vector<std::string>>(), set, split);
  } else {
    build_dataset(dopt, set, split);
    write_split(paths.split(), set, split);
  }
  log_split(set, split);
  if (split.val.empty() && topt.monitor.rfind("val_", 0) == 0)
    throw InputError(source + ": there is no validation data (data.split.val is 0); set train.monitor to "
                              "train_loss or train_accuracy");

  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(dopt.workers));
  if (cfg["model"]["name"] == kGlcmSvm) return train_glcm_svm(cfg, paths, set, split, *pool, t_start);
  auto cache = std::make_shared<data::ImageCache>(set, dopt);
  if (dopt.cache) {
    std::vector<size_t> all(set.samples.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    cache->preload(all, *pool, !req.common.quiet);
  }
  const std::uint64_t seed = cfg["seed"];
  const int eval_bs = topt.eval_batch_size > 0 ? topt.eval_batch_size : topt.batch_size;
  data::ImageLoader train_loader(set, split.train, dopt, topt.batch_size, true, seed, cache, pool);
  data::ImageLoader val_loader(set, split.val, dopt, eval_bs, false, seed, cache, pool);
  if (train_loader.num_samples() == 0) throw InputError(source + ": no readable training images");

  // Model and task.
  ClassifierSetup setup;
  setup.model = model_options(cfg["model"]);
  if (setup.model.num_classes == 0) setup.model.num_classes = static_cast<int>(set.class_names.size());
  if (setup.model.num_classes != static_cast<int>(set.class_names.size()))
    throw InputError(source + ": model.num_classes is " + std::to_string(setup.model.num_classes) + " but the data has " +
                     std::to_string(set.class_names.size()) + " classes (" + join(set.class_names) + ")");
  setup.model.in_channels = dopt.transform.channels;
  setup.optim = optim_options(cfg["optim"]);
  setup.loss = loss_options(cfg["loss"]);
  setup.transfer = transfer_options(cfg["transfer"]);
  if (!setup.model.pretrained.empty()) {
    const std::string profile = setup.model.weights_profile == "auto" ? models::weights_profile_of(setup.model.pretrained)
                                                                      : setup.model.weights_profile;
    setup.model.ceil_stem_pool = profile == "cadene";
  }
  std::vector<int> train_counts(set.class_names.size(), 0);
  for (size_t i : split.train) ++train_counts[static_cast<size_t>(set.samples[i].label)];
  setup.class_weights = resolve_class_weights(setup.loss, train_counts);
  setup.device = runtime.device;
  setup.seed = seed;
  setup.precision = runtime.precision;
  setup.channels_last = topt.channels_last == "on" || (topt.channels_last == "auto" && dopt.transform.size >= 128);
  write_model_json(paths, setup.model, cfg, set.class_names);

  auto task = make_classification_task(setup, train_loader, val_loader);
  auto timer = std::make_shared<train::StepTimer>();
  auto checkpointer = std::make_shared<train::Checkpointer>(paths.checkpoints(), topt.monitor, topt.monitor_mode == "max");
  std::vector<std::shared_ptr<train::Callback>> callbacks{
      std::make_shared<train::LrSchedule>(schedule_options(cfg["schedule"])), timer, checkpointer,
      std::make_shared<train::EarlyStopping>(topt.monitor, topt.monitor_mode == "max", topt.early_stopping_patience),
      std::make_shared<train::MetricsLog>(paths.metrics()),
      std::make_shared<train::ProgressLog>(stderr_is_terminal(), topt.log_interval_s, !req.common.quiet)};
  train::Trainer trainer(*task, topt.epochs, callbacks);
  if (req.resume) {
    trainer.resume_from(paths.last());
    spdlog::info("resuming at epoch {}, step {}", trainer.state().epoch + 1, trainer.state().step);
  }
  install_stop_handlers();
  trainer.fit();

  // Final evaluation with the best checkpoint.
  const Run run = open_run(paths.dir);
  auto model = ClassifierModel::load(setup.model, run.checkpoint(), runtime.device, setup.channels_last);
  model->set_precision(runtime.precision);
  Json summary;
  summary["name"] = cfg["name"];
  summary["model"] = setup.model.name;
  summary["parameters"] = model->parameter_count();
  summary["checkpoint"] = fs::path(run.checkpoint()).filename().string();
  summary["best_" + topt.monitor] = checkpointer->best();
  summary["epochs_completed"] = trainer.state().epoch;
  summary["stopped_early"] = trainer.state().stop;
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
  const auto skipped = cache->failed_paths();
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary["wall_time_s"] = train::monotonic_seconds() - t_start;
  summary["train_images_per_s"] = timer->items_per_second();
  summary["device"] = runtime.device;
  summary["precision"] = runtime.precision;
  summary["precision_reason"] = runtime.reason;
  summary["threads"] = runtime.threads;
  config::write_json_file(paths.summary(), summary);
  export_pth(setup.model, run.checkpoint(), paths.dir + "/model.pth");  // for Python users
  if (cfg["output"]["report"].get<bool>() && !shown_split.empty())
    write_classification_report(paths, summary, shown, shown_split);
  if (!shown_split.empty()) std::cout << eval::format_table(shown, "Results on the " + shown_split + " split of " + paths.dir);
  if (!skipped.empty()) spdlog::warn("{} unreadable image(s) were skipped (listed in summary.json)", skipped.size());
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
