// The pretraining pipeline: unlabelled images from several sources -> two views each -> MoCo v2
// (moco.cpp) -> RUN/backbone.pth, with the k-NN probe of the embedding on a labelled set each few
// epochs, the summary and the report. alloyml-eval --data probes a run's backbone on other images.
#include "alloyml/tasks/pretrain/pipeline.h"

#include <filesystem>
#include <iostream>
#include <numeric>
#include <set>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/split.h"
#include "alloyml/run/callbacks.h"
#include "alloyml/run/report_page.h"
#include "alloyml/run/summary.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/pretrain/options.h"
#include "alloyml/tasks/runtime_flags.h"
#include "moco.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

constexpr const char* kBackboneFile = "backbone.pth";

bool is_csv(const std::string& path) { return lower_extension(path) == ".csv"; }

// Every sample of `set` that can be read: all of them decoded into `cache` first when `preload`
// (unreadable ones are then known and left out), else all (the loader skips what fails).
std::vector<size_t> readable_samples(const data::ImageSet& set, data::ImageCache& cache, ThreadPool& pool, bool preload,
                                     bool show_progress) {
  std::vector<size_t> all(set.samples.size());
  std::iota(all.begin(), all.end(), size_t{0});
  if (!preload) return all;
  cache.preload(all, pool, show_progress);
  std::vector<size_t> readable;
  for (size_t i : all)
    if (!cache.failed(i)) readable.push_back(i);
  return readable;
}

// The union of the sources' images (each once), unlabelled, with their scales where a manifest
// gives them (data.scale_column).
data::ImageSet unlabelled_images(const PretrainOptions& o, const std::string& where) {
  data::ImageSet set;
  set.source = join(o.sources);
  std::set<std::string> seen;
  for (const auto& source : o.sources) {
    data::ImageSet part;
    part.source = source;
    try {
      for (auto& p : data::list_images(source))
        if (seen.insert(fs::weakly_canonical(p).string()).second) part.samples.push_back({p, -1});
      if (!o.data.scale_column.empty() && is_csv(source)) data::read_scales(part, source, o.data.scale_column);
    } catch (const InputError& e) {
      throw InputError(where + ": data.sources: " + e.what());
    }
    if (part.samples.empty()) spdlog::warn("{}: no new images (every one is already in an earlier source)", source);
    set.samples.insert(set.samples.end(), part.samples.begin(), part.samples.end());
  }
  if (o.data.transform.um_per_px > 0) data::require_scales(set, "data.scale_column (" + o.data.scale_column + ")");
  return set;
}

// The probe's loader options: the input section without augmentation.
data::DataOptions probe_data(const PretrainOptions& o) {
  data::DataOptions d = o.data;
  d.transform.augment = data::AugmentOptions{};
  d.transform.test_time = "none";
  return d;
}

// A labelled set for the k-NN probe, with its groups, its cache and loader.
struct Probe {
  data::ImageSet set;
  std::shared_ptr<data::ImageCache> cache;
  std::unique_ptr<data::ImageLoader> loader;
  ProbeSet probe;
};

std::unique_ptr<Probe> make_probe(const PretrainOptions& o, const std::string& source, const std::string& group_by,
                                  std::shared_ptr<ThreadPool> pool, bool show_progress) {
  auto p = std::make_unique<Probe>();
  const data::DataOptions d = probe_data(o);
  data::DataOptions layout;  // labels by the default layout (class folders, NEU names or a manifest)
  p->set = data::discover_images(source, layout);
  if (!o.data.scale_column.empty() && is_csv(source)) data::read_scales(p->set, source, o.data.scale_column);
  if (o.data.transform.um_per_px > 0) data::require_scales(p->set, "data.scale_column (" + o.data.scale_column + ")");
  p->cache = std::make_shared<data::ImageCache>(p->set, d);
  const std::vector<size_t> readable = readable_samples(p->set, *p->cache, *pool, true, show_progress);
  p->loader = std::make_unique<data::ImageLoader>(p->set, readable, d, 32, false, 0, p->cache, pool);
  p->probe.loader = p->loader.get();
  for (const auto& s : p->set.samples) p->probe.labels.push_back(s.label);
  p->probe.groups = data::split_groups(p->set, group_by);
  p->probe.class_names = p->set.class_names;
  p->probe.k = o.probe.k;
  p->probe.temperature = o.probe.temperature;
  return p;
}

