// Grouped, stratified k-fold cross-validation of an image classifier (cv.folds; issue 36): the
// figure that predicts how a recipe does on specimens it never saw. Every image is held out once,
// by a model that trained on the other folds, and no group (data.split.group_by or cv.group_by: a
// specimen) is on both sides. Then the final model trains on every image for eval and predict.
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/split.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/run/callbacks.h"
#include "alloyml/run/summary.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/train/export.h"
#include "classification_pipeline.h"
#include "dataset.h"
#include "cv.h"
#include "report.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

struct FoldResult {
  std::vector<size_t> indices;            ///< the held-out images scored (readable ones)
  std::vector<std::vector<float>> logits;  ///< one row per index
  double seconds = 0;
  int epochs = 0;
};

Json fold_result_json(int fold, const FoldResult& r) {
  return Json{{"fold", fold}, {"indices", r.indices}, {"logits", r.logits}, {"seconds", r.seconds}, {"epochs", r.epochs}};
}

FoldResult fold_result_of(const Json& j, const std::string& path) {
  try {
    FoldResult r;
    r.indices = j.at("indices").get<std::vector<size_t>>();
    r.logits = j.at("logits").get<std::vector<std::vector<float>>>();
    r.seconds = j.at("seconds").get<double>();
    r.epochs = j.at("epochs").get<int>();
    if (r.indices.size() != r.logits.size()) throw InputError("indices and logits differ in length");
    return r;
  } catch (const std::exception& e) {
    throw InputError(path + ": not a fold result of this version (" + std::string(e.what()) +
                     "); delete it to train the fold again");
  }
}

// The recipe's options for a model that no held-out image may steer: the last epoch is kept.
train::TrainOptions unsteered(train::TrainOptions t) {
  t.monitor = "train_loss";
  t.monitor_mode = eval::monitor_mode(t.monitor, "auto");
  t.early_stopping_patience = 0;
  return t;
}

// Trains `setup` on `train_idx` into `paths` (last.pt kept) and scores `scored` with it.
FoldResult fit_and_score(const ClassificationOptions& o, const ClassifierSetup& setup, const data::ImageSet& set,
                         const std::vector<size_t>& train_idx, const std::vector<size_t>& scored, const RunPaths& paths,
                         const std::shared_ptr<data::ImageCache>& cache, const std::shared_ptr<ThreadPool>& pool,
                         const TrainContext& ctx) {
  const double t0 = train::monotonic_seconds();
  fs::create_directories(paths.checkpoints());
  const train::TrainOptions topt = unsteered(o.train);
  data::ImageLoader train_loader(set, train_idx, o.data, topt.batch_size, true, o.seed, cache, pool);
  data::ImageLoader no_val(set, {}, o.data, topt.batch_size, false, o.seed, cache, pool);
  if (train_loader.num_samples() == 0) throw InputError(ctx.source + ": no readable training images in " + paths.dir);
  auto task = make_classification_task(setup, train_loader, no_val);
  const auto trained = run::run_training(*task, paths, topt, o.schedule, ctx.quiet, ctx.resume);
  FoldResult r;
  r.epochs = trained.state.epoch;
  if (!scored.empty()) {
    auto model = ClassifierModel::load(setup.model, paths.last(), setup.device, setup.channels_last);
    model->set_precision(setup.precision);
    const int eval_bs = topt.eval_batch_size > 0 ? topt.eval_batch_size : topt.batch_size;
    data::ImageLoader loader(set, scored, o.data, eval_bs, false, o.seed, cache, pool);
    PredictionSet p = model->predict(loader, false);
    r.indices = std::move(p.indices);
    r.logits = std::move(p.logits);
  }
  r.seconds = train::monotonic_seconds() - t0;
  return r;
}

}  // namespace

eval::ClassificationMetrics metrics_of(const data::ImageSet& set, const std::vector<size_t>& indices,
                                       const std::vector<std::vector<float>>& logits) {
  std::vector<int64_t> truth, predicted;
  for (size_t j = 0; j < indices.size(); ++j) {
    truth.push_back(set.samples[indices[j]].label);
    predicted.push_back(argmax(logits[j]));
  }
  return eval::classification_metrics(truth, predicted, set.class_names);
}

