#include "alloyml/data/image_integrity.h"

#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>
#include <zlib.h>

namespace alloyml::data {
namespace {

// libjpeg reports through an error manager: errors longjmp back here, warnings are counted and
// the first one kept; nothing is printed.
struct JpegErrors {
  jpeg_error_mgr mgr{};
  std::jmp_buf jump{};
  std::string first;
};

void keep_message(j_common_ptr cinfo, JpegErrors& e) {
  if (!e.first.empty()) return;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  e.first = text;
}

void on_error(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegErrors*>(cinfo->err);
  keep_message(cinfo, *e);
  std::longjmp(e->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  auto* e = reinterpret_cast<JpegErrors*>(cinfo->err);
  ++cinfo->err->num_warnings;
  keep_message(cinfo, *e);
}

// Decodes the whole file at 1/8 scale: every coefficient is entropy-decoded (where damage shows),
// while the inverse DCT and colour stages do a 64th of their usual work.
std::string jpeg_problem(const std::vector<std::uint8_t>& bytes) {
  jpeg_decompress_struct cinfo{};
  JpegErrors errors;
  cinfo.err = jpeg_std_error(&errors.mgr);
  errors.mgr.error_exit = on_error;
  errors.mgr.emit_message = on_message;
  std::vector<JSAMPLE> row;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return "damaged JPEG data (" + errors.first + ")";
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.scale_num = 1;
  cinfo.scale_denom = 8;
  cinfo.dct_method = JDCT_IFAST;
  cinfo.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&cinfo);
  row.resize(static_cast<size_t>(cinfo.output_width) * static_cast<size_t>(cinfo.output_components));
  JSAMPROW rows[1] = {row.data()};
  while (cinfo.output_scanline < cinfo.output_height) jpeg_read_scanlines(&cinfo, rows, 1);
  jpeg_finish_decompress(&cinfo);  // reads on to the end-of-image marker
  const long warnings = cinfo.err->num_warnings;
  jpeg_destroy_decompress(&cinfo);
  return warnings > 0 ? "damaged JPEG data (" + errors.first + ")" : "";
}

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

std::string png_problem(const std::vector<std::uint8_t>& bytes) {
  size_t at = 8;  // after the signature
  while (at + 12 <= bytes.size()) {
    const std::uint32_t length = be32(&bytes[at]);
    const std::string type(reinterpret_cast<const char*>(&bytes[at + 4]), 4);
    if (length > bytes.size() - at - 12) return "truncated PNG (chunk " + type + " runs past the end of the file)";
    const auto* typed = &bytes[at + 4];  // the CRC covers the type and the data
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), typed, static_cast<uInt>(length + 4)));
    if (crc != be32(&bytes[at + 8 + length])) return "damaged PNG (CRC error in chunk " + type + ")";
    if (type == "IEND") return "";
    at += 12 + static_cast<size_t>(length);
  }
  return "truncated PNG (no IEND chunk)";
}

}  // namespace

std::string encoded_image_problem(const std::vector<std::uint8_t>& bytes) {
  static const std::uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return jpeg_problem(bytes);
  if (bytes.size() >= 8 && std::equal(png_signature, png_signature + 8, bytes.begin())) return png_problem(bytes);
  return "";
}

}  // namespace alloyml::data
