#include "infer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/loader.h"
#include "alloyml/data/transforms.h"
#include "alloyml/eval/metrics_io.h"
#include "dataset.h"
#include "classification_pipeline.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/tasks/runtime_flags.h"
#include "alloyml/vision/plot.h"
#include "alloyml/vision/quantify.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

using run::Run;
namespace {

// A CNN over a loader of the images asked for.
class CnnScorer : public ImageScorer {
 public:
  CnnScorer(std::unique_ptr<ClassifierModel> model, data::DataOptions data, int batch_size, size_t threads)
      : model_(std::move(model)), data_(std::move(data)), batch_size_(batch_size),
        pool_(std::make_shared<ThreadPool>(threads)) {}
  PredictionSet score(const data::ImageSet& set, const std::vector<size_t>& indices, bool progress,
                      const std::shared_ptr<data::ImageCache>& decoded) override {
    auto cache = decoded ? decoded : std::make_shared<data::ImageCache>(set, data_);
    data::ImageLoader loader(set, indices, data_, batch_size_, false, 0, cache, pool_);
    return model_->predict(loader, progress);
  }

 private:
  std::unique_ptr<ClassifierModel> model_;
  data::DataOptions data_;
  int batch_size_;
  std::shared_ptr<ThreadPool> pool_;
};

// The mean class probabilities of several scorers, as log-probabilities.
class EnsembleScorer : public ImageScorer {
 public:
  explicit EnsembleScorer(std::vector<std::unique_ptr<ImageScorer>> members) : members_(std::move(members)) {}
  // `decoded` is the first member's (the run's own input options); the others decode their own way.
  PredictionSet score(const data::ImageSet& set, const std::vector<size_t>& indices, bool progress,
                      const std::shared_ptr<data::ImageCache>& decoded) override {
    std::map<size_t, std::pair<std::vector<double>, size_t>> sum;  // sample -> (summed probabilities, members)
    for (auto& m : members_) {
      const PredictionSet p = m->score(set, indices, progress, &m == &members_.front() ? decoded : nullptr);
      for (size_t i = 0; i < p.indices.size(); ++i) {
        const auto& l = p.logits[i];
        auto& [acc, count] = sum[p.indices[i]];
        acc.resize(l.size(), 0.0);
        const double top = *std::max_element(l.begin(), l.end());
        double z = 0;
        for (float v : l) z += std::exp(static_cast<double>(v) - top);
        for (size_t c = 0; c < l.size(); ++c) acc[c] += std::exp(static_cast<double>(l[c]) - top) / z;
        ++count;
      }
    }
    PredictionSet out;
    for (size_t idx : indices) {  // in the order asked, only where every member scored the image
      const auto it = sum.find(idx);
      if (it == sum.end() || it->second.second != members_.size()) continue;
      std::vector<float> logits;
      for (double p : it->second.first)
        logits.push_back(static_cast<float>(std::log(std::max(p / static_cast<double>(members_.size()), 1e-30))));
      out.indices.push_back(idx);
      out.labels.push_back(set.samples[idx].label);
      out.logits.push_back(std::move(logits));
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<ImageScorer>> members_;
};

}  // namespace

void add_ensemble_members(ImageInference& inf, const Run& run, const std::vector<std::string>& members,
                          const CommonFlags& flags) {
  std::vector<std::unique_ptr<ImageScorer>> scorers;
  scorers.push_back(std::move(inf.scorer));
  for (const auto& dir : members) {
    const Run member = run::open_run(dir);
    const auto* pipeline = dynamic_cast<const ClassificationPipeline*>(&pipelines().for_run(member));
    if (!pipeline) throw InputError("--ensemble " + dir + ": a " + member.task() + " run, not an image classifier");
    ImageInference m = pipeline->inference_for(member, flags);
    if (m.class_names != inf.class_names)
      throw InputError("--ensemble " + dir + ": its classes (" + join(m.class_names) + ") are not those of " +
                       run.paths.dir + " (" + join(inf.class_names) + ")");
    scorers.push_back(std::move(m.scorer));
  }
  inf.scorer = std::make_unique<EnsembleScorer>(std::move(scorers));
  inf.explainer = nullptr;  // Grad-CAM explains one network
  spdlog::info("ensemble of {} runs: class probabilities averaged", members.size() + 1);
}

std::vector<std::string> run_class_names(const Run& run) {
  if (run.class_names.empty()) throw InputError(run.paths.model() + ": no class_names");
  return run.class_names;
}

ImageInference cnn_inference(const ClassificationOptions& o, const Run& run, const CommonFlags& flags) {
  ImageInference l;
  l.class_names = run_class_names(run);
  l.data = inference_data_options(o);
  cv::setNumThreads(1);
  const train::ResolvedRuntime runtime = train::apply_runtime(runtime_for(run, flags));
  auto model = ClassifierModel::load(model_options(run), run.checkpoint(), runtime.device,
                                     l.data.transform.size >= 128);
  model->set_precision(runtime.precision);
  const int batch = o.train.eval_batch_size > 0 ? o.train.eval_batch_size : o.train.batch_size;
  l.scorer = std::make_unique<CnnScorer>(std::move(model), l.data, batch,
                                         static_cast<size_t>(std::max(1, l.data.workers)));
  l.explainer = [options = model_options(run), checkpoint = run.checkpoint(), device = runtime.device] {
    return ClassifierModel::load(options, checkpoint, device, false, /*explain=*/true);
  };
  return l;
}

// An imported weight file with the standard ImageNet preprocessing: RGB in [0, 1], ImageNet
// mean and std, shorter side to 256 and a centre crop of 224 (an image of 224 x 224 is kept).
ImageInference weight_file_inference(const PredictRequest& req) {
  ImageInference l;
  cv::setNumThreads(1);
  train::RuntimeOptions rt;
  if (!req.common.device.empty()) rt.device = req.common.device;
  if (!req.common.precision.empty()) rt.precision = req.common.precision;
  if (req.common.threads >= 0) rt.threads = req.common.threads;
  const train::ResolvedRuntime runtime = train::apply_runtime(rt);
  l.data.transform.size = 224;
  l.data.transform.resize = 256;
  l.data.transform.channels = 3;
  l.data.cache = false;
  models::ModelOptions mopt;
  mopt.name = req.model;
  const int classes = static_cast<int>(req.task_options.integer("num-classes"));
  mopt.num_classes = classes;
  auto model = ClassifierModel::load_pth(mopt, req.weights, runtime.device, true);
  model->set_precision(runtime.precision);
  l.scorer = std::make_unique<CnnScorer>(std::move(model), l.data, 16, 2);
  l.explainer = [mopt, weights = req.weights, device = runtime.device] {
    return ClassifierModel::load_pth(mopt, weights, device, false, /*explain=*/true);
  };
  if (req.task_options.has("labels")) {
    const std::string labels = req.task_options.text("labels");
    std::ifstream in(labels);
    if (!in) throw InputError(labels + ": cannot open the labels file");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) l.class_names.push_back(line.back() == '\r' ? line.substr(0, line.size() - 1) : line);
    if (static_cast<int>(l.class_names.size()) != classes)
      throw InputError(labels + ": has " + std::to_string(l.class_names.size()) + " names for " +
                       std::to_string(classes) + " classes");
  } else {
    for (int c = 0; c < classes; ++c) l.class_names.push_back(std::to_string(c));
  }
  return l;
}

eval::ClassificationMetrics evaluate_classifier(ClassifierModel& model, data::ImageLoader& loader,
                                                const std::vector<std::string>& class_names, bool show_progress) {
  return classification_metrics_of(model.predict(loader, show_progress), class_names);
}

eval::ClassificationMetrics classification_metrics_of(const PredictionSet& p,
                                                      const std::vector<std::string>& class_names) {
  std::vector<std::int64_t> predicted;
  for (const auto& l : p.logits) predicted.push_back(argmax(l));
  return eval::classification_metrics(p.labels, predicted, class_names);
}

int eval_images(const Run& run, const EvalRequest& req, ImageInference& inf) {
  data::ImageSet set;
  std::vector<size_t> indices;
  std::string what;
  if (!req.data.empty()) {
    set = data::discover_images(req.data, inf.data, inf.class_names);
    for (size_t i = 0; i < set.samples.size(); ++i) indices.push_back(i);
    what = req.data;
  } else {
    data::Split split;
    read_image_split(run.paths.split(), inf.class_names, set, split);
    attach_manifest_scales(inf.data, set);
    indices = req.split == "train" ? split.train : req.split == "val" ? split.val : split.test;  // checked by run_eval
    if (indices.empty()) throw InputError(req.run_dir + ": the run has no " + req.split + " split; use --data PATH");
    what = req.split + " split";
  }
  if (inf.data.transform.um_per_px > 0) data::require_scales(set, "data.scale_column '" + inf.data.scale_column + "'");
  const PredictionSet p = inf.scorer->score(set, indices, !req.common.quiet);
  const auto m = classification_metrics_of(p, inf.class_names);
  auto j = eval::to_json(m);
  std::vector<bool> seen(set.samples.size(), false);
  for (size_t i : p.indices) seen[i] = true;
  std::vector<std::string> skipped;
  for (size_t i : indices)
    if (!seen[i]) skipped.push_back(set.samples[i].path);
  j["skipped_images"] = skipped;
  const std::string out = !req.out_path.empty() ? req.out_path
                          : req.data.empty()    ? run.paths.dir + "/eval_" + req.split + ".json"
                                                : run.paths.dir + "/eval_" + fs::path(req.data).filename().string() + ".json";
  config::write_json_file(out, j);
  std::cout << eval::format_table(m, "Evaluation of " + req.run_dir + " on the " + what);
  spdlog::info("wrote {}", out);
  return 0;
}

namespace {

// The network's input as an 8-bit image (normalisation undone), BGR or grey, for overlays.
cv::Mat input_image(const data::Batch& b, int64_t i, const data::TransformOptions& t) {
  std::vector<cv::Mat> planes;
  for (int c = 0; c < b.c; ++c) {
    const float* p = b.images.data() + ((static_cast<size_t>(i) * b.c + c) * b.h) * b.w;
    cv::Mat plane(b.h, b.w, CV_32F, const_cast<float*>(p));
    cv::Mat unit;
    plane.convertTo(unit, CV_8U, 255.0 * t.std[static_cast<size_t>(c)], 255.0 * t.mean[static_cast<size_t>(c)]);
    planes.push_back(unit);
  }
  if (planes.size() == 3) std::swap(planes[0], planes[2]);  // the model's RGB to OpenCV's BGR
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

}  // namespace

std::unique_ptr<ClassifierModel> heat_map_model(const PredictRequest& req, const ImageInference& inf) {
  const std::string dir = req.task_options.text("cam");
  if (!inf.explainer) throw InputError("--cam: this model scores hand-made features, not feature maps; Grad-CAM explains CNNs");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw InputError(dir + ": cannot create the --cam folder");
  return inf.explainer();
}

std::vector<std::string> write_heat_maps(const PredictRequest& req, const ImageInference& inf, ClassifierModel& model,
                                         const data::ImageSet& set, const std::vector<std::vector<float>>& logits_of,
                                         const std::vector<bool>& done, const std::string& root_dir, bool progress_on,
                                         const std::shared_ptr<data::ImageCache>& decoded) {
  const std::string dir = req.task_options.text("cam");
  const std::string layer = req.task_options.has("cam-layer") ? req.task_options.text("cam-layer") : "";
  std::vector<size_t> indices;
  for (size_t i = 0; i < done.size(); ++i)
    if (done[i]) indices.push_back(i);
  data::DataOptions d = inf.data;
  d.transform.test_time = "none";  // one overlay per image: of its centre crop, also where tiles scored it
  auto cache = decoded ? decoded : std::make_shared<data::ImageCache>(set, d);
  data::ImageLoader loader(set, indices, d, 8, false, 0, cache, std::make_shared<ThreadPool>(1));
  loader.start_epoch(0);
  const fs::path root(root_dir);
  std::vector<std::string> files(set.samples.size());
  Progress progress("Grad-CAM", static_cast<long>(loader.num_batches()), "img", stderr_is_terminal(), 10.0,
                    progress_on && !req.common.quiet);
  long batches = 0;
  data::Batch b;
  while (loader.next(b)) {
    std::vector<std::int64_t> targets;
    for (size_t idx : b.indices) targets.push_back(argmax(logits_of[idx]));
    const auto maps = model.grad_cam(b, targets, layer);
    for (int64_t i = 0; i < b.n; ++i) {
      const size_t idx = b.indices[static_cast<size_t>(i)];
      std::string name = fs::path(set.samples[idx].path).lexically_relative(root).replace_extension("").generic_string();
      if (name.empty() || name.rfind("..", 0) == 0) name = fs::path(set.samples[idx].path).stem().string();
      for (size_t p; (p = name.find('/')) != std::string::npos;) name.replace(p, 1, "__");
      const std::string file = (fs::path(dir) / (name + "_cam.png")).string();
      vision::write_png(file, vision::heat_overlay(input_image(b, i, d.transform), maps[static_cast<size_t>(i)]));
      files[idx] = file;
    }
    progress.update(++batches, b.n, "");
  }
  progress.finish();
  if (progress_on) spdlog::info("wrote {} Grad-CAM overlays to {}", indices.size(), dir);
  return files;
}

PredictionRows prediction_rows(const PredictRequest& req, const std::vector<std::string>& class_names) {
  PredictionRows rows;
  rows.class_names = class_names;
  rows.logits = req.task_options.flag("logits");
  rows.jsonl = rows.logits || lower_extension(req.output) == ".jsonl";
  rows.cam = req.task_options.has("cam");
  rows.quantify = req.task_options.flag("quantify");
  rows.k = std::min<int>(static_cast<int>(req.task_options.integer("topk")), static_cast<int>(class_names.size()));
  return rows;
}

std::string PredictionRows::key(const std::string& path) const { return jsonl ? escape_non_utf8(path) : path; }

std::string PredictionRows::header() const {
  if (jsonl) return "";
  std::string h = "path,label,score";
  for (int r = 2; r <= k; ++r) h += ",label_" + std::to_string(r) + ",score_" + std::to_string(r);
  if (cam) h += ",cam";
  if (latency) h += ",latency_ms";
  if (quantify) h += ",defect_regions,defect_area_ratio,defect_k";
  return h + ",error\n";
}

void attach_scales(data::ImageSet& set, const PredictRequest& req, const ImageInference& inf, const std::string& input) {
  const double run_scale = inf.data.transform.um_per_px;
  const bool given = req.task_options.has("um-per-px");
  if (!(run_scale > 0)) {
    if (given)
      throw InputError("--um-per-px: this run was trained without a physical scale (its input.um_per_px is 0) and "
                       "reads images at the size it was trained at; leave --um-per-px out");
    return;
  }
  const std::string& column = inf.data.scale_column;
  if (given) {
    for (auto& s : set.samples) s.um_per_px = req.task_options.number("um-per-px");
  } else if (!input.empty() && lower_extension(input) == ".csv" && !column.empty()) {
    data::read_scales(set, input, column);
  } else {
    throw InputError("this run resamples every image to " + fmt::format("{:g}", run_scale) +
                     " micrometres per pixel (input.um_per_px) and cannot guess an image's scale: give --um-per-px "
                     "SCALE (every image) or a CSV --input with the column '" + column + "'");
  }
  data::require_scales(set, given ? "--um-per-px" : "the column '" + column + "' of " + input);
}

std::shared_ptr<data::ImageCache> decode_once(const data::ImageSet& set, const ImageInference& inf,
                                              const PredictionRows& rows) {
  data::DataOptions d = inf.data;
  d.cache = true;  // kept for the batch's scorer, Grad-CAM and rows, then dropped with it
  auto cache = std::make_shared<data::ImageCache>(set, d);
  cache->keep_native_gray(rows.quantify);
  return cache;
}

std::string PredictionRows::row(const std::string& path, const std::vector<float>* logits_of, const std::string& cam_file,
                                double latency_ms, const data::ImageCache* decoded, size_t index) const {
  std::ostringstream out;
  if (!logits_of) {
    std::string problem = decoded ? decoded->problem(index) : "";
    if (problem.empty()) data::decode_image(path, 1, &problem);  // decoded again only to say why (a rare path)
    const std::string error = "unreadable image" + (problem.empty() ? "" : ": " + problem);
    if (jsonl) {
      Json j{{"path", escape_non_utf8(path)}, {"error", escape_non_utf8(error)}};
      if (latency) j["latency_ms"] = latency_ms;
      return j.dump() + "\n";
    }
    const int empty = 2 * (k - 1) + (cam ? 1 : 0) + (quantify ? 3 : 0);
    out << csv_escape(path) << ",," << std::string(static_cast<size_t>(empty), ',');
    if (latency) out << "," << fixed(latency_ms, 1);
    out << "," << csv_escape(error) << "\n";
    return out.str();
  }
  const auto probs = softmax(*logits_of);
  std::vector<size_t> order(probs.size());
  for (size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return probs[a] > probs[b]; });
  vision::DefectMeasures m;
  if (quantify) {  // the defect measures of Huang et al. 2023, Table 7 (vision/quantify.h)
    cv::Mat gray = decoded ? decoded->native_gray(index) : cv::Mat();
    if (gray.empty()) gray = data::decode_image(path, 1);
    if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U, 255.0 / 65535.0);
    m = vision::quantify_defects(gray, vision::QuantifyOptions{});
  }
  const auto& names = class_names;
  if (jsonl) {
    Json j{{"path", escape_non_utf8(path)}, {"label", names[order[0]]}, {"score", probs[order[0]]}};
    Json top = Json::array();
    for (int r = 0; r < k; ++r) top.push_back({{"label", names[order[static_cast<size_t>(r)]]}, {"score", probs[order[static_cast<size_t>(r)]]}});
    j["topk"] = top;
    if (logits) j["logits"] = *logits_of;
    if (cam) j["cam"] = escape_non_utf8(cam_file);
    if (latency) j["latency_ms"] = latency_ms;
    if (quantify) {
      j["defect_regions"] = m.regions.size();
      j["defect_area_ratio"] = m.area_ratio();
      j["defect_k"] = m.k();
    }
    return j.dump() + "\n";
  }
  out << csv_escape(path);
  for (int r = 0; r < k; ++r) out << "," << csv_escape(names[order[static_cast<size_t>(r)]]) << "," << probs[order[static_cast<size_t>(r)]];
  if (cam) out << "," << csv_escape(cam_file);
  if (latency) out << "," << fixed(latency_ms, 1);
  if (quantify) out << "," << m.regions.size() << "," << fixed(m.area_ratio(), 5) << "," << fixed(m.k(), 5);
  out << ",\n";
  return out.str();
}