MocoSetup setup_of(const PretrainOptions& o, const std::string& device, const std::string& precision) {
  MocoSetup s;
  s.model = o.model;
  s.moco = o.moco;
  s.optim = o.optim;
  s.device = device;
  s.precision = precision;
  s.seed = o.seed;
  return s;
}

Json probe_json(const ProbeResult& r, const std::vector<std::string>& classes) {
  Json j{{"accuracy", r.accuracy}, {"macro_f1", r.macro_f1}, {"images", r.images}};
  Json recall = Json::object();
  for (size_t c = 0; c < classes.size() && c < r.recall.size(); ++c) recall[classes[c]] = r.recall[c];
  j["recall"] = recall;
  return j;
}

void write_pretrain_report(const RunPaths& paths, const Json& summary) {
  run::ReportPage page(paths, summary.value("name", std::string("pretrain")));
  page.paragraph("Self-supervised pretraining by momentum contrast (MoCo v2; He et al. 2020, Chen et al. 2020) of a <b>" +
                 run::html_escape(summary.value("model", std::string("?"))) + "</b> backbone (" +
                 std::to_string(summary.value("backbone_parameters", 0)) + " parameters, " +
                 std::to_string(summary.value("embedding_width", 0)) + "-wide embedding) on " +
                 std::to_string(summary.value("images", 0)) + " unlabelled images. The backbone is <code>" + kBackboneFile +
                 "</code>: set <code>model.pretrained</code> of a classifier to it.");
  page.runtime_note(summary);
  page.heading("Contrastive loss");
  page.paragraph("InfoNCE over the positive key and the queue's negatives (lower is better; log(1 + queue) at chance). "
                 "Instance accuracy: the share of images whose other view is the most similar of all keys. The first "
                 "epoch's queue still holds the random keys it starts with, easy negatives: its loss is low and its "
                 "accuracy high until real keys replace them.");
  page.metric_chart({"train_loss"}, "loss.png", "InfoNCE loss", "loss");
  page.metric_chart({"train_accuracy"}, "instance_accuracy.png", "Instance discrimination accuracy", "accuracy");
  if (summary.contains("probe")) {
    page.heading("k-NN probe of the embedding");
    const Json& p = summary["probe"];
    std::string text = "Each labelled image of <code>" + run::html_escape(p.value("data", std::string())) +
                       "</code> classified by the vote of its " + std::to_string(p.value("k", 0)) +
                       " most similar images";
    text += p.value("group_by", std::string()).empty()
                ? " (itself left out)."
                : " of other groups (<code>" + run::html_escape(p["group_by"].get<std::string>()) +
                      "</code>: an image never votes for one of its own specimen).";
    if (p.contains("at_init"))
      text += " Before pretraining (random weights): accuracy " + fixed(p["at_init"]["accuracy"].get<double>(), 3) +
              ", macro-F1 " + fixed(p["at_init"]["macro_f1"].get<double>(), 3) + ".";
    page.paragraph(text);
    page.metric_chart({"val_knn_accuracy", "val_knn_macro_f1"}, "knn_probe.png", "k-NN probe", "score");
  }
  page.metric_chart({"lr"}, "lr.png", "Learning rate", "lr");
  page.write(summary);
}

