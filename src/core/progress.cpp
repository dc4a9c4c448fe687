#include "alloyml/core/progress.h"

#include <cstdio>

#include <spdlog/spdlog.h>

namespace alloyml {

Progress::Progress(std::string label, long total, std::string unit, bool terminal, double log_interval_s, bool enabled)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      terminal_(terminal),
      enabled_(enabled),
      log_interval_s_(log_interval_s),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double Progress::items_per_second() const {
  const double s = elapsed_seconds();
  return s > 0 ? items_ / s : 0.0;
}

void Progress::update(long done, long items, const std::string& status) {
  items_ += items;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  const double elapsed = elapsed_seconds();
  const double eta = done > 0 ? elapsed / done * (total_ - done) : 0.0;
  if (terminal_) {
    if (since < 0.1 && done < total_) return;
    const int width = 24;
    const int filled = total_ > 0 ? static_cast<int>(width * done / total_) : width;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r\033[K%s [%s] %ld/%ld %s %.1f %s/s ETA %s", label_.c_str(), bar.c_str(), done, total_,
                 status.c_str(), items_per_second(), unit_.c_str(), format_duration(eta).c_str());
    std::fflush(stderr);
    drawn_ = true;
  } else if (since >= log_interval_s_ && done < total_) {
    spdlog::info("{} {}/{} {} {:.1f} {}/s ETA {}", label_, done, total_, status, items_per_second(), unit_,
                 format_duration(eta));
  } else {
    return;
  }
  last_print_ = now;
}

void Progress::finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

std::string format_duration(double seconds) {
  if (seconds < 0) seconds = 0;
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof(buf), "%02ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace alloyml
