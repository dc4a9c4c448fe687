// alloyml-augment <preprocess|synth|springback> ...
#include "app_common.h"

int main(int argc, char** argv) {
  CLI::App app{"Image pre-processing and data generation."};
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1);
  app.fallthrough();  // common flags may follow the subcommand
  alloyml::tasks::CommonFlags common;
  alloyml::apps::add_common_flags(app, common);

  alloyml::tasks::PreprocessRequest pre;
  auto* p = app.add_subcommand("preprocess",
                               "bilateral filter, histogram contrast stretch and OTSU mask over a folder "
                               "(Huang et al. 2023, section 3.1.1)");
  p->add_option("--input,-i", pre.input, "image or folder")->required()->check(CLI::ExistingPath);
  p->add_option("--output,-o", pre.output, "output folder (mirrors the input tree, PNG)")->required();
  p->add_option("--diameter", pre.diameter, "bilateral filter neighbourhood (px)")->check(CLI::Range(1, 50));
  p->add_option("--sigma-color", pre.sigma_color, "bilateral filter sigma in intensity");
  p->add_option("--sigma-space", pre.sigma_space, "bilateral filter sigma in space");
  p->add_option("--clip", pre.clip_percent, "percent of each histogram tail clipped by the stretch");
  p->add_flag("!--no-otsu", pre.otsu, "do not write the OTSU masks");

  alloyml::tasks::SynthesizeRequest syn;
  auto* s = app.add_subcommand("synth", "write a synthetic 6-class surface-defect set (NEU style, flat folder)");
  s->add_option("--output,-o", syn.output, "output folder")->required();
  s->add_option("--per-class,-n", syn.per_class, "images per class")->check(CLI::Range(1, 100000));
  s->add_option("--size", syn.size, "image side (px)")->check(CLI::Range(16, 4096));
  s->add_option("--seed", syn.seed, "generator seed");

  alloyml::tasks::SpringbackSynthRequest spr;
  auto* b = app.add_subcommand("springback",
                               "write synthetic straightening records (Kelvin-model springback of 304 hexagonal shafts; "
                               "data/springback/README.md)");
  b->add_option("--output,-o", spr.output, "CSV to write")->required();
  b->add_option("--rows,-n", spr.rows, "records")->check(CLI::Range(1, 10000000));
  b->add_option("--seed", spr.seed, "generator seed");
  b->add_flag("--straightness", spr.straightness,
              "add initial, after-unloading and after-saturation deflections and a tolerance (for predict)");
  b->add_option("--tolerance", spr.tolerance_mm, "straightness tolerance written with --straightness (mm)")
      ->check(CLI::PositiveNumber);

  return alloyml::apps::run_app(app, argc, argv, [&] {
    pre.common = syn.common = spr.common = common;
    if (*p) return alloyml::tasks::run_preprocess(pre);
    if (*b) return alloyml::tasks::run_springback_synth(spr);
    return alloyml::tasks::run_synthesize(syn);
  });
}
