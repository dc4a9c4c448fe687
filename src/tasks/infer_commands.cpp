// alloyml-eval and alloyml-predict on a trained run directory.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/data/transforms.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/glcm_svm.h"
#include "alloyml/tasks/shared.h"
#include "alloyml/tasks/gfa.h"
#include "alloyml/tasks/springback.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

int eval_batch_size(const Run& run) {
  const auto& t = run.config["train"];
  const int e = t.value("eval_batch_size", 0);
  return e > 0 ? e : t.value("batch_size", 32);
}

// A model ready for inference with what its inputs need.
struct Loaded {
  Run run;
  data::DataOptions data;
  train::ResolvedRuntime runtime;
  std::unique_ptr<ClassifierModel> model;
  std::shared_ptr<ThreadPool> pool;
  std::vector<std::string> class_names;
  int batch_size = 32;
};

Loaded load(const std::string& run_dir, const CommonFlags& flags) {
  Loaded l;
  l.run = open_run(run_dir);
  l.data = inference_data_options(l.run);
  cv::setNumThreads(1);
  l.runtime = train::apply_runtime(runtime_for(l.run, flags));
  const auto mopt = model_options(l.run.model["model"]);
  if (mopt.name != kGlcmSvm)  // the classical baseline has no torch model
    l.model = ClassifierModel::load(mopt, l.run.checkpoint(), l.runtime.device, l.data.transform.size >= 128);
  if (l.model) l.model->set_precision(l.runtime.precision);
  l.pool = std::make_shared<ThreadPool>(static_cast<size_t>(std::max(1, l.data.workers)));
  l.class_names = l.run.class_names;
  l.batch_size = eval_batch_size(l.run);
  return l;
}

// An imported weight file with the standard ImageNet preprocessing: RGB in [0, 1], ImageNet
// mean and std, shorter side to 256 and a centre crop of 224 (an image of 224 x 224 is kept).
Loaded load_weights(const PredictRequest& req) {
  Loaded l;
  cv::setNumThreads(1);
  train::RuntimeOptions rt;
  if (!req.common.device.empty()) rt.device = req.common.device;
  if (!req.common.precision.empty()) rt.precision = req.common.precision;
  if (req.common.threads >= 0) rt.threads = req.common.threads;
  l.runtime = train::apply_runtime(rt);
  l.data.transform.size = 224;
  l.data.transform.resize = 256;
  l.data.transform.channels = 3;
  l.data.cache = false;
  models::ModelOptions mopt;
  mopt.name = req.model;
  mopt.num_classes = req.num_classes;
  l.model = ClassifierModel::load_pth(mopt, req.weights, l.runtime.device, true);
  l.model->set_precision(l.runtime.precision);
  l.pool = std::make_shared<ThreadPool>(2);
  if (!req.labels.empty()) {
    std::ifstream in(req.labels);
    if (!in) throw InputError(req.labels + ": cannot open the labels file");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) l.class_names.push_back(line.back() == '\r' ? line.substr(0, line.size() - 1) : line);
    if (static_cast<int>(l.class_names.size()) != req.num_classes)
      throw InputError(req.labels + ": has " + std::to_string(l.class_names.size()) + " names for " +
                       std::to_string(req.num_classes) + " classes");
  } else {
    for (int c = 0; c < req.num_classes; ++c) l.class_names.push_back(std::to_string(c));
  }
  l.batch_size = 16;
  return l;
}

// Logits of every readable sample of `indices`, by the run's CNN or its GLCM+SVM.
PredictionSet predict_all(Loaded& l, const data::ImageSet& set, const std::vector<size_t>& indices, bool progress) {
  if (!l.model) return predict_glcm_svm(l.run, set, indices, *l.pool);
  auto cache = std::make_shared<data::ImageCache>(set, l.data);
  data::ImageLoader loader(set, indices, l.data, l.batch_size, false, 0, cache, l.pool);
  return l.model->predict(loader, progress);
}

bool is_springback(const Run& run) { return run.model.value("task", std::string()) == "springback"; }
bool is_gfa(const Run& run) { return run.model.value("task", std::string()) == "gfa"; }

}  // namespace

int run_eval(const EvalRequest& req) {
  init_logging(req.common.quiet);
  if (const Run run = open_run(req.run_dir); is_springback(run)) return eval_springback(run, req);
  else if (is_gfa(run)) return eval_gfa(run, req);
  Loaded l = load(req.run_dir, req.common);
  data::ImageSet set;
  std::vector<size_t> indices;
  std::string what;
  if (!req.data.empty()) {
    set = data::discover_images(req.data, l.data, l.run.class_names);
    for (size_t i = 0; i < set.samples.size(); ++i) indices.push_back(i);
    what = req.data;
  } else {
    data::Split split;
    read_split(l.run.paths.split(), l.run.class_names, set, split);
    if (req.split == "train") indices = split.train;
    else if (req.split == "val") indices = split.val;
    else if (req.split == "test") indices = split.test;
    else throw InputError("--split must be train, val or test, got '" + req.split + "'");
    if (indices.empty()) throw InputError(req.run_dir + ": the run has no " + req.split + " split; use --data PATH");
    what = req.split + " split";
  }
  const PredictionSet p = predict_all(l, set, indices, !req.common.quiet);
  const auto m = classification_metrics_of(p, l.run.class_names);
  auto j = eval::to_json(m);
  std::vector<bool> seen(set.samples.size(), false);
  for (size_t i : p.indices) seen[i] = true;
  std::vector<std::string> skipped;
  for (size_t i : indices)
    if (!seen[i]) skipped.push_back(set.samples[i].path);
  j["skipped_images"] = skipped;
  const std::string out = !req.out_path.empty() ? req.out_path
                          : req.data.empty()    ? l.run.paths.dir + "/eval_" + req.split + ".json"
                                                : l.run.paths.dir + "/eval_" + fs::path(req.data).filename().string() + ".json";
  config::write_json_file(out, j);
  std::cout << eval::format_table(m, "Evaluation of " + req.run_dir + " on the " + what);
  spdlog::info("wrote {}", out);
  return 0;
}