int train_pretrain(const PretrainOptions& o, const TrainContext& ctx) {
  const train::ResolvedRuntime runtime = *ctx.facts.runtime;
  const data::ImageSet images = unlabelled_images(o, ctx.source);
  if (images.samples.empty()) throw InputError(ctx.source + ": data.sources hold no images (" + join(o.sources) + ")");
  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(o.data.workers));
  auto cache = std::make_shared<data::ImageCache>(images, o.data);
  const std::vector<size_t> readable = readable_samples(images, *cache, *pool, o.data.cache, !ctx.quiet);
  if (readable.size() < static_cast<size_t>(o.train.batch_size))
    throw InputError(ctx.source + ": " + std::to_string(readable.size()) + " readable images, fewer than one batch (" +
                     "train.batch_size " + std::to_string(o.train.batch_size) + "); add images or lower the batch");
  if (static_cast<size_t>(o.moco.queue) >= readable.size())
    spdlog::warn("moco.queue ({}) is not below the number of images ({}): the queue holds older keys of the very images "
                 "its queries come from, as negatives; a queue of about {} keys avoids that",
                 o.moco.queue, readable.size(), std::max<size_t>(16, readable.size() * 3 / 4 / o.train.batch_size * o.train.batch_size));
  data::ImageLoader views(images, readable, o.data, o.train.batch_size, true, o.seed, cache, pool);
  views.set_views(2);

  std::unique_ptr<Probe> probe;
  if (!o.probe.data.empty()) {
    try {
      probe = make_probe(o, o.probe.data, o.probe.group_by, pool, !ctx.quiet);
    } catch (const InputError& e) {
      throw InputError(ctx.source + ": probe.data: " + e.what());
    }
  }

  Json model;
  model["model"] = to_json(o.model);
  model["input_size"] = o.data.transform.size;
  model["channels"] = o.data.transform.channels;
  model["normalization"] = {{"scaling", o.data.transform.scaling}, {"mean", o.data.transform.mean}, {"std", o.data.transform.std}};
  if (o.data.transform.um_per_px > 0) model["um_per_px"] = o.data.transform.um_per_px;
  model["backbone"] = kBackboneFile;
  run::write_model_json(ctx.paths, kPretrainTask, model);

  auto task = make_moco_task(setup_of(o, runtime.device, runtime.precision), &views, probe ? &probe->probe : nullptr,
                             o.probe.every, o.train.epochs);
  spdlog::info("MoCo v2: {} images from {} source(s), {} steps of {} images per epoch, {} backbone ({} parameters)",
               readable.size(), o.sources.size(), task->task().steps_per_epoch(), o.train.batch_size, o.model.name,
               task->backbone_parameters());
  // The embedding before any pretraining, for the report (the same seed gives the same weights on resume).
  ProbeResult at_init;
  if (probe) {
    at_init = task->probe(probe->probe);
    spdlog::info("k-NN probe before pretraining: accuracy {:.3f}, macro-F1 {:.3f} ({} images)", at_init.accuracy,
                 at_init.macro_f1, at_init.images);
  }
  const auto trained = run::run_training(task->task(), ctx.paths, o.train, o.schedule, ctx.quiet, ctx.resume);
  const std::string backbone = ctx.paths.dir + "/" + kBackboneFile;
  task->write_backbone(backbone);

  Json summary;
  summary["name"] = o.name;
  summary["model"] = o.model.name;
  summary["method"] = "MoCo v2";
  summary["backbone"] = kBackboneFile;
  summary["backbone_parameters"] = task->backbone_parameters();
  summary["embedding_width"] = task->embedding_width();
  summary["images"] = readable.size();
  summary["sources"] = o.sources;
  summary["epochs_completed"] = trained.state.epoch;
  summary["checkpoint"] = "last.pt";
  summary["last_epoch"] = trained.state.epoch_metrics;
  const auto skipped = cache->failed_paths();
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary["train_images_per_s"] = trained.items_per_second;
  if (probe) {
    Json p{{"data", o.probe.data}, {"group_by", o.probe.group_by}, {"k", o.probe.k}, {"images", at_init.images}};
    p["at_init"] = probe_json(at_init, probe->probe.class_names);
    summary["probe"] = p;
  }
  summary = run::write_summary(ctx.paths, summary, ctx.facts);
  if (o.report) write_pretrain_report(ctx.paths, summary);
  if (!skipped.empty()) spdlog::warn("{} unreadable image(s) were skipped (listed in summary.json)", skipped.size());
  std::cout << "backbone written to " << backbone << "; fine-tune a classifier from it with --set model.pretrained="
            << backbone << " (model.name " << o.model.name << ", model.width " << o.model.width << ", input.channels "
            << o.data.transform.channels << ")\n";
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), ctx.paths.dir);
  return 0;
}

