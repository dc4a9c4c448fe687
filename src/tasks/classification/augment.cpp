// alloyml-augment preprocess (Huang et al. 2023, section 3.1.1), mosaic (section 3.1.2) and synth
// (synthetic NEU-style data).
#include <array>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/text.h"
#include "alloyml/core/thread_pool.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/image_write.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/data/transforms.h"
#include "classification_pipeline.h"
#include "alloyml/vision/camera_shift.h"
#include "alloyml/data/mosaic.h"
#include "alloyml/vision/plot.h"
#include "alloyml/vision/preprocess.h"
#include "alloyml/vision/quantify.h"

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
  ThreadPool pool(default_threads());
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
      data::write_image(dst.replace_extension(".png").string(), out);
      if (req.otsu) {
        fs::path mask = dst;
        mask.replace_filename(dst.stem().string() + "_otsu.png");
        data::write_image(mask.string(), vision::otsu_mask(out));
      }
    }
    std::lock_guard<std::mutex> lock(m);
    progress.update(++done, 1, "");
  });
  progress.finish();
  std::cout << "preprocessed " << files.size() - failed << " of " << files.size() << " images into " << req.output << "\n";
  return failed == static_cast<int>(files.size()) ? 2 : 0;
}

struct MosaicRequest {
  std::string input, output;
  int count = 100;        ///< new images in all, spread evenly over the classes
  bool fusion = false;    ///< blend two images instead of stitching four
  int seam = 3;           ///< half-width of the median-blurred band along each seam (px)
  std::uint64_t seed = 0;
  CommonFlags common;
};

// Huang et al. 2023, Section 3.1.2: new samples of each class from four (mosaic) or two (fusion)
// of its images, written as OUTPUT/<class>/mosaic_<k>.png so the label stays the folder's.
int run_mosaic(const MosaicRequest& req) {
  init_logging(req.common.quiet);
  data::DataOptions d;
  const data::ImageSet set = data::discover_images(req.input, d);
  std::vector<std::vector<size_t>> by_class(set.class_names.size());
  for (size_t i = 0; i < set.samples.size(); ++i) by_class[static_cast<size_t>(set.samples[i].label)].push_back(i);
  std::map<size_t, cv::Mat> decoded;
  auto image = [&](size_t i) -> const cv::Mat& {
    auto it = decoded.find(i);
    if (it == decoded.end()) {
      std::string problem;
      cv::Mat rgb = data::decode_image(set.samples[i].path, 3, &problem);
      if (rgb.empty()) throw InputError(set.samples[i].path + ": cannot read this image (" + problem + ")");
      cv::cvtColor(rgb, rgb, cv::COLOR_RGB2BGR);  // decode_image gives the models' RGB; PNG files are BGR
      it = decoded.emplace(i, rgb).first;
    }
    return it->second;
  };
  std::mt19937_64 rng(req.seed);
  const std::string kind = req.fusion ? "fusion" : "mosaic";
  Progress progress(kind, req.count, "img", stderr_is_terminal(), 10.0, !req.common.quiet);
  int written = 0;
  for (int k = 0; k < req.count; ++k) {
    const size_t c = static_cast<size_t>(k) % by_class.size();
    const auto& pool = by_class[c];
    if (pool.empty()) continue;
    std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
    std::array<cv::Mat, 4> four;
    for (auto& m : four) m = image(pool[pick(rng)]);
    const cv::Mat out = req.fusion ? data::fuse(four[0], four[1]) : data::mosaic(four, req.seam);
    const fs::path dir = fs::path(req.output) / set.class_names[c];
    fs::create_directories(dir);
    const std::string file = (dir / (kind + "_" + std::to_string(k) + ".png")).string();
    data::write_image(file, out);
    ++written;
    progress.update(k + 1, 1, "");
  }
  progress.finish();
  std::cout << "wrote " << written << " " << kind << " images of " << set.class_names.size() << " classes to "
            << req.output << " (one folder per class)\n";
  return 0;
}

struct CameraRequest {
  std::string input, output;
  vision::CameraShift shift;
  std::uint64_t seed = 0;
  CommonFlags common;
};