int run_predict(const PredictRequest& req) {
  init_logging(req.common.quiet);
  if (req.topk < 1) throw InputError("--topk must be at least 1");
  if (req.run_dir.empty() == (req.model.empty() || req.weights.empty()))
    throw InputError("give either --run RUN_DIR or --model NAME with --weights FILE.pth");
  if (!req.run_dir.empty()) {
    const Run run = open_run(req.run_dir);
    if (is_springback(run)) {
      if (req.input.empty()) throw InputError("--input is required");
      if (!req.export_pth.empty()) throw InputError("--export: a springback run has no torch model (model.json holds it)");
      return predict_springback(run, req);
    }
    if (!req.export_pth.empty()) {
      const std::string ckpt = is_gfa(run) ? gfa_network_checkpoint(run) : run.checkpoint();
      export_pth(model_options(run.model["model"]), ckpt, req.export_pth);
      std::cout << "wrote " << req.export_pth << " (" << run.model["arch"].get<std::string>()
                << " state dict; torch.load + load_state_dict in Python, or model.pretrained of another run)\n";
      return 0;
    }
    if (is_gfa(run)) {
      if (req.input.empty() && req.formulas.empty() && req.system.empty())
        throw InputError("give --input CSV, --formula F or --system A-B-C");
      return predict_gfa(run, req);
    }
  }
  if (!req.export_pth.empty()) throw InputError("--export needs --run RUN_DIR");
  Loaded l = req.run_dir.empty() ? load_weights(req) : load(req.run_dir, req.common);
  const auto& names = l.class_names;
  data::ImageSet set;
  set.class_names = names;
  for (const auto& p : data::list_images(req.input)) set.samples.push_back({p, -1});
  std::vector<size_t> indices(set.samples.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  const PredictionSet p = predict_all(l, set, indices, !req.common.quiet);

  const bool jsonl = req.logits || lower_extension(req.output) == ".jsonl";
  const int k = std::min<int>(req.topk, static_cast<int>(names.size()));
  std::ostringstream out;
  if (!jsonl) {
    out << "path,label,score";
    for (int r = 2; r <= k; ++r) out << ",label_" << r << ",score_" << r;
    out << ",error\n";
  }
  std::vector<std::vector<float>> logits_of(set.samples.size());
  std::vector<bool> done(set.samples.size(), false);
  for (size_t i = 0; i < p.indices.size(); ++i) {
    logits_of[p.indices[i]] = p.logits[i];
    done[p.indices[i]] = true;
  }
  for (size_t i = 0; i < set.samples.size(); ++i) {
    const std::string& path = set.samples[i].path;
    if (!done[i]) {
      std::string problem;  // decoded again only to say why (a rare path)
      data::decode_image(path, 1, &problem);
      const std::string error = "unreadable image" + (problem.empty() ? "" : ": " + problem);
      if (jsonl)
        out << Json{{"path", path}, {"error", error}}.dump() << "\n";
      else
        out << csv_escape(path) << ",," << std::string(static_cast<size_t>(2 * (k - 1)), ',') << "," << csv_escape(error)
            << "\n";
      continue;
    }
    const auto probs = softmax(logits_of[i]);
    std::vector<size_t> order(probs.size());
    for (size_t c = 0; c < order.size(); ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return probs[a] > probs[b]; });
    if (jsonl) {
      Json j{{"path", path}, {"label", names[order[0]]}, {"score", probs[order[0]]}};
      Json top = Json::array();
      for (int r = 0; r < k; ++r) top.push_back({{"label", names[order[static_cast<size_t>(r)]]}, {"score", probs[order[static_cast<size_t>(r)]]}});
      j["topk"] = top;
      if (req.logits) j["logits"] = logits_of[i];
      out << j.dump() << "\n";
    } else {
      out << csv_escape(path);
      for (int r = 0; r < k; ++r) out << "," << csv_escape(names[order[static_cast<size_t>(r)]]) << "," << probs[order[static_cast<size_t>(r)]];
      out << ",\n";
    }
  }
  const size_t failed = set.samples.size() - p.indices.size();
  if (req.output.empty()) {
    std::cout << out.str();
  } else {
    write_text_atomically(req.output, out.str());
    spdlog::info("wrote {} predictions to {}", set.samples.size(), req.output);
  }
  if (failed > 0) spdlog::warn("{} image(s) could not be read (marked in the output)", failed);
  return 0;
}

}  // namespace alloyml::tasks
