#include "classical.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <mutex>

#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/classical/feature_classifier.h"
#include "alloyml/classical/texture.h"
#include "alloyml/core/error.h"
#include "alloyml/data/transforms.h"
#include "alloyml/train/callbacks.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/tasks/config.h"
#include "alloyml/run/metrics_log.h"
#include "alloyml/run/summary.h"
#include "cv.h"
#include "dataset.h"
#include "report.h"

namespace alloyml::tasks {
namespace {

// The readable rows of `x` and their labels.
void readable(const cv::Mat& x, const std::vector<char>& ok, const data::ImageSet& set, const std::vector<size_t>& idx,
              cv::Mat& rows, std::vector<int>& labels) {
  rows = cv::Mat(0, x.cols, CV_32F);
  labels.clear();
  for (size_t k = 0; k < idx.size(); ++k)
    if (ok[k]) {
      rows.push_back(x.row(static_cast<int>(k)));
      labels.push_back(set.samples[idx[k]].label);
    }
}

eval::ClassificationMetrics score(const cv::Mat& decision, const std::vector<int>& labels,
                                  const std::vector<std::string>& names) {
  std::vector<int64_t> truth(labels.begin(), labels.end()), predicted;
  for (int i = 0; i < decision.rows; ++i) {
    cv::Point best;
    cv::minMaxLoc(decision.row(i), nullptr, nullptr, nullptr, &best);
    predicted.push_back(best.x);
  }
  return eval::classification_metrics(truth, predicted, names);
}

}  // namespace

cv::Mat texture_feature_matrix(const std::string& kind, const data::ImageSet& set, const std::vector<size_t>& indices,
                               const data::TransformOptions& transform, ThreadPool& pool, std::vector<char>& ok) {
  ok.assign(indices.size(), 0);
  data::TransformOptions t = transform;
  t.channels = 1;
  std::vector<std::vector<float>> rows(indices.size());
  std::mutex first_error;
  std::string error;
  parallel_for(pool, indices.size(), [&](size_t k) {
    std::string problem;
    cv::Mat img = data::decode_image(set.samples[indices[k]].path, 1, &problem);
    if (img.empty()) {
      spdlog::warn("skipping unreadable image {}: {}", set.samples[indices[k]].path, problem);
      return;
    }
    if (img.depth() == CV_16U) img.convertTo(img, CV_8U, 1.0 / 257.0);
    // At a physical scale (input.um_per_px), the whole image resampled to it (every caller has
    // checked the scales: data::require_scales); else the model's size.
    const double scale = set.samples[indices[k]].um_per_px;
    img = t.um_per_px > 0 ? data::resample_to_scale(img, scale, t.um_per_px, t.size, t.max_rescale)
                          : data::resize_for_model(img, t);
    try {
      rows[k] = classical::texture_features(kind, img);
      ok[k] = 1;
    } catch (const std::exception& e) {  // e.g. an image too small for one HOG block
      std::lock_guard<std::mutex> lock(first_error);
      if (error.empty()) error = set.samples[indices[k]].path + ": " + e.what();
    }
  });
  if (!error.empty()) throw InputError(error + " (input.size sets the size features are computed at)");
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.size());
  cv::Mat x(static_cast<int>(indices.size()), static_cast<int>(width), CV_32F, cv::Scalar(0));
  for (size_t k = 0; k < rows.size(); ++k)
    if (ok[k]) {
      if (rows[k].size() != width)  // images are resized to one size, so this is a bug, not input
        throw Error("texture features of different lengths in one run");
      std::copy(rows[k].begin(), rows[k].end(), x.ptr<float>(static_cast<int>(k)));
    }
  return x;
}

