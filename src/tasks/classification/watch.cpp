// alloyml-predict --watch DIR: the deployment of Huang et al. 2023 (Fig. 1a, 20): images written
// into a folder by the line's camera are classified as they arrive, one row each, appended and
// flushed to --output. inotify tells when a file has been closed after writing or moved in;
// without inotify (or with --poll) a file counts as complete once its size and modification time
// have stayed the same for a second (looked at every 100 ms).
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/signals.h"
#include "infer.h"

namespace fs = std::filesystem;
using alloyml::config::Json;
using Clock = std::chrono::steady_clock;

namespace alloyml::tasks {
namespace {

bool is_image_name(const std::string& path) {
  static const std::set<std::string> ext{".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".pgm", ".ppm", ".pbm", ".webp"};
  return ext.count(lower_extension(path)) > 0;
}

struct Arrival {
  std::string path;
  Clock::time_point seen;
};

// Finds the images that have been completely written into a folder.
class FolderWatch {
 public:
  FolderWatch(const std::string& dir, bool poll_only) : dir_(dir) {
    if (!poll_only) {
      fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      if (fd_ >= 0 && inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        ::close(fd_);
        fd_ = -1;
      }
      if (fd_ < 0) spdlog::warn("{}: inotify is not available here; polling the folder every 100 ms", dir);
    }
    // What is there already may still be being written: it waits to settle like a polled file.
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && is_image_name(e.path().string())) track(e.path().string());
  }
  ~FolderWatch() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool inotify() const { return fd_ >= 0; }

  /// A file's size and modification time: what tells a rewritten or appended file from the one read.
  using State = std::pair<std::uintmax_t, long long>;
  static State state_of(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
    return {ec ? 0 : size, static_cast<long long>(time)};
  }

  /// Waits up to `wait` for newly completed images and returns them.
  std::vector<std::string> next(std::chrono::milliseconds wait) {
    std::vector<std::string> out;
    if (!settling_.empty()) wait = std::min(wait, std::chrono::milliseconds(100));
    if (fd_ >= 0) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(wait.count())) > 0) {
        alignas(inotify_event) char buf[16384];
        ssize_t n;
        while ((n = ::read(fd_, buf, sizeof buf)) > 0)
          for (char* c = buf; c < buf + n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(c);
            if (e->len > 0) {
              const std::string path = (fs::path(dir_) / e->name).string();
              if (is_image_name(path)) {  // closed after writing, or moved in: complete
                out.push_back(path);
                settling_.erase(path);
              }
            }
            c += sizeof(inotify_event) + e->len;
          }
      }
    } else {
      std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(100)));
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(dir_, ec)) {
        const std::string path = e.path().string();
        // New, or changed since it settled (appended to, rewritten): settles again.
        if (e.is_regular_file(ec) && is_image_name(path) && !settling_.count(path) &&
            (!seen_.count(path) || seen_[path] != state_of(path)))
          track(path);
      }
    }
    // Files waiting to settle: complete once their size and time have not changed for kSettle.
    for (auto it = settling_.begin(); it != settling_.end();) {
      std::error_code ec;
      if (!fs::exists(it->first, ec)) {  // removed before it settled: nothing to classify
        it = settling_.erase(it);
        continue;
      }
      const auto now_state = state_of(it->first);
      if (now_state != it->second.first) {
        it->second = {now_state, Clock::now()};
        ++it;
      } else if (Clock::now() - it->second.second >= kSettle) {
        out.push_back(it->first);
        seen_[it->first] = now_state;
        it = settling_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }

 private:
  std::string dir_;
  int fd_ = -1;
  void track(const std::string& path) {
    seen_[path] = state_of(path);
    settling_[path] = {seen_[path], Clock::now()};
  }
  static constexpr std::chrono::milliseconds kSettle{1000};
  /// Files being written: their size and time, and since when these have not changed.
  std::map<std::string, std::pair<State, Clock::time_point>> settling_;
  std::map<std::string, State> seen_;  ///< every file ever tracked (polling), as it settled
};

}  // namespace