namespace {

// Mean and sd over folds of accuracy, macro-F1, macro G-mean and each class's recall.
Json fold_spread(const std::vector<eval::ClassificationMetrics>& folds, const std::vector<std::string>& classes) {
  Json out;
  auto put = [&](const std::string& key, const std::function<double(const eval::ClassificationMetrics&)>& get) {
    std::vector<double> v;
    for (const auto& m : folds) v.push_back(get(m));
    const auto ms = eval::mean_sd(v);
    out["mean"][key] = ms.mean;
    out["sd"][key] = ms.sd;
  };
  put("accuracy", [](const auto& m) { return m.accuracy; });
  put("macro_f1", [](const auto& m) { return m.macro_f1; });
  put("macro_gmean", [](const auto& m) { return m.macro_gmean; });
  // A class absent from a fold's held-out images has no recall there: averaged over the folds that hold it.
  for (size_t c = 0; c < classes.size(); ++c) {
    std::vector<double> v;
    for (const auto& m : folds)
      if (m.per_class[c].support > 0) v.push_back(m.per_class[c].recall);
    const auto ms = eval::mean_sd(v);
    out["recall"][classes[c]] = {{"mean", ms.mean}, {"sd", ms.sd}, {"folds", v.size()}};
  }
  return out;
}

std::string fold_table(const Json& folds, const Json& spread, const std::string& title) {
  std::ostringstream out;
  out << title << "\n";
  char line[160];
  std::snprintf(line, sizeof(line), "  %6s %8s %8s %9s %10s\n", "fold", "images", "groups", "accuracy", "macro-F1");
  out << line;
  for (const auto& f : folds) {
    std::snprintf(line, sizeof(line), "  %6d %8d %8d %9.4f %10.4f\n", f["fold"].get<int>(), f["images"].get<int>(),
                  f["groups"].get<int>(), f["accuracy"].get<double>(), f["macro_f1"].get<double>());
    out << line;
  }
  std::snprintf(line, sizeof(line), "  %6s %17s %9s %10s\n", "mean", "", fixed(spread["mean"]["accuracy"], 4).c_str(),
                fixed(spread["mean"]["macro_f1"], 4).c_str());
  out << line;
  std::snprintf(line, sizeof(line), "  %6s %17s %9s %10s\n", "+- sd", "", fixed(spread["sd"]["accuracy"], 4).c_str(),
                fixed(spread["sd"]["macro_f1"], 4).c_str());
  out << line;
  return out.str();
}

}  // namespace

CvPlan plan_cv(const ClassificationOptions& o, const std::string& source) {
  CvPlan p;
  p.k = o.cv.folds;
  p.group_by = o.cv.group_by.empty() ? o.data.split.group_by : o.cv.group_by;
  p.set = data::discover_images(o.data.root, o.data);
  if (o.data.transform.um_per_px > 0) data::require_scales(p.set, "data.scale_column '" + o.data.scale_column + "'");
  p.groups = data::split_groups(p.set, p.group_by);
  p.fold_of = data::stratified_folds(p.set, p.k, o.data.split.seed, p.groups);
  p.group_count = std::set<size_t>(p.groups.begin(), p.groups.end()).size();
  (void)source;
  return p;
}

std::vector<size_t> CvPlan::held_out(int fold) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < fold_of.size(); ++i)
    if (fold_of[i] == fold) out.push_back(i);
  return out;
}

std::vector<size_t> CvPlan::training(int fold) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < fold_of.size(); ++i)
    if (fold_of[i] != fold) out.push_back(i);
  return out;
}

size_t CvPlan::groups_in(const std::vector<size_t>& indices) const {
  std::set<size_t> g;
  for (size_t i : indices) g.insert(groups[i]);
  return g.size();
}

void write_folds_csv(const std::string& path, const CvPlan& p) {
  std::ostringstream out;
  out << "path,label,group,fold\n";
  for (size_t i = 0; i < p.set.samples.size(); ++i)
    out << csv_escape(p.set.samples[i].path) << ',' << csv_escape(p.set.class_names[static_cast<size_t>(p.set.samples[i].label)])
        << ',' << p.groups[i] << ',' << p.fold_of[i] + 1 << '\n';
  write_text_atomically(path, out.str());
}

