// alloyml-augment tile: large micrographs cut into model-sized tiles (how Luo et al. built SS-3000
// from 1024 x 768 SEM images), the SEM data bar removed, uninformative tiles dropped, labels kept,
// and a manifest whose "source" column keeps a micrograph's tiles together in splits
// (data.split.group_by: source).
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/image_write.h"
#include "classification_pipeline.h"
#include "alloyml/vision/tiling.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

struct TileRequest {
  std::string input, output;
  int size = 224;
  int stride = 0;  ///< 0: the size (tiles side by side)
  int crop_bottom = 0;
  bool detect_info_bar = false;
  vision::TileScreen screen;
  CommonFlags common;
};

int run_tile(const TileRequest& req) {
  init_logging(req.common.quiet);
  if (req.crop_bottom > 0 && req.detect_info_bar) throw InputError("give --crop-bottom or --detect-info-bar, not both");
  const int stride = req.stride > 0 ? req.stride : req.size;
  const data::ImageSet set = data::discover_images_or_all(req.input, "all");
  const fs::path out(req.output);
  std::ostringstream manifest;
  manifest << "path,label,source,x,y\n";
  std::map<std::string, long> dropped;
  long tiles = 0, bars = 0;
  std::vector<std::string> skipped, too_small;
  Progress progress("tiling", static_cast<long>(set.samples.size()), "img", stderr_is_terminal(), 10.0, !req.common.quiet);
  for (size_t i = 0; i < set.samples.size(); ++i) {
    const auto& s = set.samples[i];
    progress.update(static_cast<long>(i + 1), 1, "");
    cv::Mat img = cv::imread(s.path, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
    if (img.empty()) {
      spdlog::warn("{}: skipped, not a readable image", s.path);
      skipped.push_back(s.path);
      continue;
    }
    const int bar = req.detect_info_bar ? vision::detect_info_bar(img) : std::min(req.crop_bottom, img.rows);
    if (bar > 0) ++bars;
    const cv::Mat body = img.rowRange(0, img.rows - bar);
    const auto origins = vision::tile_origins(body.cols, body.rows, req.size, stride);
    if (origins.empty()) {
      too_small.push_back(s.path);
      continue;
    }
    const std::string label = set.class_names[static_cast<size_t>(s.label)];
    const fs::path dir = out / label;
    fs::create_directories(dir);
    const std::string source = fs::absolute(s.path).lexically_normal().string();
    for (const auto& o : origins) {
      const cv::Mat tile = body(cv::Rect(o.x, o.y, req.size, req.size));
      const std::string verdict = vision::screen_tile(tile, req.screen);
      if (verdict != "keep") {
        ++dropped[verdict];
        continue;
      }
      const std::string name = fs::path(s.path).stem().string() + "_y" + std::to_string(o.y) + "_x" + std::to_string(o.x) + ".png";
      data::write_image((dir / name).string(), tile);
      manifest << csv_escape(label + "/" + name) << "," << csv_escape(label) << "," << csv_escape(source) << "," << o.x
               << "," << o.y << "\n";
      ++tiles;
    }
  }
  progress.finish();
  if (skipped.size() == set.samples.size()) throw InputError(req.input + ": none of its images could be read");
  fs::create_directories(out);
  write_text_atomically((out / "manifest.csv").string(), manifest.str());
  for (const auto& p : too_small)
    spdlog::warn("{}: smaller than one {} px tile after the data bar, no tiles", p, req.size);
  std::cout << "cut " << set.samples.size() - skipped.size() << " images into " << tiles << " tiles of " << req.size
            << " px in " << req.output << " (manifest.csv); dropped " << dropped["blank"] << " blank, "
            << dropped["saturated"] << " saturated, " << dropped["blurred"] << " out-of-focus tiles; data bar removed from "
            << bars << " images";
  if (!skipped.empty()) std::cout << "; " << skipped.size() << " unreadable image(s) skipped";
  std::cout << "\nTrain on it with data.root=" << (out / "manifest.csv").string()
            << " and data.split.group_by=source, so a micrograph's tiles stay on one side of the split.\n";
  return 0;
}

}  // namespace

CommandSpec tile_command() {
  const TileRequest d;
  return {"tile",
          "cut large micrographs into tiles (Luo et al.'s SS-3000): SEM data bar removed, blank, saturated and "
          "out-of-focus tiles dropped, labels kept, DIR/manifest.csv with each tile's source and offset",
          {OptionSpec("--input,-i", "labelled micrographs: class folders, NEU-style names or a CSV (else one class 'all')")
               .required()
               .existing_path(),
           OptionSpec("--output,-o", "output folder: one sub-folder per class and manifest.csv").required(),
           OptionSpec("--size", "tile side (px)").integer(d.size).range(8, 16384),
           OptionSpec("--stride", "pixels between tiles; 0: the size (no overlap)").integer(d.stride).range(0, 16384),
           OptionSpec("--crop-bottom", "rows of data bar to cut from the bottom of every image").integer(0).range(0, 100000),
           OptionSpec("--detect-info-bar", "find the SEM data bar at the bottom of each image and cut it").flag(),
           OptionSpec("--blank-std", "drop tiles whose grey-level std is below this (8-bit)").number(d.screen.blank_std).range(0, 255),
           OptionSpec("--saturated", "drop tiles with more than this fraction of pixels at black or white")
               .number(d.screen.saturated_fraction)
               .range(0, 1),
           OptionSpec("--focus", "drop tiles whose variance of the Laplacian is below this (8-bit); 0 keeps all")
               .number(d.screen.focus)
               .range(0, {})},
          [](const OptionValues& v, const CommonFlags& common) {
            TileRequest r;
            r.input = v.text("input");
            r.output = v.text("output");
            r.size = static_cast<int>(v.integer("size"));
            r.stride = static_cast<int>(v.integer("stride"));
            r.crop_bottom = static_cast<int>(v.integer("crop-bottom"));
            r.detect_info_bar = v.flag("detect-info-bar");
            r.screen.blank_std = v.number("blank-std");
            r.screen.saturated_fraction = v.number("saturated");
            r.screen.focus = v.number("focus");
            r.common = common;
            return run_tile(r);
          }};
}

}  // namespace alloyml::tasks