int watch_images(const PredictRequest& req, ImageInference& inf) {
  const std::string dir = req.task_options.text("watch");
  if (!fs::is_directory(dir)) throw InputError(dir + ": --watch needs an existing folder");
  if (req.output.empty()) throw InputError("--watch needs --output FILE.csv or FILE.jsonl (rows are appended as images arrive)");
  // With --cam each row names its Grad-CAM overlay, written before the row (its time is in the latency).
  const std::unique_ptr<ClassifierModel> explainer = req.task_options.has("cam") ? heat_map_model(req, inf) : nullptr;
  PredictionRows rows = prediction_rows(req, inf.class_names);
  rows.latency = true;
  RowFile out(req.output, rows, /*continue_existing=*/true);
  std::set<std::string> done = out.done();
  const long timeout_ms = req.task_options.integer("batch-timeout");
  FolderWatch watch(dir, req.task_options.flag("poll"));
  install_stop_handlers();
  spdlog::info("watching {} ({}); rows go to {}, which holds {} image(s) already; stop with Ctrl-C", dir,
               watch.inotify() ? "inotify" : "polling", req.output, done.size());

  std::deque<Arrival> queue;
  std::set<std::string> queued;
  std::map<std::string, FolderWatch::State> read_as;  // each classified file as it was when read
  for (const auto& path : done) read_as[path] = FolderWatch::state_of(path);  // rows of an earlier watcher
  long classified = 0, unreadable = 0;
  constexpr size_t kMaxBatch = 32;
  auto classify = [&](size_t n) {
    data::ImageSet set;
    set.class_names = inf.class_names;
    std::vector<Arrival> batch(queue.begin(), queue.begin() + static_cast<long>(n));
    queue.erase(queue.begin(), queue.begin() + static_cast<long>(n));
    std::vector<size_t> idx;
    for (const auto& a : batch) {
      idx.push_back(set.samples.size());
      set.samples.push_back({a.path, -1});
      read_as[a.path] = FolderWatch::state_of(a.path);
    }
    attach_scales(set, req, inf, "");
    const auto decoded = decode_once(set, inf, rows);
    const PredictionSet p = inf.scorer->score(set, idx, false, decoded);
    std::vector<const std::vector<float>*> logits(batch.size(), nullptr);
    for (size_t i = 0; i < p.indices.size(); ++i) logits[p.indices[i]] = &p.logits[i];
    std::vector<std::string> cam_files(batch.size());
    if (explainer) {
      std::vector<std::vector<float>> logits_of(batch.size());
      std::vector<bool> scored(batch.size(), false);
      for (size_t i = 0; i < batch.size(); ++i)
        if (logits[i]) {
          logits_of[i] = *logits[i];
          scored[i] = true;
        }
      cam_files = write_heat_maps(req, inf, *explainer, set, logits_of, scored, dir, false, decoded);
    }
    std::string text;
    for (size_t i = 0; i < batch.size(); ++i) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - batch[i].seen).count();
      text += rows.row(batch[i].path, logits[i], cam_files[i], ms, decoded.get(), i);
      done.insert(rows.key(batch[i].path));
      queued.erase(batch[i].path);
      if (logits[i]) ++classified;
      else ++unreadable;
    }
    out.append(text);
  };
  while (true) {
    const bool stopping = stop_requested();
    if (!stopping)
      for (auto& path : watch.next(std::chrono::milliseconds(queue.empty() ? 200 : 5))) {
        if (queued.count(path)) continue;
        // Classified before: again only if it changed since it was read (a file written in several
        // rounds, read at its first close, gets a new row, which supersedes the earlier one).
        if (done.count(rows.key(path))) {
          const auto it = read_as.find(path);
          if (it != read_as.end() && it->second == FolderWatch::state_of(path)) continue;
          spdlog::info("{} changed after it was classified: classifying it again", path);
        }
        queue.push_back({path, Clock::now()});
        queued.insert(path);
      }
    if (queue.empty()) {
      if (stopping) break;
      continue;
    }
    // With --batch-timeout, images arriving together are classified together (up to 32).
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - queue.front().seen).count();
    if (stopping || timeout_ms <= 0 || queue.size() >= kMaxBatch || waited >= timeout_ms)
      classify(std::min(queue.size(), kMaxBatch));
  }
  spdlog::info("stopped: {} image(s) classified, {} unreadable (error rows), all in {}", classified, unreadable, req.output);
  return 0;
}

}  // namespace alloyml::tasks
