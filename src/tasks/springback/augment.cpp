// alloyml-augment springback: synthetic straightening records or recovery curves.
#include <filesystem>
#include <iostream>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/data/springback.h"
#include "alloyml/tasks/springback/pipeline.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

struct SpringbackSynthRequest {
  std::string output;          ///< CSV to write
  int rows = 240;
  std::uint64_t seed = 0;
  bool straightness = false;   ///< add deflection, tolerance and final deflection columns
  double tolerance_mm = 0.05;
  bool curves = false;         ///< write recovery curves (shaft,time_h,springback_mm) instead of records
  int shafts = 8;              ///< with curves: shafts
  double hours = 4.0;          ///< with curves: readings from unloading to this time
  int points = 25;             ///< with curves: readings per shaft after t = 0
  std::string law = "kelvin";  ///< with curves: kelvin or kelvin2
  CommonFlags common;
};

int run_springback_synth(const SpringbackSynthRequest& req) {
  init_logging(req.common.quiet);
  if (req.rows < 1) throw InputError("--rows must be at least 1");
  data::SpringbackSynthOptions o;
  o.rows = req.rows;
  o.seed = req.seed;
  o.straightness = req.straightness;
  o.tolerance_mm = req.tolerance_mm;
  const auto parent = fs::path(req.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  if (req.curves) {
    data::RecoveryCurveOptions c;
    c.shafts = req.shafts;
    c.hours = req.hours;
    c.points = req.points;
    c.law = req.law;
    c.seed = req.seed;
    data::write_recovery_curves(req.output, c);
    std::cout << "wrote the recovery curves of " << req.shafts << " shafts (" << req.points + 1 << " readings over "
              << req.hours << " h, " << req.law << " law) to " << req.output << "\n";
    return 0;
  }
  data::write_springback_csv(req.output, o);
  std::cout << "wrote " << req.rows << " synthetic straightening records to " << req.output << "\n";
  return 0;
}

}  // namespace

CommandSpec springback_synth_command() {
  const SpringbackSynthRequest d;
  return {"springback",
          "write synthetic straightening records (Kelvin-model springback of 304 hexagonal shafts; "
          "data/springback/README.md)",
          {OptionSpec("--output,-o", "CSV to write").required(),
           OptionSpec("--rows,-n", "records").integer(d.rows).range(1, 10000000),
           OptionSpec("--seed", "generator seed").integer(static_cast<long>(d.seed)).range(0, {}),
           OptionSpec("--straightness",
                      "add initial, after-unloading and after-saturation deflections and a tolerance (for predict)")
               .flag(),
           OptionSpec("--tolerance", "straightness tolerance written with --straightness (mm)").number(d.tolerance_mm).positive(),
           OptionSpec("--curves",
                      "write recovery curves instead (shaft,time_h,springback_mm: readings after unloading, as the paper "
                      "measured them for 4 h), for springback-saturation")
               .flag(),
           OptionSpec("--shafts", "with --curves: shafts").integer(d.shafts).range(1, 1000000),
           OptionSpec("--hours", "with --curves: readings up to this time (h)").number(d.hours).positive(),
           OptionSpec("--points", "with --curves: readings per shaft after t = 0").integer(d.points).range(1, 1000000),
           OptionSpec("--law", "with --curves: kelvin (one element) or kelvin2 (a fast and a slow element)")
               .text(d.law)
               .one_of({"kelvin", "kelvin2"})},
          [](const OptionValues& v, const CommonFlags& common) {
            SpringbackSynthRequest r;
            r.output = v.text("output");
            r.rows = static_cast<int>(v.integer("rows"));
            r.seed = static_cast<std::uint64_t>(v.integer("seed"));
            r.straightness = v.flag("straightness");
            r.tolerance_mm = v.number("tolerance");
            r.curves = v.flag("curves");
            r.shafts = static_cast<int>(v.integer("shafts"));
            r.hours = v.number("hours");
            r.points = static_cast<int>(v.integer("points"));
            r.law = v.text("law");
            r.common = common;
            return run_springback_synth(r);
          }};
}

}  // namespace alloyml::tasks
