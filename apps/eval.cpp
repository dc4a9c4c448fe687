// alloyml-eval --run RUN_DIR [--data PATH] [--split test] [--out FILE.json] [--ensemble RUN_DIR ...]
#include "app_common.h"

int main(int argc, char** argv) {
  CLI::App app{"Evaluate a trained run on its own split or on a labelled folder/CSV; writes the evaluation JSON."};
  app.option_defaults()->always_capture_default();
  alloyml::tasks::EvalRequest req;
  app.add_option("--run,-r", req.run_dir, "run directory written by alloyml-train")->required()->check(CLI::ExistingDirectory);
  app.add_option("--data,-d", req.data, "evaluate on everything here (folder or CSV) instead of a split")
      ->check(CLI::ExistingPath);
  app.add_option("--split", req.split, "the run's split to evaluate")->check(CLI::IsMember({"train", "val", "test"}));
  app.add_option("--out,-o", req.out_path, "evaluation JSON (default RUN_DIR/eval_<split>.json)");
  app.add_option("--ensemble", req.ensemble,
                 "another run of the same classes (repeatable): the class probabilities of all are averaged")
      ->check(CLI::ExistingDirectory);
  alloyml::apps::add_common_flags(app, req.common);
  return alloyml::apps::run_app(app, argc, argv, [&] { return alloyml::tasks::run_eval(req); });
}
