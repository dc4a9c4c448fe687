#pragma once
// report.html: the page skeleton every run's report shares (head and style, title, summary.json as
// tables at the end, PNGs beside it, one atomic write). A task adds its sections in order.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "alloyml/core/config.h"
#include "alloyml/run/run_dir.h"

namespace alloyml::run {

/// One point of a regression's parity plot.
struct ParityPoint {
  int split = 0;  ///< 0 train, 1 val, 2 test
  double truth = 0, predicted = 0;
};

/// `s` with &, <, > and " escaped for HTML.
std::string html_escape(const std::string& s);

class ReportPage {
 public:
  /// A page for the run in `paths`, headed by `title` (escaped).
  ReportPage(RunPaths paths, const std::string& title);
  /// Adds HTML as it is (callers escape what they insert).
  void html(const std::string& raw);
  /// Adds a section heading (escaped).
  void heading(const std::string& text);
  /// Adds a paragraph of HTML.
  void paragraph(const std::string& raw);
  /// Writes `image` as RUN_DIR/`file` and shows it.
  void image(const std::string& file, const cv::Mat& image, const std::string& alt);
  /// A line chart of those of `keys` that metrics.jsonl has (nothing when it has none of them).
  void metric_chart(const std::vector<std::string>& keys, const std::string& file, const std::string& title,
                    const std::string& ylabel);
  /// Adds the device, precision and threads of a torch run, when the summary has them.
  void runtime_note(const config::Json& summary);
  /// Ends the page with summary.json as tables and writes report.html atomically.
  void write(const config::Json& summary);

 private:
  RunPaths paths_;
  std::string body_;
};

}  // namespace alloyml::run
