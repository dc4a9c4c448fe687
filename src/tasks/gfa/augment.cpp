// alloyml-augment composition (the image a gfa network sees) and gfa (synthetic alloys).
#include <filesystem>
#include <iostream>

#include <opencv2/core.hpp>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/data/composition.h"
#include "alloyml/data/composition_image.h"
#include "alloyml/data/elements.h"
#include "alloyml/data/gfa_synthetic.h"
#include "alloyml/run/run_dir.h"
#include "encoding.h"
#include "alloyml/tasks/gfa/pipeline.h"
#include "alloyml/vision/plot.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

using run::Run;
using run::open_run;

/// `alloyml-augment composition`: writes the image(s) of one formula as PNGs (one per channel and
/// a colour overview), with the encoding of a trained run or the formula's own elements.
struct CompositionImageRequest {
  std::string formula;
  std::string output;   ///< PNG path
  std::string run_dir;  ///< optional: use this run's element set and encoding
  std::string kind = "outer_product";
  std::vector<std::string> properties;
  int scale = 8;        ///< pixels per cell in the written PNG
  CommonFlags common;
};

struct GfaSynthRequest {
  std::string output;  ///< CSV to write (formula,dmax_mm)
  int rows = 400;
  std::uint64_t seed = 0;
  CommonFlags common;
};

int run_composition_image(const CompositionImageRequest& req) {
  init_logging(req.common.quiet);
  const data::Composition c = data::parse_formula(req.formula);
  data::CompositionEncoding e;
  if (!req.run_dir.empty()) {
    const Run run = open_run(req.run_dir);
    if (!run.model.contains("encoding"))
      throw InputError(req.run_dir + ": not a glass-forming-ability run (model.json has no composition encoding)");
    e = encoding_from_json(run.model.at("encoding"), run.paths.model());
    e.size = 0;  // show the native cells
  } else {
    e.kind = req.kind;
    e.properties = req.properties;
    for (const auto& [z, f] : c.fractions) e.elements.push_back(z);
  }
  const auto img = data::encode_composition(c, e);
  std::vector<std::string> titles{"fractions f_i f_j"};
  for (const auto& p : e.properties) titles.push_back(p);
  std::vector<std::string> axis;
  if (e.kind == "outer_product")
    for (int z : e.elements) axis.push_back(data::element_symbol(z));
  const size_t plane = static_cast<size_t>(e.native_height()) * static_cast<size_t>(e.native_width());
  std::vector<cv::Mat> channels;
  for (int ch = 0; ch < e.channels(); ++ch)
    channels.push_back(cv::Mat(e.native_height(), e.native_width(), CV_32F,
                               const_cast<float*>(img.data()) + static_cast<size_t>(ch) * plane)
                           .clone());
  vision::write_png(req.output, vision::composition_panel(channels, titles, axis, c.to_string(), req.scale));
  std::cout << "wrote " << req.output << " (" << e.channels() << " channel(s), " << e.native_height() << " x "
            << e.native_width() << ", " << e.kind << ")\n";
  return 0;
}

int run_gfa_synth(const GfaSynthRequest& req) {
  init_logging(req.common.quiet);
  const auto parent = fs::path(req.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  data::write_synthetic_alloys(req.output, req.rows, req.seed);
  std::cout << "wrote " << req.rows << " synthetic alloys to " << req.output << "\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> gfa_augment_commands() {
  const CompositionImageRequest c;
  const GfaSynthRequest g;
  CommandSpec composition{
      "composition",
      "write the composition image of a formula as a PNG (outer product of element fractions and its property-weighted "
      "channels, as the gfa task sees it)",
      {OptionSpec("formula", "an alloy formula, e.g. Zr41.2Ti13.8Cu12.5Ni10Be22.5").required(),
       OptionSpec("--output,-o", "PNG to write").required(),
       OptionSpec("--run,-r", "use this gfa run's element set and encoding").existing_directory(),
       OptionSpec("--kind", "without --run: outer_product or periodic_table").text(c.kind).one_of({"outer_product", "periodic_table"}),
       OptionSpec("--properties", "without --run: property channels (radius electronegativity vec melting_point)").repeatable(),
       OptionSpec("--scale", "pixels per cell").integer(c.scale).range(1, 64)},
      [](const OptionValues& v, const CommonFlags& common) {
        CompositionImageRequest r;
        r.formula = v.text("formula");
        r.output = v.text("output");
        if (v.has("run")) r.run_dir = v.text("run");
        r.kind = v.text("kind");
        r.properties = v.list("properties");
        r.scale = static_cast<int>(v.integer("scale"));
        r.common = common;
        return run_composition_image(r);
      }};
  CommandSpec synth{"gfa", "write synthetic alloys with a rule-of-thumb Dmax (data/gfa/README.md)",
                    {OptionSpec("--output,-o", "CSV to write (formula,dmax_mm)").required(),
                     OptionSpec("--rows,-n", "alloys").integer(g.rows).range(1, 10000000),
                     OptionSpec("--seed", "generator seed").integer(static_cast<long>(g.seed)).range(0, {})},
                    [](const OptionValues& v, const CommonFlags& common) {
                      GfaSynthRequest r;
                      r.output = v.text("output");
                      r.rows = static_cast<int>(v.integer("rows"));
                      r.seed = static_cast<std::uint64_t>(v.integer("seed"));
                      r.common = common;
                      return run_gfa_synth(r);
                    }};
  return {synth, composition};
}

}  // namespace alloyml::tasks