// Line B for the CycleGAN proof of use (issue 23): the same kind of images through another
// camera, one output image per input image with its label kept (data::mirror_paths).
int run_camera(const CameraRequest& req) {
  init_logging(req.common.quiet);
  const auto plan = data::mirror_paths(req.input, req.output);
  Progress progress("camera", static_cast<long>(plan.size()), "img", stderr_is_terminal(), 10.0, !req.common.quiet);
  std::vector<std::string> skipped;
  for (size_t k = 0; k < plan.size(); ++k) {
    cv::Mat img = cv::imread(plan[k].first, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
    if (img.empty()) {
      spdlog::warn("{}: skipped, not a readable image", plan[k].first);
      skipped.push_back(plan[k].first);
      continue;
    }
    if (img.channels() == 4) cv::cvtColor(img, img, cv::COLOR_BGRA2BGR);
    const fs::path dst(plan[k].second);
    fs::create_directories(dst.parent_path());
    data::write_image(dst.string(), vision::camera_shift(img, req.shift, derive_seed(req.seed, 0xCA3E, k)));
    progress.update(static_cast<long>(k + 1), 1, "");
  }
  progress.finish();
  if (skipped.size() == plan.size()) throw InputError(req.input + ": none of its images could be read");
  std::cout << "wrote " << plan.size() - skipped.size() << " images as another camera sees them to " << req.output;
  if (!skipped.empty()) std::cout << "; " << skipped.size() << " unreadable image(s) skipped";
  std::cout << "\n";
  return 0;
}

struct QuantifyRequest {
  std::string input, output;
  vision::QuantifyOptions options;
  bool overlays = true;
  CommonFlags common;
};

// Huang et al. 2023, Section 3.2.5 (Table 7): every image's defect regions measured after the
// Section 3.1.1 pre-processing, then summarised per image and per class.
int run_quantify(const QuantifyRequest& req) {
  init_logging(req.common.quiet);
  const data::ImageSet set = data::discover_images_or_all(req.input, "all");
  const fs::path out(req.output);
  fs::create_directories(req.overlays ? out / "overlays" : out);
  std::ostringstream regions, images;
  regions << "image,label,region,area,perimeter,cx,cy,x,y,width,height\n";
  images << "image,label,regions,defect_area,perimeter,area_ratio,k\n";
  struct ClassSum {
    long images = 0, regions = 0;
    double area = 0, perimeter = 0, ratio = 0;
  };
  std::vector<ClassSum> sums(set.class_names.size());
  std::vector<std::string> skipped;
  Progress progress("quantify", static_cast<long>(set.samples.size()), "img", stderr_is_terminal(), 10.0, !req.common.quiet);
  for (size_t i = 0; i < set.samples.size(); ++i) {
    const auto& s = set.samples[i];
    std::string problem;
    cv::Mat gray = data::decode_image(s.path, 1, &problem);
    if (gray.empty()) {
      spdlog::warn("{}: skipped, cannot read this image ({})", s.path, problem);
      skipped.push_back(s.path);
      continue;
    }
    if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U, 255.0 / 65535.0);
    cv::Mat mask;
    const auto m = vision::quantify_defects(gray, req.options, &mask);
    const std::string& label = set.class_names[static_cast<size_t>(s.label)];
    for (size_t r = 0; r < m.regions.size(); ++r) {
      const auto& g = m.regions[r];
      regions << csv_escape(s.path) << "," << csv_escape(label) << "," << r + 1 << "," << g.area << "," << fixed(g.perimeter, 3)
              << "," << fixed(g.cx, 2) << "," << fixed(g.cy, 2) << "," << g.box.x << "," << g.box.y << "," << g.box.width
              << "," << g.box.height << "\n";
    }
    images << csv_escape(s.path) << "," << csv_escape(label) << "," << m.regions.size() << "," << m.defect_area << ","
           << fixed(m.perimeter, 3) << "," << fixed(m.area_ratio(), 5) << "," << fixed(m.k(), 5) << "\n";
    auto& c = sums[static_cast<size_t>(s.label)];
    ++c.images;
    c.regions += static_cast<long>(m.regions.size());
    c.area += m.defect_area;
    c.perimeter += m.perimeter;
    c.ratio += m.area_ratio();
    if (req.overlays)
      vision::write_png((out / "overlays" / (fs::path(s.path).stem().string() + "_regions.png")).string(),
                        vision::region_overlay(gray, mask, m));
    progress.update(static_cast<long>(i + 1), 1, "");
  }
  progress.finish();
  if (skipped.size() == set.samples.size()) throw InputError(req.input + ": none of its images could be read");
  // Table 7's columns: a region's mean area and perimeter, the mean defect area ratio of an image, K.
  std::ostringstream classes;
  classes << "class,images,regions,area,perimeter,area_ratio,k\n";
  std::cout << "class              images  regions   area (px)  perimeter (px)  area ratio      K\n";
  for (size_t c = 0; c < sums.size(); ++c) {
    const auto& s = sums[c];
    if (s.images == 0) continue;
    const double area = s.regions ? s.area / s.regions : 0, perimeter = s.regions ? s.perimeter / s.regions : 0;
    const double ratio = s.ratio / s.images, k = area > 0 ? perimeter / area : 0;
    classes << csv_escape(set.class_names[c]) << "," << s.images << "," << s.regions << "," << fixed(area, 1) << ","
            << fixed(perimeter, 3) << "," << fixed(ratio, 5) << "," << fixed(k, 4) << "\n";
    char line[200];
    std::snprintf(line, sizeof line, "%-18s %6ld %8ld %11.1f %15.3f %10.2f %% %7.3f\n", set.class_names[c].c_str(), s.images,
                  s.regions, area, perimeter, 100 * ratio, k);
    std::cout << line;
  }
  write_text_atomically((out / "regions.csv").string(), regions.str());
  write_text_atomically((out / "images.csv").string(), images.str());
  write_text_atomically((out / "classes.csv").string(), classes.str());
  std::cout << "measured " << set.samples.size() - skipped.size() << " images into " << req.output
            << " (regions.csv, images.csv, classes.csv" << (req.overlays ? ", overlays/" : "") << ")";
  if (!skipped.empty()) std::cout << "; " << skipped.size() << " unreadable image(s) skipped";
  std::cout << "\n";
  return 0;
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
  const MosaicRequest mo;
  CommandSpec mos{"mosaic",
                  "new images of each class from 4 of its images stitched 2x2, seams median-blurred (or 2 blended: "
                  "--fusion), into OUTPUT/<class>/ (Huang et al. 2023, section 3.1.2)",
                  {OptionSpec("--input,-i", "labelled images: class folders, a flat NEU-style folder or a CSV").required().existing_path(),
                   OptionSpec("--output,-o", "output folder (one sub-folder per class)").required(),
                   OptionSpec("--count,-n", "new images in all, spread evenly over the classes").integer(mo.count).range(1, 10000000),
                   OptionSpec("--fusion", "blend two images of a class instead of stitching four").flag(),
                   OptionSpec("--seam", "half-width of the median-blurred band along the seams (px)").integer(mo.seam).range(0, 64),
                   OptionSpec("--seed", "sampling seed").integer(static_cast<long>(mo.seed)).range(0, {})},
                  [](const OptionValues& v, const CommonFlags& common) {
                    MosaicRequest r;
                    r.input = v.text("input");
                    r.output = v.text("output");
                    r.count = static_cast<int>(v.integer("count"));
                    r.fusion = v.flag("fusion");
                    r.seam = static_cast<int>(v.integer("seam"));
                    r.seed = static_cast<std::uint64_t>(v.integer("seed"));
                    r.common = common;
                    return run_mosaic(r);
                  }};
  const CameraRequest ca;
  CommandSpec cam{"camera",
                  "the same images as another line's camera sees them: blur, an illumination gradient, gamma and "
                  "contrast, sensor noise (seeded; labels kept as cyclegan-translate keeps them)",
                  {OptionSpec("--input,-i", "an image, a folder (its tree is mirrored) or a CSV manifest (written per label)").required().existing_path(),
                   OptionSpec("--output,-o", "output folder").required(),
                   OptionSpec("--blur", "Gaussian blur sigma (px)").number(ca.shift.blur).range(0, 50),
                   OptionSpec("--gradient", "illumination gain from 1-g to 1+g across the image").number(ca.shift.gradient).range(0, 0.99),
                   OptionSpec("--angle", "direction of the gradient (degrees; 0: left to right)").number(ca.shift.angle_deg),
                   OptionSpec("--gamma", "response gamma (I^gamma)").number(ca.shift.gamma).range(0.05, 20),
                   OptionSpec("--contrast", "contrast about mid-grey").number(ca.shift.contrast).range(0, 10),
                   OptionSpec("--noise", "sensor noise standard deviation (fraction of the range)").number(ca.shift.noise).range(0, 1),
                   OptionSpec("--seed", "noise seed").integer(static_cast<long>(ca.seed)).range(0, {})},
                  [](const OptionValues& v, const CommonFlags& common) {
                    CameraRequest r;
                    r.input = v.text("input");
                    r.output = v.text("output");
                    r.shift.blur = v.number("blur");
                    r.shift.gradient = v.number("gradient");
                    r.shift.angle_deg = v.number("angle");
                    r.shift.gamma = v.number("gamma");
                    r.shift.contrast = v.number("contrast");
                    r.shift.noise = v.number("noise");
                    r.seed = static_cast<std::uint64_t>(v.integer("seed"));
                    r.common = common;
                    return run_camera(r);
                  }};
  const QuantifyRequest qu;
  CommandSpec qua{"quantify",
                  "measure defect regions (Huang et al. 2023, Table 7): pre-processing, OTSU, then per region its area, "
                  "perimeter, centroid and box; per image the area ratio and K = perimeter / area; per class a summary",
                  {OptionSpec("--input,-i", "an image, a folder or a CSV manifest (labels from folders, names or the CSV)").required().existing_path(),
                   OptionSpec("--output,-o", "output folder: regions.csv, images.csv, classes.csv, overlays/").required(),
                   OptionSpec("--min-area", "smallest region counted as a defect (px)").integer(qu.options.min_area).range(1, 100000000),
                   OptionSpec("--diameter", "bilateral filter neighbourhood (px)").integer(qu.options.diameter).range(1, 50),
                   OptionSpec("--clip", "percent of each histogram tail clipped by the stretch").number(qu.options.clip_percent).range(0, 49.9),
                   OptionSpec("--no-overlays", "do not write an overlay PNG per image").flag()},
                  [](const OptionValues& v, const CommonFlags& common) {
                    QuantifyRequest r;
                    r.input = v.text("input");
                    r.output = v.text("output");
                    r.options.min_area = static_cast<int>(v.integer("min-area"));
                    r.options.diameter = static_cast<int>(v.integer("diameter"));
                    r.options.clip_percent = v.number("clip");
                    r.overlays = !v.flag("no-overlays");
                    r.common = common;
                    return run_quantify(r);
                  }};
  return {pre, syn, mos, cam, qua, tile_command()};
}

}  // namespace alloyml::tasks
