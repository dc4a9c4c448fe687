#pragma once
// Progress of long work: a redrawn bar with ETA and throughput on a terminal, plain
// periodic log lines otherwise (files, pipes, CI).
#include <chrono>
#include <string>

namespace alloyml {

class Progress {
 public:
  /// `total` steps of `label`; `unit` names what is counted for the rate ("img").
  Progress(std::string label, long total, std::string unit, bool terminal, double log_interval_s, bool enabled = true);

  /// Advances to `done` steps, having processed `items` more units, with a short status.
  void update(long done, long items, const std::string& status);

  /// Clears the bar (terminal) so the next log line starts clean.
  void finish();

  double items_per_second() const;
  double elapsed_seconds() const;

 private:
  std::string label_, unit_;
  long total_;
  bool terminal_, enabled_;
  double log_interval_s_;
  long items_ = 0;
  std::chrono::steady_clock::time_point start_, last_print_;
  bool drawn_ = false;
};

/// "1:02:03" or "02:03".
std::string format_duration(double seconds);

}  // namespace alloyml
