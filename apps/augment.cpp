// alloyml-augment <preprocess|synth|springback|springback-saturation|gfa|composition> ...
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
  b->add_flag("--curves", spr.curves,
              "write recovery curves instead (shaft,time_h,springback_mm: readings after unloading, as the paper "
              "measured them for 4 h), for springback-saturation");
  b->add_option("--shafts", spr.shafts, "with --curves: shafts")->check(CLI::Range(1, 1000000));
  b->add_option("--hours", spr.hours, "with --curves: readings up to this time (h)")->check(CLI::PositiveNumber);
  b->add_option("--points", spr.points, "with --curves: readings per shaft after t = 0")->check(CLI::Range(1, 1000000));
  b->add_option("--law", spr.law, "with --curves: kelvin (one element) or kelvin2 (a fast and a slow element)")
      ->check(CLI::IsMember({"kelvin", "kelvin2"}));

  alloyml::tasks::SaturationRequest sat;
  auto* r = app.add_subcommand("springback-saturation",
                               "fit each shaft's springback recovery curve and write its saturated springback, the "
                               "label of the springback task (straightening paper, section 3.3)");
  r->add_option("--input,-i", sat.input, "CSV of readings: shaft id, time after unloading, springback")
      ->required()
      ->check(CLI::ExistingFile);
  r->add_option("--output,-o", sat.output, "CSV to write: one row per shaft")->required();
  r->add_option("--law", sat.law, "kelvin: a(1-exp(-t/tau)); kelvin2: two such elements; log: a+b ln(1+t/t0)")
      ->check(CLI::IsMember({"kelvin", "kelvin2", "log"}));
  r->add_option("--horizon", sat.horizon,
                "time at which the value is also reported, and where the log law counts as saturated "
                "(unit of the time column; 240 h = 10 days)")
      ->check(CLI::PositiveNumber);
  r->add_option("--plots", sat.plots, "folder for one PNG per shaft (default: <output stem>_plots beside the output)");
  r->add_option("--id-column", sat.id_column, "column of the shaft id");
  r->add_option("--time-column", sat.time_column, "column of the time after unloading");
  r->add_option("--value-column", sat.value_column, "column of the springback (also the output's column name)");

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
    pre.common = syn.common = spr.common = img.common = gsy.common = sat.common = common;
    if (*r) return alloyml::tasks::run_springback_saturation(sat);
    if (*g) return alloyml::tasks::run_gfa_synth(gsy);
    if (*c) return alloyml::tasks::run_composition_image(img);
    if (*p) return alloyml::tasks::run_preprocess(pre);
    if (*b) return alloyml::tasks::run_springback_synth(spr);
    return alloyml::tasks::run_synthesize(syn);
  });
}