eval::ClassificationMetrics write_oof_predictions(const std::string& path, const CvPlan& p,
                                                  const std::vector<std::vector<float>>& oof) {
  std::vector<size_t> idx;
  std::vector<std::vector<float>> logits;
  std::ostringstream out;
  out << "path,label,group,fold,predicted,score";
  for (const auto& c : p.set.class_names) out << ",p_" << csv_escape(c);
  out << '\n';
  for (size_t i = 0; i < p.set.samples.size(); ++i) {
    if (oof[i].empty()) continue;  // unreadable: scored by no fold
    idx.push_back(i);
    logits.push_back(oof[i]);
    const auto prob = softmax(oof[i]);
    const auto top = static_cast<size_t>(argmax(oof[i]));
    out << csv_escape(p.set.samples[i].path) << ',' << csv_escape(p.set.class_names[static_cast<size_t>(p.set.samples[i].label)])
        << ',' << p.groups[i] << ',' << p.fold_of[i] + 1 << ',' << csv_escape(p.set.class_names[top]) << ',' << fixed(prob[top], 4);
    for (double v : prob) out << ',' << fixed(v, 4);
    out << '\n';
  }
  write_text_atomically(path, out.str());
  return metrics_of(p.set, idx, logits);
}

Json cv_summary(const CvPlan& p, const std::vector<eval::ClassificationMetrics>& per_fold, const Json& folds,
                const eval::ClassificationMetrics& pooled) {
  Json cv = fold_spread(per_fold, p.set.class_names);
  cv["k"] = p.k;
  cv["group_by"] = p.group_by.empty() ? Json(nullptr) : Json(p.group_by);
  cv["groups"] = p.group_count;
  cv["folds"] = folds;
  cv["pooled"] = eval::to_json(pooled);
  return cv;
}

std::string cv_shown(const CvPlan& p) {
  return "out-of-fold predictions (" + std::to_string(p.k) + " folds" + (p.group_by.empty() ? "" : " by " + p.group_by) + ")";
}

void print_cv(const Json& cv, const eval::ClassificationMetrics& pooled, const CvPlan& p, const std::string& dir) {
  std::cout << fold_table(cv["folds"], cv, "Grouped " + std::to_string(p.k) + "-fold cross-validation of " + dir);
  std::cout << eval::format_table(pooled, "Pooled " + cv_shown(p));
}