int train_classical(const ClassicalModel& model, const ClassificationOptions& o, const TrainContext& ctx,
                    const data::ImageSet& set, const data::Split& split, ThreadPool& pool) {
  const RunPaths& paths = ctx.paths;
  const data::DataOptions& dopt = o.data;
  const int classes = static_cast<int>(set.class_names.size());
  std::vector<char> ok_train, ok_val, ok_test;  // not vector<bool>: written from several threads
  const double t0 = train::monotonic_seconds();
  const cv::Mat xt = texture_feature_matrix(model.features, set, split.train, dopt.transform, pool, ok_train);
  const cv::Mat xv = texture_feature_matrix(model.features, set, split.val, dopt.transform, pool, ok_val);
  const cv::Mat xs = texture_feature_matrix(model.features, set, split.test, dopt.transform, pool, ok_test);
  const double feature_s = train::monotonic_seconds() - t0;
  cv::Mat train_x, val_x, test_x;
  std::vector<int> train_y, val_y, test_y;
  readable(xt, ok_train, set, split.train, train_x, train_y);
  readable(xv, ok_val, set, split.val, val_x, val_y);
  readable(xs, ok_test, set, split.test, test_x, test_y);
  spdlog::info("{} features ({} per image) of {} images in {:.1f} s", model.features, xt.cols,
               xt.rows + xv.rows + xs.rows, feature_s);

  const auto classifier = classical::make_feature_classifier(model.classifier);
  const double t1 = train::monotonic_seconds();
  classifier->fit(train_x, train_y, val_x, val_y, classes, &pool);
  const double fit_s = train::monotonic_seconds() - t1;
  config::Json chosen = config::Json::object();
  std::string chosen_text;
  for (const auto& [name, value] : classifier->chosen()) {
    chosen[name] = value;
    chosen_text += (chosen_text.empty() ? "" : " ") + name + " " + fmt::format("{:g}", value);
  }
  spdlog::info("{}: {} (validation accuracy {:.4f})", model.classifier, chosen_text, classifier->selection_accuracy);
  classifier->save(classical_model_stem(paths, model));

  models::ModelOptions mopt;
  mopt.name = model.name();
  mopt.num_classes = classes;
  mopt.in_channels = 1;
  write_model_json(paths, mopt, o, set.class_names);
  config::Json summary;
  summary["name"] = o.name;
  summary["model"] = model.name();
  chosen["selection_accuracy"] = classifier->selection_accuracy;
  summary[model.classifier] = chosen;  // e.g. "svm": {"C", "gamma", "selection_accuracy"}
  summary["features"] = {{"kind", model.features}, {"per_image", xt.cols}};
  eval::ClassificationMetrics shown;
  std::string shown_split;
  for (auto [name, x, y] : {std::tuple<const char*, const cv::Mat*, const std::vector<int>*>{"val", &val_x, &val_y},
                            {"test", &test_x, &test_y}}) {
    if (x->rows == 0) continue;
    shown = score(classifier->decision(*x), *y, set.class_names);
    summary[name] = eval::to_json(shown);
    shown_split = name;
  }
  std::vector<size_t> unreadable;
  for (auto [ok, idx] : {std::pair{&ok_train, &split.train}, {&ok_val, &split.val}, {&ok_test, &split.test}})
    for (size_t k = 0; k < idx->size(); ++k)
      if (!(*ok)[k]) unreadable.push_back((*idx)[k]);
  std::sort(unreadable.begin(), unreadable.end());
  const auto skipped = record_unreadable(paths.split(), set, split, unreadable);
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary["feature_seconds"] = feature_s;
  summary["fit_seconds"] = fit_s;
  summary = run::write_summary(paths, summary, ctx.facts);
  run::MetricsFile(paths.metrics()).write({config::OrderedJson{{"epoch", 1}, {"val_accuracy", classifier->selection_accuracy}}});
  if (o.report && !shown_split.empty())
    write_classification_report(paths, summary, shown, shown_split);
  if (!shown_split.empty()) std::cout << eval::format_table(shown, "Results on the " + shown_split + " split of " + paths.dir);
  return 0;
}

namespace {

// A grouped, stratified share `val` of `indices` (whole groups) to choose hyper-parameters on;
// returns (fit, val) as indices of the plan's set.
std::pair<std::vector<size_t>, std::vector<size_t>> inner_split(const CvPlan& p, const std::vector<size_t>& indices,
                                                                double val, std::uint64_t seed) {
  data::ImageSet sub;
  sub.class_names = p.set.class_names;
  sub.source = p.set.source;
  std::vector<size_t> groups;
  for (size_t i : indices) {
    sub.samples.push_back(p.set.samples[i]);
    groups.push_back(p.groups[i]);
  }
  data::SplitOptions so;
  so.val = val;
  so.test = 0;
  so.seed = seed;
  const auto s = data::stratified_split(sub, so, groups);
  std::pair<std::vector<size_t>, std::vector<size_t>> out;
  for (size_t j : s.train) out.first.push_back(indices[j]);
  for (size_t j : s.val) out.second.push_back(indices[j]);
  std::sort(out.first.begin(), out.first.end());
  std::sort(out.second.begin(), out.second.end());
  return out;
}

// The rows of `x` (one per image of the set) for `indices` that were readable, and their labels.
void rows_of(const cv::Mat& x, const std::vector<char>& ok, const data::ImageSet& set, const std::vector<size_t>& indices,
             cv::Mat& rows, std::vector<int>& labels, std::vector<size_t>* kept = nullptr) {
  rows = cv::Mat(0, x.cols, CV_32F);
  labels.clear();
  for (size_t i : indices)
    if (ok[i]) {
      rows.push_back(x.row(static_cast<int>(i)));
      labels.push_back(set.samples[i].label);
      if (kept) kept->push_back(i);
    }
}

}  // namespace

