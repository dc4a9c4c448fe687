// alloyml-predict (--run RUN_DIR | --model NAME --weights FILE.pth) --input FILE|FOLDER|CSV [--output F] [--topk K]
#include "app_common.h"

int main(int argc, char** argv) {
  CLI::App app{"Classify images with a trained run; writes CSV (path,label,score,top-k) or JSONL with logits."};
  app.option_defaults()->always_capture_default();
  alloyml::tasks::PredictRequest req;
  auto* run = app.add_option("--run,-r", req.run_dir, "run directory written by alloyml-train")->check(CLI::ExistingDirectory);
  auto* model = app.add_option("--model,-m", req.model, "architecture of --weights (alloyml-train --list-models)");
  auto* weights = app.add_option("--weights,-w", req.weights, "a .pth state dict (torchvision, timm or Cadene names)")
                      ->check(CLI::ExistingFile);
  model->needs(weights);
  weights->needs(model);
  run->excludes(model);
  app.add_option("--export", req.export_pth, "write the run's model as a Python-loadable .pth and exit")->needs(run);
  auto* input = app.add_option("--input,-i", req.input, "an image, a folder (searched recursively) or a CSV with a path column; for a springback run, a CSV of records; "
                                      "for a gfa run, a CSV with a formula column")
                    ->check(CLI::ExistingPath);
  app.add_option("--output,-o", req.output, "output .csv or .jsonl (default: CSV on standard output)");
  // The options of each task (--topk and --logits of image runs, gfa's --formula, ...).
  alloyml::apps::SpecOptions task_options;
  task_options.add(app, alloyml::tasks::predict_option_specs(),
                   [run, weights](CLI::Option* o, const alloyml::tasks::OptionSpec& spec) {
                     if (spec.is_run_only) o->needs(run);
                     if (spec.is_weights_only) o->needs(weights);
                   });
  alloyml::apps::add_common_flags(app, req.common);
  return alloyml::apps::run_app(app, argc, argv, [&] {
    req.task_options = task_options.values();
    if (req.export_pth.empty() && input->count() == 0 && req.task_options.given().empty())
      alloyml::tasks::usage_error("--input is required");
    return alloyml::tasks::run_predict(req);
  });
}
