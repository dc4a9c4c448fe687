// alloyml-augment <preprocess|synth|springback|gfa|composition> ...
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

  alloyml::tasks::CompositionImageRequest img;
  auto* c = app.add_subcommand("composition",
                               "write the composition image of a formula as a PNG (outer product of element fractions "
                               "and its property-weighted channels, as the gfa task sees it)");
  c->add_option("formula", img.formula, "an alloy formula, e.g. Zr41.2Ti13.8Cu12.5Ni10Be22.5")->required();
  c->add_option("--output,-o", img.output, "PNG to write")->required();
  c->add_option("--run,-r", img.run_dir, "use this gfa run's element set and encoding")->check(CLI::ExistingDirectory);
  c->add_option("--kind", img.kind, "without --run: outer_product or periodic_table")
      ->check(CLI::IsMember({"outer_product", "periodic_table"}));
  c->add_option("--properties", img.properties, "without --run: property channels (radius electronegativity vec melting_point)");
  c->add_option("--scale", img.scale, "pixels per cell")->check(CLI::Range(1, 64));

  alloyml::tasks::GfaSynthRequest gsy;
  auto* g = app.add_subcommand("gfa", "write synthetic alloys with a rule-of-thumb Dmax (data/gfa/README.md)");
  g->add_option("--output,-o", gsy.output, "CSV to write (formula,dmax_mm)")->required();
  g->add_option("--rows,-n", gsy.rows, "alloys")->check(CLI::Range(1, 10000000));
  g->add_option("--seed", gsy.seed, "generator seed");

  return alloyml::apps::run_app(app, argc, argv, [&] {
    pre.common = syn.common = spr.common = img.common = gsy.common = common;
    if (*g) return alloyml::tasks::run_gfa_synth(gsy);
    if (*c) return alloyml::tasks::run_composition_image(img);
    if (*p) return alloyml::tasks::run_preprocess(pre);
    if (*b) return alloyml::tasks::run_springback_synth(spr);
    return alloyml::tasks::run_synthesize(syn);
  });
}
