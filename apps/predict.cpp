// alloyml-predict --run RUN_DIR --input FILE|FOLDER|CSV [--output FILE.csv|.jsonl] [--topk K] [--logits]
#include "app_common.h"

int main(int argc, char** argv) {
  CLI::App app{"Classify images with a trained run; writes CSV (path,label,score,top-k) or JSONL with logits."};
  app.option_defaults()->always_capture_default();
  alloyml::tasks::PredictRequest req;
  app.add_option("--run,-r", req.run_dir, "run directory written by alloyml-train")->required()->check(CLI::ExistingDirectory);
  app.add_option("--input,-i", req.input, "an image, a folder (searched recursively) or a CSV with a path column")
      ->required()
      ->check(CLI::ExistingPath);
  app.add_option("--output,-o", req.output, "output .csv or .jsonl (default: CSV on standard output)");
  app.add_option("--topk,-k", req.topk, "ranked labels per image")->check(CLI::Range(1, 1000));
  app.add_flag("--logits", req.logits, "write JSONL with the raw logits");
  alloyml::apps::add_common_flags(app, req.common);
  return alloyml::apps::run_app(app, argc, argv, [&] { return alloyml::tasks::run_predict(req); });
}