int train_classical_cv(const ClassicalModel& model, const ClassificationOptions& o, const TrainContext& ctx,
                       ThreadPool& pool) {
  const CvPlan plan = plan_cv(o, ctx.source);
  const data::ImageSet& set = plan.set;
  const int k = plan.k, classes = static_cast<int>(set.class_names.size());
  // The share each fit holds out to choose its hyper-parameters on (whole groups).
  const double val = o.data.split.val > 0 && o.data.split.val < 1 ? o.data.split.val : 0.2;
  spdlog::info("cross-validation: {} images of {} classes in {} groups ({}), {} folds; each fold chooses its "
               "hyper-parameters on {:.0f} % of its training groups",
               set.samples.size(), set.class_names.size(), plan.group_count,
               plan.group_by.empty() ? "identical files only" : "by " + plan.group_by, k, val * 100);
  write_folds_csv(ctx.paths.dir + "/folds.csv", plan);
  std::vector<size_t> all(set.samples.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<char> ok;
  const double t0 = train::monotonic_seconds();
  const cv::Mat x = texture_feature_matrix(model.features, set, all, o.data.transform, pool, ok);
  spdlog::info("{} features ({} per image) of {} images in {:.1f} s", model.features, x.cols, x.rows,
               train::monotonic_seconds() - t0);

  std::vector<eval::ClassificationMetrics> per_fold;
  config::Json fold_json = config::Json::array();
  std::vector<std::vector<float>> oof(set.samples.size());
  for (int f = 0; f < k; ++f) {
    const auto te = plan.held_out(f);
    const auto [fit_idx, val_idx] = inner_split(plan, plan.training(f), val, o.data.split.seed + static_cast<std::uint64_t>(f));
    cv::Mat fx, vx, tx;
    std::vector<int> fy, vy, ty;
    std::vector<size_t> scored;
    rows_of(x, ok, set, fit_idx, fx, fy);
    rows_of(x, ok, set, val_idx, vx, vy);
    rows_of(x, ok, set, te, tx, ty, &scored);
    const auto classifier = classical::make_feature_classifier(model.classifier);
    classifier->fit(fx, fy, vx, vy, classes, &pool);
    std::vector<std::vector<float>> logits;
    if (tx.rows > 0) {
      const cv::Mat d = classifier->decision(tx);
      for (int i = 0; i < d.rows; ++i) logits.emplace_back(d.ptr<float>(i), d.ptr<float>(i) + d.cols);
    }
    for (size_t j = 0; j < scored.size(); ++j) oof[scored[j]] = logits[j];
    const auto m = metrics_of(set, scored, logits);
    per_fold.push_back(m);
    config::Json fj = eval::to_json(m);
    fj["fold"] = f + 1;
    fj["images"] = scored.size();
    fj["groups"] = plan.groups_in(te);
    for (const auto& [name, value] : classifier->chosen()) fj["chosen"][name] = value;
    fold_json.push_back(fj);
    spdlog::info("fold {}/{}: accuracy {:.4f}, macro-F1 {:.4f} on {} images", f + 1, k, m.accuracy, m.macro_f1,
                 scored.size());
  }
  const auto pooled = write_oof_predictions(ctx.paths.dir + "/oof_predictions.csv", plan, oof);

  // The final model: every image, its hyper-parameters chosen on a grouped share of them.
  const auto [fit_idx, val_idx] = inner_split(plan, all, val, o.data.split.seed);
  data::Split final_split;
  final_split.train = fit_idx;
  final_split.val = val_idx;
  write_image_split(ctx.paths.split(), set, final_split);
  cv::Mat fx, vx;
  std::vector<int> fy, vy;
  rows_of(x, ok, set, fit_idx, fx, fy);
  rows_of(x, ok, set, val_idx, vx, vy);
  const auto classifier = classical::make_feature_classifier(model.classifier);
  classifier->fit(fx, fy, vx, vy, classes, &pool);
  classifier->save(classical_model_stem(ctx.paths, model));
  models::ModelOptions mopt;
  mopt.name = model.name();
  mopt.num_classes = classes;
  mopt.in_channels = 1;
  write_model_json(ctx.paths, mopt, o, set.class_names);
  run::MetricsFile(ctx.paths.metrics()).write({config::OrderedJson{{"epoch", 1}, {"val_accuracy", classifier->selection_accuracy}}});

  config::Json summary;
  summary["name"] = o.name;
  summary["model"] = model.name();
  summary["features"] = {{"kind", model.features}, {"per_image", x.cols}};
  summary["cv"] = cv_summary(plan, per_fold, fold_json, pooled);
  config::Json chosen = config::Json::object();
  for (const auto& [name, value] : classifier->chosen()) chosen[name] = value;
  chosen["selection_accuracy"] = classifier->selection_accuracy;
  summary[model.classifier] = chosen;
  std::vector<size_t> unreadable;
  for (size_t i = 0; i < ok.size(); ++i)
    if (!ok[i]) unreadable.push_back(i);
  const auto skipped = record_unreadable(ctx.paths.split(), set, final_split, unreadable);
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary = run::write_summary(ctx.paths, summary, ctx.facts);
  if (o.report) write_classification_report(ctx.paths, summary, pooled, cv_shown(plan));
  print_cv(summary["cv"], pooled, plan, ctx.paths.dir);
  return 0;
}

}  // namespace alloyml::tasks