int train_classifier_cv(const ClassificationOptions& o, const TrainContext& ctx) {
  const train::ResolvedRuntime runtime = *ctx.facts.runtime;
  const CvPlan plan = plan_cv(o, ctx.source);
  const data::ImageSet& set = plan.set;
  const int k = plan.k;
  std::vector<size_t> all(set.samples.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const int workers = dist::world_size();
  spdlog::info("cross-validation: {} images of {} classes in {} groups ({}), {} folds{}; each fold trains {} epochs and "
               "keeps the last (nothing held out steers it)",
               set.samples.size(), set.class_names.size(), plan.group_count,
               plan.group_by.empty() ? "identical files only" : "by " + plan.group_by, k,
               workers > 1 ? " spread over " + std::to_string(workers) + " workers" : "", o.train.epochs);

  // The final model's split (every image trains it) and each image's fold.
  data::Split final_split;
  final_split.train = all;
  if (dist::is_main()) {
    write_image_split(ctx.paths.split(), set, final_split);
    write_folds_csv(ctx.paths.dir + "/folds.csv", plan);
    write_model_json(ctx.paths, classifier_setup(o, set, all, runtime, ctx.source).model, o, set.class_names);
  }

  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(o.data.workers));
  auto cache = std::make_shared<data::ImageCache>(set, o.data);
  if (o.data.cache) cache->preload(all, *pool, !ctx.quiet);

  // Fold f is job f, the final model job k: each runs on the worker of rank job % workers (all of
  // them on a single process), which writes its directory; the workers then exchange the results.
  std::vector<std::optional<FoldResult>> results(static_cast<size_t>(k));
  Json trained_here = Json::array();
  for (int f = 0; f < k; ++f) {
    RunPaths fp;
    fp.dir = ctx.paths.dir + "/folds/" + std::to_string(f + 1);
    const std::vector<size_t> tr = plan.training(f), te = plan.held_out(f);
    const std::string result_path = fp.dir + "/result.json";
    if (ctx.resume && fs::exists(result_path)) {
      FoldResult r = fold_result_of(config::load_json_file(result_path), result_path);
      for (size_t i : r.indices)
        if (i >= set.samples.size() || plan.fold_of[i] != f)
          throw InputError(result_path + ": does not match this run's folds (were images added or the seed changed?)");
      spdlog::info("fold {}/{}: done before ({} images held out)", f + 1, k, r.indices.size());
      results[static_cast<size_t>(f)] = std::move(r);
    } else if (dist::owns(static_cast<size_t>(f))) {
      spdlog::info("fold {}/{}: training on {} images, {} held out in {} group(s)", f + 1, k, tr.size(), te.size(),
                   plan.groups_in(te));
      const ClassifierSetup setup = classifier_setup(o, set, tr, runtime, ctx.source);
      FoldResult r = fit_and_score(o, setup, set, tr, te, fp, cache, pool, ctx);
      config::write_json_file(result_path, fold_result_json(f + 1, r));
      trained_here.push_back(fold_result_json(f + 1, r));
      results[static_cast<size_t>(f)] = std::move(r);
    }
  }
  if (auto* group = dist::current()) {
    for (const auto& text : group->exchange("cv folds", trained_here.dump()))
      for (const auto& j : Json::parse(text)) {
        const int f = j.at("fold").get<int>() - 1;
        if (f >= 0 && f < k && !results[static_cast<size_t>(f)])
          results[static_cast<size_t>(f)] = fold_result_of(j, "fold " + std::to_string(f + 1) + " from another worker");
      }
  }
  std::vector<eval::ClassificationMetrics> per_fold;
  Json fold_json = Json::array();
  std::vector<std::vector<float>> oof(set.samples.size());
  for (int f = 0; f < k; ++f) {
    if (!results[static_cast<size_t>(f)]) throw Error("cross-validation: no worker reported fold " + std::to_string(f + 1));
    const FoldResult& r = *results[static_cast<size_t>(f)];
    const auto m = metrics_of(set, r.indices, r.logits);
    for (size_t j = 0; j < r.indices.size(); ++j) oof[r.indices[j]] = r.logits[j];
    per_fold.push_back(m);
    Json fj = eval::to_json(m);
    fj["fold"] = f + 1;
    fj["images"] = r.indices.size();
    fj["groups"] = plan.groups_in(plan.held_out(f));
    fj["epochs"] = r.epochs;
    fj["seconds"] = r.seconds;
    fold_json.push_back(fj);
    spdlog::info("fold {}/{}: accuracy {:.4f}, macro-F1 {:.4f} on {} images", f + 1, k, m.accuracy, m.macro_f1,
                 r.indices.size());
  }
  const auto pooled = write_oof_predictions(ctx.paths.dir + "/oof_predictions.csv", plan, oof);

  Json summary;
  summary["name"] = o.name;
  summary["model"] = o.model.name;
  summary["cv"] = cv_summary(plan, per_fold, fold_json, pooled);
  summary["cv"]["epochs"] = o.train.epochs;
  if (o.cv.final_model) {
    const ClassifierSetup setup = classifier_setup(o, set, all, runtime, ctx.source);
    Json final_fit;
    if (dist::owns(static_cast<size_t>(k))) {
      spdlog::info("final model: training on all {} images", set.samples.size());
      const auto r = fit_and_score(o, setup, set, all, {}, ctx.paths, cache, pool, ctx);
      final_fit = Json{{"epochs", r.epochs}, {"seconds", r.seconds}};
    }
    if (auto* group = dist::current())
      for (const auto& text : group->exchange("cv final model", final_fit.dump()))
        if (const Json j = Json::parse(text); j.is_object()) final_fit = j;
    if (!dist::is_main()) return 0;  // rank 0 writes the rest
    auto model = ClassifierModel::load(setup.model, ctx.paths.last(), runtime.device, setup.channels_last);
    summary["parameters"] = model->parameter_count();
    summary["checkpoint"] = "last.pt";
    summary["epochs_completed"] = final_fit.at("epochs");
    summary["final"] = Json{{"checkpoint", "last.pt"}, {"epochs", final_fit.at("epochs")}, {"seconds", final_fit.at("seconds")}};
    train::export_pth(setup.model, ctx.paths.last(), ctx.paths.dir + "/model.pth");  // for Python users
  }
  if (!dist::is_main()) return 0;
  const auto skipped = record_unreadable(ctx.paths.split(), set, final_split, cache->failed_indices());
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary = run::write_summary(ctx.paths, summary, ctx.facts);
  if (o.report) write_classification_report(ctx.paths, summary, pooled, cv_shown(plan));
  print_cv(summary["cv"], pooled, plan, ctx.paths.dir);
  if (!skipped.empty()) spdlog::warn("{} unreadable image(s) were skipped (listed in summary.json)", skipped.size());
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), ctx.paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
