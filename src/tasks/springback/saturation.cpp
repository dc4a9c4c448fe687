// alloyml-augment springback-saturation: the straightening paper's labels (Section 3.3) from the
// readings a user has. Each shaft's recovery curve is fitted with a saturating law; the saturated
// springback is the label the springback configs train on (column springback_mm).
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/classical/saturation.h"
#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/data/tabular.h"
#include "alloyml/tasks/springback/pipeline.h"
#include "alloyml/vision/plot.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

/// `alloyml-augment springback-saturation`: the saturated springback of each shaft from its
/// recovery curve (classical/saturation.h).
struct SaturationRequest {
  std::string input;                     ///< CSV: one row per reading
  std::string output;                    ///< CSV: one row per shaft
  std::string plots;                     ///< folder of one PNG per shaft; empty: <output stem>_plots
  std::string law = "kelvin";            ///< kelvin, kelvin2 or log
  double horizon = 240;                  ///< in the time column's unit (240 h = the paper's 10 days)
  std::string id_column = "shaft";
  std::string time_column = "time_h";
  std::string value_column = "springback_mm";
  CommonFlags common;
};

struct Curve {
  std::string shaft;
  std::vector<double> t, s;
};

// Readings grouped by shaft, in the order shafts first appear; every cell checked (file, row, column).
std::vector<Curve> read_curves(const SaturationRequest& req) {
  const CsvTable table = read_csv(req.input);
  const size_t id = table.column(req.id_column), tc = table.column(req.time_column), vc = table.column(req.value_column);
  if (table.rows.empty()) throw InputError(req.input + ": the table has a header but no rows");
  std::vector<Curve> curves;
  std::map<std::string, size_t> index;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::string shaft = id < table.rows[r].size() ? table.rows[r][id] : "";
    if (shaft.empty())
      throw InputError(req.input + ": row " + std::to_string(r + 1) + " (line " + std::to_string(table.line_numbers[r]) +
                       "), column '" + req.id_column + "' is empty");
    const double t = data::numeric_cell(table, r, tc), v = data::numeric_cell(table, r, vc);
    if (t < 0)
      throw InputError(req.input + ": row " + std::to_string(r + 1) + " (line " + std::to_string(table.line_numbers[r]) +
                       "), column '" + req.time_column + "': a negative time");
    const auto [it, added] = index.emplace(shaft, curves.size());
    if (added) curves.push_back({shaft, {}, {}});
    curves[it->second].t.push_back(t);
    curves[it->second].s.push_back(v);
  }
  return curves;
}

std::string num(double v, int digits = 6) {
  if (!std::isfinite(v)) return "";
  std::ostringstream os;
  os.precision(digits);
  os << v;
  return os.str();
}

cv::Mat plot_curve(const Curve& c, const classical::SaturationFit& f, const SaturationRequest& req) {
  double t_last = 0;
  for (double t : c.t) t_last = std::max(t_last, t);
  const double t_end = std::min(req.horizon, std::max(3 * t_last, std::isfinite(f.t99) ? 1.2 * f.t99 : 0.0));
  vision::Series measured{"readings", c.t, c.s}, fitted{law_name(f.law) + " fit", {}, {}}, level{"saturated", {}, {}};
  for (int i = 0; i <= 200; ++i) {
    const double t = t_end * i / 200;
    fitted.x.push_back(t);
    fitted.y.push_back(f.value(t));
  }
  level.x = {0, t_end};
  level.y = {f.saturated, f.saturated};
  return vision::line_chart({measured, fitted, level},
                            "shaft " + c.shaft + ": saturated " + num(f.saturated, 4) + ", fit RMSE " + num(f.rmse, 2),
                            req.time_column, req.value_column);
}