// alloyml-eval of a pretraining run: the k-NN probe of its backbone on a labelled set.
int eval_pretrain(const PretrainOptions& o, const Run& run, const EvalRequest& req) {
  const std::string source = !req.data.empty() ? req.data : o.probe.data;
  if (source.empty())
    throw InputError(run.paths.dir + " is a pretraining run: give labelled images to probe its embedding with --data "
                                     "(a folder of class folders or a CSV manifest)");
  const train::ResolvedRuntime rt = train::apply_runtime(runtime_for(run, req.common));
  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(o.data.workers));
  const std::string group_by = source == o.probe.data ? o.probe.group_by : "";
  std::unique_ptr<Probe> probe;
  try {
    probe = make_probe(o, source, group_by, pool, !req.common.quiet);
  } catch (const InputError& e) {
    throw InputError("--data " + source + ": " + e.what());
  }
  auto task = make_moco_task(setup_of(o, rt.device, rt.precision), nullptr, nullptr, o.probe.every, o.train.epochs);
  task->task().load_checkpoint(run.checkpoint());
  const ProbeResult r = task->probe(probe->probe);
  Json j = probe_json(r, probe->probe.class_names);
  j["data"] = source;
  j["group_by"] = group_by;
  j["k"] = o.probe.k;
  j["skipped"] = probe->cache->failed_paths().size();
  const std::string label = fs::path(source).stem().string();
  const std::string out = req.out_path.empty() ? run.paths.dir + "/eval_knn_" + label + ".json" : req.out_path;
  config::write_json_file(out, j);
  std::cout << "k-NN probe (k " << o.probe.k << (group_by.empty() ? "" : ", no votes within a " + group_by) << ") on "
            << r.images << " images of " << source << ": accuracy " << fixed(r.accuracy, 3) << ", macro-F1 "
            << fixed(r.macro_f1, 3) << "\nwritten to " << out << "\n";
  return 0;
}

class PretrainPipeline : public TypedPipeline<PretrainOptions> {
 public:
  std::string task() const override { return kPretrainTask; }
  std::string title() const override {
    return "Task \"pretrain\" (a backbone from unlabelled images by momentum contrast, MoCo v2, He et al. 2020)";
  }
  const config::Schema& schema() const override { return pretrain_schema(); }
  void check(const Json& resolved, const std::string& source) const override { check_pretrain_config(resolved, source); }

 protected:
  PretrainOptions options(const Json& resolved) const override { return pretrain_options(resolved); }
  int train_with(const PretrainOptions& o, const TrainContext& ctx) const override { return train_pretrain(o, ctx); }
  int eval_with(const PretrainOptions& o, const Run& run, const EvalRequest& req) const override {
    return eval_pretrain(o, run, req);
  }
  int predict_with(const PretrainOptions&, const Run& run, const PredictRequest&) const override {
    throw InputError(run.paths.dir + " is a pretraining run: it gives a backbone (" + run.paths.dir + "/" + kBackboneFile +
                     "), not predictions; fine-tune a classifier from it with --set model.pretrained=" + run.paths.dir +
                     "/" + kBackboneFile);
  }
};

}  // namespace

std::unique_ptr<Pipeline> make_pretrain_pipeline() { return std::make_unique<PretrainPipeline>(); }

}  // namespace alloyml::tasks
