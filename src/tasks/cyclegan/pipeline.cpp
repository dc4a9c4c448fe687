// The CycleGAN pipeline: training (two unpaired domains -> trainer -> grids and report) and
// translation of labelled image sets from one domain's look to the other's.
#include "alloyml/tasks/cyclegan/pipeline.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/signals.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/image_write.h"
#include "alloyml/data/transforms.h"
#include "alloyml/models/gan_options.h"
#include "alloyml/models/options.h"
#include "alloyml/run/callbacks.h"
#include "alloyml/run/report_page.h"
#include "alloyml/run/summary.h"
#include "gan.h"
#include "alloyml/tasks/cyclegan/options.h"
#include "alloyml/tasks/runtime_flags.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {
namespace {

// Every image of a domain, unlabelled (labels of a domain are never read).
data::ImageSet domain_images(const std::string& source, const std::string& key, const std::string& where) {
  data::ImageSet set;
  set.source = source;
  try {
    for (auto& p : data::list_images(source)) set.samples.push_back({p, -1});
  } catch (const InputError& e) {
    throw InputError(where + ": " + key + ": " + e.what());
  }
  return set;
}

CycleGanSetup setup_of(const CycleGanOptions& o, const std::string& device, const std::string& precision) {
  CycleGanSetup s;
  s.generator = o.generator;
  s.discriminator = o.discriminator;
  s.g = o.g;
  s.d = o.d;
  s.lambda_cycle = o.lambda_cycle;
  s.lambda_identity = o.lambda_identity;
  s.pool_size = o.pool_size;
  s.optim = o.optim;
  s.device = device;
  s.precision = precision;
  s.seed = o.seed;
  return s;
}

// `n` images spread evenly over a set (sorted by path, so over its classes), unaugmented, as one
// batch: the grid's fixed examples.
data::Batch grid_images(const data::ImageSet& set, const data::DataOptions& d, size_t n,
                        std::shared_ptr<data::ImageCache> cache, std::shared_ptr<ThreadPool> pool) {
  std::vector<size_t> idx;
  const size_t total = set.samples.size();
  for (size_t k = 0; k < std::min(n, total); ++k) {
    const size_t i = k * total / std::min(n, total);
    if (!cache->failed(i)) idx.push_back(i);
  }
  data::Batch b;
  if (idx.empty()) return b;
  data::ImageLoader loader(set, idx, d, static_cast<int>(idx.size()), false, 0, cache, pool);
  loader.start_epoch(0);
  loader.next(b);
  return b;
}

void write_cyclegan_report(const RunPaths& paths, const Json& summary, int epochs) {
  run::ReportPage page(paths, summary.value("name", std::string("cyclegan")));
  page.paragraph("CycleGAN (Zhu et al. 2017): generators <b>" + run::html_escape(summary.value("generator", std::string("?"))) +
                 "</b> (" + std::to_string(summary.value("generator_parameters", 0)) + " parameters each), discriminators <b>" +
                 run::html_escape(summary.value("discriminator", std::string("?"))) + "</b> (" +
                 std::to_string(summary.value("discriminator_parameters", 0)) + " parameters each), " +
                 std::to_string(summary.value("images_a", 0)) + " images of domain A and " +
                 std::to_string(summary.value("images_b", 0)) + " of domain B.");
  page.runtime_note(summary);
  page.heading("Losses per epoch");
  page.paragraph("g_ab and g_ba: each generator's least-squares loss against the discriminator of its output domain "
                 "(1 when the discriminator is sure the images are fake, 0 when it takes them for real); d_a and d_b: "
                 "the discriminators of domains A and B (0.25 at the equilibrium where they cannot tell). Cycle and "
                 "identity losses are mean absolute differences in [-1, 1] pixel units, before their weights.");
  page.metric_chart({"train_loss_g_ab", "train_loss_g_ba", "train_loss_d_a", "train_loss_d_b"}, "gan_losses.png",
                    "Adversarial losses (LSGAN)", "loss");
  page.metric_chart({"train_loss_cycle_a", "train_loss_cycle_b", "train_loss_identity_a", "train_loss_identity_b"},
                    "cycle_losses.png", "Cycle and identity losses (L1)", "loss");
  page.metric_chart({"lr"}, "lr.png", "Learning rate", "lr");
  page.heading("Translations per epoch");
  std::string imgs;
  for (int e = epochs; e >= 1; --e) {
    char name[32];
    std::snprintf(name, sizeof name, "grids/epoch_%03d.png", e);
    if (!fs::exists(fs::path(paths.dir) / name)) continue;
    imgs += "<p>Epoch " + std::to_string(e) + "<br><img src=\"" + name + "\" alt=\"epoch " + std::to_string(e) + "\"></p>\n";
  }
  page.html(imgs.empty() ? "<p>No grids (output.grid_images is 0).</p>\n" : imgs);
  page.write(summary);
}

int train_cyclegan(const CycleGanOptions& o, const TrainContext& ctx) {
  const train::ResolvedRuntime runtime = *ctx.facts.runtime;
  const data::ImageSet a = domain_images(o.domain_a, "data.domain_a", ctx.source);
  const data::ImageSet b = domain_images(o.domain_b, "data.domain_b", ctx.source);
  auto pool = std::make_shared<ThreadPool>(static_cast<size_t>(o.data.workers));
  auto cache_a = std::make_shared<data::ImageCache>(a, o.data), cache_b = std::make_shared<data::ImageCache>(b, o.data);
  auto all = [](const data::ImageSet& s) {
    std::vector<size_t> v(s.samples.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = i;
    return v;
  };
  if (o.data.cache) {
    cache_a->preload(all(a), *pool, !ctx.quiet);
    cache_b->preload(all(b), *pool, !ctx.quiet);
  }
  const int bs = o.train.batch_size;
  // Different seeds for the two domains' orders, so no A image is paired with the same B image every epoch.
  data::ImageLoader loader_a(a, all(a), o.data, bs, true, o.seed, cache_a, pool);
  data::ImageLoader loader_b(b, all(b), o.data, bs, true, o.seed ^ 0xB0B0B0B0ULL, cache_b, pool);

  CycleGanSetup setup = setup_of(o, runtime.device, runtime.precision);
  setup.grid_dir = o.grid_images > 0 ? ctx.paths.dir + "/grids" : "";
  data::DataOptions plain = o.data;
  plain.transform.augment = data::AugmentOptions{};
  Json model;
  model["generator"] = o.generator;
  model["discriminator"] = o.discriminator;
  model["input_size"] = o.data.transform.size;
  model["channels"] = o.data.transform.channels;
  model["normalization"] = {{"scaling", "range"}, {"mean", o.data.transform.mean}, {"std", o.data.transform.std}};
  model["domain_a"] = o.domain_a;
  model["domain_b"] = o.domain_b;
  run::write_model_json(ctx.paths, kCycleGanTask, model);

  auto task = make_cyclegan_task(setup, loader_a, loader_b,
                                 grid_images(a, plain, static_cast<size_t>(o.grid_images), cache_a, pool),
                                 grid_images(b, plain, static_cast<size_t>(o.grid_images), cache_b, pool));
  spdlog::info("CycleGAN: {} images of A ({}), {} of B ({}), {} steps per epoch", a.samples.size(), o.domain_a,
               b.samples.size(), o.domain_b, task->steps_per_epoch());
  if (o.data.transform.channels == 1 && o.g.norm == "instance" && o.g.stem_norm)
    spdlog::warn("grey images and instance norm after the generators' stem: the generators cannot see an image's "
                 "brightness or contrast, so they cannot carry a camera's gamma or contrast across (model.norm "
                 "\"batch\" or model.stem_norm false can; docs/methods.md)");
  const auto trained = run::run_training(*task, ctx.paths, o.train, o.schedule, ctx.quiet, ctx.resume);

  Json summary;
  summary["name"] = o.name;
  summary["generator"] = o.generator;
  summary["discriminator"] = o.discriminator;
  summary["generator_parameters"] = generator_parameters(setup);
  summary["discriminator_parameters"] = discriminator_parameters(setup);
  summary["images_a"] = a.samples.size();
  summary["images_b"] = b.samples.size();
  summary["epochs_completed"] = trained.state.epoch;
  summary["checkpoint"] = "last.pt";
  summary["last_epoch"] = trained.state.epoch_metrics;
  std::vector<std::string> skipped = cache_a->failed_paths();
  for (auto& p : cache_b->failed_paths()) skipped.push_back(p);
  summary["skipped_images"] = skipped.size();
  summary["skipped"] = skipped;
  summary["train_images_per_s"] = trained.items_per_second;
  summary = run::write_summary(ctx.paths, summary, ctx.facts);
  if (o.report) write_cyclegan_report(ctx.paths, summary, o.train.epochs);
  if (!skipped.empty()) spdlog::warn("{} unreadable image(s) were skipped (listed in summary.json)", skipped.size());
  std::cout << "CycleGAN trained in " << ctx.paths.dir << "; translate with: alloyml-augment cyclegan-translate --run "
            << ctx.paths.dir << " --input SRC --output DIR --direction AtoB\n";
  spdlog::info("done in {:.0f} s; run directory {}", summary["wall_time_s"].get<double>(), ctx.paths.dir);
  return 0;
}

struct TranslateRequest {
  std::string run_dir, input, output, direction = "AtoB";
  int batch_size = 8;
  CommonFlags common;
};

int run_translate(const TranslateRequest& req) {
  init_logging(req.common.quiet);
  const Run run = run::open_run(req.run_dir);
  if (run.task() != kCycleGanTask)
    throw InputError(req.run_dir + " is a '" + run.task() + "' run; cyclegan-translate needs a CycleGAN run");
  const CycleGanOptions o = cyclegan_options(cyclegan_schema().resolve(run.config, run.paths.config()));
  const bool a_to_b = req.direction == "AtoB";
  const train::ResolvedRuntime rt = train::apply_runtime(runtime_for(run, req.common));
  CycleGanSetup setup = setup_of(o, rt.device, rt.precision);
  Translator translator(setup, run.checkpoint(), a_to_b);
  const auto plan = data::mirror_paths(req.input, req.output);
  data::TransformOptions t = o.data.transform;
  t.resize = 0;  // the whole image, resized in and back out
  t.augment = data::AugmentOptions{};
  const int side = t.size, c = t.channels;
  Progress progress("translating " + req.direction, static_cast<long>(plan.size()), "img", stderr_is_terminal(), 10.0,
                    !req.common.quiet);
  std::vector<std::string> skipped;
  std::mt19937_64 rng(0);
  const auto t0 = std::chrono::steady_clock::now();
  long done = 0, written = 0;
  for (size_t start = 0; start < plan.size(); start += static_cast<size_t>(req.batch_size)) {
    const size_t end = std::min(plan.size(), start + static_cast<size_t>(req.batch_size));
    data::Batch batch;
    batch.c = c, batch.h = side, batch.w = side;
    std::vector<size_t> items;
    std::vector<cv::Size> sizes;
    for (size_t i = start; i < end; ++i) {
      std::string problem;
      const cv::Mat img = data::decode_image(plan[i].first, c, &problem);
      if (img.empty()) {
        spdlog::warn("{}: skipped, cannot read this image ({})", plan[i].first, problem);
        skipped.push_back(plan[i].first);
        continue;
      }
      batch.images.resize(batch.images.size() + static_cast<size_t>(c * side * side));
      data::to_model_input(data::resize_for_model(img, t), t, false, rng,
                           batch.images.data() + batch.images.size() - static_cast<size_t>(c * side * side));
      items.push_back(i);
      sizes.push_back(img.size());
    }
    batch.n = static_cast<int>(items.size());
    if (batch.n > 0) {
      const auto out = translator.translate(batch);
      for (size_t k = 0; k < items.size(); ++k) {
        cv::Mat m = out[k];
        if (m.size() != sizes[k]) cv::resize(m, m, sizes[k], 0, 0, cv::INTER_CUBIC);
        if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_RGB2BGR);
        const fs::path dst(plan[items[k]].second);
        fs::create_directories(dst.parent_path());
        data::write_image(dst.string(), m);
        ++written;
      }
    }
    done += static_cast<long>(end - start);
    progress.update(done, static_cast<long>(end - start), "");
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (written == 0) throw InputError(req.input + ": none of its " + std::to_string(plan.size()) + " images could be read");
  std::cout << "translated " << written << " images " << (a_to_b ? "A->B" : "B->A") << " into " << req.output << " in "
            << fixed(seconds, 1) << " s (" << fixed(written / std::max(seconds, 1e-9), 1) << " images/s, decoding and writing included)";
  if (!skipped.empty()) std::cout << "; " << skipped.size() << " unreadable image(s) skipped";
  std::cout << "\n";
  return 0;
}

class CycleGanPipeline : public TypedPipeline<CycleGanOptions> {
 public:
  std::string task() const override { return kCycleGanTask; }
  std::string title() const override {
    return "Task \"cyclegan\" (unpaired translation between two image domains, Zhu et al. 2017)";
  }
  const config::Schema& schema() const override { return cyclegan_schema(); }
  void check(const Json& resolved, const std::string& source) const override { check_cyclegan_config(resolved, source); }
  std::string list_models() const override {
    std::string out;
    for (const auto& n : models::generator_names()) out += n + "  " + models::model_description(n) + "\n";
    for (const auto& n : models::discriminator_names()) out += n + "  " + models::model_description(n) + "\n";
    return out;
  }
  std::vector<CommandSpec> augment_commands() const override;

 protected:
  CycleGanOptions options(const Json& resolved) const override { return cyclegan_options(resolved); }
  int train_with(const CycleGanOptions& o, const TrainContext& ctx) const override { return train_cyclegan(o, ctx); }
  int eval_with(const CycleGanOptions&, const Run& run, const EvalRequest&) const override {
    throw InputError(run.paths.dir + " is a CycleGAN run: it translates images (alloyml-augment cyclegan-translate --run " +
                     run.paths.dir + "), it is not evaluated; evaluate a classifier trained on its translations");
  }
  int predict_with(const CycleGanOptions&, const Run& run, const PredictRequest&) const override {
    throw InputError(run.paths.dir + " is a CycleGAN run: translate images with alloyml-augment cyclegan-translate --run " +
                     run.paths.dir);
  }
};

std::vector<CommandSpec> CycleGanPipeline::augment_commands() const {
  CommandSpec train{"cyclegan-train",
                    "train a CycleGAN between two unpaired image domains (data.domain_a, data.domain_b; Zhu et al. 2017)",
                    {OptionSpec("--config,-c", "JSON config (configs/cyclegan/cpu.json)").existing_file(),
                     OptionSpec("--out,-o", "run directory (default: output.dir, else runs/<name>)"),
                     OptionSpec("--set", "override a config key: --set train.epochs=5").repeatable(),
                     OptionSpec("--resume", "continue the run in --out from checkpoints/last.pt").flag()},
                    [](const OptionValues& v, const CommonFlags& common) {
                      TrainRequest r;
                      r.config_path = v.has("config") ? v.text("config") : "";
                      r.out_dir = v.has("out") ? v.text("out") : "";
                      r.overrides = v.list("set");
                      r.resume = v.flag("resume");
                      r.common = common;
                      if (!r.config_path.empty()) {
                        const Json user = load_user_config(r.config_path);
                        if (user.value("task", std::string()) != kCycleGanTask)
                          throw InputError(r.config_path + ": cyclegan-train needs a config with \"task\": \"cyclegan\"");
                      }
                      return run_train(r);
                    }};
  const TranslateRequest d;
  CommandSpec translate{
      "cyclegan-translate",
      "translate images with a trained CycleGAN, keeping their labels (class folders and NEU-style names), at their own size",
      {OptionSpec("--run,-r", "a CycleGAN run directory").required().existing_directory(),
       OptionSpec("--input,-i", "an image, a folder (its tree is mirrored) or a CSV manifest (written per label)").required().existing_path(),
       OptionSpec("--output,-o", "output folder").required(),
       OptionSpec("--direction,-d", "AtoB or BtoA").text(d.direction).one_of({"AtoB", "BtoA"}),
       OptionSpec("--batch-size", "images per forward pass").integer(d.batch_size).range(1, 4096)},
      [](const OptionValues& v, const CommonFlags& common) {
        TranslateRequest r;
        r.run_dir = v.text("run");
        r.input = v.text("input");
        r.output = v.text("output");
        r.direction = v.text("direction");
        r.batch_size = static_cast<int>(v.integer("batch-size"));
        r.common = common;
        return run_translate(r);
      }};
  return {train, translate};
}

}  // namespace

std::unique_ptr<Pipeline> make_cyclegan_pipeline() { return std::make_unique<CycleGanPipeline>(); }

}  // namespace alloyml::tasks