RowFile::RowFile(std::string path, const PredictionRows& rows, bool continue_existing) : path_(std::move(path)) {
  std::error_code ec;
  const bool existing = continue_existing && fs::exists(path_, ec) && fs::file_size(path_, ec) > 0;
  if (existing) {
    // A row cut short by a kill (no newline yet) is dropped, so the file ends on a whole row.
    std::string text = read_text_file(path_);
    const size_t last = text.find_last_of('\n');
    if (last == std::string::npos || last + 1 != text.size()) {
      text.erase(last == std::string::npos ? 0 : last + 1);
      write_text_atomically(path_, text);
      spdlog::warn("{}: dropped a last row that was cut short", path_);
    }
    if (!rows.jsonl && !text.empty()) {
      const std::string first = text.substr(0, text.find('\n') + 1);
      if (first != rows.header())
        throw InputError(path_ + " has other columns (" + first.substr(0, first.size() - 1) +
                         "); give another --output or the same options");
    }
    if (!rows.jsonl) {
      if (!text.empty()) {
        const CsvTable t = read_csv(path_);
        const size_t col = t.column("path");
        for (const auto& row : t.rows)
          if (row.size() > col) done_.insert(row[col]);
      }
    } else {
      std::istringstream in(text);
      std::string line;
      for (size_t n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        try {
          done_.insert(config::parse_json(line, path_).at("path").get<std::string>());
        } catch (const std::exception&) {
          throw InputError(path_ + ": line " + std::to_string(n) + " is not a prediction row; give another --output");
        }
      }
    }
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (existing ? 0 : O_TRUNC), 0644);
  if (fd_ < 0) throw_write_error(path_, errno);
  if (!existing || fs::file_size(path_, ec) == 0) append(rows.header());
}