int run_springback_saturation(const SaturationRequest& req) {
  init_logging(req.common.quiet);
  const auto law = classical::saturation_law(req.law);
  if (!(req.horizon > 0)) throw InputError("--horizon must be positive");
  const auto curves = read_curves(req);
  const std::string plots = !req.plots.empty() ? req.plots
                                               : (fs::path(req.output).parent_path() / (fs::path(req.output).stem().string() + "_plots")).string();
  fs::create_directories(plots);
  const auto param_names = classical::law_parameter_names(law);
  std::ostringstream out;
  out << "shaft," << req.value_column << ",law,readings,last_time,last_value,at_horizon,fit_rmse,t99";
  for (const auto& p : param_names) out << "," << p;
  out << ",warning,error\n";
  size_t failed = 0;
  for (const auto& c : curves) {
    out << csv_escape(c.shaft) << ",";
    try {
      const auto f = classical::fit_saturation(c.t, c.s, law, req.horizon);
      size_t last = 0;
      for (size_t i = 1; i < c.t.size(); ++i)
        if (c.t[i] > c.t[last]) last = i;
      out << num(f.saturated) << "," << req.law << "," << c.t.size() << "," << num(c.t[last]) << "," << num(c.s[last]) << ","
          << num(f.at_horizon) << "," << num(f.rmse) << "," << num(f.t99);
      for (double p : f.params) out << "," << num(p);
      std::string warning;
      if (!f.at_bound.empty()) {
        warning = f.at_bound + " reached its bound (3 x the last reading time): the readings do not determine it, "
                  "so the saturated value is uncertain; measure longer or use a simpler law";
        spdlog::warn("{}: shaft {}: {}", req.input, c.shaft, warning);
      }
      out << "," << csv_escape(warning) << ",\n";
      vision::write_png(plots + "/" + safe_file_name(c.shaft) + ".png", plot_curve(c, f, req));
    } catch (const InputError& e) {
      ++failed;
      out << "," << req.law << "," << c.t.size() << ",,,,,," << std::string(param_names.size() + 1, ',') << csv_escape(e.what()) << "\n";
      spdlog::warn("{}: shaft {}: {}", req.input, c.shaft, e.what());
    }
  }
  write_text_atomically(req.output, out.str());
  std::cout << "fitted the " << req.law << " law to " << curves.size() - failed << " of " << curves.size()
            << " shafts; saturated springback in " << req.output << " (column " << req.value_column << "), plots in "
            << plots << "\n";
  return failed == curves.size() ? 2 : 0;
}

}  // namespace

CommandSpec springback_saturation_command() {
  const SaturationRequest d;
  return {"springback-saturation",
          "fit each shaft's springback recovery curve and write its saturated springback, the label of the springback "
          "task (straightening paper, section 3.3)",
          {OptionSpec("--input,-i", "CSV of readings: shaft id, time after unloading, springback").required().existing_file(),
           OptionSpec("--output,-o", "CSV to write: one row per shaft").required(),
           OptionSpec("--law", "kelvin: a(1-exp(-t/tau)); kelvin2: two such elements; log: a+b ln(1+t/t0)")
               .text(d.law)
               .one_of({"kelvin", "kelvin2", "log"}),
           OptionSpec("--horizon",
                      "time at which the value is also reported, and where the log law counts as saturated (unit of "
                      "the time column; 240 h = 10 days)")
               .number(d.horizon)
               .positive(),
           OptionSpec("--plots", "folder for one PNG per shaft (default: <output stem>_plots beside the output)"),
           OptionSpec("--id-column", "column of the shaft id").text(d.id_column),
           OptionSpec("--time-column", "column of the time after unloading").text(d.time_column),
           OptionSpec("--value-column", "column of the springback (also the output's column name)").text(d.value_column)},
          [](const OptionValues& v, const CommonFlags& common) {
            SaturationRequest r;
            r.input = v.text("input");
            r.output = v.text("output");
            if (v.has("plots")) r.plots = v.text("plots");
            r.law = v.text("law");
            r.horizon = v.number("horizon");
            r.id_column = v.text("id-column");
            r.time_column = v.text("time-column");
            r.value_column = v.text("value-column");
            r.common = common;
            return run_springback_saturation(r);
          }};
}

}  // namespace alloyml::tasks
