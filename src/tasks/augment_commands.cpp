// alloyml-augment: preprocess (Huang et al. 2023, section 3.1.1) and synth (synthetic data).
#include <filesystem>
#include <iostream>

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
#include "alloyml/models/options.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/config.h"
#include "alloyml/vision/preprocess.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {

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

std::string list_models() {
  std::string out;
  for (const auto& n : models::model_names()) out += n + "  " + models::model_description(n) + "\n";
  out += "glcm_svm  GLCM texture features + one-vs-rest RBF SVMs (Luo et al.'s classical baseline)\n"
         "\nTask \"springback\" (tabular regression):\n"
         "gabp  5-8-1 network, GA-searched initial weights, Levenberg-Marquardt (the straightening paper)\n"
         "bp  the same network from a random start, Levenberg-Marquardt\n"
         "linear  multiple linear regression (least squares)\n"
         "\nTask \"gfa\" (glass-forming ability from composition images): any ResNet above, one output\n";
  return out;
}

std::string list_config_keys() {
  return "Task \"classification\" (the default):\n" + classification_schema().describe() +
         "\nTask \"springback\":\n" + springback_schema().describe() + "\nTask \"gfa\":\n" + gfa_schema().describe();
}

}  // namespace alloyml::tasks