RowFile::~RowFile() {
  if (fd_ >= 0) ::close(fd_);
}

void RowFile::append(const std::string& text) {
  for (size_t off = 0; off < text.size();) {
    const ssize_t n = ::write(fd_, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_write_error(path_, n < 0 ? errno : ENOSPC);
    off += static_cast<size_t>(n);
  }
}

int predict_images(const PredictRequest& req, ImageInference& inf) {
  if (req.input.empty()) throw InputError("--input is required");
  const bool resume = req.task_options.flag("resume");
  if (resume && req.output.empty())
    throw InputError("--resume continues an --output file: give the FILE.csv or FILE.jsonl an interrupted predict wrote");
  const auto& names = inf.class_names;
  data::ImageSet set;
  set.class_names = names;
  for (const auto& p : data::list_images(req.input)) set.samples.push_back({p, -1});
  attach_scales(set, req, inf, req.input);
  const PredictionRows rows = prediction_rows(req, names);
  // Rows reach the output as they are computed, a chunk at a time: Ctrl-C (or SIGTERM) keeps every
  // finished chunk and exits 130, and --resume continues the file, skipping what it holds.
  std::unique_ptr<RowFile> file = req.output.empty() ? nullptr : std::make_unique<RowFile>(req.output, rows, resume);
  if (!file) std::cout << rows.header();
  std::vector<size_t> todo;
  for (size_t i = 0; i < set.samples.size(); ++i)
    if (!file || !file->done().count(rows.key(set.samples[i].path))) todo.push_back(i);
  if (file && todo.size() < set.samples.size())
    spdlog::info("{} holds {} of the {} images already; predicting the other {}", req.output,
                 set.samples.size() - todo.size(), set.samples.size(), todo.size());
  const bool cam = req.task_options.has("cam");
  const std::string root = fs::is_directory(req.input) ? req.input : fs::path(req.input).parent_path().string();
  const std::unique_ptr<ClassifierModel> explainer = cam ? heat_map_model(req, inf) : nullptr;
  install_stop_handlers();
  constexpr size_t kChunk = 256;
  Progress progress("predicting", static_cast<long>(todo.size()), "img", stderr_is_terminal(), 10.0,
                    !req.common.quiet && todo.size() > kChunk);
  size_t written = 0, failed = 0;
  // Indexed by sample, filled for one chunk at a time and emptied after it.
  std::vector<std::vector<float>> logits_of(set.samples.size());
  std::vector<bool> done(set.samples.size(), false);
  for (size_t start = 0; start < todo.size() && !stop_requested(); start += kChunk) {
    const std::vector<size_t> chunk(todo.begin() + static_cast<long>(start),
                                    todo.begin() + static_cast<long>(std::min(todo.size(), start + kChunk)));
    const auto decoded = decode_once(set, inf, rows);
    PredictionSet p = inf.scorer->score(set, chunk, !req.common.quiet && todo.size() <= kChunk, decoded);
    for (size_t i = 0; i < p.indices.size(); ++i) {
      logits_of[p.indices[i]] = std::move(p.logits[i]);
      done[p.indices[i]] = true;
    }
    const std::vector<std::string> cam_files =
        cam ? write_heat_maps(req, inf, *explainer, set, logits_of, done, root, false, decoded)
            : std::vector<std::string>(set.samples.size());
    std::string text;
    for (size_t i : chunk)
      text += rows.row(set.samples[i].path, done[i] ? &logits_of[i] : nullptr, cam_files[i], -1, decoded.get(), i);
    for (size_t i : chunk) {
      std::vector<float>().swap(logits_of[i]);
      done[i] = false;
    }
    if (file)
      file->append(text);
    else
      std::cout << text << std::flush;
    written += chunk.size();
    failed += chunk.size() - p.indices.size();
    progress.update(static_cast<long>(written), static_cast<long>(chunk.size()), "");
  }
  progress.finish();
  if (failed > 0) spdlog::warn("{} image(s) could not be read (marked in the output)", failed);
  if (written < todo.size()) {
    const std::string where = file ? req.output : "standard output";
    throw Interrupted("stopped: " + std::to_string(written) + " of " + std::to_string(todo.size()) +
                      " predictions written to " + where +
                      (file ? "; continue with the same command and --resume" : ""));
  }
  if (file) spdlog::info("wrote {} predictions to {}", written, req.output);
  return 0;
}

}  // namespace alloyml::tasks
