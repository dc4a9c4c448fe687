#pragma once
// Another camera's look on the same defects: the documented, seeded appearance change that makes
// "line B" from NEU for the CycleGAN proof of use (issue 23; Huang et al. 2023 carry samples from
// line 1 to line 2). In this order, on intensities in [0, 1]:
//   1. optics:       Gaussian blur of `blur` pixels (sigma, at the image's own size);
//   2. illumination: gain rising linearly from 1 - gradient to 1 + gradient across the image, along
//                    the direction `angle_deg` (0: left to right);
//   3. response:     gamma (I^gamma), then contrast about mid-grey (0.5 + contrast (I - 0.5));
//   4. sensor:       Gaussian noise of standard deviation `noise`, drawn from `seed`;
// then clipped and written back at the image's depth.
#include <cstdint>

#include <opencv2/core.hpp>

namespace alloyml::vision {

struct CameraShift {
  double blur = 1.0;
  double gradient = 0.35;
  double angle_deg = 30.0;
  double gamma = 0.6;
  double contrast = 0.7;
  double noise = 0.03;
};

/// `image` (8- or 16-bit, grey or colour) as the other camera sees it; same size, type and depth.
cv::Mat camera_shift(const cv::Mat& image, const CameraShift& shift, std::uint64_t seed);

}  // namespace alloyml::vision
