// alloyml-augment preprocess (Huang et al. 2023, section 3.1.1) and synth (synthetic NEU-style data).
#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/data/transforms.h"
#include "alloyml/tasks/classification/pipeline.h"
#include "alloyml/vision/preprocess.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {
namespace {

struct PreprocessRequest {
  std::string input, output;
  int diameter = 9;             ///< bilateral filter neighbourhood (px)
  double sigma_color = 75;
  double sigma_space = 75;
  double clip_percent = 1.0;    ///< histogram tails clipped by the contrast stretch (%)
  bool otsu = true;             ///< also write the OTSU mask beside each image
  CommonFlags common;
};

struct SynthesizeRequest {
  std::string output;
  int per_class = 40;
  int size = 64;
  std::uint64_t seed = 0;
  CommonFlags common;
};

int run_preprocess(const PreprocessRequest& req) {
  init_logging(req.common.quiet);
  if (req.diameter < 1 || req.diameter > 50) throw InputError("--diameter must be in [1, 50]");
  if (req.clip_percent < 0 || req.clip_percent >= 50) throw InputError("--clip must be in [0, 50)");
  const auto files = data::list_images(req.input);
  const fs::path in_root = fs::is_directory(req.input) ? fs::path(req.input) : fs::path(req.input).parent_path();
  fs::create_directories(req.output);
  ThreadPool pool(std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<int> failed{0};
  std::mutex m;
  long done = 0;
  Progress progress("preprocess", static_cast<long>(files.size()), "img", stderr_is_terminal(), 10.0, !req.common.quiet);
  parallel_for(pool, files.size(), [&](size_t i) {
    std::string problem;
    cv::Mat gray = data::decode_image(files[i], 1, &problem);
    if (gray.depth() == CV_16U) gray.convertTo(gray, CV_8U, 1.0 / 256);  // as imread's 8-bit grey would
    if (gray.empty()) {
      spdlog::warn("skipping unreadable image {}: {}", files[i], problem);
      ++failed;
    } else {
      const cv::Mat out = vision::contrast_stretch(vision::bilateral(gray, req.diameter, req.sigma_color, req.sigma_space),
                                                   req.clip_percent);
      fs::path rel = fs::relative(files[i], in_root);
      fs::path dst = fs::path(req.output) / rel;
      fs::create_directories(dst.parent_path());
      if (!cv::imwrite(dst.replace_extension(".png").string(), out)) throw Error("cannot write " + dst.string());
      if (req.otsu) {
        fs::path mask = dst;
        mask.replace_filename(dst.stem().string() + "_otsu.png");
        cv::imwrite(mask.string(), vision::otsu_mask(out));
      }
    }
    std::lock_guard<std::mutex> lock(m);
    progress.update(++done, 1, "");
  });
  progress.finish();
  std::cout << "preprocessed " << files.size() - failed << " of " << files.size() << " images into " << req.output << "\n";
  return failed == static_cast<int>(files.size()) ? 2 : 0;
}

int run_synthesize(const SynthesizeRequest& req) {
  init_logging(req.common.quiet);
  const int n = data::write_surface_defects(req.output, req.per_class, req.size, req.seed);
  std::cout << "wrote " << n << " synthetic surface-defect images (" << join(data::surface_defect_classes()) << ") to "
            << req.output << "\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> classification_augment_commands() {
  const PreprocessRequest p;
  const SynthesizeRequest s;
  CommandSpec pre{"preprocess",
                  "bilateral filter, histogram contrast stretch and OTSU mask over a folder (Huang et al. 2023, section 3.1.1)",
                  {OptionSpec("--input,-i", "image or folder").required().existing_path(),
                   OptionSpec("--output,-o", "output folder (mirrors the input tree, PNG)").required(),
                   OptionSpec("--diameter", "bilateral filter neighbourhood (px)").integer(p.diameter).range(1, 50),
                   OptionSpec("--sigma-color", "bilateral filter sigma in intensity").number(p.sigma_color),
                   OptionSpec("--sigma-space", "bilateral filter sigma in space").number(p.sigma_space),
                   OptionSpec("--clip", "percent of each histogram tail clipped by the stretch").number(p.clip_percent),
                   OptionSpec("--no-otsu", "do not write the OTSU masks").flag()},
                  [](const OptionValues& v, const CommonFlags& common) {
                    PreprocessRequest r;
                    r.input = v.text("input");
                    r.output = v.text("output");
                    r.diameter = static_cast<int>(v.integer("diameter"));
                    r.sigma_color = v.number("sigma-color");
                    r.sigma_space = v.number("sigma-space");
                    r.clip_percent = v.number("clip");
                    r.otsu = !v.flag("no-otsu");
                    r.common = common;
                    return run_preprocess(r);
                  }};
  CommandSpec syn{"synth", "write a synthetic 6-class surface-defect set (NEU style, flat folder)",
                  {OptionSpec("--output,-o", "output folder").required(),
                   OptionSpec("--per-class,-n", "images per class").integer(s.per_class).range(1, 100000),
                   OptionSpec("--size", "image side (px)").integer(s.size).range(16, 4096),
                   OptionSpec("--seed", "generator seed").integer(static_cast<long>(s.seed)).range(0, {})},
                  [](const OptionValues& v, const CommonFlags& common) {
                    SynthesizeRequest r;
                    r.output = v.text("output");
                    r.per_class = static_cast<int>(v.integer("per-class"));
                    r.size = static_cast<int>(v.integer("size"));
                    r.seed = static_cast<std::uint64_t>(v.integer("seed"));
                    r.common = common;
                    return run_synthesize(r);
                  }};
  return {pre, syn};
}

}  // namespace alloyml::tasks
